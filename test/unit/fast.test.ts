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
import { sgdStep } from "../../lib/optim";
import { makeRnnWorkspace, rnnForwardFast, rnnLossAndGradsFast } from "../../lib/fast";
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
