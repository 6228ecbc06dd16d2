// Built in lesson 04 (04-bptt).
// Backpropagation through time for the plain RNN — every gradient exact.
//
// Going backwards from the output, dh holds dLoss/dh_t. At each step
//   da_t        = (1 − h_t²) ⊙ dh_t          (tanh' uses THIS step's h_t)
//   dWxh       += da_t x_tᵀ,  dWhh += da_t h_{t−1}ᵀ,  dbh += da_t
//   dh_{t−1}    = Whhᵀ da_t                    (flows into the previous step)
// The loss reaches the hidden states only through h_T, so dh starts as
// Whyᵀ dLogits at t = T and nowhere else. (The original note pushed the
// output gradient into every step, used the last h for every tanh', paired
// dWhh with the wrong hidden state and forgot the sigmoid: all fixed here.)
import type { RnnParams } from "./params";
import { zerosLike, rnnShapes, checkParamShapes, paramArrays } from "./params";
import type { RnnCache } from "./forward";
import { rnnForward } from "./forward";
import { bceWithLogits, dBceDLogit } from "./loss";
import { checkCount, checkFinite, checkLabel, checkLength, describe } from "./checks";

/**
 * Add the gradients of the loss w.r.t. every parameter into `grads`, given
 * the forward cache and dLoss/dLogits. Adding (not overwriting) lets a caller
 * sum the gradients of a mini-batch.
 * Checked: every shape and length, dLogits finite, and afterwards every gradient finite (a NaN or
 * Infinity in p, x or the cache throws, naming the first bad gradient; an O(P) scan after O(T·H²) work).
 */
export function rnnBackwardAdd(p: RnnParams, x: Float64Array, cache: RnnCache, dLogits: Float64Array, grads: RnnParams): void {
  const fn = "rnnBackward";
  checkParamShapes(fn, p, "rnn", rnnShapes);
  if (typeof cache !== "object" || cache === null) throw new Error(`${fn}: cache is ${describe(cache)}, expected rnnForward's { T, hs, logits }`);
  const { I, H, O, Whh, Why } = p;
  const { T, hs } = cache;
  checkCount(fn, "cache.T", T);
  checkLength(fn, "x", x, T * I, `T·I = ${T * I} (T=${T}, I=${I})`);
  checkLength(fn, "cache.hs", hs, (T + 1) * H, `(T+1)·H = ${(T + 1) * H}`);
  checkLength(fn, "dLogits", dLogits, O, `O = ${O}`);
  checkFinite(fn, "dLogits", dLogits);
  checkParamShapes(fn, grads, "rnn", rnnShapes, "grads");

  // Output layer: logit_o = by_o + Σ_j Why[o,j] h_T[j].
  const hLast = hs.subarray(T * H);
  const dh = new Float64Array(H); // dLoss/dh_t, for t = T first
  for (let o = 0; o < O; o++) {
    const g = dLogits[o];
    grads.by[o] += g;
    for (let j = 0; j < H; j++) {
      grads.Why[o * H + j] += g * hLast[j];
      dh[j] += Why[o * H + j] * g;
    }
  }

  const da = new Float64Array(H); // dLoss/da_t, where h_t = tanh(a_t)
  const dhPrev = new Float64Array(H); // dLoss/dh_{t-1}
  for (let t = T - 1; t >= 0; t--) {
    // Step t maps x_t (at x[t·I]) and h_t (hs row t) to h_{t+1} (hs row t+1).
    const h = hs.subarray((t + 1) * H, (t + 2) * H);
    const hPrev = hs.subarray(t * H, (t + 1) * H);
    for (let r = 0; r < H; r++) da[r] = (1 - h[r] * h[r]) * dh[r];
    dhPrev.fill(0);
    for (let r = 0; r < H; r++) {
      const g = da[r];
      grads.bh[r] += g;
      for (let i = 0; i < I; i++) grads.Wxh[r * I + i] += g * x[t * I + i];
      for (let j = 0; j < H; j++) {
        grads.Whh[r * H + j] += g * hPrev[j];
        dhPrev[j] += Whh[r * H + j] * g;
      }
    }
    dh.set(dhPrev);
  }
  for (const [name, g] of paramArrays(grads)) {
    for (let k = 0; k < g.length; k++) {
      if (!Number.isFinite(g[k])) throw new Error(`${fn}: grads.${name}[${k}] came out ${g[k]}: p, x or cache.hs holds a non-finite value`);
    }
  }
}

/** The gradients for one sequence as a new parameter-shaped object. */
export function rnnBackward(p: RnnParams, x: Float64Array, cache: RnnCache, dLogits: Float64Array): RnnParams {
  const grads = zerosLike(p);
  rnnBackwardAdd(p, x, cache, dLogits, grads);
  return grads;
}

/** Forward, loss (binary cross-entropy of the single logit against y ∈ {0,1}) and all gradients. */
export function rnnLossAndGrads(p: RnnParams, x: Float64Array, T: number, y: number): { loss: number; grads: RnnParams } {
  checkLabel("rnnLossAndGrads", "y", y);
  if (p.O !== 1) throw new Error(`rnnLossAndGrads: p.O is ${p.O}, expected 1 (one logit for binary cross-entropy)`);
  const cache = rnnForward(p, x, T);
  const z = cache.logits[0];
  const loss = bceWithLogits(z, y);
  const grads = rnnBackward(p, x, cache, new Float64Array([dBceDLogit(z, y)]));
  return { loss, grads };
}
