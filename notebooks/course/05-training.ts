// Checks for the exercises of lesson 05 (training). Each check prints one line,
// "✔ …" or "✘ … not yet — hint", and returns { ok, message }; a wrong answer or a
// function that throws never makes the check throw.
import type { RnnParams } from "../lib/params";
import { initRnnParams, cloneParams, paramArrays } from "../lib/params";
import type { Dataset } from "../lib/data";
import { makeSignOfSumData } from "../lib/data";
import { makeRng, normalArray } from "../lib/random";
import { sgdStep } from "../lib/optim";
import { train } from "../lib/train";
import { exercise, attempt } from "./report";
import type { CheckResult } from "./report";

export type { CheckResult };

/** Largest |a − b| over all parameter arrays (Infinity if a shape differs). */
function maxParamDiff(a: RnnParams, b: RnnParams): number {
  const bs = new Map(paramArrays(b));
  let m = 0;
  for (const [name, va] of paramArrays(a)) {
    const vb = bs.get(name);
    if (!vb || vb.length !== va.length) return Infinity;
    for (let k = 0; k < va.length; k++) m = Math.max(m, Math.abs(va[k] - vb[k]));
  }
  return m;
}

// ---------------------------------------------------------------------------
// Exercise 5.1 — how many updates?

/** `updates(n, batchSize, epochs)` should return how many SGD steps train() takes. */
export function checkUpdateCount(updates: (n: number, batchSize: number, epochs: number) => number): CheckResult {
  const ex = exercise("5.1");
  const cases: Array<[number, number, number]> = [[1000, 1, 10], [1000, 32, 10], [5000, 1, 2], [1000, 1000, 3], [10, 3, 1], [64, 32, 5]];
  for (const [n, B, E] of cases) {
    const r = attempt(() => updates(n, B, E));
    if (r.error !== undefined) return ex.threw(r.error);
    const got = r.value;
    const want = Math.ceil(n / B) * E;
    if (got === want) continue;
    if (typeof got !== "number" || !Number.isFinite(got)) {
      return ex.hint(`return a number (got ${String(got)} for n = ${n}, batch ${B}, ${E} epochs).`);
    }
    if (got === n * E && B > 1) {
      return ex.hint("with mini-batches there is one update per BATCH, not per sample.");
    }
    if (got === Math.floor(n / B) * E) {
      return ex.hint(`for n = ${n}, batch ${B}: train() does not drop the last, smaller batch; it still makes a step.`);
    }
    if (!Number.isInteger(got)) {
      return ex.hint(`a number of steps is a whole number (got ${got} for n = ${n}, batch ${B}).`);
    }
    return ex.hint(`for n = ${n}, batch ${B}, ${E} epochs you return ${got}. ` +
      "Count the batches in one epoch first.");
  }
  return ex.pass("⌈n / batch⌉ updates per epoch, times the epochs (1000 samples, batch 32, 10 epochs: 320).");
}

// ---------------------------------------------------------------------------
// Exercise 5.2 — one SGD step

/** `step(p, grads, lr)` should update p in place: every weight moves against its gradient. */
export function checkSgdStep(step: (p: RnnParams, grads: RnnParams, lr: number) => void): CheckResult {
  const ex = exercise("5.2");
  const rng = makeRng("exercise-5.2");
  const p = initRnnParams({ I: 2, H: 4, seed: "exercise-5.2" });
  const grads = cloneParams(p);
  for (const [, g] of paramArrays(grads)) g.set(normalArray(rng, g.length));
  const lr = 0.1;
  const want = cloneParams(p);
  sgdStep(want, grads, lr);
  const mine = cloneParams(p);
  const gradsCopy = cloneParams(grads);
  const r = attempt(() => step(mine, gradsCopy, lr));
  if (r.error !== undefined) return ex.threw(r.error);
  if (maxParamDiff(gradsCopy, grads) !== 0) {
    return ex.hint("your step changed the gradients; only the parameters should move.");
  }
  if (maxParamDiff(mine, want) <= 1e-15) {
    return ex.pass("p ← p − lr·grads, for every array (weights AND biases), in place.");
  }
  if (maxParamDiff(mine, p) === 0) {
    const returned = r.value as unknown;
    if (returned && typeof returned === "object") {
      return ex.hint("you returned new values, but p itself did not change. Update the arrays in place.");
    }
    return ex.hint("p did not change. Loop over every parameter array and move each value.");
  }
  const uphill = cloneParams(p);
  for (const [name, w] of paramArrays(uphill)) {
    const g = new Map(paramArrays(grads)).get(name) as Float64Array;
    for (let k = 0; k < w.length; k++) w[k] += lr * g[k];
  }
  if (maxParamDiff(mine, uphill) <= 1e-15) {
    return ex.hint("your step goes uphill. The gradient points to where the loss GROWS.");
  }
  const noLr = cloneParams(p);
  sgdStep(noLr, grads, 1);
  if (maxParamDiff(mine, noLr) <= 1e-15) {
    return ex.hint("the learning rate is missing: it sets how far each step goes.");
  }
  const wantArrays = new Map(paramArrays(want));
  const untouched: string[] = [];
  for (const [name, w] of paramArrays(mine)) {
    const before = new Map(paramArrays(p)).get(name) as Float64Array;
    if (w.every((v, k) => v === before[k]) && !(wantArrays.get(name) as Float64Array).every((v, k) => v === before[k])) untouched.push(name);
  }
  if (untouched.length > 0) {
    return ex.hint(`${untouched.join(", ")} did not move. Every parameter array takes a step.`);
  }
  return ex.hint("the updated parameters differ from p − lr·grads. Check the index you use in each array.");
}

// ---------------------------------------------------------------------------
// Exercise 5.3 — one epoch of mini-batch SGD

/** The shape of rnnLossAndGrads, which the learner's epoch receives. */
export type LossAndGrads = (p: RnnParams, x: Float64Array, T: number, y: number) => { loss: number; grads: RnnParams };

/**
 * `oneEpoch(p, data, lr, batchSize)` should run one epoch of mini-batch SGD in
 * data order — one step per batch with the MEAN gradient of its samples, the
 * last batch possibly smaller — update p in place and return the mean of the
 * per-sample losses. It must reproduce train(p, data, { lr, epochs: 1, batchSize }).
 */
export function checkOneEpoch(oneEpoch: (p: RnnParams, data: Dataset, lr: number, batchSize: number) => number): CheckResult {
  const ex = exercise("5.3");
  const data = makeSignOfSumData({ n: 60, T: 10, I: 1, seed: "exercise-5.3" });
  const lr = 0.05;
  for (const batchSize of [1, 7]) {
    const p0 = initRnnParams({ I: 1, H: 6, seed: `exercise-5.3-${batchSize}` });
    const ref = cloneParams(p0);
    const refLoss = train(ref, data, { lr, epochs: 1, batchSize })[0].meanLoss;
    const mine = cloneParams(p0);
    const r = attempt(() => oneEpoch(mine, data, lr, batchSize));
    if (r.error !== undefined) return ex.threw(r.error, `with batch size ${batchSize} your function`);
    const loss = r.value;
    if (typeof loss !== "number" || !Number.isFinite(loss)) {
      return ex.hint(`return the epoch's mean loss as a number (got ${String(loss)}).`);
    }
    if (maxParamDiff(mine, p0) === 0) {
      return ex.hint("p did not change. After each batch's gradient, take an SGD step.");
    }
    const diff = maxParamDiff(mine, ref);
    if (diff > 1e-9) {
      const hint = batchSize === 1
        ? "With batch size 1 every sample makes its own step, in data order, with the current weights."
        : "Each step uses the MEAN gradient of its batch (divide by the batch's own size: 60 samples in batches of 7 end with a batch of 4).";
      return ex.hint(`with batch size ${batchSize} your parameters end ` +
        `${diff.toExponential(1)} away from train()'s. ${hint}`);
    }
    if (Math.abs(loss - refLoss) > 1e-9) {
      if (Math.abs(loss - refLoss * data.n) < 1e-6) {
        return ex.hint("the weights are right, but return the MEAN loss over the samples, not the sum.");
      }
      return ex.hint(`the weights are right but the returned loss ${loss.toFixed(4)} is not the ` +
        "mean of the per-sample losses computed during the pass.");
    }
  }
  return ex.pass("your epoch reproduces train() for batch sizes 1 and 7.");
}
