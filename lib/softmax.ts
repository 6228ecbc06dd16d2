// Built in lesson 10 (10-char-lm).
// Softmax and its cross-entropy over a vocabulary of V classes, computed from
// the logits z so that nothing overflows: subtracting max(z) before exp()
// changes no probability (it cancels between numerator and denominator) but
// keeps every exp() ≤ 1. Try z = [1000, 0]: exp(1000) is Infinity, the
// shifted version is exp(0) = 1 and exp(−1000) = 0, and the loss is exact.
//
//   p_k  = e^(z_k − m) / Σ_j e^(z_j − m),     m = max_j z_j
//   loss = −log p_y = log Σ_j e^(z_j − m) + m − z_y
//   dloss/dz_k = p_k − [k = y]                (p − onehot(y))
import { checkCount, describe } from "./checks";
import { exp, log } from "./math"; // the same bits in every JavaScript engine (lib/math.ts)

/**
 * Softmax of z[off .. off+V) into out[outOff .. outOff+V), with the logits
 * divided by `temperature` first (1 = plain softmax). Returns log Σ_j e^(z_j/τ − m) + m,
 * the log of the normaliser, so a caller gets −log p_y as that minus z_y/τ.
 */
export function softmaxInto(z: ArrayLike<number>, off: number, V: number, out: Float64Array, outOff: number, temperature = 1): number {
  if (temperature === 1) return softmaxPlain(z, off, V, out, outOff);
  let m = -Infinity;
  for (let k = 0; k < V; k++) {
    const v = z[off + k] / temperature;
    if (v > m) m = v;
  }
  let s = 0;
  for (let k = 0; k < V; k++) {
    const e = exp(z[off + k] / temperature - m);
    out[outOff + k] = e;
    s += e;
  }
  for (let k = 0; k < V; k++) out[outOff + k] /= s;
  return log(s) + m;
}

/** softmaxInto at temperature 1, without dividing every logit by 1 (the same numbers: z/1 is z). */
function softmaxPlain(z: ArrayLike<number>, off: number, V: number, out: Float64Array, outOff: number): number {
  let m = -Infinity;
  for (let k = 0; k < V; k++) if (z[off + k] > m) m = z[off + k];
  let s = 0;
  for (let k = 0; k < V; k++) {
    const e = exp(z[off + k] - m);
    out[outOff + k] = e;
    s += e;
  }
  for (let k = 0; k < V; k++) out[outOff + k] /= s;
  return log(s) + m;
}

/** The softmax of z as a new array (stable for any finite z). */
export function softmax(z: ArrayLike<number>): Float64Array {
  checkLogits("softmax", z);
  const out = new Float64Array(z.length);
  softmaxInto(z, 0, z.length, out, 0);
  return out;
}

/** Cross-entropy −log softmax(z)_y of the class y ∈ {0, …, V−1}, computed stably from the logits. */
export function softmaxCrossEntropy(z: ArrayLike<number>, y: number): number {
  checkLogits("softmaxCrossEntropy", z);
  checkClass("softmaxCrossEntropy", y, z.length);
  const p = new Float64Array(z.length);
  return softmaxInto(z, 0, z.length, p, 0) - z[y];
}

/** dLoss/dz of softmaxCrossEntropy: p − onehot(y). */
export function dSoftmaxCrossEntropy(z: ArrayLike<number>, y: number): Float64Array {
  checkLogits("dSoftmaxCrossEntropy", z);
  checkClass("dSoftmaxCrossEntropy", y, z.length);
  const g = softmax(z);
  g[y] -= 1;
  return g;
}

function checkLogits(fn: string, z: ArrayLike<number>): void {
  if (!(z instanceof Float64Array) && !Array.isArray(z)) throw new Error(`${fn}: z is ${describe(z)}, expected a Float64Array or number[] of logits`);
  if (z.length < 1) throw new Error(`${fn}: z is empty, expected at least one logit`);
  for (let k = 0; k < z.length; k++) {
    if (typeof z[k] !== "number" || !Number.isFinite(z[k])) throw new Error(`${fn}: z[${k}] is ${describe(z[k])}, expected a finite number`);
  }
}

function checkClass(fn: string, y: unknown, V: number): void {
  checkCount(fn, "y", y, 0);
  if ((y as number) >= V) throw new Error(`${fn}: y is ${y}, expected a class index below V = ${V}`);
}
