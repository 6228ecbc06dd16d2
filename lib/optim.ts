// Built in lessons 05 and 07 (SGD in 05-training, gradient clipping in 07-long-sequences).
// Plain stochastic gradient descent, and clipping by global norm: if the
// gradient of all parameters together is longer than maxNorm, scale it down
// to length maxNorm (its direction is kept). Clipping tames the rare huge
// gradients that a recurrence can produce (exploding gradients).
import type { BaseParams } from "./params";
import { paramArrays } from "./params";
import { checkFinite, checkPositive } from "./checks";
import { checkParamShapes } from "./params";
import { cellOps, checkSameShape } from "./cells";

/**
 * p and grads of the same registered kind and shapes, every array present (checked against the
 * cell's shapes), and every gradient finite: an update never writes NaN into p. Returns the pairs.
 */
export function checkPair(fn: string, p: BaseParams, grads: BaseParams): Array<[Float64Array, Float64Array]> {
  const ops = cellOps(p, fn);
  checkParamShapes(fn, p, ops.kind, ops.shapes, "p");
  checkParamShapes(fn, grads, ops.kind, ops.shapes, "grads");
  checkSameShape(fn, p, "p", grads, "grads");
  for (const [name, g] of paramArrays(grads)) checkFinite(fn, `grads.${name}`, g);
  const g = new Map(paramArrays(grads));
  return paramArrays(p).map(([name, w]): [Float64Array, Float64Array] => {
    const gw = g.get(name);
    if (!gw || gw.length !== w.length) {
      throw new Error(`${fn}: grads.${name} is ${gw ? `of length ${gw.length}` : "missing"}, expected ${w.length} values like p.${name}`);
    }
    return [w, gw];
  });
}

/** One SGD step, in place: p ← p − lr · grads. Checked: shapes, every array present, gradients finite. */
export function sgdStep(p: BaseParams, grads: BaseParams, lr: number): void {
  checkPositive("sgdStep", "lr", lr);
  for (const [w, g] of checkPair("sgdStep", p, grads)) sgdUpdate(w, g, lr);
}

/** The SGD arithmetic on one parameter array, unchecked (hot path of sgdStep and train's "sgd" rule). */
export function sgdUpdate(w: Float64Array, g: Float64Array, lr: number): void {
  for (let k = 0; k < w.length; k++) w[k] -= lr * g[k];
}

/**
 * The Euclidean norm of all gradient values together (every array, canonical order). Checked: a
 * non-finite gradient, or a norm that overflows, throws (naming the first bad value).
 */
export function gradNorm(grads: BaseParams): number {
  if (typeof grads !== "object" || grads === null) throw new Error(`gradNorm: grads is ${grads === null ? "null" : typeof grads}, expected a parameter-shaped object`);
  const norm = globalNorm(grads);
  if (!Number.isFinite(norm)) {
    for (const [name, g] of paramArrays(grads)) checkFinite("gradNorm", `grads.${name}`, g);
    throw new Error(`gradNorm: the norm overflows to ${norm} (the gradients are finite but huge)`);
  }
  return norm;
}

/** gradNorm without the check: NaN or Infinity when a gradient is (the training loop's divergence check reads it). */
export function globalNorm(grads: BaseParams): number {
  let sumSq = 0;
  for (const [, g] of paramArrays(grads)) {
    for (let k = 0; k < g.length; k++) sumSq += g[k] * g[k];
  }
  return Math.sqrt(sumSq);
}

/** Scale grads in place so their global norm is at most maxNorm; returns the norm BEFORE clipping. */
export function clipGradNorm(grads: BaseParams, maxNorm: number): number {
  checkPositive("clipGradNorm", "maxNorm", maxNorm);
  const norm = globalNorm(grads);
  if (!Number.isFinite(norm)) throw new Error(`clipGradNorm: the gradient norm is ${norm}, expected a finite number`);
  clipKnownNorm(grads, norm, maxNorm);
  return norm;
}

/** clipGradNorm's scaling, unchecked, for a caller that has already computed norm = globalNorm(grads) (the training loop). */
export function clipKnownNorm(grads: BaseParams, norm: number, maxNorm: number): void {
  if (norm > maxNorm) {
    const scale = maxNorm / norm;
    for (const [, g] of paramArrays(grads)) {
      for (let k = 0; k < g.length; k++) g[k] *= scale;
    }
  }
}

/** Divide every gradient value by n in place (turns a sum over n samples into their mean). */
export function scaleGradsDown(grads: BaseParams, n: number): void {
  for (const [, g] of paramArrays(grads)) {
    for (let k = 0; k < g.length; k++) g[k] = g[k] / n;
  }
}

/** Set every gradient value to 0 in place. */
export function zeroGrads(grads: BaseParams): void {
  for (const [, g] of paramArrays(grads)) g.fill(0);
}
