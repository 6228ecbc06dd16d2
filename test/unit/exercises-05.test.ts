// The exercise checks of lesson 5 (training): the worked solutions pass; typical wrong answers
// fail with a pointed hint that does not give the answer away; nothing ever throws.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { checkUpdateCount, checkSgdStep, checkOneEpoch } from "../../notebooks/course/05-training";
import type { RnnParams } from "../../lib/params";
import { paramArrays, zerosLike, cloneParams } from "../../lib/params";
import type { Dataset } from "../../lib/data";
import { sequence } from "../../lib/data";
import { rnnLossAndGrads } from "../../lib/bptt";
import { sgdStep } from "../../lib/optim";
import { quiet, assertFails } from "./exercise-helpers";

test("5.1 number of updates", () => {
  const ok = quiet(() => checkUpdateCount((n, B, E) => Math.ceil(n / B) * E));
  assert.equal(ok.ok, true);
  const answer = /⌈|ceil/;
  assertFails(quiet(() => checkUpdateCount(() => 0)), "5.1", /Count the batches/, answer);
  assertFails(quiet(() => checkUpdateCount((n, _B, E) => n * E)), "5.1", /one update per BATCH/, answer);
  assertFails(quiet(() => checkUpdateCount((n, B, E) => Math.floor(n / B) * E)), "5.1", /does not drop the last, smaller batch/, answer);
  assertFails(quiet(() => checkUpdateCount((n, B, E) => (n / B) * E)), "5.1", /whole number/, answer);
  assertFails(quiet(() => checkUpdateCount(() => NaN)), "5.1", /return a number/);
  assertFails(quiet(() => checkUpdateCount(() => { throw new Error("TODO"); })), "5.1", /threw "TODO"/);
});

function mySgd(p: RnnParams, grads: RnnParams, lr: number): void {
  const g = paramArrays(grads);
  paramArrays(p).forEach(([, w], a) => { for (let k = 0; k < w.length; k++) w[k] -= lr * g[a][1][k]; });
}

test("5.2 one SGD step", () => {
  assert.equal(quiet(() => checkSgdStep(mySgd)).ok, true);
  assert.equal(quiet(() => checkSgdStep((p, g, lr) => sgdStep(p, g, lr))).ok, true);
  const answer = /p ← p − lr·grads/;
  assertFails(quiet(() => checkSgdStep(() => undefined)), "5.2", /p did not change/, answer);
  assertFails(quiet(() => checkSgdStep((p, g, lr) => mySgd(p, g, -lr))), "5.2", /uphill/, answer);
  assertFails(quiet(() => checkSgdStep((p, g) => mySgd(p, g, 1))), "5.2", /learning rate is missing/, answer);
  assertFails(quiet(() => checkSgdStep((p, g, lr) => {
    for (const k of ["Wxh", "Whh", "Why"] as const) p[k].forEach((v, j) => { p[k][j] = v - lr * g[k][j]; });
  })), "5.2", /bh, by did not move/, answer);
  assertFails(quiet(() => checkSgdStep((p, g, lr) => { g.Wxh.fill(0); mySgd(p, g, lr); })), "5.2", /changed the gradients/);
  assertFails(quiet(() => checkSgdStep((p, g, lr) => {
    const q = cloneParams(p);
    mySgd(q, g, lr);
    return q as unknown as void;
  })), "5.2", /returned new values, but p itself did not change/);
  assertFails(quiet(() => checkSgdStep(() => { throw new Error("no"); })), "5.2", /threw "no"/);
});

function miniBatchEpoch(p: RnnParams, data: Dataset, lr: number, batchSize: number): number {
  let lossSum = 0;
  for (let start = 0; start < data.n; start += batchSize) {
    const end = Math.min(start + batchSize, data.n);
    const sum = zerosLike(p);
    for (let k = start; k < end; k++) {
      const { loss, grads } = rnnLossAndGrads(p, sequence(data, k), data.T, data.ys[k]);
      lossSum += loss;
      const g = paramArrays(grads);
      paramArrays(sum).forEach(([, s], a) => { for (let j = 0; j < s.length; j++) s[j] += g[a][1][j]; });
    }
    sgdStep(p, sum, lr / (end - start));
  }
  return lossSum / data.n;
}

test("5.3 one epoch of mini-batch SGD", () => {
  const ok = quiet(() => checkOneEpoch(miniBatchEpoch));
  assert.equal(ok.ok, true, ok.message);
  // per-sample only: right for batch 1, wrong for batch 7
  assertFails(quiet(() => checkOneEpoch((p, d, lr) => miniBatchEpoch(p, d, lr, 1))), "5.3", /batch size 7 .*MEAN gradient/);
  // summed instead of mean gradient
  assertFails(quiet(() => checkOneEpoch((p, d, lr, B) => miniBatchEpoch(p, d, lr * Math.min(B, 7), B))), "5.3", /batch size 7/);
  // returns the summed loss
  assertFails(quiet(() => checkOneEpoch((p, d, lr, B) => miniBatchEpoch(p, d, lr, B) * d.n)), "5.3", /MEAN loss/);
  assertFails(quiet(() => checkOneEpoch(() => 0.5)), "5.3", /p did not change/);
  assertFails(quiet(() => checkOneEpoch(() => undefined as unknown as number)), "5.3", /return the epoch's mean loss/);
  assertFails(quiet(() => checkOneEpoch(() => { throw new Error("TODO"); })), "5.3", /threw "TODO"/);
});
