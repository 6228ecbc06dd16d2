// Built in lesson 10 (10-char-lm).
// Adagrad (Duchi, Hazan & Singer, 2011), the update of Karpathy's min-char-rnn:
//
//   G ← G + g²                  sum of every squared gradient so far
//   w ← w − lr · g / (√G + ε)
//
// Each parameter's step shrinks as its gradients add up; a parameter that is
// rarely used (the input column of a rare character) keeps a large step.
// State arrays follow the canonical order of paramArrays(p), like adam.ts.
import type { BaseParams } from "./params";
import { paramArrays } from "./params";
import { checkPositive } from "./checks";
import { cellOps } from "./cells";
import { alignState } from "./momentum";

/** Adagrad's running sum of squared gradients, per parameter array. */
export interface AdagradState {
  kind: "adagrad";
  sumSq: Array<[string, Float64Array]>;
}

/** Options of adagradStep. */
export interface AdagradOptions {
  /** learning rate, > 0 (min-char-rnn uses 0.1) */
  lr: number;
  /** added to √G so a zero sum does not divide by zero (default 1e-8) */
  eps?: number;
}

/** Zero sums for parameters shaped like p. */
export function makeAdagradState(p: BaseParams): AdagradState {
  cellOps(p, "makeAdagradState");
  return { kind: "adagrad", sumSq: paramArrays(p).map(([name, w]): [string, Float64Array] => [name, new Float64Array(w.length)]) };
}

/** One Adagrad step, in place on p and state. */
export function adagradStep(p: BaseParams, grads: BaseParams, state: AdagradState, opts: AdagradOptions): void {
  const fn = "adagradStep";
  const lr = checkPositive(fn, "opts.lr", opts.lr);
  const eps = checkPositive(fn, "opts.eps", opts.eps ?? 1e-8);
  for (const [w, g, G] of alignState(fn, p, grads, state.sumSq, "state.sumSq")) adagradUpdate(w, g, G, lr, eps);
}

/** Adagrad's arithmetic on one array (train()'s update rule "adagrad" and adagradStep share it). */
export function adagradUpdate(w: Float64Array, g: Float64Array, sumSq: Float64Array, lr: number, eps: number): void {
  for (let k = 0; k < w.length; k++) {
    sumSq[k] += g[k] * g[k];
    w[k] -= (lr * g[k]) / (Math.sqrt(sumSq[k]) + eps);
  }
}
