// Built in lesson 09 (09-optimizers).
// Adam: momentum plus a per-parameter step size (Kingma & Ba, 2015).
//
//   m ← β1·m + (1−β1)·g          running mean of the gradient        (direction)
//   v ← β2·v + (1−β2)·g²         running mean of the squared gradient (scale)
//   m̂ = m / (1−β1^t),  v̂ = v / (1−β2^t)     undo the pull towards the zero start
//   w ← w − lr · m̂ / (√v̂ + ε)
//
// Dividing by √v̂ makes each parameter's step about lr in size whatever its gradient's scale:
// a weight whose gradient is tiny (like an RNN's early-step path) moves as fast as one whose
// gradient is huge. That is why Adam copes with the very uneven gradients of recurrent nets.
// State arrays follow the canonical order of paramArrays(p): any registered cell works.
import type { BaseParams } from "./params";
import { paramArrays } from "./params";
import { checkDecay, checkObject, checkPositive } from "./checks";
import { cellOps } from "./cells";
import { alignState } from "./momentum";
import { pow } from "./math"; // Math.pow differs between engines in the last bit (lib/math.ts)

/** Adam's running moments of every parameter array, and the number of steps taken. */
export interface AdamState {
  kind: "adam";
  /** steps taken so far (for the bias correction) */
  t: number;
  m: Array<[string, Float64Array]>;
  v: Array<[string, Float64Array]>;
}

/** Options of adamStep. */
export interface AdamOptions {
  /** learning rate (step size), > 0; 0.001–0.01 is typical */
  lr: number;
  /** decay of the gradient's running mean, in [0, 1) (default 0.9) */
  beta1?: number;
  /** decay of the squared gradient's running mean, in [0, 1) (default 0.999) */
  beta2?: number;
  /** added to √v̂ so a zero gradient does not divide by zero (default 1e-8) */
  eps?: number;
}

/** Zero moments for parameters shaped like p. */
export function makeAdamState(p: BaseParams): AdamState {
  cellOps(p, "makeAdamState");
  const zeros = (): Array<[string, Float64Array]> => paramArrays(p).map(([name, w]): [string, Float64Array] => [name, new Float64Array(w.length)]);
  return { kind: "adam", t: 0, m: zeros(), v: zeros() };
}

/** One Adam step, in place on p and state. */
export function adamStep(p: BaseParams, grads: BaseParams, state: AdamState, opts: AdamOptions): void {
  const fn = "adamStep";
  checkObject(fn, "state", state, "makeAdamState(p)'s { kind, t, m, v }");
  checkObject(fn, "opts", opts, "{ lr, beta1?, beta2?, eps? }");
  const lr = checkPositive(fn, "opts.lr", opts.lr);
  const beta1 = checkDecay(fn, "opts.beta1", opts.beta1 ?? 0.9);
  const beta2 = checkDecay(fn, "opts.beta2", opts.beta2 ?? 0.999);
  const eps = checkPositive(fn, "opts.eps", opts.eps ?? 1e-8);
  const ms = alignState(fn, p, grads, state.m, "state.m");
  const vs = alignState(fn, p, grads, state.v, "state.v");
  state.t += 1;
  const { c1, c2 } = adamBiasCorrections(beta1, beta2, state.t);
  for (let a = 0; a < ms.length; a++) adamUpdate(ms[a][0], ms[a][1], ms[a][2], vs[a][2], { lr, beta1, beta2, eps, c1, c2 });
}

/** The bias corrections of step t (1-based): c1 = 1 − β1^t and c2 = 1 − β2^t (adamStep and train's "adam" rule both use this). */
export function adamBiasCorrections(beta1: number, beta2: number, t: number): { c1: number; c2: number } {
  return { c1: 1 - pow(beta1, t), c2: 1 - pow(beta2, t) };
}

/** Adam's settings for one step: c1 = 1 − β1^t and c2 = 1 − β2^t are the bias corrections of step t. */
export interface AdamStepSettings { lr: number; beta1: number; beta2: number; eps: number; c1: number; c2: number }

/** The Adam arithmetic on one parameter array w with gradient g and moments m, v; unchecked (hot path). */
export function adamUpdate(w: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, s: AdamStepSettings): void {
  const { lr, beta1, beta2, eps, c1, c2 } = s;
  const keep1 = 1 - beta1, keep2 = 1 - beta2; // the same numbers as writing 1 − β inside the loop
  for (let k = 0; k < w.length; k++) {
    const gk = g[k];
    const mk = beta1 * m[k] + keep1 * gk;
    const vk = beta2 * v[k] + keep2 * gk * gk;
    m[k] = mk;
    v[k] = vk;
    w[k] -= (lr * (mk / c1)) / (Math.sqrt(vk / c2) + eps);
  }
}
