// Every analytic gradient against central finite differences, on randomized
// small configurations, per sample and for mini-batch mean gradients.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { makeRng } from "../../lib/random";
import { makeSignOfSumData } from "../../lib/data";
import { initRnnParams, paramArrays } from "../../lib/params";
import { rnnLossAndGrads, rnnBackward } from "../../lib/bptt";
import { gradCheck, gradCheckDetails, numericalGrads } from "../../lib/gradcheck";
import { meanLossAndGrads } from "../../lib/train";
import { evaluate } from "../../lib/evaluate";
import { rnnForward } from "../../lib/forward";
import { bceWithLogits, sigmoid } from "../../lib/loss";
import type { RnnParams } from "../../lib/params";

test("BPTT gradients match central differences (max relative error <= 1e-6) on 120 random configurations", () => {
  const rng = makeRng("gradcheck-configs");
  const pick = (lo: number, hi: number): number => lo + Math.floor(rng.uniform() * (hi - lo + 1));
  let worst = 0;
  let worstAt = "";
  let worstElem = 0; // entry-by-entry relative error, for entries with |gradient| >= 1e-4
  let batchConfigs = 0;
  for (let c = 0; c < 120; c++) {
    const I = pick(1, 3);
    const H = pick(1, 16);
    const T = pick(1, 30);
    const n = c % 3 === 0 ? pick(2, 8) : 1; // every third configuration is a mini-batch
    if (n > 1) batchConfigs++;
    const p = initRnnParams({ I, H, seed: `gc-p-${c}` });
    for (let k = 0; k < H; k++) p.bh[k] = 0.1 * rng.normal(); // non-zero biases exercise dbh fully
    p.by[0] = 0.1 * rng.normal();
    const data = makeSignOfSumData({ n, T, I, seed: `gc-d-${c}` });
    // mean loss of the batch, and the mean of the per-sample gradients (train()'s mini-batch path)
    const { loss, grads } = meanLossAndGrads(p, data);
    assert.ok(Math.abs(loss - evaluate(p, data).meanLoss) < 1e-15, "meanLossAndGrads loss equals evaluate's mean loss");
    const lossOf = (q: RnnParams): number => evaluate(q, data).meanLoss;
    const details = gradCheckDetails(p, lossOf, grads);
    for (const [name, d] of Object.entries(details)) {
      if (d.relError > worst) {
        worst = d.relError;
        worstAt = `${name} (I=${I}, H=${H}, T=${T}, batch=${n}, scale ${d.scale.toExponential(2)})`;
      }
    }
    // entry by entry: |a − n| <= 1e-6·max(|a|,|n|) + 1e-9 (1e-9 ≈ 10× the rounding noise ulp(loss)/ε)
    const numeric = numericalGrads(p, lossOf);
    for (const [name, a] of paramArrays(grads)) {
      const num = numeric[name];
      for (let k = 0; k < a.length; k++) {
        const big = Math.max(Math.abs(a[k]), Math.abs(num[k]));
        assert.ok(Math.abs(a[k] - num[k]) <= 1e-6 * big + 1e-9, `${name}[${k}]: analytic ${a[k]} vs numerical ${num[k]} (I=${I}, H=${H}, T=${T}, n=${n})`);
        if (Math.abs(a[k]) >= 1e-4) worstElem = Math.max(worstElem, Math.abs(a[k] - num[k]) / big);
      }
    }
  }
  console.log(`gradient check: worst relative error ${worst.toExponential(3)} at ${worstAt}`);
  console.log(`gradient check: worst entry-wise relative error (entries >= 1e-4) ${worstElem.toExponential(3)}; ${batchConfigs} of 120 configurations were mini-batches`);
  assert.ok(worst <= 1e-6, `worst relative error ${worst} > 1e-6 at ${worstAt}`);
  assert.ok(worstElem <= 1e-6);
  assert.ok(batchConfigs >= 30);
});

test("rnnLossAndGrads (readable) passes the check for one sequence and its loss is the BCE of the forward logit", () => {
  const p = initRnnParams({ I: 2, H: 7, seed: "single" });
  const d = makeSignOfSumData({ n: 1, T: 9, I: 2, seed: "single-d" });
  const { loss, grads } = rnnLossAndGrads(p, d.xs, 9, d.ys[0]);
  const z = rnnForward(p, d.xs, 9).logits[0];
  assert.equal(loss, bceWithLogits(z, d.ys[0]));
  const errs = gradCheck(p, (q) => rnnLossAndGrads(q, d.xs, 9, d.ys[0]).loss, grads);
  for (const [name, e] of Object.entries(errs)) assert.ok(e <= 1e-6, `${name}: ${e}`);
});

test("the gradient check catches the original note's wrong gradients (negative control)", () => {
  // Two of the note's mistakes, made by feeding the library's own backward pass (rnnBackward) wrong
  // inputs instead of retyping it: the output gradient from the logit without the sigmoid,
  // (z − y)·σ'(z) instead of σ(z) − y, and every hidden state replaced by the last one (so tanh' uses
  // h_T at every step and dWhh pairs da_t with the wrong state). Lesson 06 teaches the full set.
  const p = initRnnParams({ I: 1, H: 6, seed: "note" });
  const T = 10;
  const d = makeSignOfSumData({ n: 1, T, I: 1, seed: "note-d" });
  const x = d.xs;
  const y = d.ys[0];
  const { H } = p;
  const cache = rnnForward(p, x, T);
  const z = cache.logits[0];
  const dOut = (z - y) * sigmoid(z) * (1 - sigmoid(z));
  const allLast = new Float64Array((T + 1) * H);
  for (let t = 0; t <= T; t++) allLast.set(cache.hs.subarray(T * H), t * H);
  const g: RnnParams = rnnBackward(p, x, { T, hs: allLast, logits: cache.logits }, new Float64Array([dOut]));
  const errs = gradCheck(p, (q) => rnnLossAndGrads(q, x, T, y).loss, g);
  console.log("note's gradients, relative error per array:", Object.entries(errs).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(", "));
  for (const name of ["Wxh", "Whh", "Why", "bh", "by"]) assert.ok(errs[name] > 0.05, `${name} should be flagged wrong, got ${errs[name]}`);
  // and the same call with the true inputs passes, so the check above measures the mistakes alone
  const right = rnnBackward(p, x, cache, new Float64Array([sigmoid(z) - y]));
  for (const [name, e] of Object.entries(gradCheck(p, (q) => rnnLossAndGrads(q, x, T, y).loss, right))) assert.ok(e <= 1e-6, `${name}: ${e}`);
});

test("gradCheck restores every parameter exactly and rejects bad arguments", () => {
  const p = initRnnParams({ I: 1, H: 3, seed: 5 });
  const before = paramArrays(p).map(([, v]) => v.slice());
  const d = makeSignOfSumData({ n: 1, T: 4, I: 1, seed: 6 });
  const { grads } = rnnLossAndGrads(p, d.xs, 4, d.ys[0]);
  gradCheck(p, (q) => rnnLossAndGrads(q, d.xs, 4, d.ys[0]).loss, grads);
  paramArrays(p).forEach(([, v], i) => assert.deepEqual(v, before[i]));
  assert.throws(() => gradCheck(p, () => 0, grads, { eps: 0 }), /numericalGrads: opts\.eps is 0, expected a finite number > 0/);
  const small = initRnnParams({ I: 1, H: 2, seed: 5 });
  assert.throws(() => gradCheck(p, () => 0, small), /gradCheck: grads is rnn with I=1, H=2, O=1, expected the same as p \(rnn with I=1, H=3, O=1\)/);
  assert.throws(() => gradCheck(p, () => NaN, grads), /numericalGrads: the loss is not finite near Wxh\[0\]/);
});
