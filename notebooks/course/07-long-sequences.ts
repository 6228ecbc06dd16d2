// Checks for the exercises of lesson 07 (long sequences: vanishing and exploding gradients).
// Each check prints one line, "✔ …" or "✘ … not yet — hint", and returns { ok, message }.
// A wrong answer never throws: a hint is more useful than a stack trace.
import { makeRng, normalArray } from "../lib/random";
import { exercise, attempt, close } from "./report";
import type { CheckResult } from "./report";

export type { CheckResult };

// ---------------------------------------------------------------------------
// Exercise 7.1 — the factor over k steps in the linear regime.

/** `shrinkFactor(rho, k)` should give the factor by which ‖∂L/∂h‖ changes over k steps back. */
export function checkShrinkFactor(shrinkFactor: (rho: number, k: number) => number): CheckResult {
  const ex = exercise("7.1");
  const cases: Array<[number, number]> = [[0.5, 1], [0.5, 10], [0.9, 100], [1.5, 20], [1, 37], [2, 0]];
  for (const [rho, k] of cases) {
    const r = attempt(() => shrinkFactor(rho, k));
    if (r.error !== undefined) return ex.threw(r.error);
    const v = r.value;
    if (typeof v !== "number" || !Number.isFinite(v)) {
      return ex.hint(`return a finite number (got ${String(v)} for ρ = ${rho}, k = ${k}).`);
    }
    const want = Math.pow(rho, k);
    if (close(v, want)) continue;
    if (close(v, rho * k)) {
      return ex.hint(`each step MULTIPLIES the norm by ρ; the factors do not add up.`);
    }
    if (k === 1 && !close(v, rho)) {
      return ex.hint(`start with one step: by how much does Whhᵀ = ρQᵀ change a vector's length?`);
    }
    return ex.hint(`right for some cases but not for ρ = ${rho}, k = ${k}. One step scales by ρ; what do k steps do?`);
  }
  return ex.pass(`k steps multiply the norm by ρ^k: 0.9^100 ≈ ${Math.pow(0.9, 100).toExponential(1)}.`);
}

// ---------------------------------------------------------------------------
// Exercise 7.2 — clipping by global norm.

/** `clip(grads, maxNorm)` should scale the arrays in place to joint norm ≤ maxNorm and return the norm before. */
export function checkClipByGlobalNorm(clip: (grads: Float64Array[], maxNorm: number) => number): CheckResult {
  const ex = exercise("7.2");
  const rng = makeRng("exercise-7.2");
  const cases: Array<{ grads: Float64Array[]; maxNorm: number }> = [
    { grads: [Float64Array.of(3, 0), Float64Array.of(0, 4)], maxNorm: 1 },  // norm 5 → clipped
    { grads: [Float64Array.of(0.1, -0.2), Float64Array.of(0.05)], maxNorm: 1 }, // small: untouched
    { grads: [normalArray(rng, 6, 10), normalArray(rng, 3, 10), normalArray(rng, 1, 10)], maxNorm: 2.5 },
    { grads: [new Float64Array(4)], maxNorm: 1 }, // all zero
  ];
  for (const c of cases) {
    const before = c.grads.map((g) => g.slice());
    let sumSq = 0;
    for (const g of before) for (const v of g) sumSq += v * v;
    const norm = Math.sqrt(sumSq);
    const r = attempt(() => clip(c.grads, c.maxNorm));
    if (r.error !== undefined) return ex.threw(r.error);
    if (typeof r.value !== "number" || !close(r.value, norm)) {
      return ex.hint(`return the global norm BEFORE clipping: the square root of the sum of squares of every value in every array (got ${String(r.value)}).`);
    }
    const scale = norm > c.maxNorm ? c.maxNorm / norm : 1;
    let changedWrongly = false;
    let perArray = true;
    for (let a = 0; a < before.length; a++) {
      let ssA = 0;
      for (const v of before[a]) ssA += v * v;
      const nA = Math.sqrt(ssA);
      const perArrayScale = nA > c.maxNorm ? c.maxNorm / nA : 1;
      for (let k = 0; k < before[a].length; k++) {
        if (!close(c.grads[a][k], before[a][k] * scale, 1e-12)) changedWrongly = true;
        if (!close(c.grads[a][k], before[a][k] * perArrayScale, 1e-12)) perArray = false;
      }
    }
    if (changedWrongly) {
      if (perArray && scale !== 1) {
        return ex.hint(`you clipped each array by its own norm. Use ONE norm over all arrays together, and one scale factor for all of them.`);
      }
      if (scale === 1) return ex.hint(`when the norm is already ≤ maxNorm, leave the gradients unchanged.`);
      return ex.hint(`after clipping, the arrays should point the same way as before and have joint norm exactly maxNorm (scale every value by the same factor, in place).`);
    }
  }
  return ex.pass(`one norm over all arrays, one scale factor, direction kept.`);
}

// ---------------------------------------------------------------------------
// Exercise 7.3 — the step Jacobian diag(1 − h_t²)·Whh.

/** `stepJacobian(Whh, hNext, H)` should return ∂h_t/∂h_{t−1} as an H×H row-major matrix. */
export function checkStepJacobian(stepJacobian: (Whh: Float64Array, hNext: Float64Array, H: number) => Float64Array): CheckResult {
  const ex = exercise("7.3");
  const H = 4;
  const rng = makeRng("exercise-7.3");
  const Whh = normalArray(rng, H * H, 0.8);
  const u = normalArray(rng, H, 0.7); // Wxh·x_t + bh, fixed
  const hPrev = normalArray(rng, H, 0.5);
  const step = (h: Float64Array): Float64Array => {
    const out = new Float64Array(H);
    for (let r = 0; r < H; r++) {
      let a = u[r];
      for (let j = 0; j < H; j++) a += Whh[r * H + j] * h[j];
      out[r] = Math.tanh(a);
    }
    return out;
  };
  const hNext = step(hPrev);
  // Finite differences: column j of J is (step(hPrev + ε e_j) − step(hPrev − ε e_j)) / 2ε.
  const eps = 1e-6;
  const numeric = new Float64Array(H * H);
  for (let j = 0; j < H; j++) {
    const hp = hPrev.slice(); hp[j] += eps;
    const hm = hPrev.slice(); hm[j] -= eps;
    const fp = step(hp), fm = step(hm);
    for (let r = 0; r < H; r++) numeric[r * H + j] = (fp[r] - fm[r]) / (2 * eps);
  }
  const r = attempt(() => stepJacobian(Whh.slice(), hNext.slice(), H));
  if (r.error !== undefined) return ex.threw(r.error);
  const J = r.value;
  if (!(J instanceof Float64Array) || J.length !== H * H) {
    return ex.hint(`return a Float64Array of H·H = ${H * H} values (row-major, J[r·H + j]).`);
  }
  let err = 0, errT = 0, errNoSlope = 0;
  for (let a = 0; a < H; a++) for (let b = 0; b < H; b++) {
    err = Math.max(err, Math.abs(J[a * H + b] - numeric[a * H + b]));
    errT = Math.max(errT, Math.abs(J[a * H + b] - numeric[b * H + a]));
    errNoSlope = Math.max(errNoSlope, Math.abs(J[a * H + b] - Whh[a * H + b]));
  }
  if (err < 1e-7) return ex.pass(`max |J − finite differences| = ${err.toExponential(1)}.`);
  if (errNoSlope < 1e-12) return ex.hint(`that is Whh alone. The tanh's slope at h_t also enters: d tanh(a)/da = 1 − tanh(a)².`);
  if (errT < 1e-7) return ex.hint(`you built the transpose. Row r of J is how h_t[r] depends on each h_{t−1}[j].`);
  return ex.hint(`max |J − finite differences| = ${err.toExponential(1)}. Entry (r, j) is ∂h_t[r]/∂h_{t−1}[j]; which slope multiplies row r?`);
}
