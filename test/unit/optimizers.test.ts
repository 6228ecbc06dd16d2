// Momentum and Adam (lib/momentum.ts, lib/adam.ts): the update rules by hand, their relation to SGD,
// any registered cell kind, and clear errors for mismatched state or bad options.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { initRnnParams, cloneParams, zerosLike, paramArrays } from "../../lib/params";
import { initLstmParams } from "../../lib/lstm";
import { initGruParams } from "../../lib/gru";
import { sgdStep } from "../../lib/optim";
import { makeMomentumState, momentumStep } from "../../lib/momentum";
import { makeAdamState, adamStep } from "../../lib/adam";
import { makeRng, normalArray } from "../../lib/random";
import type { BaseParams } from "../../lib/params";
import { assertThrowsMsg, paramBytes } from "./helpers";

function randomGrads<P extends BaseParams>(p: P, seed: string, scale = 1): P {
  const g = zerosLike(p);
  const rng = makeRng(seed);
  for (const [, v] of paramArrays(g)) v.set(normalArray(rng, v.length, scale));
  return g;
}

test("momentum with beta = 0 is exactly SGD; with beta = 0.9 it follows v ← βv + g, w ← w − lr·v", () => {
  const p = initRnnParams({ I: 2, H: 3, seed: "mom" });
  const a = cloneParams(p), b = cloneParams(p);
  const st0 = makeMomentumState(a);
  for (let t = 0; t < 3; t++) {
    const g = randomGrads(p, `g${t}`);
    momentumStep(a, g, st0, { lr: 0.1, beta: 0 });
    sgdStep(b, g, 0.1);
  }
  assert.ok(paramBytes(a).equals(paramBytes(b)), "beta = 0 gives SGD bit for bit");

  const c = cloneParams(p);
  const st = makeMomentumState(c);
  const w = p.Whh.slice(), v = new Float64Array(w.length);
  for (let t = 0; t < 4; t++) {
    const g = randomGrads(p, `h${t}`);
    momentumStep(c, g, st, { lr: 0.05, beta: 0.9 });
    for (let k = 0; k < w.length; k++) { v[k] = 0.9 * v[k] + g.Whh[k]; w[k] -= 0.05 * v[k]; }
  }
  for (let k = 0; k < w.length; k++) assert.equal(c.Whh[k], w[k]);
  // a constant gradient: the velocity tends to g / (1 − β)
  const d = cloneParams(p), std = makeMomentumState(d), g1 = zerosLike(p);
  g1.by[0] = 1;
  for (let t = 0; t < 300; t++) momentumStep(d, g1, std, { lr: 1e-3, beta: 0.9 });
  const vBy = (std.velocity.find(([n]) => n === "by") as [string, Float64Array])[1][0];
  assert.ok(Math.abs(vBy - 10) < 1e-9, `steady velocity ${vBy}`);
});

test("Adam: bias-corrected first step is −lr·sign(g) whatever |g|; matches the formula by hand over several steps", () => {
  const p = initRnnParams({ I: 1, H: 2, seed: "adam" });
  const q = cloneParams(p);
  const g = zerosLike(p);
  g.Wxh[0] = 1e-6; g.Wxh[1] = -300; g.Why[0] = 0; // tiny, huge and zero gradients
  adamStep(q, g, makeAdamState(q), { lr: 0.01 });
  assert.ok(Math.abs(q.Wxh[0] - p.Wxh[0] + 0.01) < 1e-4, "tiny gradient still moves ≈ lr");
  assert.ok(Math.abs(q.Wxh[1] - p.Wxh[1] - 0.01) < 1e-12, "huge gradient moves lr");
  assert.equal(q.Why[0], p.Why[0], "zero gradient: no move");

  const r = cloneParams(p), st = makeAdamState(r);
  const w = p.Whh.slice(), m = new Float64Array(w.length), v = new Float64Array(w.length);
  for (let t = 1; t <= 6; t++) {
    const gt = randomGrads(p, `a${t}`, t === 4 ? 100 : 0.1);
    adamStep(r, gt, st, { lr: 0.003, beta1: 0.8, beta2: 0.99, eps: 1e-6 });
    for (let k = 0; k < w.length; k++) {
      m[k] = 0.8 * m[k] + (1 - 0.8) * gt.Whh[k];
      v[k] = 0.99 * v[k] + (1 - 0.99) * gt.Whh[k] * gt.Whh[k];
      w[k] -= (0.003 * (m[k] / (1 - Math.pow(0.8, t)))) / (Math.sqrt(v[k] / (1 - Math.pow(0.99, t))) + 1e-6);
    }
    assert.equal(st.t, t);
  }
  for (let k = 0; k < w.length; k++) assert.equal(r.Whh[k], w[k]);
});

test("Adam minimises a badly scaled quadratic that SGD with one learning rate cannot", () => {
  // loss = ½ Σ s_k w_k², with scales s_k from 1e-3 to 1e3 on the RNN's Wxh entries
  const p = initRnnParams({ I: 4, H: 1, seed: "quad" });
  const scales = [1e-3, 1e-1, 1e1, 1e3];
  const gradOf = (q: typeof p) => { const g = zerosLike(q); for (let k = 0; k < 4; k++) g.Wxh[k] = scales[k] * q.Wxh[k]; return g; };
  const a = cloneParams(p), s = cloneParams(p), st = makeAdamState(a);
  for (let t = 0; t < 3000; t++) { adamStep(a, gradOf(a), st, { lr: 0.01 }); sgdStep(s, gradOf(s), 1.5e-3); } // SGD: the largest stable rate is 2e-3
  const worstAdam = Math.max(...Array.from(a.Wxh, Math.abs)), worstSgd = Math.max(...Array.from(s.Wxh, Math.abs));
  assert.ok(worstAdam < 0.05, `Adam: max |w| ${worstAdam}`);
  assert.ok(worstSgd > 0.5 * Math.abs(p.Wxh[0]), `SGD leaves the flat direction almost unchanged: ${worstSgd}`);
});

test("momentum and Adam work for every cell kind (rnn, lstm, gru) and keep one state array per parameter array", () => {
  for (const p of [initRnnParams({ I: 2, H: 3, seed: 1 }), initLstmParams({ I: 2, H: 3, seed: 1 }), initGruParams({ I: 2, H: 3, seed: 1 })]) {
    const ms = makeMomentumState(p), as = makeAdamState(p);
    assert.deepEqual(ms.velocity.map(([n]) => n), paramArrays(p).map(([n]) => n));
    assert.deepEqual(as.m.map(([n]) => n), paramArrays(p).map(([n]) => n));
    const before = paramBytes(p);
    momentumStep(p, randomGrads(p, "x"), ms, { lr: 0.01 });
    adamStep(p, randomGrads(p, "y"), as, { lr: 0.01 });
    assert.ok(!paramBytes(p).equals(before), `${p.kind}: parameters moved`);
  }
});

test("optimisers: mismatched state and bad options get clear errors", () => {
  const p = initRnnParams({ I: 2, H: 3, seed: 1 });
  const other = initLstmParams({ I: 2, H: 3, seed: 1 });
  const g = zerosLike(p);
  assertThrowsMsg(() => momentumStep(p, g, makeMomentumState(other), { lr: 0.1 }), "momentumStep", "state.velocity");
  assertThrowsMsg(() => adamStep(p, g, makeAdamState(initRnnParams({ I: 2, H: 4, seed: 1 })), { lr: 0.1 }), "adamStep", "state.m");
  assertThrowsMsg(() => adamStep(p, zerosLike(other), makeAdamState(p), { lr: 0.1 }), "adamStep", "grads");
  assertThrowsMsg(() => momentumStep(p, g, makeMomentumState(p), { lr: 0 }), "momentumStep", "opts.lr");
  assertThrowsMsg(() => momentumStep(p, g, makeMomentumState(p), { lr: 0.1, beta: 1 }), "momentumStep", "opts.beta");
  assertThrowsMsg(() => adamStep(p, g, makeAdamState(p), { lr: 0.1, beta2: -0.1 }), "adamStep", "opts.beta2");
  assertThrowsMsg(() => adamStep(p, g, makeAdamState(p), { lr: NaN }), "adamStep", "opts.lr");
  assertThrowsMsg(() => makeAdamState({ kind: "cnn", I: 1, H: 1, O: 1 }), "makeAdamState", "cnn");
});
