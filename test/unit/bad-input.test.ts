// The bad-input corpus (issue 14): a table of wrong calls to the library's public functions. Each
// must throw a plain Error whose message names the function; none may return (silently, e.g. a NaN),
// and none may surface a raw TypeError/RangeError. The test prints the tally for the closing note.
// (Inputs that could hang a process — FIFOs, /dev/zero, folders under /proc — are in files.test.ts,
// each in a child process with a timeout.)
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { makeSignOfSumData, sequence, validateDataset, splitDataset } from "../../lib/data";
import type { Dataset } from "../../lib/data";
import { makeFirstSignData } from "../../lib/long-data";
import { initRnnParams, rnnParamsFrom, zerosLike } from "../../lib/params";
import type { RnnParams } from "../../lib/params";
import { initLstmParams } from "../../lib/lstm";
import { initGruParams } from "../../lib/gru";
import { rnnStep, rnnOutput, rnnForward } from "../../lib/forward";
import { rnnBackward, rnnLossAndGrads } from "../../lib/bptt";
import { sgdStep, gradNorm, clipGradNorm } from "../../lib/optim";
import { makeMomentumState, momentumStep } from "../../lib/momentum";
import { makeAdamState, adamStep } from "../../lib/adam";
import { gradCheck, numericalGrads } from "../../lib/gradcheck";
import { train } from "../../lib/train";
import { evaluate, predictProba } from "../../lib/evaluate";
import { modelToJSON, modelFromJSON } from "../../lib/serialize";
import { saveDataset, loadDataset } from "../../lib/io";
import { saveModel, loadModel } from "../../lib/model-io";
import { cellOps } from "../../lib/cells";

const p = (): RnnParams => initRnnParams({ I: 1, H: 3, seed: 1 });
const ds = (): Dataset => makeSignOfSumData({ n: 4, T: 3, I: 1, seed: 1 });
const withNaN = (a: Float64Array, k = 0): Float64Array => {
  const b = a.slice();
  b[k] = NaN;
  return b;
};
const nanGrads = (): RnnParams => {
  const g = zerosLike(p());
  g.Whh[1] = NaN;
  return g;
};
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rnn-bad-input-"));
const any = (v: unknown): never => v as never;

/** [function name the message must start with, what is wrong, the call]. */
const CASES: Array<[string, string, () => unknown]> = [
  // item 11: NaN and sizes in the low-level functions
  ["rnnStep", "NaN in xt", () => rnnStep(p(), new Float64Array([NaN]), new Float64Array(3), new Float64Array(3))],
  ["rnnStep", "NaN in hPrev", () => rnnStep(p(), new Float64Array(1), withNaN(new Float64Array(3)), new Float64Array(3))],
  ["rnnStep", "NaN in Whh", () => rnnStep({ ...p(), Whh: withNaN(p().Whh, 4) }, new Float64Array(1), new Float64Array([1, 1, 1]), new Float64Array(3))],
  ["rnnStep", "xt of the wrong size", () => rnnStep(p(), new Float64Array(2), new Float64Array(3), new Float64Array(3))],
  ["rnnStep", "hOut of the wrong size", () => rnnStep(p(), new Float64Array(1), new Float64Array(3), new Float64Array(2))],
  ["rnnStep", "p missing Whh", () => rnnStep(any({ ...p(), Whh: undefined }), new Float64Array(1), new Float64Array(3), new Float64Array(3))],
  ["rnnOutput", "NaN in hLast", () => rnnOutput(p(), withNaN(new Float64Array(3)), new Float64Array(1))],
  ["rnnOutput", "hLast of the wrong size", () => rnnOutput(p(), new Float64Array(2), new Float64Array(1))],
  ["rnnOutput", "logits of the wrong size", () => rnnOutput(p(), new Float64Array(3), new Float64Array(0))],
  ["rnnBackward", "NaN in dLogits", () => rnnBackward(p(), ds().xs.slice(0, 3), rnnForward(p(), ds().xs.slice(0, 3), 3), new Float64Array([NaN]))],
  ["rnnBackward", "NaN in the cache", () => { const c = rnnForward(p(), ds().xs.slice(0, 3), 3); c.hs[4] = NaN; return rnnBackward(p(), ds().xs.slice(0, 3), c, new Float64Array([0.5])); }],
  ["rnnBackward", "NaN in x", () => rnnBackward(p(), new Float64Array([0, NaN, 0]), rnnForward(p(), ds().xs.slice(0, 3), 3), new Float64Array([0.5]))],
  ["rnnBackward", "dLogits of the wrong size", () => rnnBackward(p(), ds().xs.slice(0, 3), rnnForward(p(), ds().xs.slice(0, 3), 3), new Float64Array(2))],
  ["rnnBackward", "cache null", () => rnnBackward(p(), ds().xs.slice(0, 3), any(null), new Float64Array(1))],
  ["rnnForward", "NaN in x", () => rnnForward(p(), new Float64Array([1, NaN, 1]), 3)],
  ["rnnForward", "x too short", () => rnnForward(p(), new Float64Array(2), 3)],
  ["rnnLossAndGrads", "label 0.5", () => rnnLossAndGrads(p(), new Float64Array(3), 3, 0.5)],
  ["rnnLossAndGrads", "label NaN", () => rnnLossAndGrads(p(), new Float64Array(3), 3, NaN)],
  ["sgdStep", "NaN gradient", () => sgdStep(p(), nanGrads(), 0.1)],
  ["sgdStep", "p missing an array", () => { const q = p() as unknown as Record<string, unknown>; delete q.Why; return sgdStep(any(q), zerosLike(p()), 0.1); }],
  ["sgdStep", "grads missing an array", () => { const g = zerosLike(p()) as unknown as Record<string, unknown>; delete g.bh; return sgdStep(p(), any(g), 0.1); }],
  ["sgdStep", "lr NaN", () => sgdStep(p(), zerosLike(p()), NaN)],
  ["momentumStep", "NaN gradient", () => { const q = p(); return momentumStep(q, nanGrads(), makeMomentumState(q), { lr: 0.1 }); }],
  ["adamStep", "NaN gradient", () => { const q = p(); return adamStep(q, nanGrads(), makeAdamState(q), { lr: 0.1 }); }],
  ["gradNorm", "NaN gradient", () => gradNorm(nanGrads())],
  ["gradNorm", "an overflowing norm", () => { const g = zerosLike(p()); g.Wxh.fill(1e300); return gradNorm(g); }],
  ["gradNorm", "grads null", () => gradNorm(any(null))],
  ["clipGradNorm", "NaN gradient", () => clipGradNorm(nanGrads(), 1)],
  ["sequence", "xs shorter than n·T·I", () => sequence({ ...ds(), xs: new Float64Array(5) }, 3)],
  ["sequence", "k out of range", () => sequence(ds(), 4)],
  ["sequence", "k NaN", () => sequence(ds(), NaN)],
  ["numericalGrads", "lossOf returns a string", () => gradCheck(p(), any(() => "0.5"), zerosLike(p()))],
  ["numericalGrads", "lossOf returns undefined", () => numericalGrads(p(), any(() => undefined))],
  ["numericalGrads", "lossOf returns NaN", () => numericalGrads(p(), () => NaN)],
  // item 12: sizes against the maximum, TypeErrors turned into named errors
  ["makeSignOfSumData", "n = 2^31", () => makeSignOfSumData({ n: 2 ** 31, T: 1, I: 1, seed: 1 })],
  ["makeSignOfSumData", "n·T·I over the maximum", () => makeSignOfSumData({ n: 100000, T: 100, I: 100, seed: 1 })],
  ["makeFirstSignData", "n = 2^31", () => makeFirstSignData({ n: 2 ** 31, T: 2, seed: 1 })],
  ["initRnnParams", "H = 1e5", () => initRnnParams({ I: 1, H: 1e5, seed: 1 })],
  ["initLstmParams", "H = 1e5", () => initLstmParams({ I: 1, H: 1e5, seed: 1 })],
  ["initGruParams", "H = 1e5", () => initGruParams({ I: 1, H: 1e5, seed: 1 })],
  ["rnnParamsFrom", "I = 2^31 given", () => rnnParamsFrom({ Wxh: [], Whh: [], Why: [], bh: [0], by: [0], I: 2 ** 31 })],
  ["makeSignOfSumData", "undefined options", () => makeSignOfSumData(any(undefined))],
  ["makeSignOfSumData", "null options", () => makeSignOfSumData(any(null))],
  ["initRnnParams", "undefined options", () => initRnnParams(any(undefined))],
  ["initLstmParams", "null options", () => initLstmParams(any(null))],
  ["initGruParams", "undefined options", () => initGruParams(any(undefined))],
  ["rnnParamsFrom", "null arrays", () => rnnParamsFrom(any(null))],
  ["sequence", "null data set", () => sequence(any(null), 0)],
  ["sequence", "undefined data set", () => sequence(any(undefined), 0)],
  ["adamStep", "undefined options", () => { const q = p(); return adamStep(q, zerosLike(q), makeAdamState(q), any(undefined)); }],
  ["adamStep", "undefined state", () => { const q = p(); return adamStep(q, zerosLike(q), any(undefined), { lr: 0.1 }); }],
  ["momentumStep", "undefined options", () => { const q = p(); return momentumStep(q, zerosLike(q), makeMomentumState(q), any(undefined)); }],
  ["momentumStep", "state for another model", () => momentumStep(p(), zerosLike(p()), makeMomentumState(initRnnParams({ I: 1, H: 4, seed: 1 })), { lr: 0.1 })],
  ["numericalGrads", "lossOf not a function", () => numericalGrads(p(), any(42))],
  ["gradCheck", "lossOf not a function", () => gradCheck(p(), any("loss"), zerosLike(p()))],
  ["saveModel", "path undefined", () => saveModel(any(undefined), p())],
  ["saveModel", "path a number", () => saveModel(any(7), p())],
  ["saveDataset", "path undefined", () => saveDataset(any(undefined), ds())],
  ["saveModel", "the target is a folder", () => saveModel(dir, p())],
  ["saveModel", "a parent is a file", () => { fs.writeFileSync(path.join(dir, "f"), "x"); return saveModel(path.join(dir, "f", "m.json"), p()); }],
  ["saveDataset", "the target is a folder", () => saveDataset(dir, ds())],
  ["loadModel", "a missing file", () => loadModel(path.join(dir, "none.json"))],
  ["loadDataset", "a missing file", () => loadDataset(path.join(dir, "none.json"))],
  ["loadDataset", "a folder", () => loadDataset(dir)],
  ["loadModel", "a folder", () => loadModel(dir)],
  ["loadDataset", "a /proc file that is not a data set", () => loadDataset("/proc/self/status")],
  ["loadDataset", "path null", () => loadDataset(any(null))],
  // item 13: unknown options, bad metadata
  ["train", "misspelled batchsize", () => train(p(), ds(), any({ lr: 0.1, epochs: 1, batchsize: 2 }))],
  ["train", "misspelled epoch", () => train(p(), ds(), any({ lr: 0.1, epoch: 1 }))],
  ["train", "unknown update rule", () => train(p(), ds(), any({ lr: 0.1, epochs: 1, update: { rule: "rmsprop" } }))],
  ["train", "unknown update option", () => train(p(), ds(), any({ lr: 0.1, epochs: 1, update: { rule: "adam", beta: 0.9 } }))],
  ["saveDataset", "seed NaN", () => saveDataset(path.join(dir, "d.json"), ds(), { seed: NaN })],
  ["saveDataset", "seed Infinity", () => saveDataset(path.join(dir, "d.json"), ds(), { seed: Infinity })],
  ["saveDataset", "name a number", () => saveDataset(path.join(dir, "d.json"), ds(), any({ name: 123 }))],
  ["saveDataset", "description null", () => saveDataset(path.join(dir, "d.json"), ds(), any({ description: null }))],
  ["saveDataset", "header a string", () => saveDataset(path.join(dir, "d.json"), ds(), any("header"))],
  ["saveDataset", "labels of 2", () => saveDataset(path.join(dir, "d.json"), { ...ds(), ys: new Float64Array([0, 1, 2, 0]) })],
  // the rest of the public surface, as the hostile run tried it
  ["train", "lr 0", () => train(p(), ds(), { lr: 0, epochs: 1 })],
  ["train", "epochs 1.5", () => train(p(), ds(), { lr: 0.1, epochs: 1.5 })],
  ["train", "options null", () => train(p(), ds(), any(null))],
  ["train", "data of another input size", () => train(p(), makeSignOfSumData({ n: 2, T: 2, I: 2, seed: 1 }), { lr: 0.1, epochs: 1 })],
  ["train", "NaN in the data", () => train(p(), { ...ds(), xs: withNaN(ds().xs) }, { lr: 0.1, epochs: 1 })],
  ["train", "params null", () => train(any(null), ds(), { lr: 0.1, epochs: 1 })],
  ["train", "shuffle without seed", () => train(p(), ds(), { lr: 0.1, epochs: 1, shuffle: true })],
  ["train", "a huge lr diverges", () => train(p(), ds(), { lr: 1e300, epochs: 3 })],
  ["evaluate", "data null", () => evaluate(p(), any(null))],
  ["evaluate", "NaN in the params", () => evaluate(any({ ...p(), Why: withNaN(p().Why) }), ds())],
  ["predictProba", "x of the wrong size", () => predictProba(p(), new Float64Array(2), 3)],
  ["modelFromJSON", "not JSON", () => modelFromJSON("{")],
  ["modelFromJSON", "an unknown kind", () => modelFromJSON(modelToJSON(p()).replace('"rnn"', '"cnn"'))],
  ["modelFromJSON", "a __proto__ parameter", () => modelFromJSON(modelToJSON(p()).replace('"by":', '"__proto__": [1], "by":'))],
  ["modelToJSON", "NaN in the params", () => modelToJSON(any({ ...p(), bh: withNaN(p().bh) }))],
  ["validateDataset", "labels of 0.5", () => validateDataset({ ...ds(), ys: new Float64Array([0.5, 0, 1, 0]) }, "validateDataset")],
  ["splitDataset", "nTrain = n", () => splitDataset(ds(), 4)],
  ["cellOps", "an unknown kind", () => cellOps("transformer")],
];

test(`the bad-input corpus: every case throws an Error naming its function (${CASES.length} cases)`, () => {
  let clear = 0;
  const silent: string[] = [];
  const unclear: string[] = [];
  try {
    for (const [fn, what, call] of CASES) {
      const label = `${fn} with ${what}`;
      let thrown: unknown;
      let returned: unknown;
      let threw = false;
      try {
        returned = call();
      } catch (e) {
        thrown = e;
        threw = true;
      }
      if (!threw) {
        silent.push(`${label}: returned ${String(returned)}`);
        continue;
      }
      const ok = thrown instanceof Error && thrown.constructor === Error && new RegExp(`^${fn}[:(]`).test(thrown.message);
      if (ok) clear++;
      else unclear.push(`${label}: ${thrown instanceof Error ? `${thrown.constructor.name}: ${thrown.message}` : String(thrown)}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`bad-input corpus: ${CASES.length} cases tried, ${clear} clear errors, ${silent.length} silent, ${unclear.length} unclear`);
  assert.deepEqual(silent, [], "no case may return without an error");
  assert.deepEqual(unclear, [], "every error must be a plain Error naming its function");
  assert.equal(clear, CASES.length);
});
