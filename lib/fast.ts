// Not built in a lesson: the same arithmetic as forward.ts + bptt.ts (lessons 02 and 04), rearranged for speed.
// The fast path of the plain RNN, used by train() and evaluate().
//
// It computes exactly what forward.ts + loss.ts + bptt.ts compute, with the
// same floating-point operations in the same order, so the numbers are
// bit-identical (test/unit/fast.test.ts checks it), but it is arranged for speed:
//   • all scratch memory lives in a workspace made once per training run, so
//     the inner loops never allocate; no subarray views, no per-step checks
//     (train() validates everything once, before the first sample);
//   • the backward pass is split in two. First, going back in time, only the
//     deltas da_t = dLoss/da_t (h_t = tanh(a_t)) of every step are computed and
//     kept. Then each weight's gradient, a sum over the steps (and over the
//     sequences of a mini-batch), is added up in a CPU register and written
//     once, instead of being read and written back at every step;
//   • several rows (or columns) are handled per pass, so several independent
//     sums are in flight at once (one running sum waits for each addition);
//   • a mini-batch goes through two sequences at a time (matrix × two
//     columns instead of matrix × vector), so each weight loaded serves both,
//     and its gradient sums run over all the batch's sequences at once;
//   • the SGD step is fused with the gradient sums: a weight is updated as
//     soon as its gradient is complete, and the gradient is never stored.
// Bit-identity holds because every single sum still adds its terms in the
// readable order: a row of Whh·h in ascending j; dh_{t-1}[j] = Σ_r Whh[r,j]·da_t[r]
// in ascending r; a weight gradient over sequences in batch order and, within
// one, over t from T-1 down to 0 — exactly the order in which rnnBackwardAdd
// calls add into one grads object.
// Read forward.ts and bptt.ts to learn the algorithm; this file is the same
// arithmetic with the bookkeeping removed.
import type { RnnParams } from "./params";
import { bceWithLogits, dBceDLogit } from "./loss";
import { tanh } from "./math"; // the same bits in every JavaScript engine (lib/math.ts)

/** Scratch memory for up to B sequences of up to T steps with H hidden units. */
export interface RnnWorkspace {
  T: number;
  H: number;
  /** how many sequences fit (1 except for the mini-batch path of train) */
  B: number;
  /** B·T·I: the inputs of the current mini-batch, sequence after sequence */
  xs: Float64Array;
  /** B·(T+1)·H: each sequence's hidden states h_0 = 0, h_1 … h_T */
  hs: Float64Array;
  /** B·(T+1)·H: each sequence's deltas; row t is da_t, paired with h_t (row T unused) */
  da: Float64Array;
  /** B: each sequence's logit (O = 1) */
  zs: Float64Array;
  /** B: each sequence's dLoss/dz = σ(z) − y */
  dz: Float64Array;
  /** B: each sequence's loss */
  losses: Float64Array;
  /** O: the logits of the latest rnnForwardFast / rnnLossAndGradsFast call */
  logits: Float64Array;
  /** how many sequences, and how many steps each, the latest rnnBatchForwardBackwardFast ran */
  count: number;
  steps: number;
}

/** Allocate a workspace for parameters p and up to B sequences (default 1) of up to T steps. */
export function makeRnnWorkspace(p: RnnParams, T: number, B = 1): RnnWorkspace {
  const H = p.H;
  return {
    T,
    H,
    B,
    xs: new Float64Array(B * T * p.I),
    hs: new Float64Array(B * (T + 1) * H),
    da: new Float64Array(B * (T + 1) * H),
    zs: new Float64Array(B),
    dz: new Float64Array(B),
    losses: new Float64Array(B),
    logits: new Float64Array(p.O),
    count: 0,
    steps: 0,
  };
}

function ensure(fn: string, ws: RnnWorkspace, p: RnnParams, T: number, nb: number): RnnWorkspace {
  if (ws.T < T || ws.H !== p.H || ws.logits.length !== p.O || ws.B < nb || ws.xs.length < nb * T * p.I) {
    throw new Error(
      `${fn}: the workspace is for T <= ${ws.T}, H = ${ws.H}, O = ${ws.logits.length}, B = ${ws.B}, but got T = ${T}, H = ${p.H}, O = ${p.O}, ${nb} sequence(s); make it with makeRnnWorkspace(p, T, B)`,
    );
  }
  return ws;
}

/**
 * Hidden states of one sequence: x[xo + t·I + i] is its input, h_0..h_T go to
 * hs[ho ..], (T+1)·H values. Eight rows of Whh·h_t at a time.
 */
function forwardSequence(p: RnnParams, x: Float64Array, xo: number, T: number, hs: Float64Array, ho: number): void {
  const { I, H, Wxh, Whh, bh } = p;
  firstStep(p, x, xo, hs, ho);
  for (let t = 1; t < T; t++) {
    const xt = xo + t * I;
    const po = ho + t * H; // h_t
    const no = po + H; // h_{t+1}
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
        const xi = x[xt + i];
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
      const r1 = r0 + H;
      const r2 = r1 + H;
      const r3 = r2 + H;
      const r4 = r3 + H;
      const r5 = r4 + H;
      const r6 = r5 + H;
      const r7 = r6 + H;
      for (let j = 0; j < H; j++) {
        const hj = hs[po + j];
        a0 += Whh[r0 + j] * hj;
        a1 += Whh[r1 + j] * hj;
        a2 += Whh[r2 + j] * hj;
        a3 += Whh[r3 + j] * hj;
        a4 += Whh[r4 + j] * hj;
        a5 += Whh[r5 + j] * hj;
        a6 += Whh[r6 + j] * hj;
        a7 += Whh[r7 + j] * hj;
      }
      hs[no + r] = tanh(a0);
      hs[no + r + 1] = tanh(a1);
      hs[no + r + 2] = tanh(a2);
      hs[no + r + 3] = tanh(a3);
      hs[no + r + 4] = tanh(a4);
      hs[no + r + 5] = tanh(a5);
      hs[no + r + 6] = tanh(a6);
      hs[no + r + 7] = tanh(a7);
    }
    for (; r < H; r++) {
      let a = bh[r];
      const wo = r * I;
      for (let i = 0; i < I; i++) a += Wxh[wo + i] * x[xt + i];
      const ro = r * H;
      for (let j = 0; j < H; j++) a += Whh[ro + j] * hs[po + j];
      hs[no + r] = tanh(a);
    }
  }
}

/**
 * h_0 = 0 into hs[ho ..] and h_1 = tanh(bh + Wxh x_0 + Whh·h_0) after it.
 * Whh·h_0 is a sum of ±0 terms, which leave a sum unchanged unless it is
 * exactly -0 (-0 + +0 = +0): so they are added only when the sum so far is
 * zero, and the result is the readable one, bit for bit, with H² fewer products.
 */
function firstStep(p: RnnParams, x: Float64Array, xo: number, hs: Float64Array, ho: number): void {
  const { I, H, Wxh, Whh, bh } = p;
  for (let r = 0; r < H; r++) hs[ho + r] = 0;
  for (let r = 0; r < H; r++) {
    let a = bh[r];
    for (let i = 0; i < I; i++) a += Wxh[r * I + i] * x[xo + i];
    if (a === 0) for (let j = 0; j < H; j++) a += Whh[r * H + j] * hs[ho + j];
    hs[ho + H + r] = tanh(a);
  }
}

/**
 * Two sequences at once (A and B, as forwardSequence each): every weight
 * loaded is used for both, four rows × two sequences per pass. Each single
 * sum is the same as in forwardSequence, so the results are too.
 */
function forwardPair(p: RnnParams, x: Float64Array, xoA: number, xoB: number, T: number, hs: Float64Array, hoA: number, hoB: number): void {
  const { I, H, Wxh, Whh, bh } = p;
  firstStep(p, x, xoA, hs, hoA);
  firstStep(p, x, xoB, hs, hoB);
  for (let t = 1; t < T; t++) {
    const xa = xoA + t * I;
    const xb = xoB + t * I;
    const pa = hoA + t * H; // h_t of A
    const pb = hoB + t * H;
    let r = 0;
    for (; r + 3 < H; r += 4) {
      let a0 = bh[r];
      let a1 = bh[r + 1];
      let a2 = bh[r + 2];
      let a3 = bh[r + 3];
      let b0 = a0;
      let b1 = a1;
      let b2 = a2;
      let b3 = a3;
      const w0 = r * I;
      for (let i = 0; i < I; i++) {
        const u0 = Wxh[w0 + i];
        const u1 = Wxh[w0 + I + i];
        const u2 = Wxh[w0 + 2 * I + i];
        const u3 = Wxh[w0 + 3 * I + i];
        const xA = x[xa + i];
        const xB = x[xb + i];
        a0 += u0 * xA;
        a1 += u1 * xA;
        a2 += u2 * xA;
        a3 += u3 * xA;
        b0 += u0 * xB;
        b1 += u1 * xB;
        b2 += u2 * xB;
        b3 += u3 * xB;
      }
      const r0 = r * H;
      const r1 = r0 + H;
      const r2 = r1 + H;
      const r3 = r2 + H;
      for (let j = 0; j < H; j++) {
        const v0 = Whh[r0 + j];
        const v1 = Whh[r1 + j];
        const v2 = Whh[r2 + j];
        const v3 = Whh[r3 + j];
        const hA = hs[pa + j];
        const hB = hs[pb + j];
        a0 += v0 * hA;
        a1 += v1 * hA;
        a2 += v2 * hA;
        a3 += v3 * hA;
        b0 += v0 * hB;
        b1 += v1 * hB;
        b2 += v2 * hB;
        b3 += v3 * hB;
      }
      const na = pa + H + r;
      const nb = pb + H + r;
      hs[na] = tanh(a0);
      hs[na + 1] = tanh(a1);
      hs[na + 2] = tanh(a2);
      hs[na + 3] = tanh(a3);
      hs[nb] = tanh(b0);
      hs[nb + 1] = tanh(b1);
      hs[nb + 2] = tanh(b2);
      hs[nb + 3] = tanh(b3);
    }
    for (; r < H; r++) {
      let a = bh[r];
      let b = a;
      const wo = r * I;
      for (let i = 0; i < I; i++) {
        a += Wxh[wo + i] * x[xa + i];
        b += Wxh[wo + i] * x[xb + i];
      }
      const ro = r * H;
      for (let j = 0; j < H; j++) {
        a += Whh[ro + j] * hs[pa + j];
        b += Whh[ro + j] * hs[pb + j];
      }
      hs[pa + H + r] = tanh(a);
      hs[pb + H + r] = tanh(b);
    }
  }
}

/**
 * The deltas da_0 … da_{T-1} of one sequence into da[o + t·H ..] (o = its
 * offset, shared with its hidden states in hs), given g = dLoss/dz:
 *   dh_T = Whyᵀ g,   da_t = (1 − h_{t+1}²) ⊙ dh_{t+1},   dh_t = Whhᵀ da_t.
 * Whhᵀ·da_t is computed eight columns at a time, each a register sum over the
 * rows r in ascending order (as the readable dhPrev[j] += Whh[r,j]·da[r]).
 */
function deltasSequence(p: RnnParams, T: number, g: number, hs: Float64Array, da: Float64Array, o: number): void {
  const { H, Whh } = p;
  lastDelta(p, T, g, hs, da, o);
  for (let t = T - 1; t >= 1; t--) {
    const src = o + t * H; // da_t
    const dst = src - H; // da_{t-1}, paired with h_{t-1}; needs h_t (at src in hs)
    let j = 0;
    for (; j + 7 < H; j += 8) {
      let d0 = 0;
      let d1 = 0;
      let d2 = 0;
      let d3 = 0;
      let d4 = 0;
      let d5 = 0;
      let d6 = 0;
      let d7 = 0;
      for (let r = 0, w = j; r < H; r++, w += H) {
        const gr = da[src + r];
        d0 += Whh[w] * gr;
        d1 += Whh[w + 1] * gr;
        d2 += Whh[w + 2] * gr;
        d3 += Whh[w + 3] * gr;
        d4 += Whh[w + 4] * gr;
        d5 += Whh[w + 5] * gr;
        d6 += Whh[w + 6] * gr;
        d7 += Whh[w + 7] * gr;
      }
      const h = src + j;
      const h0 = hs[h];
      const h1 = hs[h + 1];
      const h2 = hs[h + 2];
      const h3 = hs[h + 3];
      const h4 = hs[h + 4];
      const h5 = hs[h + 5];
      const h6 = hs[h + 6];
      const h7 = hs[h + 7];
      const q = dst + j;
      da[q] = (1 - h0 * h0) * d0;
      da[q + 1] = (1 - h1 * h1) * d1;
      da[q + 2] = (1 - h2 * h2) * d2;
      da[q + 3] = (1 - h3 * h3) * d3;
      da[q + 4] = (1 - h4 * h4) * d4;
      da[q + 5] = (1 - h5 * h5) * d5;
      da[q + 6] = (1 - h6 * h6) * d6;
      da[q + 7] = (1 - h7 * h7) * d7;
    }
    for (; j < H; j++) {
      let d = 0;
      for (let r = 0; r < H; r++) d += Whh[r * H + j] * da[src + r];
      const h = hs[src + j];
      da[dst + j] = (1 - h * h) * d;
    }
  }
}

/** da_{T-1} = (1 − h_T²) ⊙ Whyᵀ g, for the sequence at offset o. */
function lastDelta(p: RnnParams, T: number, g: number, hs: Float64Array, da: Float64Array, o: number): void {
  const { H, Why } = p;
  const top = o + (T - 1) * H; // da_{T-1}, paired with h_{T-1}; h_T is the row above
  for (let j = 0; j < H; j++) {
    const h = hs[top + H + j];
    const dh = 0 + Why[j] * g; // "0 +" mirrors the readable dh[j] += … from zero (keeps -0 identical)
    da[top + j] = (1 - h * h) * dh;
  }
}

/**
 * Two sequences at once (offsets oA, oB; dLoss/dz gA, gB), as deltasSequence
 * each: every weight loaded serves both, four columns × two sequences per pass.
 */
function deltasPair(p: RnnParams, T: number, gA: number, gB: number, hs: Float64Array, da: Float64Array, oA: number, oB: number): void {
  const { H, Whh } = p;
  lastDelta(p, T, gA, hs, da, oA);
  lastDelta(p, T, gB, hs, da, oB);
  for (let t = T - 1; t >= 1; t--) {
    const sa = oA + t * H; // da_t of A (and h_t of A, in hs)
    const sb = oB + t * H;
    let j = 0;
    for (; j + 3 < H; j += 4) {
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let b0 = 0;
      let b1 = 0;
      let b2 = 0;
      let b3 = 0;
      for (let r = 0, w = j; r < H; r++, w += H) {
        const v0 = Whh[w];
        const v1 = Whh[w + 1];
        const v2 = Whh[w + 2];
        const v3 = Whh[w + 3];
        const gAr = da[sa + r];
        const gBr = da[sb + r];
        a0 += v0 * gAr;
        a1 += v1 * gAr;
        a2 += v2 * gAr;
        a3 += v3 * gAr;
        b0 += v0 * gBr;
        b1 += v1 * gBr;
        b2 += v2 * gBr;
        b3 += v3 * gBr;
      }
      let q = sa + j;
      let h = hs[q];
      da[q - H] = (1 - h * h) * a0;
      h = hs[q + 1];
      da[q + 1 - H] = (1 - h * h) * a1;
      h = hs[q + 2];
      da[q + 2 - H] = (1 - h * h) * a2;
      h = hs[q + 3];
      da[q + 3 - H] = (1 - h * h) * a3;
      q = sb + j;
      h = hs[q];
      da[q - H] = (1 - h * h) * b0;
      h = hs[q + 1];
      da[q + 1 - H] = (1 - h * h) * b1;
      h = hs[q + 2];
      da[q + 2 - H] = (1 - h * h) * b2;
      h = hs[q + 3];
      da[q + 3 - H] = (1 - h * h) * b3;
    }
    for (; j < H; j++) {
      let a = 0;
      let b = 0;
      for (let r = 0; r < H; r++) {
        a += Whh[r * H + j] * da[sa + r];
        b += Whh[r * H + j] * da[sb + r];
      }
      let h = hs[sa + j];
      da[sa - H + j] = (1 - h * h) * a;
      h = hs[sb + j];
      da[sb - H + j] = (1 - h * h) * b;
    }
  }
}

/**
 * The gradients of nb sequences, from their inputs xs (sequence s at s·T·I),
 * hidden states, deltas and dz. Each gradient value is one register sum,
 * over the sequences in order and within one over t from T-1 down to 0,
 * started from the value already in grads. With step false, it is stored
 * back into grads (so it ADDS the batch's gradients). With step true, grads
 * are left alone (all zero in train) and the SGD step with the batch's mean
 * gradient is taken at once: p ← p − lr · (sum / n), exactly as
 * scaleGradsDown (for n > 1) then sgdStep compute it (x / 1 is x, bit for bit).
 * Returns 0, or NaN when a stepped weight is not finite (v − v is 0 only for
 * finite v), so train() detects divergence without another pass.
 * dWhh pairs da_t with h_t; at t = 0 that is h_0 = 0, so the term is ±0 and
 * is skipped: adding ±0 to a sum never changes it unless the sum is -0, and a
 * sum that started at +0 (grads are zeroed with +0) is never -0.
 */
function reduceGrads(p: RnnParams, grads: RnnParams, step: boolean, lr: number, n: number, nb: number, T: number, xs: Float64Array, hs: Float64Array, da: Float64Array, dz: Float64Array): number {
  const { I, H } = p;
  const gWxh = grads.Wxh;
  const gWhh = grads.Whh;
  const gbh = grads.bh;
  const gWhy = grads.Why;
  const S = (T + 1) * H; // one sequence's stride in hs and da
  const L = T * I; // one sequence's stride in xs
  const last = T * H; // h_T's row in a sequence
  const { Wxh, Whh, Why, bh, by } = p;
  let bad = 0;

  let gby = grads.by[0];
  for (let s = 0; s < nb; s++) gby += dz[s];
  bad += put(by, grads.by, 0, gby, step, lr, n);
  for (let j = 0; j < H; j++) {
    let acc = gWhy[j];
    for (let s = 0, o = last + j; s < nb; s++, o += S) acc += dz[s] * hs[o];
    bad += put(Why, gWhy, j, acc, step, lr, n);
  }

  // dbh and dWxh, four rows at a time
  let r = 0;
  for (; r + 3 < H; r += 4) {
    let b0 = gbh[r];
    let b1 = gbh[r + 1];
    let b2 = gbh[r + 2];
    let b3 = gbh[r + 3];
    for (let s = 0; s < nb; s++) {
      for (let t = T - 1, o = s * S + t * H + r; t >= 0; t--, o -= H) {
        b0 += da[o];
        b1 += da[o + 1];
        b2 += da[o + 2];
        b3 += da[o + 3];
      }
    }
    bad += put(bh, gbh, r, b0, step, lr, n);
    bad += put(bh, gbh, r + 1, b1, step, lr, n);
    bad += put(bh, gbh, r + 2, b2, step, lr, n);
    bad += put(bh, gbh, r + 3, b3, step, lr, n);
    for (let i = 0; i < I; i++) {
      const w = r * I + i;
      let a0 = gWxh[w];
      let a1 = gWxh[w + I];
      let a2 = gWxh[w + 2 * I];
      let a3 = gWxh[w + 3 * I];
      for (let s = 0; s < nb; s++) {
        for (let t = T - 1, o = s * S + t * H + r, xo = s * L + t * I + i; t >= 0; t--, o -= H, xo -= I) {
          const xi = xs[xo];
          a0 += da[o] * xi;
          a1 += da[o + 1] * xi;
          a2 += da[o + 2] * xi;
          a3 += da[o + 3] * xi;
        }
      }
      bad += put(Wxh, gWxh, w, a0, step, lr, n);
      bad += put(Wxh, gWxh, w + I, a1, step, lr, n);
      bad += put(Wxh, gWxh, w + 2 * I, a2, step, lr, n);
      bad += put(Wxh, gWxh, w + 3 * I, a3, step, lr, n);
    }
  }
  for (; r < H; r++) {
    let b = gbh[r];
    for (let s = 0; s < nb; s++) for (let t = T - 1; t >= 0; t--) b += da[s * S + t * H + r];
    bad += put(bh, gbh, r, b, step, lr, n);
    for (let i = 0; i < I; i++) {
      let a = gWxh[r * I + i];
      for (let s = 0; s < nb; s++) for (let t = T - 1; t >= 0; t--) a += da[s * S + t * H + r] * xs[s * L + t * I + i];
      bad += put(Wxh, gWxh, r * I + i, a, step, lr, n);
    }
  }

  // dWhh[r, j] = Σ da_t[r]·h_t[j], a block of 4 rows × 2 columns at a time
  r = 0;
  for (; r + 3 < H; r += 4) {
    let j = 0;
    for (; j + 1 < H; j += 2) {
      const w = r * H + j;
      let a00 = gWhh[w];
      let a01 = gWhh[w + 1];
      let a10 = gWhh[w + H];
      let a11 = gWhh[w + H + 1];
      let a20 = gWhh[w + 2 * H];
      let a21 = gWhh[w + 2 * H + 1];
      let a30 = gWhh[w + 3 * H];
      let a31 = gWhh[w + 3 * H + 1];
      for (let s = 0; s < nb; s++) {
        const stop = s * S;
        for (let o = stop + (T - 1) * H; o > stop; o -= H) {
          const g0 = da[o + r];
          const g1 = da[o + r + 1];
          const g2 = da[o + r + 2];
          const g3 = da[o + r + 3];
          const h0 = hs[o + j];
          const h1 = hs[o + j + 1];
          a00 += g0 * h0;
          a01 += g0 * h1;
          a10 += g1 * h0;
          a11 += g1 * h1;
          a20 += g2 * h0;
          a21 += g2 * h1;
          a30 += g3 * h0;
          a31 += g3 * h1;
        }
      }
      bad += put(Whh, gWhh, w, a00, step, lr, n);
      bad += put(Whh, gWhh, w + 1, a01, step, lr, n);
      bad += put(Whh, gWhh, w + H, a10, step, lr, n);
      bad += put(Whh, gWhh, w + H + 1, a11, step, lr, n);
      bad += put(Whh, gWhh, w + 2 * H, a20, step, lr, n);
      bad += put(Whh, gWhh, w + 2 * H + 1, a21, step, lr, n);
      bad += put(Whh, gWhh, w + 3 * H, a30, step, lr, n);
      bad += put(Whh, gWhh, w + 3 * H + 1, a31, step, lr, n);
    }
    for (; j < H; j++) {
      for (let k = 0; k < 4; k++) bad += put(Whh, gWhh, (r + k) * H + j, whhSum(gWhh, r + k, j, H, nb, T, S, hs, da), step, lr, n);
    }
  }
  for (; r < H; r++) for (let j = 0; j < H; j++) bad += put(Whh, gWhh, r * H + j, whhSum(gWhh, r, j, H, nb, T, S, hs, da), step, lr, n);
  return bad;
}

/** One dWhh sum, for the rows and columns the blocks above leave over. */
function whhSum(gWhh: Float64Array, r: number, j: number, H: number, nb: number, T: number, S: number, hs: Float64Array, da: Float64Array): number {
  let a = gWhh[r * H + j];
  for (let s = 0; s < nb; s++) for (let t = T - 1; t >= 1; t--) a += da[s * S + t * H + r] * hs[s * S + t * H + j];
  return a;
}

/** Store one finished gradient sum (step false) or take the SGD step with it (step true); see reduceGrads. */
function put(W: Float64Array, G: Float64Array, k: number, sum: number, step: boolean, lr: number, n: number): number {
  if (!step) {
    G[k] = sum;
    return 0;
  }
  const v = W[k] - lr * (n === 1 ? sum : sum / n); // sum / 1 would be sum anyway; skip the division
  W[k] = v;
  return v - v;
}

/** Forward pass into ws.hs (the first (T+1)·H values) and ws.logits; returns the workspace used. */
export function rnnForwardFast(p: RnnParams, x: Float64Array, T: number, wsIn: RnnWorkspace): RnnWorkspace {
  const ws = ensure("rnnForwardFast", wsIn, p, T, 1);
  const { H, O, Why, by } = p;
  const hs = ws.hs;
  forwardSequence(p, x, 0, T, hs, 0);
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
  const z = ws.logits[0];
  const g = dBceDLogit(z, y);
  ws.dz[0] = g;
  deltasSequence(p, T, g, ws.hs, ws.da, 0);
  reduceGrads(p, grads, false, 0, 1, 1, T, x, ws.hs, ws.da, ws.dz);
  return bceWithLogits(z, y);
}

/**
 * Forward and backward pass (up to the deltas) of the nb = end − start
 * sequences order[start..end) of a data set (xs: its inputs, n·T·I values;
 * ys: its labels). Their logits, losses and dLoss/dz go to ws.zs, ws.losses
 * and ws.dz (index s − start); the weights are not touched. Follow with
 * rnnBatchAddGradsFast or rnnBatchSgdStepFast. Sequences go through two at a
 * time, so that each weight loaded serves both (the numbers do not change).
 */
export function rnnBatchForwardBackwardFast(
  p: RnnParams,
  xs: Float64Array,
  ys: Float64Array,
  order: Uint32Array,
  start: number,
  end: number,
  T: number,
  wsIn: RnnWorkspace,
): void {
  const nb = end - start;
  const ws = ensure("rnnBatchForwardBackwardFast", wsIn, p, T, nb);
  const { I, H } = p;
  const L = T * I;
  const S = (T + 1) * H;
  const bx = ws.xs;
  const hs = ws.hs;
  for (let s = 0; s < nb; s++) {
    for (let q = 0, from = order[start + s] * L, to = s * L; q < L; q++) bx[to + q] = xs[from + q];
  }
  let s = 0;
  for (; s + 1 < nb; s += 2) {
    forwardPair(p, bx, s * L, s * L + L, T, hs, s * S, s * S + S);
    const gA = lossOf(p, ws, s, ys[order[start + s]], T);
    const gB = lossOf(p, ws, s + 1, ys[order[start + s + 1]], T);
    deltasPair(p, T, gA, gB, hs, ws.da, s * S, s * S + S);
  }
  if (s < nb) {
    forwardSequence(p, bx, s * L, T, hs, s * S);
    deltasSequence(p, T, lossOf(p, ws, s, ys[order[start + s]], T), hs, ws.da, s * S);
  }
  ws.count = nb;
  ws.steps = T;
}

/** Logit, loss and dLoss/dz of the workspace's sequence s with label y, into ws.zs/losses/dz; returns dLoss/dz. */
function lossOf(p: RnnParams, ws: RnnWorkspace, s: number, y: number, T: number): number {
  const { H, Why, by } = p;
  const hs = ws.hs;
  const h = s * (T + 1) * H + T * H; // h_T of sequence s
  let z = by[0];
  for (let j = 0; j < H; j++) z += Why[j] * hs[h + j];
  const g = dBceDLogit(z, y);
  ws.zs[s] = z;
  ws.losses[s] = bceWithLogits(z, y);
  ws.dz[s] = g;
  return g;
}

/**
 * ADD the summed gradients of the batch that rnnBatchForwardBackwardFast just
 * ran into grads: bit for bit what calling rnnLossAndGrads on each sequence in
 * turn and adding the results gives.
 */
export function rnnBatchAddGradsFast(p: RnnParams, grads: RnnParams, ws: RnnWorkspace): void {
  reduceGrads(p, grads, false, 0, 1, ws.count, ws.steps, ws.xs, ws.hs, ws.da, ws.dz);
}

/**
 * One SGD step with the mean gradient of the batch that
 * rnnBatchForwardBackwardFast just ran, p ← p − lr · mean, without storing the
 * gradient (grads must be all zero; they stay so). Bit for bit what adding the
 * batch's gradients into zeroed grads, scaleGradsDown (for more than one
 * sequence) and sgdStep give. Returns 0, or NaN when an updated weight is not
 * finite.
 */
export function rnnBatchSgdStepFast(p: RnnParams, zeroGrads: RnnParams, lr: number, ws: RnnWorkspace): number {
  const nb = ws.count;
  return reduceGrads(p, zeroGrads, true, lr, nb, nb, ws.steps, ws.xs, ws.hs, ws.da, ws.dz);
}
