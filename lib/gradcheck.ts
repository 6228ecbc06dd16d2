// Built in lesson 04 (04-bptt).
// Gradient checking: compare analytic gradients with central finite
// differences,  dL/dw ≈ (L(w + ε) − L(w − ε)) / 2ε,  one parameter at a time.
// Default ε = 1e-6: the truncation error (∝ ε²) is then ~1e-12 and the
// rounding error (∝ 1/ε) ~1e-10, a good balance in float64.
// A correct gradient then agrees to about 1e-8 relative; a wrong one (like
// the original note's) disagrees by order 1.
import type { BaseParams } from "./params";
import { paramArrays } from "./params";
import { checkFunction, checkObject, checkPositive, describe } from "./checks";
import { validateParams, checkSameShape } from "./cells";

/** Options for gradCheck. */
export interface GradCheckOptions {
  /** finite-difference step (default 1e-6) */
  eps?: number;
}

/** The finite-difference estimate of dLoss/dw for every parameter (same layout as p). */
export function numericalGrads<P extends BaseParams>(p: P, lossOf: (p: P) => number, opts: GradCheckOptions = {}): Record<string, Float64Array> {
  checkFunction("numericalGrads", "lossOf", lossOf);
  checkObject("numericalGrads", "opts", opts, "{ eps? }");
  const eps = checkPositive("numericalGrads", "opts.eps", opts.eps ?? 1e-6);
  const lossAt = (): number => {
    const v: unknown = lossOf(p);
    if (typeof v !== "number") throw new Error(`numericalGrads: lossOf returned ${describe(v)}, expected a number (the loss)`);
    return v;
  };
  const out: Record<string, Float64Array> = {};
  for (const [name, w] of paramArrays(p)) {
    const num = new Float64Array(w.length);
    for (let k = 0; k < w.length; k++) {
      const saved = w[k];
      w[k] = saved + eps;
      const lossPlus = lossAt();
      w[k] = saved - eps;
      const lossMinus = lossAt();
      w[k] = saved; // restore exactly
      num[k] = (lossPlus - lossMinus) / (2 * eps);
      if (!Number.isFinite(num[k])) {
        throw new Error(`numericalGrads: the loss is not finite near ${name}[${k}] (loss(w+ε)=${lossPlus}, loss(w−ε)=${lossMinus})`);
      }
    }
    out[name] = num;
  }
  return out;
}

/** Relative error of one pair: |a − n| / max(|a| + |n|, 1e-12) — 0 when equal, 1 when of opposite sign. */
export function relativeError(a: number, n: number): number {
  return Math.abs(a - n) / Math.max(Math.abs(a) + Math.abs(n), 1e-12);
}

/** How well one parameter array's analytic gradient matches the numerical one. */
export interface ArrayCheck {
  /** max_k |a_k − n_k| / max_k max(|a_k|, |n_k|): the array's relative error */
  relError: number;
  /** max_k |a_k − n_k| */
  maxAbsDiff: number;
  /** the largest gradient magnitude in the array, max_k max(|a_k|, |n_k|) */
  scale: number;
  /** the index k with the largest |a_k − n_k| */
  worstIndex: number;
}

/**
 * Compare analytic `grads` with central differences of `lossOf` at p, array
 * by array. Why relative to the array's largest entry rather than entry by
 * entry: a central difference in float64 carries rounding noise of about
 * (ulp of the loss) / ε ≈ 1e-11, so an entry whose true gradient is 1e-7 can
 * only be confirmed to about 1e-4 of itself, however right it is. Measured
 * against the array's scale, a correct gradient gives ~1e-9 and a wrong one
 * (like the original note's) gives order 1.
 */
export function gradCheckDetails<P extends BaseParams>(p: P, lossOf: (p: P) => number, grads: P, opts: GradCheckOptions = {}): Record<string, ArrayCheck> {
  checkFunction("gradCheck", "lossOf", lossOf);
  validateParams(p, "gradCheck");
  validateParams(grads, "gradCheck", "grads");
  checkSameShape("gradCheck", p, "p", grads, "grads");
  const numeric = numericalGrads(p, lossOf, opts);
  const analytic = new Map(paramArrays(grads));
  const out: Record<string, ArrayCheck> = {};
  for (const name of Object.keys(numeric)) {
    const a = analytic.get(name) as Float64Array;
    const n = numeric[name];
    let maxAbsDiff = 0;
    let scale = 0;
    let worstIndex = 0;
    for (let k = 0; k < n.length; k++) {
      const diff = Math.abs(a[k] - n[k]);
      if (diff > maxAbsDiff) {
        maxAbsDiff = diff;
        worstIndex = k;
      }
      scale = Math.max(scale, Math.abs(a[k]), Math.abs(n[k]));
    }
    out[name] = { relError: maxAbsDiff / Math.max(scale, 1e-12), maxAbsDiff, scale, worstIndex };
  }
  return out;
}

/**
 * Check analytic gradients `grads` of `lossOf` at p against central finite
 * differences; returns each parameter array's relative error (see
 * gradCheckDetails), by name. p is perturbed one value at a time and
 * restored exactly. Below 1e-6: correct; near 1: wrong.
 */
export function gradCheck<P extends BaseParams>(p: P, lossOf: (p: P) => number, grads: P, opts: GradCheckOptions = {}): Record<string, number> {
  const details = gradCheckDetails(p, lossOf, grads, opts);
  const worst: Record<string, number> = {};
  for (const name of Object.keys(details)) worst[name] = details[name].relError;
  return worst;
}
