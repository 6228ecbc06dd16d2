// Every registered cell kind (rnn, and whatever else cells.ts lists) works with
// the generic machinery: gradient check, mini-batch mean gradients, training,
// determinism, save/load.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { CELLS, cellOps, paramNamesOf, validateParams } from "../../lib/cells";
import { makeSignOfSumData } from "../../lib/data";
import { paramArrays, cloneParams } from "../../lib/params";
import { gradCheck } from "../../lib/gradcheck";
import { meanLossAndGrads, train } from "../../lib/train";
import { evaluate } from "../../lib/evaluate";
import { modelToJSON, modelFromJSON } from "../../lib/serialize";
import { paramBytes, assertThrowsMsg } from "./helpers";

const kinds = Object.keys(CELLS);

test(`the registry lists rnn; each kind's shapes (its parameter names) and init agree (kinds: ${kinds.join(", ")})`, () => {
  assert.ok(kinds.includes("rnn"));
  for (const kind of kinds) {
    const ops = cellOps(kind);
    assert.equal(ops.kind, kind);
    const names = paramNamesOf(ops);
    assert.deepEqual(Object.keys(ops.shapes(2, 3, 1)), names, `${kind}: shapes keys do not depend on the sizes`);
    const p = ops.init({ I: 2, H: 3, O: 1, seed: 1 });
    assert.equal(p.kind, kind);
    assert.deepEqual([p.I, p.H, p.O], [2, 3, 1]);
    assert.deepEqual(paramArrays(p).map(([n]) => n), names, `${kind}: init creates the arrays in canonical order`);
    const shapes = ops.shapes(2, 3, 1);
    for (const [name, v] of paramArrays(p)) assert.equal(v.length, shapes[name][0] * shapes[name][1], `${kind}.${name} length`);
    validateParams(p, "test");
  }
  assertThrowsMsg(() => cellOps("cnn"), /cellOps: cell kind is "cnn", expected one of "rnn"/);
});

for (const kind of kinds) {
  test(`${kind}: mini-batch mean gradients match central differences; training is deterministic; save/load is exact`, () => {
    const ops = cellOps(kind);
    let worst = 0;
    for (const [c, [I, H, T, n]] of [[1, 3, 5, 1], [2, 5, 8, 4], [3, 4, 12, 3]].entries()) {
      const p = ops.init({ I, H, O: 1, seed: `${kind}-${c}` });
      for (const [, v] of paramArrays(p)) for (let k = 0; k < v.length; k++) v[k] += 0.05 * Math.sin(7 * k + c); // non-zero biases
      const data = makeSignOfSumData({ n, T, I, seed: `${kind}-d-${c}` });
      const { loss, grads } = meanLossAndGrads(p, data);
      assert.ok(Math.abs(loss - evaluate(p, data).meanLoss) < 1e-14);
      const errs = gradCheck(p, (q) => evaluate(q, data).meanLoss, grads);
      for (const [name, e] of Object.entries(errs)) {
        assert.ok(e <= 1e-6, `${kind}.${name} relative error ${e} (I=${I}, H=${H}, T=${T}, n=${n})`);
        worst = Math.max(worst, e);
      }
    }
    console.log(`${kind}: worst gradient-check relative error ${worst.toExponential(2)}`);

    const data = makeSignOfSumData({ n: 64, T: 6, I: 1, seed: `${kind}-train` });
    const start = ops.init({ I: 1, H: 6, O: 1, seed: `${kind}-t` });
    const runs = [0, 1].map(() => {
      const p = cloneParams(start);
      const stats = train(p, data, { lr: 0.05, epochs: 3, batchSize: 8, shuffle: true, seed: 3, clipNorm: 5 });
      return { p, stats };
    });
    assert.ok(paramBytes(runs[0].p).equals(paramBytes(runs[1].p)), `${kind}: same seed, same weights`);
    assert.ok(!paramBytes(runs[0].p).equals(paramBytes(start)), `${kind}: training changed the weights`);
    const loaded = modelFromJSON(modelToJSON(runs[0].p), "test");
    assert.equal(loaded.kind, kind);
    assert.ok(paramBytes(loaded).equals(paramBytes(runs[0].p)));
    assert.deepEqual(evaluate(loaded, data), evaluate(runs[0].p, data));
  });
}
