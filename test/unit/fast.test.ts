// The fast path (lib/fast.ts, used by train and evaluate) against the readable
// path (forward.ts, bptt.ts, optim.ts): the same numbers, bit for bit.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { makeRng } from "../../lib/random";
import { makeSignOfSumData } from "../../lib/data";
import type { Dataset } from "../../lib/data";
import { initRnnParams, zerosLike, cloneParams, paramArrays } from "../../lib/params";
import type { RnnParams } from "../../lib/params";
import { rnnForward } from "../../lib/forward";
import { rnnLossAndGrads, rnnBackwardAdd } from "../../lib/bptt";
import { bceWithLogits, dBceDLogit } from "../../lib/loss";
import { sgdStep, scaleGradsDown } from "../../lib/optim";
import {
  makeRnnWorkspace,
  rnnForwardFast,
  rnnLossAndGradsFast,
  rnnBatchForwardBackwardFast,
  rnnBatchAddGradsFast,
  rnnBatchSgdStepFast,
} from "../../lib/fast";
import { train } from "../../lib/train";
import { evaluate } from "../../lib/evaluate";
import { assertBitsEqual, paramBytes } from "./helpers";

test("fast forward, loss and gradients are bit-identical to the readable ones (100 random configurations)", () => {
  const rng = makeRng("fast-vs-readable");
  const pick = (lo: number, hi: number): number => lo + Math.floor(rng.uniform() * (hi - lo + 1));
  for (let c = 0; c < 100; c++) {
    const I = pick(1, 4);
    const H = pick(1, 37); // includes sizes that are not multiples of 4 (the fast loops' remainder rows)
    const T = pick(1, 30);
    const p = initRnnParams({ I, H, seed: `fast-${c}` });
    for (let k = 0; k < H; k++) p.bh[k] = 0.3 * rng.normal();
    p.by[0] = 0.3 * rng.normal();
    const d = makeSignOfSumData({ n: 3, T, I, seed: `fast-d-${c}` });
    const ws = makeRnnWorkspace(p, T);
    const fastGrads = zerosLike(p);
    const slowGrads = zerosLike(p);
    for (let k = 0; k < d.n; k++) {
      const x = d.xs.subarray(k * T * I, (k + 1) * T * I);
      const y = d.ys[k];
      const cache = rnnForward(p, x, T);
      const fastLoss = rnnLossAndGradsFast(p, x, T, y, fastGrads, ws); // accumulates over the 3 samples
      assertBitsEqual(ws.hs.subarray(0, (T + 1) * H), cache.hs, `config ${c} hs`);
      assert.ok(Object.is(ws.logits[0], cache.logits[0]), `config ${c} logit`);
      assert.ok(Object.is(fastLoss, rnnLossAndGrads(p, x, T, y).loss), `config ${c} loss`);
      const z = cache.logits[0];
      assert.ok(Object.is(bceWithLogits(z, y), fastLoss));
      rnnBackwardAdd(p, x, cache, new Float64Array([dBceDLogit(z, y)]), slowGrads);
    }
    for (const [name, g] of paramArrays(slowGrads)) assertBitsEqual((fastGrads as unknown as Record<string, Float64Array>)[name], g, `config ${c} (I=${I}, H=${H}, T=${T}) d${name}`);
    assertBitsEqual(rnnForwardFast(p, d.xs.subarray(0, T * I), T, ws).logits, rnnForward(p, d.xs.subarray(0, T * I), T).logits, "forwardFast logits");
  }
});

/** The training loop written with the readable functions only (no workspace, no fusion). */
function readableTrain(p: RnnParams, data: Dataset, lr: number, epochs: number, batchSize: number): number[] {
  const { n, T, I, xs, ys } = data;
  const losses: number[] = [];
  for (let e = 0; e < epochs; e++) {
    let sum = 0;
    for (let b = 0; b < n; b += batchSize) {
      const end = Math.min(b + batchSize, n);
      const grads = zerosLike(p);
      for (let k = b; k < end; k++) {
        const x = xs.subarray(k * T * I, (k + 1) * T * I);
        // rnnBackwardAdd sums the batch's gradients into one object, as train() does
        const cache = rnnForward(p, x, T);
        const z = cache.logits[0];
        sum += bceWithLogits(z, ys[k]);
        rnnBackwardAdd(p, x, cache, new Float64Array([dBceDLogit(z, ys[k])]), grads);
      }
      if (end - b > 1) for (const [, acc] of paramArrays(grads)) for (let q = 0; q < acc.length; q++) acc[q] = acc[q] / (end - b);
      sgdStep(p, grads, lr);
    }
    losses.push(sum / n);
  }
  return losses;
}

test("train() (fast, fused) gives bit-identical weights and losses to a loop of readable functions", () => {
  const data = makeSignOfSumData({ n: 60, T: 7, I: 2, seed: "fast-train" });
  for (const batchSize of [1, 8, 60]) {
    const p0 = initRnnParams({ I: 2, H: 10, seed: "fast-train-p" });
    const a = cloneParams(p0);
    const b = cloneParams(p0);
    const stats = train(a, data, { lr: 0.05, epochs: 3, batchSize });
    const losses = readableTrain(b, data, 0.05, 3, batchSize);
    assert.ok(paramBytes(a).equals(paramBytes(b)), `batchSize ${batchSize}: weights differ`);
    assert.deepEqual(stats.map((s) => s.meanLoss), losses, `batchSize ${batchSize}: per-epoch losses differ`);
  }
});

test("evaluate() (fast) agrees with the readable forward pass", () => {
  const data = makeSignOfSumData({ n: 50, T: 6, I: 3, seed: "fast-eval" });
  const p = initRnnParams({ I: 3, H: 9, seed: "fast-eval-p" });
  let sum = 0;
  let correct = 0;
  for (let k = 0; k < data.n; k++) {
    const z = rnnForward(p, data.xs.subarray(k * 18, (k + 1) * 18), 6).logits[0];
    sum += bceWithLogits(z, data.ys[k]);
    if ((z > 0 ? 1 : 0) === data.ys[k]) correct++;
  }
  assert.deepEqual(evaluate(p, data), { meanLoss: sum / data.n, accuracy: correct / data.n });
});

test("the mini-batch fast path (two sequences at a time, gradient sums in registers) is bit-identical to summing readable per-sample gradients", () => {
  const rng = makeRng("fast-batch-vs-readable");
  const pick = (lo: number, hi: number): number => lo + Math.floor(rng.uniform() * (hi - lo + 1));
  for (let c = 0; c < 60; c++) {
    const I = pick(1, 3);
    const H = pick(1, 37); // sizes that are not multiples of 2, 4 or 8 exercise every remainder loop
    const T = pick(1, 12); // T = 1 and 2: no (or one) step back through Whh
    const n = pick(1, 9);
    const nb = pick(1, n); // odd counts: the last sequence goes through the one-sequence code
    const p = initRnnParams({ I, H, seed: `fast-b-${c}` });
    for (let k = 0; k < H; k++) p.bh[k] = 0.3 * rng.normal();
    p.by[0] = 0.3 * rng.normal();
    const d = makeSignOfSumData({ n, T, I, seed: `fast-bd-${c}` });
    const order = new Uint32Array(n);
    for (let k = 0; k < n; k++) order[k] = k;
    for (let k = n - 1; k > 0; k--) { // … then a seeded shuffle, so the batch gathers sequences out of order
      const q = Math.floor(rng.uniform() * (k + 1));
      const tmp = order[k];
      order[k] = order[q];
      order[q] = tmp;
    }
    const start = pick(0, n - nb);
    const ws = makeRnnWorkspace(p, T, nb);
    rnnBatchForwardBackwardFast(p, d.xs, d.ys, order, start, start + nb, T, ws);
    // readable: each sequence's gradients added in batch order into one zeroed object
    const slow = zerosLike(p);
    for (let s = 0; s < nb; s++) {
      const k = order[start + s];
      const x = d.xs.subarray(k * T * I, (k + 1) * T * I);
      const cache = rnnForward(p, x, T);
      const z = cache.logits[0];
      assert.ok(Object.is(ws.zs[s], z), `config ${c} logit ${s}`);
      assert.ok(Object.is(ws.losses[s], bceWithLogits(z, d.ys[k])), `config ${c} loss ${s}`);
      rnnBackwardAdd(p, x, cache, new Float64Array([dBceDLogit(z, d.ys[k])]), slow);
    }
    const fast = zerosLike(p);
    rnnBatchAddGradsFast(p, fast, ws);
    const what = `config ${c} (I=${I}, H=${H}, T=${T}, nb=${nb})`;
    for (const [name, g] of paramArrays(slow)) assertBitsEqual((fast as unknown as Record<string, Float64Array>)[name], g, `${what} d${name}`);
    // the fused step: the same as scaleGradsDown (nb > 1) + sgdStep on the readable sum
    const stepped = cloneParams(p);
    const zero = zerosLike(p);
    assert.equal(rnnBatchSgdStepFast(stepped, zero, 0.05, ws), 0);
    if (nb > 1) scaleGradsDown(slow, nb);
    const ref = cloneParams(p);
    sgdStep(ref, slow, 0.05);
    for (const [name, w] of paramArrays(ref)) assertBitsEqual((stepped as unknown as Record<string, Float64Array>)[name], w, `${what} stepped ${name}`);
    for (const [name, g] of paramArrays(zero)) assert.ok(g.every((v) => Object.is(v, 0)), `${what}: grads.${name} must stay +0`);
  }
});

test("skipping Whh·h_0 in the first step keeps the sign of a zero pre-activation, as the readable sum does", () => {
  // a = bh + Wxh·x is -0 here (bh = -0, x = 0, Wxh < 0); the readable loop then adds
  // Whh[r,j]·0 terms, which turn -0 into +0 as soon as one Whh[r,j] is positive
  const p = initRnnParams({ I: 1, H: 5, seed: "neg-zero" });
  p.bh.fill(-0);
  for (let r = 0; r < 5; r++) p.Wxh[r] = -Math.abs(p.Wxh[r]) - 0.1;
  for (let j = 0; j < 5; j++) p.Whh[j] = -Math.abs(p.Whh[j]) - 0.1; // row 0 all negative: h_1[0] stays -0
  const x = new Float64Array([0, 0.5, -0.25]);
  const cache = rnnForward(p, x, 3);
  assert.ok(Object.is(cache.hs[5], -0), "the readable h_1[0] is -0");
  assert.ok(Object.is(cache.hs[6], 0), "the readable h_1[1] is +0");
  const ws = makeRnnWorkspace(p, 3, 2);
  assertBitsEqual(rnnForwardFast(p, x, 3, ws).hs.subarray(0, 20), cache.hs, "one-sequence hs");
  const xs = new Float64Array([...x, ...x]);
  rnnBatchForwardBackwardFast(p, xs, new Float64Array([1, 0]), Uint32Array.from([0, 1]), 0, 2, 3, ws);
  assertBitsEqual(ws.hs.subarray(0, 20), cache.hs, "paired hs, first sequence");
  assertBitsEqual(ws.hs.subarray(20, 40), cache.hs, "paired hs, second sequence");
});

test("a workspace too small for the batch is refused with a clear Error", () => {
  const p = initRnnParams({ I: 1, H: 4, seed: 1 });
  const d = makeSignOfSumData({ n: 4, T: 3, I: 1, seed: "ws" });
  const ws = makeRnnWorkspace(p, 3, 2);
  assert.throws(() => rnnBatchForwardBackwardFast(p, d.xs, d.ys, Uint32Array.from([0, 1, 2, 3]), 0, 3, 3, ws), /workspace is for T <= 3, H = 4, O = 1, B = 2, but got T = 3, H = 4, O = 1, 3 sequence\(s\)/);
});
