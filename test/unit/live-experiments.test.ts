// The live experiments of lessons 01–04 and 06–10 (scripts/site/interactive/experiments/, issue 12),
// run in Node. For each one: compute(defaults) equals an independent computation with the library
// functions the lesson uses (written here from the lesson, not copied from compute), and, where the
// lesson prints them, the lesson's own numbers; two runs are bit-identical; and bad parameters get a
// clear error naming the experiment and the parameter. The Chromium test (test/ui/live.test.ts)
// then checks that the page's numbers equal these, bit for bit.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { assertBitsEqual, assertThrowsMsg, paramBytes } from "./helpers";
import { makeRng, normalArray } from "../../lib/random";
import { makeSignOfSumData, sequence } from "../../lib/data";
import { loadDataset } from "../../lib/io";
import { initRnnParams, paramArrays, cloneParams } from "../../lib/params";
import type { BaseParams, RnnParams } from "../../lib/params";
import { rnnForward } from "../../lib/forward";
import { rnnBackward } from "../../lib/bptt";
import { sigmoid, bceWithLogits, dBceDLogit } from "../../lib/loss";
import { predictLogit, evaluate } from "../../lib/evaluate";
import { gradCheck } from "../../lib/gradcheck";
import { trainLoop } from "../../lib/loop";
import { train } from "../../lib/train";
import { initLstmParams } from "../../lib/lstm";
import { initGruParams } from "../../lib/gru";
import { makeFirstSignData, LONG_TASK } from "../../lib/long-data";
import { makeVocab, encodeText } from "../../lib/text";
import { initCharRnn, sampleText } from "../../lib/charlm";
import { trainCharLm } from "../../lib/charlm-train";
import * as Bug from "../../notebooks/course/06-buggy-bptt";
import type { Experiment } from "../../scripts/site/interactive/experiment";
import data01 from "../../scripts/site/interactive/experiments/01-data";
import forward02, { parseSequence } from "../../scripts/site/interactive/experiments/02-forward";
import loss03 from "../../scripts/site/interactive/experiments/03-loss";
import bptt04 from "../../scripts/site/interactive/experiments/04-bptt";
import bugs06, { choicesFor, BUGS } from "../../scripts/site/interactive/experiments/06-debugging-bptt";
import long07 from "../../scripts/site/interactive/experiments/07-long-sequences";
import cells08 from "../../scripts/site/interactive/experiments/08-lstm-gru";
import race09 from "../../scripts/site/interactive/experiments/09-optimizers";
import char10 from "../../scripts/site/interactive/experiments/10-char-lm";
import { TRAGEDIES_START, TRAGEDIES_CUT_BEFORE } from "../../scripts/site/interactive/experiments/_tragedies";

const ROOT = path.resolve(__dirname, "../..");
const EXPERIMENTS: Array<Experiment<unknown, unknown, unknown>> = [data01, forward02, loss03, bptt04, bugs06, long07, cells08, race09, char10] as never;

/** compute() with the messages it emits collected. */
function run<P, M, R>(e: Experiment<P, M, R>, params: P): { result: R; messages: M[] } {
  const messages: M[] = [];
  const result = e.compute(params, (m) => messages.push(m));
  return { result, messages };
}

/** Deep equality in which numbers (also inside Float64Arrays) must be the same bits (Object.is). */
function assertSameBits(a: unknown, b: unknown, where = "result"): void {
  if (typeof a === "number" || typeof b === "number") {
    assert.ok(Object.is(a, b), `${where}: ${String(a)} vs ${String(b)}`);
    return;
  }
  if (a instanceof Float64Array && b instanceof Float64Array) return assertBitsEqual(a, b, where);
  if (Array.isArray(a) && Array.isArray(b)) {
    assert.equal(a.length, b.length, `${where}: lengths differ`);
    a.forEach((v, k) => assertSameBits(v, b[k], `${where}[${k}]`));
    return;
  }
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
    assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort(), `${where}: keys differ`);
    for (const k of Object.keys(a)) assertSameBits((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${where}.${k}`);
    return;
  }
  assert.equal(a, b, where);
}

test("every experiment names its lesson's notebook and has the contract's fields", () => {
  for (const e of EXPERIMENTS) {
    assert.ok(readFileSync(path.join(ROOT, "notebooks", `${e.lesson}.ipynb`)).length > 0, `${e.lesson}: no such notebook`);
    assert.ok(readFileSync(path.join(ROOT, "scripts/site/interactive/experiments", `${e.lesson}.ts`)).length > 0, `${e.lesson}: the module is not named after the lesson`);
    assert.equal(typeof e.title, "string");
    assert.equal(typeof e.compute, "function");
    assert.equal(typeof e.mount, "function");
    // params are plain data: they survive a JSON round trip (the page sends them to the worker)
    assert.deepEqual(JSON.parse(JSON.stringify(e.defaults)), e.defaults, `${e.lesson}: defaults are not plain data`);
  }
});

test("every experiment refuses a params value that is not an object, naming itself", () => {
  for (const e of EXPERIMENTS) {
    for (const bad of [null, 3, "x", []]) assertThrowsMsg(() => e.compute(bad, () => undefined), `${e.lesson}: params is`, "expected an object");
  }
});

// ---------------------------------------------------------------------------------------------
test("01-data: the class balance, sums and running sums of makeSignOfSumData; the course's training file", () => {
  const { result: r } = run(data01, data01.defaults);
  const file = loadDataset(path.join(ROOT, "data/sign-of-sum/train.json"));
  let ones = 0;
  const sums: number[] = [];
  for (let k = 0; k < file.n; k++) {
    ones += file.ys[k];
    let s = 0;
    for (const v of sequence(file, k)) s += v;
    sums.push(s);
  }
  assert.equal(r.positives, ones);
  assert.equal(r.positives, 504); // lesson 01: "504 ones and 496 zeros"
  assert.equal(r.nearZero, sums.filter((s) => Math.abs(s) < 0.5).length);
  assert.equal(r.nearZero, 141); // lesson 01: "141 of the 1000 sums lie within 0.5 of zero"
  assert.equal(r.std.toFixed(3), "3.079");
  const mean = sums.reduce((a, b) => a + b, 0) / sums.length;
  assert.ok(Math.abs(r.mean - mean) < 1e-12, `${r.mean} vs ${mean}`);
  assert.equal(r.countsLabel0.reduce((a, b) => a + b, 0), 496);
  assert.equal(r.countsLabel1.reduce((a, b) => a + b, 0), 504);
  // the running sums of the first sequences end at their sums, and their labels are the file's
  for (let k = 0; k < r.shown; k++) {
    assert.ok(Math.abs(r.runningSums[k * r.T + r.T - 1] - sums[k]) < 1e-12);
    assert.equal(r.shownLabels[k], file.ys[k]);
  }
  assertSameBits(run(data01, data01.defaults).result, r);
  const other = run(data01, { n: 50, T: 3, seed: 7 }).result;
  assert.equal(other.positives, makeSignOfSumData({ n: 50, T: 3, I: 1, seed: 7 }).ys.reduce((a, b) => a + b, 0));
  assertThrowsMsg(() => data01.compute({ ...data01.defaults, n: 0 }, () => undefined), "01-data: params.n is 0", "integer from 1 to 100000");
  assertThrowsMsg(() => data01.compute({ ...data01.defaults, T: 2.5 }, () => undefined), "params.T is 2.5");
  assertThrowsMsg(() => data01.compute({ ...data01.defaults, seed: "" }, () => undefined), "params.seed", "a seed");
});

test("02-forward: rnnForward's hidden states; each step's answer equals predictLogit on the prefix", () => {
  const { result: r } = run(forward02, forward02.defaults);
  const { x: xs, H, seed } = forward02.defaults;
  const p = initRnnParams({ I: 1, H, seed });
  const x = Float64Array.from(xs);
  assertBitsEqual(r.hs, rnnForward(p, x, xs.length).hs, "hs");
  for (let t = 1; t <= xs.length; t++) {
    const z = predictLogit(p, x.subarray(0, t), t); // the registry's fast path, an independent route
    assert.ok(Math.abs(r.logits[t - 1] - z) <= 1e-15, `step ${t}: ${r.logits[t - 1]} vs ${z}`);
    assert.equal(r.probs[t - 1], sigmoid(r.logits[t - 1]));
  }
  assertSameBits(run(forward02, forward02.defaults).result, r);
  assert.deepEqual(parseSequence("1, -0.5  2;3"), [1, -0.5, 2, 3]);
  assert.deepEqual(parseSequence("−1 2"), [-1, 2]);
  assertThrowsMsg(() => parseSequence("1, two"), `"two" (number 2) is not a number`);
  assertThrowsMsg(() => parseSequence("  "), "Type at least one number");
  assertThrowsMsg(() => forward02.compute({ ...forward02.defaults, x: [] }, () => undefined), "02-forward: params.x is an array of length 0");
  assertThrowsMsg(() => forward02.compute({ ...forward02.defaults, x: [1, NaN] }, () => undefined), "02-forward: params.x[1] is NaN");
  assertThrowsMsg(() => forward02.compute({ ...forward02.defaults, H: 0 }, () => undefined), "02-forward: params.H is 0");
});

test("03-loss: the library's sigmoid, loss and gradient; the textbook formula breaks at z = 36.74 and −709.79", () => {
  const naive = (z: number, y: number) => {
    const p = 1 / (1 + Math.exp(-z));
    return -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
  };
  for (const y of [0, 1] as const) {
    const r = run(loss03, { z: 40, y }).result;
    assert.equal(r.at.sigmoidStable, sigmoid(40));
    assert.equal(r.at.lossStable, bceWithLogits(40, y));
    assert.equal(r.at.grad, dBceDLogit(40, y));
    assert.ok(Object.is(r.at.lossNaive, naive(40, y)));
    assert.ok(Object.is(r.at.lossNaive, y === 0 ? Infinity : NaN)); // lesson 03: Infinity for y = 0, NaN for y = 1
    r.grid.forEach((z, k) => {
      assert.equal(r.lossStable[k], bceWithLogits(z, y));
      assert.ok(Object.is(r.lossNaive[k], naive(z, y)));
      assert.equal(r.grad[k], dBceDLogit(z, y));
    });
    // the first breaking logits, checked from both sides with the textbook formula itself
    assert.equal(r.breakdown.positiveFrom, 36.74);
    assert.ok(Number.isFinite(naive(36.73, y)) && !Number.isFinite(naive(36.74, y)));
    assert.equal(r.breakdown.negativeFrom, -709.79);
    assert.ok(Number.isFinite(naive(-709.78, y)) && !Number.isFinite(naive(-709.79, y)));
  }
  const { result: d } = run(loss03, loss03.defaults);
  assertSameBits(run(loss03, loss03.defaults).result, d);
  assert.ok(Math.abs(d.at.gradNumeric - d.at.grad) < 1e-9);
  assertThrowsMsg(() => loss03.compute({ z: NaN, y: 1 }, () => undefined), "03-loss: params.z is NaN");
  assertThrowsMsg(() => loss03.compute({ z: 1, y: 0.5 as 0 }, () => undefined), "03-loss: params.y is 0.5", "the label 0 or 1");
});

test("04-bptt: the walk's forward states are rnnForward's and its gradients are rnnBackward's, bit for bit", () => {
  const { result: r } = run(bptt04, bptt04.defaults);
  const p = initRnnParams({ I: 1, H: 3, seed: "bptt-small" });
  const x = normalArray(makeRng("bptt-x"), 4);
  const cache = rnnForward(p, x, 4);
  const lib = rnnBackward(p, x, cache, Float64Array.of(sigmoid(cache.logits[0]) - 1));
  const walk = new Map(r.grads.map((g) => [g.name, g.values]));
  for (const [name, g] of paramArrays(lib)) assertBitsEqual(walk.get(name) as Float64Array, g, `d${name}`);
  assert.equal(r.maxDiffFromLibrary, 0);
  assert.equal(r.loss, bceWithLogits(cache.logits[0], 1));
  assert.equal(r.loss.toFixed(4), "0.6014");
  assert.equal(r.steps.length, 4 + 1 + 1 + 3 * 4);
  for (let t = 1; t <= 4; t++) {
    const step = r.steps[t - 1];
    assert.equal(step.equation, "forward");
    const h = step.values.find((v) => v.name === `h_${t}`)?.values as number[];
    assert.deepEqual(h, Array.from(cache.hs.subarray(t * 3, (t + 1) * 3)));
    const a = step.values.find((v) => v.name === `a_${t}`)?.values as number[];
    assert.deepEqual(a.map(Math.tanh), h); // a_t is the pre-activation of exactly this h_t
  }
  assert.deepEqual(r.steps.slice(5).map((s) => s.equation), ["dz", ...Array(4).fill(["da", "accumulate", "dhPrev"]).flat()]);
  assertSameBits(run(bptt04, bptt04.defaults).result, r);
  assertThrowsMsg(() => bptt04.compute({ ...bptt04.defaults, H: 7 }, () => undefined), "04-bptt: params.H is 7", "from 1 to 6");
  assertThrowsMsg(() => bptt04.compute({ ...bptt04.defaults, xSeed: undefined as never }, () => undefined), "04-bptt: params.xSeed is undefined");
});

test("06-debugging-bptt: each switch is the lesson's variant; the check and the training match gradCheck and trainLoop", () => {
  const p = initRnnParams({ I: 1, H: 32, seed: "lesson-06" });
  const trainSet = loadDataset(path.join(ROOT, "data/sign-of-sum/train.json"));
  const testSet = loadDataset(path.join(ROOT, "data/sign-of-sum/test.json"));
  const x = sequence(trainSet, 0), y = trainSet.ys[0];
  const off = { a: false, b: false, c: false, d: false, e: false };
  const single: Record<string, Bug.GradFn> = {
    b: Bug.logitTimesSigmoidDerivGrads, c: Bug.outputAtEveryStepGrads, d: Bug.lastStateTanhDerivGrads, e: Bug.wrongStateDWhhGrads,
  };
  for (const [k, fn] of Object.entries(single)) {
    assert.equal(paramBytes(Bug.bpttWith(choicesFor({ ...off, [k]: true })).call(null, p, x, 10, y).grads).compare(paramBytes(fn(p, x, 10, y).grads)), 0, `switch ${k}`);
  }
  const all = Bug.bpttWith(choicesFor({ a: false, b: true, c: true, d: true, e: true }))(p, x, 10, y).grads;
  assert.equal(paramBytes(all).compare(paramBytes(Bug.allNoteMistakesGrads(p, x, 10, y).grads)), 0, "all four");
  assert.deepEqual([...BUGS], ["a", "b", "c", "d", "e"]);

  const { result: r, messages } = run(bugs06, bugs06.defaults); // switch (d) on
  const lossOf = (q: RnnParams) => bceWithLogits(rnnForward(q, x, 10).logits[0], y);
  assertSameBits(r.check, gradCheck(p, lossOf, Bug.lastStateTanhDerivGrads(p, x, 10, y).grads, { eps: 1e-6 }), "check");
  // the same run through the library's one training loop: per-sample SGD in data order, 3 epochs
  const trainedBy = (gradFn: Bug.GradFn) => {
    const q = initRnnParams({ I: 1, H: 32, seed: "lesson-06" });
    const stats = trainLoop("test", q, {
      n: trainSet.n,
      lossAndGrads: (k, grads) => {
        const { loss, grads: g } = gradFn(q, sequence(trainSet, k), 10, trainSet.ys[k]);
        const add = new Map(paramArrays(g));
        for (const [name, a] of paramArrays(grads)) (add.get(name) as Float64Array).forEach((v, j) => { a[j] += v; });
        return loss;
      },
    }, { lr: 0.01, epochs: 3 });
    return { stats, test: evaluate(q, testSet) };
  };
  const d = trainedBy(Bug.lastStateTanhDerivGrads);
  const variant = r.variant as NonNullable<typeof r.variant>, correct = r.correct as NonNullable<typeof r.correct>;
  assert.equal(variant.testAccuracy, d.test.accuracy);
  assert.equal(variant.testLoss, d.test.meanLoss);
  const epochMean = (curve: Float64Array, e: number) => curve.slice((e - 1) * 10, e * 10).reduce((a, b) => a + b, 0) / 10;
  for (let e = 1; e <= 3; e++) assert.ok(Math.abs(epochMean(variant.curve, e) - d.stats[e - 1].meanLoss) < 1e-12, `epoch ${e}`);
  const c = trainedBy(Bug.correctGrads);
  assert.equal(correct.testAccuracy, c.test.accuracy);
  // lesson 06's figures: (d) 0.3769 after 200 samples and 0.590 on the test set; the correct gradient 0.901
  assert.equal(variant.curve[1].toFixed(4), "0.3769");
  assert.equal(variant.testAccuracy.toFixed(3), "0.590");
  assert.equal(correct.testAccuracy.toFixed(3), "0.901");
  assert.equal(messages.length, 60); // 30 windows of 100 samples per run, two runs
  assert.deepEqual(messages.slice(0, 2).map((m) => [m.run, m.samples]), [["variant", 100], ["variant", 200]]);

  const crash = run(bugs06, { ...bugs06.defaults, bugs: { ...off, a: true } }).result;
  assert.match(crash.crash as string, /shapes \(1×1\) and \(11×1\) do not align/);
  assert.equal(crash.variant, null);
  assertThrowsMsg(() => bugs06.compute({ ...bugs06.defaults, bugs: { ...off, c: "yes" as never } }, () => undefined), "06-debugging-bptt: params.bugs.c is \"yes\"", "true or false");
  assertThrowsMsg(() => bugs06.compute({ ...bugs06.defaults, bugs: null as never }, () => undefined), "06-debugging-bptt: params.bugs is null");
  assertThrowsMsg(() => bugs06.compute({ ...bugs06.defaults, epochs: 0 }, () => undefined), "06-debugging-bptt: params.epochs is 0");
});

test("06-debugging-bptt: with every switch off it trains only the correct gradient, and twice gives the same bits", () => {
  const params = { bugs: { a: false, b: false, c: false, d: false, e: false }, epochs: 1, lr: 0.01, seed: "lesson-06" };
  const r = run(bugs06, params).result;
  assert.equal(r.correct, null);
  assert.ok(Math.max(...Object.values(r.check as Record<string, number>)) < 1e-6);
  assertSameBits(run(bugs06, params).result, r);
});

test("07-long-sequences: the walk's gradients are rnnBackward's; its norms are the product of the step Jacobians", () => {
  const { result: r } = run(long07, long07.defaults); // ρ = 1.1, T = 200, inputs × 0.1
  // rebuild the lesson's network independently: Q by Gram–Schmidt (lesson 07, section 1)
  const H = 32, T = 200;
  const Q = normalArray(makeRng("lesson-07-Q"), H * H);
  for (let i = 0; i < H; i++) {
    for (let j = 0; j < i; j++) {
      let dot = 0;
      for (let c = 0; c < H; c++) dot += Q[i * H + c] * Q[j * H + c];
      for (let c = 0; c < H; c++) Q[i * H + c] -= dot * Q[j * H + c];
    }
    const n = Math.hypot(...Q.subarray(i * H, (i + 1) * H));
    for (let c = 0; c < H; c++) Q[i * H + c] /= n;
  }
  const p = initRnnParams({ I: 1, H, seed: "lesson-07" });
  p.Whh.set(Q.map((q) => 1.1 * q));
  const x = normalArray(makeRng("lesson-07-x"), T).map((v) => 0.1 * v);
  const cache = rnnForward(p, x, T);
  const lib = rnnBackward(p, x, cache, Float64Array.of(sigmoid(cache.logits[0]) - 1));
  const close = (a: Float64Array, b: Float64Array, what: string) => {
    const scale = Math.max(...b.map(Math.abs));
    a.forEach((v, k) => assert.ok(Math.abs(v - b[k]) <= 1e-12 * scale, `${what}[${k}]: ${v} vs ${b[k]}`));
  };
  close(r.dWhh, lib.Whh, "dWhh");
  close(r.dWxh, lib.Wxh, "dWxh");
  // dh_t = J_{t+1}ᵀ ⋯ J_Tᵀ dh_T with J_k = diag(1 − h_k²) W_hh, each Jacobian built as a full matrix
  let dh = p.Why.map((w) => w * (sigmoid(cache.logits[0]) - 1));
  for (let t = T; t >= 1; t--) {
    assert.ok(Math.abs(r.norms[t] - Math.hypot(...dh)) <= 1e-9 * Math.hypot(...dh), `‖dh_${t}‖`);
    const JT = new Float64Array(H * H); // J_tᵀ[c][r] = (1 − h_t[r]²) W_hh[r][c]
    for (let rr = 0; rr < H; rr++) for (let c = 0; c < H; c++) JT[c * H + rr] = (1 - cache.hs[t * H + rr] ** 2) * p.Whh[rr * H + c];
    const next = new Float64Array(H);
    for (let c = 0; c < H; c++) for (let rr = 0; rr < H; rr++) next[c] += JT[c * H + rr] * dh[rr];
    dh = next;
  }
  // lesson 07's figures for ρ = 1.1: the ratio 3.3e-2 and the mean tanh slope 0.879; no step above the bound
  assert.equal((r.norms[1] / r.norms[T]).toExponential(1), "3.3e-2");
  assert.equal(r.meanSlope.toFixed(3), "0.879");
  assert.equal(r.boundViolations, 0);
  for (let t = 1; t <= T; t++) assert.ok(Math.abs(r.bound[t] - Math.pow(1.1, T - t) * r.norms[T]) <= 1e-12 * r.bound[t], `bound at ${t}`);
  assert.equal((run(long07, { ...long07.defaults, rho: 0.5 }).result.norms[1] / run(long07, { ...long07.defaults, rho: 0.5 }).result.norms[T]).toExponential(0), "1e-61");
  assertSameBits(run(long07, long07.defaults).result, r);
  assertThrowsMsg(() => long07.compute({ ...long07.defaults, rho: -1 }, () => undefined), "07-long-sequences: params.rho is -1", "from 0 to 10");
  assertThrowsMsg(() => long07.compute({ ...long07.defaults, T: 1 }, () => undefined), "07-long-sequences: params.T is 1");
});

test("08-lstm-gru: the three cells trained by train() with the lesson's options give the lesson's accuracies at T = 20", () => {
  const { result: r, messages } = run(cells08, cells08.defaults);
  const T = 20;
  const trainSet = makeFirstSignData({ n: 300, T, seed: "first-sign/train-T20", noise: 2 });
  const testSet = makeFirstSignData({ n: 500, T, seed: "first-sign/test-T20", noise: 2 });
  const starts: Record<string, BaseParams> = {
    rnn: initRnnParams({ I: 2, H: 16, seed: "lesson-08-rnn-T20" }),
    lstm: initLstmParams({ I: 2, H: 16, seed: "lesson-08-lstm-T20", forgetBias: 3 }),
    gru: initGruParams({ I: 2, H: 16, seed: "lesson-08-gru-T20", updateBias: 3 }),
  };
  assert.deepEqual(r.cells.map((c) => c.kind), ["rnn", "lstm", "gru"]);
  for (const cell of r.cells) {
    const p = starts[cell.kind];
    const history = train(p, trainSet, { lr: 0.01, epochs: 8, batchSize: 16, shuffle: true, seed: "lesson-08-order-T20", update: { rule: "adam" } });
    assertBitsEqual(cell.meanLosses, Float64Array.from(history, (s) => s.meanLoss), `${cell.kind} losses`);
    const test = evaluate(p, testSet);
    assert.equal(cell.testAccuracy, test.accuracy);
    assert.equal(cell.testLoss, test.meanLoss);
  }
  // lesson 08: at T = 20 the RNN 50.4 %, the LSTM 99.8 %, the GRU 100.0 %; 321, 1233 and 929 parameters
  assert.deepEqual(r.cells.map((c) => (100 * c.testAccuracy).toFixed(1)), ["50.4", "99.8", "100.0"]);
  assert.deepEqual(r.cells.map((c) => c.parameters), [321, 1233, 929]);
  assert.equal(messages.length, 3 * 8);
  assert.equal(LONG_TASK.trainSeed(T), "first-sign/train-T20");
  const small = { T: 5, H: 4, epochs: 1, seed: "x" };
  assertSameBits(run(cells08, small).result, run(cells08, small).result);
  assertThrowsMsg(() => cells08.compute({ ...cells08.defaults, T: 1 }, () => undefined), "08-lstm-gru: params.T is 1", "from 2 to 200");
  assertThrowsMsg(() => cells08.compute({ ...cells08.defaults, epochs: 1.5 }, () => undefined), "08-lstm-gru: params.epochs is 1.5");
});

test("09-optimizers: SGD, momentum and Adam through train() from the same start give the lesson's race", () => {
  const { result: r, messages } = run(race09, race09.defaults);
  const trainSet = makeFirstSignData({ n: 300, T: 20, seed: "first-sign/train-T20", noise: 2 });
  const testSet = makeFirstSignData({ n: 500, T: 20, seed: "first-sign/test-T20", noise: 2 });
  const p0 = initLstmParams({ I: 2, H: 8, seed: "lesson-09", forgetBias: 3 });
  const races = [
    { lr: 0.5, update: { rule: "sgd" as const } },
    { lr: 0.05, update: { rule: "momentum" as const, beta: 0.9 } },
    { lr: 0.01, update: { rule: "adam" as const } },
  ];
  races.forEach((race, k) => {
    const p = cloneParams(p0);
    const history = train(p, trainSet, { lr: race.lr, epochs: 10, batchSize: 16, shuffle: true, seed: "lesson-09-order", update: race.update });
    assertBitsEqual(r.runs[k].meanLosses, Float64Array.from(history, (s) => s.meanLoss), `${race.update.rule} losses`);
    assert.equal(r.runs[k].testAccuracy, evaluate(p, testSet).accuracy);
  });
  // lesson 09: SGD at 0.5 66.6 %, momentum at 0.05 51.4 %, Adam at 0.01 100.0 %
  assert.deepEqual(r.runs.map((run) => (100 * run.testAccuracy).toFixed(1)), ["66.6", "51.4", "100.0"]);
  assert.equal(messages.length, 30);
  const small = { ...race09.defaults, T: 5, epochs: 1 };
  assertSameBits(run(race09, small).result, run(race09, small).result);
  assertThrowsMsg(() => race09.compute({ ...race09.defaults, lr: 3 as never }, () => undefined), "09-optimizers: params.lr is 3", "{ sgd, momentum, adam }");
  assertThrowsMsg(() => race09.compute({ ...race09.defaults, lr: { sgd: 0.1, momentum: 0, adam: 0.01 } }, () => undefined), "09-optimizers: params.lr.momentum is 0");
});

test("10-char-lm: the slice is the data file's start; training and sampling equal trainCharLm and sampleText", () => {
  const full = readFileSync(path.join(ROOT, "data/shakespeare/tragedies.txt"), "utf8");
  assert.equal(TRAGEDIES_START, full.slice(0, full.lastIndexOf("\n", TRAGEDIES_CUT_BEFORE) + 1));
  assert.equal(TRAGEDIES_START.length, 49960);
  const { result: r, messages } = run(char10, char10.defaults);
  const vocab = makeVocab(TRAGEDIES_START);
  const ids = encodeText(vocab, TRAGEDIES_START);
  const p = initCharRnn({ V: vocab.chars.length, H: 64, seed: "lesson-10-model" });
  const history = trainCharLm(p, ids, { seqLength: 25, iterations: 1000, every: 100, lr: 0.004, clipNorm: 5, update: { rule: "adam" } });
  assertBitsEqual(r.losses, Float64Array.from(history, (s) => s.loss), "losses");
  const weights = new Map(r.weights.map((w) => [w.name, w.values]));
  for (const [name, w] of paramArrays(p)) assertBitsEqual(weights.get(name) as Float64Array, w, name);
  assert.equal(r.sample, sampleText(p, vocab, { rng: makeRng("lesson-10-sample"), length: 300, prime: "HAMLET.\n", temperature: 0.8 }));
  assert.deepEqual(r.chars, vocab.chars);
  assert.equal(messages.length, 10);
  assert.equal(messages.filter((m) => m.sample !== null).length, 1); // a progress sample at iteration 500 (the final one is the result's)
  assert.ok(r.losses[9] < r.losses[0] - 0.8, `the loss falls: ${r.losses[0]} → ${r.losses[9]}`);
  const small = { ...char10.defaults, H: 8, iterations: 100, sampleLength: 20 };
  assertSameBits(run(char10, small).result, run(char10, small).result);
  assertThrowsMsg(() => char10.compute({ ...char10.defaults, iterations: 150 }, () => undefined), "10-char-lm: params.iterations is 150", "multiple of 100");
  assertThrowsMsg(() => char10.compute({ ...char10.defaults, prime: "€" }, () => undefined), "10-char-lm: params.prime", "not in the vocabulary");
  assertThrowsMsg(() => char10.compute({ ...char10.defaults, temperature: 0 }, () => undefined), "10-char-lm: params.temperature is 0");
});
