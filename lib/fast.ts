// The fast path of the plain RNN, used by train() and evaluate().
//
// It computes exactly what forward.ts + loss.ts + bptt.ts compute, with the
// same floating-point operations in the same order (so the numbers are
// bit-identical — test/unit/fast.test.ts checks it), but:
//   • all scratch memory (hidden states, dh, dhPrev) lives in a workspace made
//     once per training run, so the inner loops never allocate;
//   • no subarray views and no per-step argument checks (train() validates
//     everything once, before the first sample);
//   • the gradient step is fused with zeroing the gradients for the next sample.
// Read forward.ts and bptt.ts to learn the algorithm; this file is the same
// loops with the bookkeeping removed and several matrix rows handled per pass
// (eight in the forward pass, four in the backward pass; the comments below
// explain why the order of the additions, and so every result, is unchanged).
import type { RnnParams } from "./params";
import { bceWithLogits, dBceDLogit } from "./loss";

/** Scratch memory for sequences of up to T steps with H hidden units. */
export interface RnnWorkspace {
  T: number;
  H: number;
  /** (T+1)·H hidden states, h_0 = 0 */
  hs: Float64Array;
  dh: Float64Array;
  dhPrev: Float64Array;
  logits: Float64Array;
}

/** Allocate a workspace for parameters p and sequences of T steps. */
export function makeRnnWorkspace(p: RnnParams, T: number): RnnWorkspace {
  const H = p.H;
  return {
    T,
    H,
    hs: new Float64Array((T + 1) * H),
    dh: new Float64Array(H),
    dhPrev: new Float64Array(H),
    logits: new Float64Array(p.O),
  };
}

function ensure(ws: RnnWorkspace, p: RnnParams, T: number): RnnWorkspace {
  if (ws.T < T || ws.H !== p.H || ws.logits.length !== p.O) {
    throw new Error(
      `rnnForwardFast: the workspace is for T <= ${ws.T}, H = ${ws.H}, O = ${ws.logits.length}, but got T = ${T}, H = ${p.H}, O = ${p.O}; make it with makeRnnWorkspace(p, T)`,
    );
  }
  return ws;
}

/** Forward pass into ws.hs and ws.logits; returns the workspace used. */
export function rnnForwardFast(p: RnnParams, x: Float64Array, T: number, wsIn: RnnWorkspace): RnnWorkspace {
  const ws = ensure(wsIn, p, T);
  const { I, H, O, Wxh, Whh, Why, bh, by } = p;
  const hs = ws.hs;
  for (let r = 0; r < H; r++) hs[r] = 0; // h_0
  for (let t = 0; t < T; t++) {
    const xo = t * I;
    const po = t * H; // h_t
    const no = po + H; // h_{t+1}
    // Eight rows at a time: eight independent sums keep the CPU's adders busy
    // (one running sum waits for each addition to finish). Each row's sum
    // still adds its terms in the readable order, so the result is identical.
    let r = 0;
    for (; r + 7 < H; r += 8) {
      let a0 = bh[r];
      let a1 = bh[r + 1];
      let a2 = bh[r + 2];
      let a3 = bh[r + 3];
      let a4 = bh[r + 4];
      let a5 = bh[r + 5];
      let a6 = bh[r + 6];
      let a7 = bh[r + 7];
      const w0 = r * I;
      for (let i = 0; i < I; i++) {
        const xi = x[xo + i];
        a0 += Wxh[w0 + i] * xi;
        a1 += Wxh[w0 + I + i] * xi;
        a2 += Wxh[w0 + 2 * I + i] * xi;
        a3 += Wxh[w0 + 3 * I + i] * xi;
        a4 += Wxh[w0 + 4 * I + i] * xi;
        a5 += Wxh[w0 + 5 * I + i] * xi;
        a6 += Wxh[w0 + 6 * I + i] * xi;
        a7 += Wxh[w0 + 7 * I + i] * xi;
      }
      const r0 = r * H;
      for (let j = 0; j < H; j++) {
        const hj = hs[po + j];
        a0 += Whh[r0 + j] * hj;
        a1 += Whh[r0 + H + j] * hj;
        a2 += Whh[r0 + 2 * H + j] * hj;
        a3 += Whh[r0 + 3 * H + j] * hj;
        a4 += Whh[r0 + 4 * H + j] * hj;
        a5 += Whh[r0 + 5 * H + j] * hj;
        a6 += Whh[r0 + 6 * H + j] * hj;
        a7 += Whh[r0 + 7 * H + j] * hj;
      }
      hs[no + r] = Math.tanh(a0);
      hs[no + r + 1] = Math.tanh(a1);
      hs[no + r + 2] = Math.tanh(a2);
      hs[no + r + 3] = Math.tanh(a3);
      hs[no + r + 4] = Math.tanh(a4);
      hs[no + r + 5] = Math.tanh(a5);
      hs[no + r + 6] = Math.tanh(a6);
      hs[no + r + 7] = Math.tanh(a7);
    }
    for (; r < H; r++) {
      let a = bh[r];
      const wo = r * I;
      for (let i = 0; i < I; i++) a += Wxh[wo + i] * x[xo + i];
      const ro = r * H;
      for (let j = 0; j < H; j++) a += Whh[ro + j] * hs[po + j];
      hs[no + r] = Math.tanh(a);
    }
  }
  const lo = T * H;
  for (let o = 0; o < O; o++) {
    let z = by[o];
    const ro = o * H;
    for (let j = 0; j < H; j++) z += Why[ro + j] * hs[lo + j];
    ws.logits[o] = z;
  }
  return ws;
}

/**
 * Loss of one sequence with label y (O must be 1) and its gradients ADDED
 * into grads. Same operations in the same order as rnnLossAndGrads.
 */
export function rnnLossAndGradsFast(p: RnnParams, x: Float64Array, T: number, y: number, grads: RnnParams, wsIn: RnnWorkspace): number {
  const ws = rnnForwardFast(p, x, T, wsIn);
  const { I, H, Whh, Why } = p;
  const hs = ws.hs;
  let dh = ws.dh;
  let dhPrev = ws.dhPrev;
  const gWxh = grads.Wxh;
  const gWhh = grads.Whh;
  const gbh = grads.bh;
  const gWhy = grads.Why;

  const z = ws.logits[0];
  const loss = bceWithLogits(z, y);
  const g = dBceDLogit(z, y);
  grads.by[0] += g;
  const lo = T * H;
  for (let j = 0; j < H; j++) {
    gWhy[j] += g * hs[lo + j];
    dh[j] = 0 + Why[j] * g; // "0 +" mirrors the readable dh[j] += … from zero (keeps -0 identical)
  }

  for (let t = T - 1; t >= 0; t--) {
    const ho = (t + 1) * H; // h_{t+1}
    const po = t * H; // h_t
    const xo = t * I;
    const needDhPrev = t > 0; // dh_0 is not needed
    // h_0 = 0, so at t = 0 dWhh would only get g·0 (adding ±0 to a sum that
    // started at +0 never changes it): skip that work too.
    if (needDhPrev) for (let j = 0; j < H; j++) dhPrev[j] = 0;
    let r = 0;
    for (; r + 3 < H; r += 4) {
      // da = (1 − h²) ⊙ dh for four rows
      const h0 = hs[ho + r];
      const h1 = hs[ho + r + 1];
      const h2 = hs[ho + r + 2];
      const h3 = hs[ho + r + 3];
      const g0 = (1 - h0 * h0) * dh[r];
      const g1 = (1 - h1 * h1) * dh[r + 1];
      const g2 = (1 - h2 * h2) * dh[r + 2];
      const g3 = (1 - h3 * h3) * dh[r + 3];
      gbh[r] += g0;
      gbh[r + 1] += g1;
      gbh[r + 2] += g2;
      gbh[r + 3] += g3;
      const w0 = r * I;
      for (let i = 0; i < I; i++) {
        const xi = x[xo + i];
        gWxh[w0 + i] += g0 * xi;
        gWxh[w0 + I + i] += g1 * xi;
        gWxh[w0 + 2 * I + i] += g2 * xi;
        gWxh[w0 + 3 * I + i] += g3 * xi;
      }
      if (needDhPrev) {
        const r0 = r * H;
        const r1 = r0 + H;
        const r2 = r1 + H;
        const r3 = r2 + H;
        for (let j = 0; j < H; j++) {
          const hj = hs[po + j];
          gWhh[r0 + j] += g0 * hj;
          gWhh[r1 + j] += g1 * hj;
          gWhh[r2 + j] += g2 * hj;
          gWhh[r3 + j] += g3 * hj;
          // rows added in ascending order, as the readable loop does
          let d = dhPrev[j];
          d += Whh[r0 + j] * g0;
          d += Whh[r1 + j] * g1;
          d += Whh[r2 + j] * g2;
          d += Whh[r3 + j] * g3;
          dhPrev[j] = d;
        }
      }
    }
    for (; r < H; r++) {
      const h = hs[ho + r];
      const gr = (1 - h * h) * dh[r];
      gbh[r] += gr;
      const wo = r * I;
      for (let i = 0; i < I; i++) gWxh[wo + i] += gr * x[xo + i];
      if (needDhPrev) {
        const ro = r * H;
        for (let j = 0; j < H; j++) {
          gWhh[ro + j] += gr * hs[po + j];
          dhPrev[j] += Whh[ro + j] * gr;
        }
      }
    }
    const swap = dh; // dh_{t} becomes the next step's dh
    dh = dhPrev;
    dhPrev = swap;
  }
  return loss;
}

/**
 * p -= lr · grads for every array, then zero grads for the next sample.
 * Returns 0 when every updated value is finite, NaN otherwise (v·0 is 0 only
 * for finite v), so the caller can detect divergence without a second pass.
 */
export function sgdStepAndZero(p: RnnParams, grads: RnnParams, lr: number): number {
  let bad = 0;
  bad += stepArray(p.Wxh, grads.Wxh, lr);
  bad += stepArray(p.Whh, grads.Whh, lr);
  bad += stepArray(p.Why, grads.Why, lr);
  bad += stepArray(p.bh, grads.bh, lr);
  bad += stepArray(p.by, grads.by, lr);
  return bad;
}

function stepArray(w: Float64Array, g: Float64Array, lr: number): number {
  let bad = 0;
  for (let k = 0; k < w.length; k++) {
    const v = w[k] - lr * g[k];
    w[k] = v;
    bad += v * 0;
    g[k] = 0;
  }
  return bad;
}
