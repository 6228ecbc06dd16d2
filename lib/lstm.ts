// Built in lesson 08 (08-lstm-gru).
// lstm.ts — a Long Short-Term Memory cell from scratch: parameters, forward pass, full BPTT.
//
// One step, for input x_t (I) and the previous hidden state h (H) and cell state c (H):
//   f = σ(Wxf·x + Whf·h + bf)        forget gate     (H)
//   i = σ(Wxi·x + Whi·h + bi)        input gate      (H)
//   g = tanh(Wxg·x + Whg·h + bg)     candidate       (H)
//   o = σ(Wxo·x + Who·h + bo)        output gate     (H)
//   c' = f ⊙ c + i ⊙ g               new cell state  (H)
//   h' = o ⊙ tanh(c')                new hidden state(H)
// and, after the last step, one logit: Why·h_T + by (O).
//
// Why it helps with long sequences: the path c_{t-1} → c_t is multiplied only by f (elementwise),
// with no weight matrix and no tanh squashing in between, so when f ≈ 1 a gradient can travel
// back many steps without shrinking. Layout follows params.ts: row-major Float64Arrays,
// Wx* is H×I, Wh* is H×H, Why is O×H.

import { makeRng, normalArray } from "./random";
import { sigmoid as sigma, bceWithLogits, dBceDLogit } from "./loss";
import type { BaseParams, GivenArrays, Shape } from "./params";
import type { CellOps } from "./cell-types";
import { checkInitSizes, checkParamShapes, paramsFrom, zerosLike } from "./params";
import { checkCount, checkFinite, checkLabel, checkLength, describe } from "./checks";
import { tanh } from "./math"; // the same bits in every JavaScript engine (lib/math.ts)

export interface LstmParams extends BaseParams {
  kind: "lstm";
  Wxf: Float64Array; Whf: Float64Array; bf: Float64Array; // forget gate
  Wxi: Float64Array; Whi: Float64Array; bi: Float64Array; // input gate
  Wxg: Float64Array; Whg: Float64Array; bg: Float64Array; // candidate values
  Wxo: Float64Array; Who: Float64Array; bo: Float64Array; // output gate
  Why: Float64Array; by: Float64Array;                    // read-out
}

/** The LSTM's arrays in canonical order (the order of save/load and gradCheck), with their shapes. */
export function lstmShapes(I: number, H: number, O: number): Record<string, Shape> {
  return {
    Wxf: [H, I], Whf: [H, H], bf: [H, 1],
    Wxi: [H, I], Whi: [H, H], bi: [H, 1],
    Wxg: [H, I], Whg: [H, H], bg: [H, 1],
    Wxo: [H, I], Who: [H, H], bo: [H, 1],
    Why: [O, H], by: [O, 1],
  };
}

/**
 * Fresh LSTM parameters: weights normal × sqrt(1/fan_in) as for the RNN, biases zero except the
 * forget-gate bias, which starts at `forgetBias` (default 1) so that f = σ(1) ≈ 0.73 and the cell
 * state is mostly kept at the start of training (a common trick; it helps long dependencies).
 */
export function initLstmParams(opts: { I: number; H: number; O?: number; seed: string | number; forgetBias?: number }): LstmParams {
  const fn = "initLstmParams";
  const { I, H, O } = checkInitSizes(fn, opts, lstmShapes);
  const forgetBias = opts.forgetBias ?? 1;
  if (typeof forgetBias !== "number" || !Number.isFinite(forgetBias)) {
    throw new Error(`${fn}: forgetBias is ${describe(forgetBias)}, expected a finite number`);
  }
  const rng = makeRng(opts.seed);
  const sx = Math.sqrt(1 / I);
  const sh = Math.sqrt(1 / H);
  // Draw order is fixed (gate by gate, x before h, then Why) so a seed always gives the same model.
  const Wxf = normalArray(rng, H * I, sx), Whf = normalArray(rng, H * H, sh);
  const Wxi = normalArray(rng, H * I, sx), Whi = normalArray(rng, H * H, sh);
  const Wxg = normalArray(rng, H * I, sx), Whg = normalArray(rng, H * H, sh);
  const Wxo = normalArray(rng, H * I, sx), Who = normalArray(rng, H * H, sh);
  const Why = normalArray(rng, O * H, sh);
  return {
    kind: "lstm", I, H, O,
    Wxf, Whf, bf: new Float64Array(H).fill(forgetBias),
    Wxi, Whi, bi: new Float64Array(H),
    Wxg, Whg, bg: new Float64Array(H),
    Wxo, Who, bo: new Float64Array(H),
    Why, by: new Float64Array(O),
  };
}

/**
 * Build validated LSTM parameters from given arrays (number[][], number[] or Float64Array).
 * Sizes come from I/H/O when given, else H from bf, O from by, I from Wxf. Arrays are copied.
 */
export function lstmParamsFrom(arrays: GivenArrays): LstmParams {
  return paramsFrom("lstmParamsFrom", "lstm", lstmShapes, arrays, { hFrom: "bf", iFrom: "Wxf" }) as LstmParams;
}

/** What the forward pass keeps for the backward pass. Step t (0-based) maps hs[t], cs[t] to hs[t+1], cs[t+1]. */
export interface LstmCache {
  T: number;
  hs: Float64Array;     // (T+1)·H, hs[0..H) = h_0 = 0
  cs: Float64Array;     // (T+1)·H, cs[0..H) = c_0 = 0
  f: Float64Array;      // T·H gate activations (after the sigmoid)
  i: Float64Array;      // T·H
  g: Float64Array;      // T·H candidate (after tanh)
  o: Float64Array;      // T·H
  tanhC: Float64Array;  // T·H tanh(c_{t+1}), reused by the backward pass
  logits: Float64Array; // O
}

/** Check p, T and x once per call; errors name the function and the argument. */
function checkInputs(fn: string, p: LstmParams, x: Float64Array, T: number): void {
  checkParamShapes(fn, p, "lstm", lstmShapes);
  checkCount(fn, "T", T);
  checkLength(fn, "x", x, T * p.I, `T·I = ${T * p.I} (T=${T}, I=${p.I})`);
  checkFinite(fn, "x", x);
}

/** Memory for the forward pass of sequences of up to T steps (reused across samples by train()). */
export function makeLstmCache(p: LstmParams, T: number): LstmCache {
  const { H, O } = p;
  return {
    T,
    hs: new Float64Array((T + 1) * H), cs: new Float64Array((T + 1) * H),
    f: new Float64Array(T * H), i: new Float64Array(T * H), g: new Float64Array(T * H),
    o: new Float64Array(T * H), tanhC: new Float64Array(T * H),
    logits: new Float64Array(O),
  };
}

/**
 * One LSTM step at time t, reading x_t = x[t·I ..], hs[t], cs[t] from the cache and writing the
 * gates, hs[t+1] and cs[t+1]. Written as one loop over hidden units: unit j's four gates need
 * only row j of each weight matrix.
 */
export function lstmStep(p: LstmParams, x: Float64Array, t: number, cache: LstmCache): void {
  // Local names for the arrays keep the inner loops free of property lookups.
  const { I, H, Wxf, Whf, bf, Wxi, Whi, bi, Wxg, Whg, bg, Wxo, Who, bo } = p;
  const { hs, cs, f: fs, i: is, g: gs, o: os, tanhC } = cache;
  const xo = t * I, hPrevOff = t * H, hOff = (t + 1) * H;
  for (let j = 0; j < H; j++) {
    let af = bf[j], ai = bi[j], ag = bg[j], ao = bo[j];
    const rx = j * I;
    for (let k = 0; k < I; k++) {
      const xk = x[xo + k];
      af += Wxf[rx + k] * xk; ai += Wxi[rx + k] * xk; ag += Wxg[rx + k] * xk; ao += Wxo[rx + k] * xk;
    }
    const rh = j * H;
    for (let k = 0; k < H; k++) {
      const hk = hs[hPrevOff + k];
      af += Whf[rh + k] * hk; ai += Whi[rh + k] * hk; ag += Whg[rh + k] * hk; ao += Who[rh + k] * hk;
    }
    const f = sigma(af), i = sigma(ai), g = tanh(ag), o = sigma(ao);
    const c = f * cs[hPrevOff + j] + i * g; // c_t = f ⊙ c_{t−1} + i ⊙ g
    const tc = tanh(c);
    const s = t * H + j;
    fs[s] = f; is[s] = i; gs[s] = g; os[s] = o; tanhC[s] = tc;
    cs[hOff + j] = c;
    hs[hOff + j] = o * tc; // h_t = o ⊙ tanh(c_t)
  }
}

/** The forward pass without argument checks (the caller has checked): fills cache, returns it. */
function forwardInto(p: LstmParams, x: Float64Array, T: number, cache: LstmCache): LstmCache {
  const { H, O } = p;
  cache.T = T;
  cache.hs.fill(0, 0, H); // h_0 = 0
  cache.cs.fill(0, 0, H); // c_0 = 0
  for (let t = 0; t < T; t++) lstmStep(p, x, t, cache);
  const hT = T * H;
  for (let r = 0; r < O; r++) {
    let z = p.by[r];
    for (let k = 0; k < H; k++) z += p.Why[r * H + k] * cache.hs[hT + k];
    cache.logits[r] = z;
  }
  return cache;
}

/** Run the LSTM over one sequence x (T·I values) from h_0 = c_0 = 0; the logit reads the last h. */
export function lstmForward(p: LstmParams, x: Float64Array, T: number): LstmCache {
  const fn = "lstmForward";
  checkInputs(fn, p, x, T);
  const cache = forwardInto(p, x, T, makeLstmCache(p, T));
  for (let r = 0; r < p.O; r++) {
    const z = cache.logits[r];
    if (!Number.isFinite(z)) throw new Error(`${fn}: logits[${r}] is ${z}; the parameters hold a non-finite or overflowing value`);
  }
  return cache;
}

/** Scratch vectors of the backward pass (H each), allocated once per workspace. */
interface LstmScratch { dh: Float64Array; dc: Float64Array; dhPrev: Float64Array; daf: Float64Array; dai: Float64Array; dag: Float64Array; dao: Float64Array }

function makeScratch(H: number): LstmScratch {
  const v = (): Float64Array => new Float64Array(H);
  return { dh: v(), dc: v(), dhPrev: v(), daf: v(), dai: v(), dag: v(), dao: v() };
}

/**
 * Full backpropagation through time for one sequence: ADDS the gradients into `grads` (same
 * layout as p), so a caller can sum a mini-batch. dLogits (O) is ∂L/∂logits. Two quantities
 * flow backwards from step to step: dhNext = ∂L/∂h_t and dcNext = ∂L/∂c_t. The cell-state gradient is carried back by
 * dcPrev = dc ⊙ f — an elementwise product, no matrix, which is why it survives long sequences.
 */
export function lstmBackwardAdd(p: LstmParams, x: Float64Array, cache: LstmCache, dLogits: Float64Array, grads: LstmParams): void {
  const fn = "lstmBackward";
  checkInputs(fn, p, x, cache.T);
  checkLength(fn, "dLogits", dLogits, p.O, `O = ${p.O}`);
  checkParamShapes(fn, grads, "lstm", lstmShapes);
  backwardInto(p, x, cache, dLogits, grads, makeScratch(p.H));
}

function backwardInto(p: LstmParams, x: Float64Array, cache: LstmCache, dLogits: Float64Array, d: LstmParams, s: LstmScratch): void {
  const { I, H, O, Whf, Whi, Whg, Who, Why } = p;
  const T = cache.T;
  const { hs, cs, f: fs, i: is, g: gs, o: os, tanhC } = cache;
  const { dh, dc, dhPrev, daf, dai, dag, dao } = s;
  const dWxf = d.Wxf, dWxi = d.Wxi, dWxg = d.Wxg, dWxo = d.Wxo;
  const dWhf = d.Whf, dWhi = d.Whi, dWhg = d.Whg, dWho = d.Who;
  const dbf = d.bf, dbi = d.bi, dbg = d.bg, dbo = d.bo;
  dh.fill(0);
  dc.fill(0); // ∂L/∂c_T: the loss does not read c_T directly
  // Read-out: logits = Why·h_T + by.
  const hT = T * H;
  for (let r = 0; r < O; r++) {
    const dz = dLogits[r];
    d.by[r] += dz;
    for (let k = 0; k < H; k++) {
      d.Why[r * H + k] += dz * hs[hT + k];
      dh[k] += Why[r * H + k] * dz;
    }
  }
  for (let t = T - 1; t >= 0; t--) {
    const xo = t * I, hPrevOff = t * H;
    // Through h = o ⊙ tanh(c) and c = f ⊙ cPrev + i ⊙ g, then through each gate's nonlinearity.
    for (let j = 0; j < H; j++) {
      const q = t * H + j;
      const f = fs[q], i = is[q], g = gs[q], o = os[q], tc = tanhC[q];
      const dcj = dc[j] + dh[j] * o * (1 - tc * tc); // the direct path from c_{t+1} plus the path through h
      dao[j] = dh[j] * tc * o * (1 - o);
      daf[j] = dcj * cs[hPrevOff + j] * f * (1 - f);
      dai[j] = dcj * g * i * (1 - i);
      dag[j] = dcj * i * (1 - g * g);
      dc[j] = dcj * f; // becomes ∂L/∂c_t for the step before: no matrix, just the forget gate
    }
    dhPrev.fill(0);
    for (let j = 0; j < H; j++) {
      const a = daf[j], b = dai[j], gg = dag[j], oo = dao[j];
      dbf[j] += a; dbi[j] += b; dbg[j] += gg; dbo[j] += oo;
      const rx = j * I;
      for (let k = 0; k < I; k++) {
        const xk = x[xo + k];
        dWxf[rx + k] += a * xk; dWxi[rx + k] += b * xk; dWxg[rx + k] += gg * xk; dWxo[rx + k] += oo * xk;
      }
      const rh = j * H;
      for (let k = 0; k < H; k++) {
        const hk = hs[hPrevOff + k];
        dWhf[rh + k] += a * hk; dWhi[rh + k] += b * hk; dWhg[rh + k] += gg * hk; dWho[rh + k] += oo * hk;
        dhPrev[k] += Whf[rh + k] * a + Whi[rh + k] * b + Whg[rh + k] * gg + Who[rh + k] * oo;
      }
    }
    dh.set(dhPrev);
  }
}

/** The gradients for one sequence as a new parameter-shaped object. */
export function lstmBackward(p: LstmParams, x: Float64Array, cache: LstmCache, dLogits: Float64Array): LstmParams {
  const grads = zerosLike(p);
  lstmBackwardAdd(p, x, cache, dLogits, grads);
  return grads;
}

/** Forward, loss (binary cross-entropy of the single logit against y ∈ {0,1}) and all gradients. */
export function lstmLossAndGrads(p: LstmParams, x: Float64Array, T: number, y: number): { loss: number; grads: LstmParams } {
  checkLabel("lstmLossAndGrads", "y", y);
  if (p.O !== 1) throw new Error(`lstmLossAndGrads: p.O is ${p.O}, expected 1 (one logit for binary cross-entropy)`);
  const cache = lstmForward(p, x, T);
  const z = cache.logits[0];
  const loss = bceWithLogits(z, y);
  const grads = lstmBackward(p, x, cache, new Float64Array([dBceDLogit(z, y)]));
  return { loss, grads };
}

/**
 * What train() and evaluate() reuse from sample to sample: a forward cache (its `logits` are what
 * the registry reads) plus the backward pass's scratch vectors.
 */
export interface LstmWorkspace extends LstmCache { scratch: LstmScratch; dLogits: Float64Array }

/** Allocate a workspace for sequences of up to T steps. */
export function makeLstmWorkspace(p: LstmParams, T: number): LstmWorkspace {
  return { ...makeLstmCache(p, T), scratch: makeScratch(p.H), dLogits: new Float64Array(p.O) };
}

/** Grow ws in place if it is too small for p and T (e.g. evaluation on longer sequences). */
function fitWorkspace(ws: LstmWorkspace, p: LstmParams, T: number): LstmWorkspace {
  if (ws.hs.length < (T + 1) * p.H || ws.f.length < T * p.H || ws.logits.length !== p.O || ws.scratch.dh.length !== p.H) {
    Object.assign(ws, makeLstmWorkspace(p, T));
  }
  return ws;
}

/**
 * The LSTM's entry in the cell registry (cells.ts): the same computation as lstmForward and
 * lstmLossAndGrads, with memory reused through the workspace and no per-sample argument checks
 * (train/evaluate/gradCheck validate once). Gradients are ADDED into grads.
 */
export const lstmOps: CellOps<LstmParams, LstmWorkspace> = {
  kind: "lstm",
  shapes: lstmShapes,
  init: initLstmParams,
  forwardLogits: (p, x, T, ws) => forwardInto(p, x, T, fitWorkspace(ws, p, T)).logits,
  lossAndGrads: (p, x, T, y, grads, ws) => {
    forwardInto(p, x, T, fitWorkspace(ws, p, T));
    const z = ws.logits[0];
    ws.dLogits[0] = dBceDLogit(z, y);
    backwardInto(p, x, ws, ws.dLogits, grads, ws.scratch);
    return bceWithLogits(z, y);
  },
  makeWorkspace: makeLstmWorkspace,
};
