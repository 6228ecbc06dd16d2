// Random numbers, the loss, parameters, the forward pass and the optimiser:
// values, and the errors that bad arguments get.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { makeRng, normalArray, shuffledIndices } from "../../lib/random";
import { sigmoid, bceWithLogits, dBceDLogit } from "../../lib/loss";
import { initRnnParams, rnnParamsFrom, zerosLike, cloneParams, paramArrays, countParams } from "../../lib/params";
import { rnnForward, rnnStep } from "../../lib/forward";
import { rnnLossAndGrads, rnnBackward } from "../../lib/bptt";
import { sgdStep, gradNorm, clipGradNorm } from "../../lib/optim";
import { predictProba, evaluate } from "../../lib/evaluate";
import { makeSignOfSumData } from "../../lib/data";
import { assertThrowsMsg, paramBytes } from "./helpers";

const LIB = path.join(__dirname, "..", "..", "lib");

test("makeRng: the same seed gives the same stream; normal samples have mean 0 and variance 1", () => {
  const a = makeRng("s");
  const b = makeRng("s");
  for (let k = 0; k < 100; k++) assert.equal(a.uniform(), b.uniform());
  assert.notEqual(makeRng(1).uniform(), makeRng(2).uniform());
  const xs = normalArray(makeRng(7), 200000);
  const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
  const variance = xs.reduce((s, v) => s + (v - mean) ** 2, 0) / xs.length;
  assert.ok(Math.abs(mean) < 0.01, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 0.02, `variance ${variance}`);
  const u = makeRng(3);
  for (let k = 0; k < 10000; k++) {
    const v = u.uniform();
    assert.ok(v >= 0 && v < 1);
  }
  const order = shuffledIndices(50, makeRng(4));
  assert.deepEqual(Array.from(order).sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i));
  assert.notDeepEqual(Array.from(order), Array.from({ length: 50 }, (_, i) => i));
  assertThrowsMsg(() => makeRng(NaN), "makeRng: seed is NaN, expected a string or a finite number");
  assertThrowsMsg(() => normalArray(makeRng(1), -1), "normalArray: n is -1, expected an integer >= 0");
});

test("nothing in lib/ uses Math.random (every draw goes through a seeded generator)", () => {
  for (const file of fs.readdirSync(LIB).filter((f) => f.endsWith(".ts"))) {
    const src = fs.readFileSync(path.join(LIB, file), "utf8");
    assert.ok(!/Math\.random/.test(src.replace(/\/\/.*$/gm, "")), `${file} uses Math.random`);
  }
});

test("nothing in lib/ calls a Math function whose last bit depends on the engine (lib/math.ts has its own)", () => {
  // The standard leaves these "implementation-approximated": Node 20 and Chromium differ on some
  // inputs, and one differing bit changes trained weights (the site's live experiments must match Node).
  const approximated = /\bMath\.(exp|expm1|log|log1p|log2|log10|pow|tanh|sinh|cosh|sin|cos|tan|asin|acos|atan|atan2|hypot|cbrt)\s*\(/;
  for (const file of fs.readdirSync(LIB).filter((f) => f.endsWith(".ts") && f !== "math.ts")) {
    const src = fs.readFileSync(path.join(LIB, file), "utf8").replace(/\/\/.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "");
    const m = approximated.exec(src);
    assert.equal(m, null, `${file} calls Math.${m?.[1]}; use lib/math.ts's ${m?.[1]}`);
  }
});

test("sigmoid and BCE are finite and accurate for logits from -1000 to 1000", () => {
  for (const z of [-1000, -745, -40, -1, 0, 1, 40, 745, 1000]) {
    for (const y of [0, 1]) {
      const loss = bceWithLogits(z, y);
      assert.ok(Number.isFinite(loss) && loss >= 0, `bce(${z}, ${y}) = ${loss}`);
      assert.ok(Number.isFinite(dBceDLogit(z, y)));
    }
    assert.ok(sigmoid(z) >= 0 && sigmoid(z) <= 1);
  }
  assert.equal(bceWithLogits(1000, 0), 1000);
  assert.equal(bceWithLogits(-1000, 1), 1000);
  assert.equal(bceWithLogits(1000, 1), 0);
  assert.equal(sigmoid(0), 0.5);
  for (const z of [-5, -0.3, 0.2, 3]) {
    const p = 1 / (1 + Math.exp(-z));
    for (const y of [0, 1]) {
      const naive = -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
      assert.ok(Math.abs(bceWithLogits(z, y) - naive) < 1e-14, `bce(${z}, ${y})`);
      const h = 1e-6;
      const numeric = (bceWithLogits(z + h, y) - bceWithLogits(z - h, y)) / (2 * h);
      assert.ok(Math.abs(dBceDLogit(z, y) - numeric) < 1e-8);
    }
    assert.ok(Math.abs(sigmoid(z) - p) < 1e-16);
  }
});

test("initRnnParams: shapes, scale sqrt(1/fan_in), zero biases, deterministic", () => {
  const p = initRnnParams({ I: 3, H: 200, seed: "init" });
  assert.deepEqual(paramArrays(p).map(([n, v]) => [n, v.length]), [["Wxh", 600], ["Whh", 40000], ["Why", 200], ["bh", 200], ["by", 1]]);
  assert.equal(countParams(p), 41001);
  const std = (v: Float64Array): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length);
  assert.ok(Math.abs(std(p.Whh) - Math.sqrt(1 / 200)) < 0.002, `Whh std ${std(p.Whh)}`);
  assert.ok(Math.abs(std(p.Wxh) - Math.sqrt(1 / 3)) < 0.04, `Wxh std ${std(p.Wxh)}`);
  assert.ok(p.bh.every((v) => v === 0) && p.by.every((v) => v === 0));
  assert.ok(paramBytes(initRnnParams({ I: 3, H: 200, seed: "init" })).equals(paramBytes(p)));
  assertThrowsMsg(() => initRnnParams({ I: 1, H: 0, seed: 1 }), "initRnnParams: H is 0, expected an integer >= 1");
  assertThrowsMsg(() => initRnnParams({ I: -2, H: 3, seed: 1 }), "initRnnParams: I is -2, expected an integer >= 1");
  const z = zerosLike(p);
  assert.ok(paramArrays(z).every(([, v]) => v.every((x) => x === 0)));
  const c = cloneParams(p);
  c.Whh[0] += 1;
  assert.notEqual(c.Whh[0], p.Whh[0]);
});

test("rnnParamsFrom: nested or flat arrays, validated and copied", () => {
  const nested = rnnParamsFrom({ Wxh: [[1], [2]], Whh: [[0.1, 0.2], [0.3, 0.4]], Why: [[5, 6]], bh: [0, 1], by: [0.5] });
  assert.deepEqual([nested.I, nested.H, nested.O], [1, 2, 1]);
  assert.deepEqual(Array.from(nested.Whh), [0.1, 0.2, 0.3, 0.4]);
  const flat = rnnParamsFrom({ Wxh: [1, 2], Whh: Float64Array.from([0.1, 0.2, 0.3, 0.4]), Why: [5, 6], bh: [0, 1], by: [0.5] });
  assert.ok(paramBytes(flat).equals(paramBytes(nested)));
  assertThrowsMsg(() => rnnParamsFrom({ Wxh: [[1], [2]], Whh: [[0.1, 0.2]], Why: [[5, 6]], bh: [0, 1], by: [0] }), "rnnParamsFrom: Whh has 1 rows, expected 2 (shape 2×2)");
  assertThrowsMsg(() => rnnParamsFrom({ Wxh: [[1], [2]], Whh: [[0.1, 0.2], [0.3]], Why: [[5, 6]], bh: [0, 1], by: [0] }), "rnnParamsFrom: Whh[1] has length 1, expected 2 (shape 2×2)");
  assertThrowsMsg(() => rnnParamsFrom({ Wxh: [[1], [2]], Whh: [[0.1, NaN], [0.3, 0.4]], Why: [[5, 6]], bh: [0, 1], by: [0] }), "rnnParamsFrom: Whh[0][1] is NaN, expected a finite number");
  assertThrowsMsg(() => rnnParamsFrom({ Wxh: [1, 2], Whh: [1, 2, 3], Why: [5, 6], bh: [0, 1], by: [0] }), "rnnParamsFrom: Whh has length 3, expected 2×2 (4 values)");
  assertThrowsMsg(() => rnnParamsFrom({ Wxh: [1, 2], Whh: [1, 2, 3, 4], Why: [5, 6], bh: [0, 1], by: [Infinity] }), "rnnParamsFrom: by[0] is Infinity, expected a finite number");
});

test("rnnForward computes the recurrence and names bad shapes and values", () => {
  // hand-computed: H = 1, I = 1, Wxh = 0.5, Whh = -1, bh = 0.1, Why = 2, by = -0.3
  const p = rnnParamsFrom({ Wxh: [[0.5]], Whh: [[-1]], Why: [[2]], bh: [0.1], by: [-0.3] });
  const x = Float64Array.from([1, -2]);
  const h1 = Math.tanh(0.5 * 1 + 0.1);
  const h2 = Math.tanh(0.5 * -2 + -1 * h1 + 0.1);
  const cache = rnnForward(p, x, 2);
  assert.deepEqual(Array.from(cache.hs), [0, h1, h2]);
  assert.ok(Math.abs(cache.logits[0] - (2 * h2 - 0.3)) < 1e-15);
  assert.equal(predictProba(p, x, 2), sigmoid(cache.logits[0]));
  const q = initRnnParams({ I: 1, H: 4, seed: 1 });
  assertThrowsMsg(() => rnnForward(q, new Float64Array(9), 10), "rnnForward: x has length 9, expected T·I = 10 (T=10, I=1)");
  assertThrowsMsg(() => rnnForward(q, new Float64Array(0), 0), "rnnForward: T is 0, expected an integer >= 1");
  assertThrowsMsg(() => rnnForward(q, Float64Array.from([1, NaN]), 2), "rnnForward: x[1] is NaN, expected a finite number");
  assertThrowsMsg(() => rnnForward(q, [1, 2] as unknown as Float64Array, 2), "rnnForward: x is an array of length 2, expected a Float64Array of length T·I = 2 (T=2, I=1)");
  assertThrowsMsg(() => rnnForward({ ...q, Whh: new Float64Array(15) }, new Float64Array(2), 2), "rnnForward: p.Whh has length 15, expected a Float64Array of 4·4 = 16 values (shape 4×4, I=1, H=4, O=1)");
  const huge = { ...q, Why: new Float64Array(4).fill(1e308), bh: new Float64Array(4).fill(50) }; // every h = 1, logit = 4e308
  assertThrowsMsg(() => rnnForward(huge, Float64Array.from([0, 0]), 2), "rnnForward: logits[0] is Infinity; the parameters hold a non-finite or overflowing value");
  assertThrowsMsg(() => rnnStep(q, new Float64Array(1), new Float64Array(3), new Float64Array(4)), "rnnStep: hPrev has length 3, expected H = 4");
  assertThrowsMsg(() => rnnLossAndGrads(q, new Float64Array(2), 2, 0.5), "rnnLossAndGrads: y is 0.5, expected 0 or 1");
  const cache2 = rnnForward(q, new Float64Array(2), 2);
  assertThrowsMsg(() => rnnBackward(q, new Float64Array(2), cache2, new Float64Array(2)), "rnnBackward: dLogits has length 2, expected O = 1");
  const data = makeSignOfSumData({ n: 3, T: 2, I: 2, seed: 1 });
  assertThrowsMsg(() => evaluate(q, data), "evaluate: data.I is 2, expected p.I = 1 (input size of the model)");
});

test("sgdStep, gradNorm, clipGradNorm", () => {
  const p = rnnParamsFrom({ Wxh: [[1]], Whh: [[1]], Why: [[1]], bh: [1], by: [1] });
  const g = rnnParamsFrom({ Wxh: [[3]], Whh: [[0]], Why: [[0]], bh: [[4]] as unknown as number[], by: [0] });
  assert.equal(gradNorm(g), 5);
  sgdStep(p, g, 0.1);
  assert.deepEqual([p.Wxh[0], p.bh[0], p.Whh[0]], [1 - 0.1 * 3, 1 - 0.1 * 4, 1]);
  assert.equal(clipGradNorm(g, 1), 5, "returns the norm before clipping");
  assert.ok(Math.abs(gradNorm(g) - 1) < 1e-15);
  assert.ok(Math.abs(g.Wxh[0] - 0.6) < 1e-15 && Math.abs(g.bh[0] - 0.8) < 1e-15);
  assert.equal(clipGradNorm(g, 10), gradNorm(g), "no change below maxNorm");
  assertThrowsMsg(() => sgdStep(p, g, 0), "sgdStep: lr is 0, expected a finite number > 0");
  assertThrowsMsg(() => sgdStep(p, g, -1), "sgdStep: lr is -1, expected a finite number > 0");
  assertThrowsMsg(() => clipGradNorm(g, 0), "clipGradNorm: maxNorm is 0, expected a finite number > 0");
  const big = initRnnParams({ I: 1, H: 2, seed: 1 });
  assertThrowsMsg(() => sgdStep(p, big, 0.1), "sgdStep: grads is rnn with I=1, H=2, O=1, expected the same as p (rnn with I=1, H=1, O=1)");
});

test("the loss scalars are unchecked by a documented contract (NaN in, NaN out) and every library caller checks before them", () => {
  // the contract, as documented in lib/loss.ts: unchecked hot path, lesson 03's code verbatim
  const doc = fs.readFileSync(path.join(LIB, "loss.ts"), "utf8");
  assert.match(doc, /UNCHECKED scalar hot paths/);
  assert.ok(Number.isNaN(sigmoid(NaN)) && Number.isNaN(bceWithLogits(NaN, 1)) && Number.isNaN(dBceDLogit(NaN, 0)), "NaN in gives NaN out, as documented");
  // ... and the checked callers refuse what the scalars would pass through
  const p = initRnnParams({ I: 1, H: 2, seed: 1 });
  assertThrowsMsg(() => rnnLossAndGrads(p, new Float64Array(2), 2, 2), /^rnnLossAndGrads: y is 2, expected 0 or 1/);
  const data = makeSignOfSumData({ n: 2, T: 2, I: 1, seed: 1 });
  assertThrowsMsg(() => evaluate(p, { ...data, ys: new Float64Array([0.5, 1]) }), /^evaluate: data: field "ys"\[0\] is 0\.5, expected 0 or 1/);
  assertThrowsMsg(() => predictProba({ ...p, by: new Float64Array([NaN]) } as typeof p, new Float64Array(2), 2), /^predictProba: p\.by\[0\] is NaN, expected a finite number/);
});
