// Saving and loading models: a loaded model predicts bit-identically; malformed files are named.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { makeSignOfSumData } from "../../lib/data";
import { initRnnParams, rnnParamsFrom } from "../../lib/params";
import type { RnnParams } from "../../lib/params";
import { train } from "../../lib/train";
import { evaluate, predictLogit, predictProba } from "../../lib/evaluate";
import { modelToJSON, modelFromJSON } from "../../lib/serialize";
import { saveModel, loadModel } from "../../lib/model-io";
import { paramBytes, assertThrowsMsg } from "./helpers";

test("a saved and loaded model has bit-identical weights and predictions", () => {
  const data = makeSignOfSumData({ n: 100, T: 5, I: 2, seed: "ser" });
  const p = initRnnParams({ I: 2, H: 6, seed: "ser-p" });
  train(p, data, { lr: 0.05, epochs: 2 });
  p.bh[0] = -0; // the one value plain JSON.stringify would change
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rnn-model-"));
  try {
    const file = path.join(dir, "model.json");
    saveModel(file, p);
    assert.deepEqual(fs.readdirSync(dir), ["model.json"], "no temp file left behind");
    const q = loadModel(file) as RnnParams;
    assert.ok(paramBytes(q).equals(paramBytes(p)));
    assert.ok(Object.is(q.bh[0], -0));
    assert.deepEqual(evaluate(q, data), evaluate(p, data));
    for (let k = 0; k < data.n; k++) {
      const x = data.xs.subarray(k * 10, (k + 1) * 10);
      assert.ok(Object.is(predictLogit(q, x, 5), predictLogit(p, x, 5)));
    }
    assert.equal(modelToJSON(q), fs.readFileSync(file, "utf8"), "saving again gives the same bytes");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("modelFromJSON and loadModel name the source and the field on a malformed model", () => {
  const p = rnnParamsFrom({ Wxh: [[0.5]], Whh: [[0.1]], Why: [[2]], bh: [0], by: [0] });
  const good = JSON.parse(modelToJSON(p));
  const bad = (f: (o: any) => void): string => {
    const o = JSON.parse(JSON.stringify(good));
    f(o);
    return JSON.stringify(o);
  };
  assertThrowsMsg(() => modelFromJSON("{", "m.json"), "m.json: not valid JSON");
  assertThrowsMsg(() => modelFromJSON(bad((o) => (o.format = "x")), "m.json"), 'm.json: field "format" is "x", expected "rnn-from-scratch/model"');
  assertThrowsMsg(() => modelFromJSON(bad((o) => (o.kind = "transformer")), "m.json"), 'm.json: field "kind": cell kind is "transformer", expected one of "rnn"');
  assertThrowsMsg(() => modelFromJSON(bad((o) => (o.H = 0)), "m.json"), 'm.json: field "H" is 0, expected an integer >= 1');
  assertThrowsMsg(() => modelFromJSON(bad((o) => (o.params.Whh = [1, 2])), "m.json"), 'm.json: field "params.Whh" has length 2, expected 1·1 = 1 (I=1, H=1, O=1)');
  assertThrowsMsg(() => modelFromJSON(bad((o) => (o.params.by = [null])), "m.json"), 'm.json: field "params.by"[0] is null, expected a finite number');
  assertThrowsMsg(() => modelFromJSON(bad((o) => delete o.params.Why), "m.json"), 'm.json: field "params.Why" is undefined, expected an array of 1 numbers');
  assertThrowsMsg(() => modelFromJSON(bad((o) => (o.params.Wq = [1])), "m.json"), 'm.json: field "params.Wq" is not a parameter of a rnn cell');
  assertThrowsMsg(() => modelFromJSON(bad((o) => (o.version = 2)), "m.json"), 'm.json: field "version" is 2, expected 1');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rnn-model-"));
  try {
    const file = path.join(dir, "broken.json");
    fs.writeFileSync(file, bad((o) => (o.params.bh = "zero")));
    assertThrowsMsg(() => loadModel(file), `loadModel(${file}): field "params.bh" is "zero", expected an array of 1 numbers`);
    assertThrowsMsg(() => loadModel(path.join(dir, "none.json")), `loadModel(${path.join(dir, "none.json")}): cannot read the file`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(predictProba(modelFromJSON(JSON.stringify(good)), Float64Array.of(1), 1), predictProba(p, Float64Array.of(1), 1));
  const nan = initRnnParams({ I: 1, H: 1, seed: 1 });
  nan.Why[0] = NaN;
  assertThrowsMsg(() => modelToJSON(nan), "modelToJSON: p.Why[0] is NaN, expected a finite number");
});
