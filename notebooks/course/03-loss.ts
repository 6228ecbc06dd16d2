// Checks for the exercises of lesson 3 (the loss). Each check prints one line
// ("✔ Exercise 3.k: correct …" or "✘ Exercise 3.k: not yet — hint") and
// returns { ok, message }; it never throws on a wrong answer.
import { exercise, attempt } from "./report";
import type { CheckResult } from "./report";

export type { CheckResult };

/** |a − b| relative to |b|, with an absolute floor for values near 0. */
function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

// Private references (the learner writes their own).
function softplusRef(z: number): number {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}
function sigmoidRef(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

// ---------------------------------------------------------------- 3.1

/** Exercise 3.1: `softplus(z)` = log(1 + e^z), finite and accurate for every finite z. */
export function checkSoftplus(softplus: (z: number) => number): CheckResult {
  const ex = exercise("3.1");
  if (typeof softplus !== "function") return ex.hint("pass your function itself: checkSoftplus(softplus)");
  // Large z first, so the overflow shows before the loss of digits.
  const zs = [0, 1, -1, 1000, 710, 2.5, -2.5, 10, -10, 30, -30, 50, -50, 700, -1000, 1e-8, -1e-8];
  for (const z of zs) {
    const want = softplusRef(z);
    const r = attempt(() => softplus(z));
    if (r.error !== undefined) return ex.threw(r.error, `softplus(${z})`);
    const got = r.value;
    if (typeof got !== "number") return ex.hint(`softplus(${z}) returned ${String(got)}; return a number`);
    if (want === 0 ? got === 0 : relErr(got, want) <= 1e-12) continue;
    let hint = `softplus(${z}) returned ${got}`;
    if (!Number.isFinite(got)) {
      hint += "; e^z overflows for large z: take max(z, 0) out of the logarithm first";
    } else if (got < 0) {
      hint += "; softplus is never negative";
    } else if (Math.abs(got - softplusRef(-z)) <= 1e-12 * Math.max(1, Math.abs(got))) {
      hint += "; that is softplus(−z): check the sign inside the exponential";
    } else if (z < 0) {
      hint += `, relative error ${got === 0 ? "1 (the true value is tiny but not 0)" : relErr(got, want).toExponential(2)}: ` +
        "1 + u loses the digits of a small u; Math.log1p(u) computes log(1 + u) without that loss";
    } else {
      hint += `; relative error ${relErr(got, want).toExponential(2)}, expected below 1e-12`;
    }
    return ex.hint(hint);
  }
  return ex.pass(`accurate to 1e-12 (relative) for z from −1000 to 1000.`);
}

// ---------------------------------------------------------------- 3.2

/**
 * Exercise 3.2: `d2LossDz2(z)` = the second derivative of the binary cross-entropy with respect to
 * the logit (the same for y = 0 and y = 1), accurate to 1e-12 (relative) for every z in [−1000, 1000].
 */
export function checkSecondDerivative(d2LossDz2: (z: number) => number): CheckResult {
  const ex = exercise("3.2");
  if (typeof d2LossDz2 !== "function") return ex.hint("pass your function itself: checkSecondDerivative(d2LossDz2)");
  const zs = [0, 1, -1, 2.5, -3, 10, -10, 40, -40, 100, -100, 700, -700, 1000, -1000];
  // σ(z)·σ(−z): both factors computed without subtraction, so tiny values keep their digits.
  const want = (z: number) => sigmoidRef(z) * sigmoidRef(-z);
  const got: unknown[] = [];
  for (const z of zs) {
    const r = attempt(() => d2LossDz2(z));
    if (r.error !== undefined) return ex.threw(r.error, `d2LossDz2(${z})`);
    got.push(r.value);
  }
  const bad = zs.findIndex((z, k) => {
    const g = got[k];
    const w = want(z);
    return typeof g !== "number" || !(w === 0 ? g === 0 : relErr(g, w) <= 1e-12);
  });
  if (bad < 0) return ex.pass(`accurate to 1e-12 (relative) for z from −1000 to 1000, and never negative.`);
  const z = zs[bad];
  const g = got[bad];
  let hint = `d2LossDz2(${z}) returned ${String(g)}`;
  const all = (f: (z: number) => number) => zs.every((zz, k) => typeof got[k] === "number" && Math.abs((got[k] as number) - f(zz)) <= 1e-12 * Math.max(1e-300, Math.abs(f(zz))));
  const s = sigmoidRef(z);
  if (typeof g !== "number") hint += "; return a number";
  else if (got.every((v) => v === got[0])) hint += ", the same value for every z; the curvature changes with z";
  else if (!Number.isFinite(g)) hint += "; something overflowed: exponentiate only numbers ≤ 0";
  else if (g < 0) hint += "; the loss is convex in z, so its second derivative is never negative";
  else if (all(sigmoidRef) || all((zz) => sigmoidRef(zz) - 1)) hint += "; that is the first derivative σ(z) − y: differentiate once more";
  else if (g === 0 && z < 0) hint += ", but the true value is tiny and positive: an intermediate overflowed to Infinity (and x / Infinity = 0); exponentiate only numbers ≤ 0";
  else if (Math.abs(g - s * (1 - s)) <= 1e-12 * Math.max(1e-300, Math.abs(g)) || (g === 0 && z > 0)) {
    hint += `, but the true value is ${z > 0 ? "a little different" : "different"}: 1 − σ(z) computed by subtraction loses digits when σ(z) is close to 1 — use a symmetry of σ instead`;
  } else hint += "; differentiate dL/dz = σ(z) − y once more with respect to z";
  return ex.hint(hint);
}

// ---------------------------------------------------------------- 3.3

/**
 * Exercise 3.3: `meanLossOfConstant(p, ys)` is the mean binary cross-entropy of
 * a predictor that says probability p (0 < p < 1) for every sample, on labels ys.
 */
export function checkMeanLossOfConstant(meanLossOfConstant: (p: number, ys: Float64Array) => number): CheckResult {
  const ex = exercise("3.3");
  if (typeof meanLossOfConstant !== "function") {
    return ex.hint("pass your function itself: checkMeanLossOfConstant(meanLossOfConstant)");
  }
  const labelSets = [
    new Float64Array([1, 0, 1, 1]),
    new Float64Array([0, 0, 0, 1, 0, 1, 0, 0, 0, 0]),
    new Float64Array([1]),
    new Float64Array([0, 1]),
  ];
  for (const ys of labelSets) {
    const ones = ys.reduce((s, v) => s + v, 0);
    for (const p of [0.5, 0.9, 0.2, 0.01]) {
      const want = -(ones * Math.log(p) + (ys.length - ones) * Math.log(1 - p)) / ys.length;
      const r = attempt(() => meanLossOfConstant(p, ys.slice()));
      const call = `meanLossOfConstant(${p}, ys) with ${ones} ones among ${ys.length} labels`;
      if (r.error !== undefined) return ex.threw(r.error, call);
      const got = r.value;
      if (typeof got !== "number") return ex.hint(`${call} returned ${String(got)}; return a number`);
      if (relErr(got, want) <= 1e-12) continue;
      let hint = `${call} returned ${got}`;
      if (relErr(got, want * ys.length) <= 1e-12 && ys.length > 1) hint += "; that is the total, the exercise asks for the mean";
      else if (relErr(got, -want) <= 1e-12) hint += "; the loss is minus the log-likelihood, so it is never negative";
      else if (relErr(got, want / Math.LN10) <= 1e-12) hint += "; use the natural logarithm (Math.log), not log10";
      else hint += "; each sample adds −log p if its label is 1 and −log(1 − p) if it is 0";
      return ex.hint(hint);
    }
  }
  return ex.pass(`right for ${labelSets.length} label sets and 4 constants each.`);
}

// ---------------------------------------------------------------- 3.4

/**
 * Exercise 3.4: the constant probability pBest with the lowest mean loss on the
 * labels ys (answered as a number, found any way you like: by search or algebra).
 */
export function checkBestConstant(pBest: number, ys: Float64Array): CheckResult {
  const ex = exercise("3.4");
  if (!(ys instanceof Float64Array) || ys.length === 0) {
    return ex.hint("pass the labels too: checkBestConstant(pBest, train.ys)");
  }
  const ones = ys.reduce((s, v) => s + v, 0);
  const q = ones / ys.length;
  const lossAt = (p: number): number => -(q * Math.log(p) + (1 - q) * Math.log(1 - p));
  if (typeof pBest !== "number" || !Number.isFinite(pBest) || pBest <= 0 || pBest >= 1) {
    return ex.hint(`pBest is ${String(pBest)}; it must be a probability strictly between 0 and 1`);
  }
  // Accept an answer found by a search on a grid of step 0.001.
  if (Math.abs(pBest - q) <= 0.0005 + 1e-12) {
    return ex.pass(`mean loss ${lossAt(pBest).toFixed(6)}; no constant does better on these labels.`);
  }
  const gap = lossAt(pBest) - lossAt(q);
  const side = pBest > q ? "lower" : "higher";
  return ex.hint(`pBest = ${pBest} gives mean loss ${lossAt(pBest).toFixed(6)}; a ${side} p does better (by ${gap.toExponential(2)}). Try your function from 3.3 on a grid of p, or set its derivative to zero`);
}
