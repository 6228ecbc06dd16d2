// Built in lesson 08 (08-lstm-gru).
// gru.ts — a Gated Recurrent Unit from scratch: parameters, forward pass, full BPTT.
//
// One step, for input x_t (I) and the previous hidden state h (H):
//   z = σ(Wxz·x + Whz·h + bz)            update gate: how much of the old state to keep   (H)
//   r = σ(Wxr·x + Whr·h + br)            reset gate: how much of h the candidate may see  (H)
//   n = tanh(Wxn·x + Whn·(r ⊙ h) + bn)   candidate state                                  (H)
//   h' = z ⊙ h + (1 − z) ⊙ n             new hidden state                                 (H)
// and, after the last step, one logit: Why·h_T + by (O).
//
// The convention is Cho et al. (2014) and d2l.ai: z = 1 keeps the old state, and the reset gate
// acts on h before the matrix Whn. When z ≈ 1 the path h_{t-1} → h_t is the identity, so the
// gradient can pass many steps without shrinking — the GRU's version of the LSTM's cell state.
// Layout follows params.ts: row-major Float64Arrays, Wx* is H×I, Wh* is H×H, Why is O×H.
//
// Lesson 10 reuses the cell many-to-many, in the character-level language model (charlm.ts): the
// inputs are character indices (a one-hot x_t, so Wx·x_t is column x_t of Wx), the state h_0 is
// carried in from the previous chunk, and every step's own output sends a gradient into its h_t.
// gruSequenceForward / gruSequenceBackward are that use; they run the same steps as below.

import { makeRng, normalArray } from "./random";
import { sigmoid as sigma, bceWithLogits, dBceDLogit } from "./loss";
import type { BaseParams, GivenArrays, Shape } from "./params";
import type { CellOps } from "./cell-types";
import { checkInitSizes, checkParamShapes, paramsFrom, zerosLike } from "./params";
import { checkCount, checkFinite, checkLabel, checkLength, describe } from "./checks";

export interface GruParams extends BaseParams {
  kind: "gru";
  Wxz: Float64Array; Whz: Float64Array; bz: Float64Array; // update gate
  Wxr: Float64Array; Whr: Float64Array; br: Float64Array; // reset gate
  Wxn: Float64Array; Whn: Float64Array; bn: Float64Array; // candidate state
  Why: Float64Array; by: Float64Array;                    // read-out
}

/** The GRU's arrays in canonical order (the order of save/load and gradCheck), with their shapes. */
export function gruShapes(I: number, H: number, O: number): Record<string, Shape> {
  return {
    Wxz: [H, I], Whz: [H, H], bz: [H, 1],
    Wxr: [H, I], Whr: [H, H], br: [H, 1],
    Wxn: [H, I], Whn: [H, H], bn: [H, 1],
    Why: [O, H], by: [O, 1],
  };
}

/**
 * Fresh GRU parameters: weights normal × sqrt(1/fan_in) as for the RNN, biases zero except the
 * update-gate bias, which starts at `updateBias` (default 0, so z = 0.5). A positive value, e.g. 2
 * (z = σ(2) ≈ 0.88), makes the fresh GRU keep most of its state at every step — the GRU's
 * counterpart of the LSTM's forget-gate bias, useful for long dependencies.
 */
export function initGruParams(opts: { I: number; H: number; O?: number; seed: string | number; updateBias?: number }): GruParams {
  const fn = "initGruParams";
  const { I, H, O } = checkInitSizes(fn, opts, gruShapes);
  const updateBias = opts.updateBias ?? 0;
  if (typeof updateBias !== "number" || !Number.isFinite(updateBias)) {
    throw new Error(`${fn}: updateBias is ${describe(updateBias)}, expected a finite number`);
  }
  const rng = makeRng(opts.seed);
  const sx = Math.sqrt(1 / I);
  const sh = Math.sqrt(1 / H);
  // Draw order is fixed (gate by gate, x before h, then Why) so a seed always gives the same model.
  const Wxz = normalArray(rng, H * I, sx), Whz = normalArray(rng, H * H, sh);
  const Wxr = normalArray(rng, H * I, sx), Whr = normalArray(rng, H * H, sh);
  const Wxn = normalArray(rng, H * I, sx), Whn = normalArray(rng, H * H, sh);
  const Why = normalArray(rng, O * H, sh);
  return {
    kind: "gru", I, H, O,
    Wxz, Whz, bz: new Float64Array(H).fill(updateBias),
    Wxr, Whr, br: new Float64Array(H),
    Wxn, Whn, bn: new Float64Array(H),
    Why, by: new Float64Array(O),
  };
}

/**
 * Build validated GRU parameters from given arrays (number[][], number[] or Float64Array).
 * Sizes come from I/H/O when given, else H from bz, O from by, I from Wxz. Arrays are copied.
 */
export function gruParamsFrom(arrays: GivenArrays): GruParams {
  return paramsFrom("gruParamsFrom", "gru", gruShapes, arrays, { hFrom: "bz", iFrom: "Wxz" }) as GruParams;
}

/** What the forward pass keeps for the backward pass. Step t (0-based) maps hs[t] to hs[t+1]. */
export interface GruCache {
  T: number;
  hs: Float64Array;     // (T+1)·H, hs[0..H) = h_0 (0 for a whole sequence, the carried state in a chunk)
  z: Float64Array;      // T·H update gate
  r: Float64Array;      // T·H reset gate
  n: Float64Array;      // T·H candidate
  rh: Float64Array;     // T·H r ⊙ h_{t}, the input of Whn
  logits: Float64Array; // O
}

/** Check p, T and x once per call; errors name the function and the argument. */
function checkInputs(fn: string, p: GruParams, x: Float64Array, T: number): void {
  checkParamShapes(fn, p, "gru", gruShapes);
  checkCount(fn, "T", T);
  checkLength(fn, "x", x, T * p.I, `T·I = ${T * p.I} (T=${T}, I=${p.I})`);
  checkFinite(fn, "x", x);
}

/** Memory for the forward pass of sequences of up to T steps (reused across samples by train()). */
export function makeGruCache(p: GruParams, T: number): GruCache {
  const { H, O } = p;
  return {
    T,
    hs: new Float64Array((T + 1) * H),
    z: new Float64Array(T * H), r: new Float64Array(T * H), n: new Float64Array(T * H), rh: new Float64Array(T * H),
    logits: new Float64Array(O),
  };
}

/**
 * One GRU step at time t: reads x_t and hs[t], writes the gates and hs[t+1]. Two passes over the
 * hidden units, because the candidate needs the whole vector r ⊙ h before it can start.
 */
export function gruStep(p: GruParams, x: Float64Array, t: number, cache: GruCache): void {
  stepInto(p, x, null, t, cache);
}

/**
 * gruStep for either kind of input: x (T·I values) when ids is null, else the character index ids[t]
 * (a one-hot x_t: Wx·x_t is column ids[t] of Wx). The two give the same numbers, because adding
 * the zero terms of a one-hot product changes no sum.
 */
function stepInto(p: GruParams, x: Float64Array | null, ids: ArrayLike<number> | null, t: number, cache: GruCache): void {
  // Local names for the arrays keep the inner loops free of property lookups.
  const { I, H, Wxz, Whz, bz, Wxr, Whr, br, Wxn, Whn, bn } = p;
  const { hs, z: zs, r: rs, n: ns, rh: rhs } = cache;
  const xo = t * I, hPrevOff = t * H, hOff = (t + 1) * H, s0 = t * H;
  for (let j = 0; j < H; j++) {
    let az = bz[j], ar = br[j];
    const rx = j * I;
    if (ids === null) {
      for (let k = 0; k < I; k++) {
        const xk = (x as Float64Array)[xo + k];
        az += Wxz[rx + k] * xk; ar += Wxr[rx + k] * xk;
      }
    } else {
      az += Wxz[rx + ids[t]]; ar += Wxr[rx + ids[t]];
    }
    const rw = j * H;
    for (let k = 0; k < H; k++) {
      const hk = hs[hPrevOff + k];
      az += Whz[rw + k] * hk; ar += Whr[rw + k] * hk;
    }
    const r = sigma(ar);
    zs[s0 + j] = sigma(az);
    rs[s0 + j] = r;
    rhs[s0 + j] = r * hs[hPrevOff + j];
  }
  for (let j = 0; j < H; j++) {
    let an = bn[j];
    const rx = j * I;
    if (ids === null) for (let k = 0; k < I; k++) an += Wxn[rx + k] * (x as Float64Array)[xo + k];
    else an += Wxn[rx + ids[t]];
    const rw = j * H;
    for (let k = 0; k < H; k++) an += Whn[rw + k] * rhs[s0 + k];
    const n = Math.tanh(an);
    const z = zs[s0 + j];
    ns[s0 + j] = n;
    hs[hOff + j] = z * hs[hPrevOff + j] + (1 - z) * n; // h_t = z ⊙ h_{t−1} + (1 − z) ⊙ n
  }
}

/** The forward pass without argument checks (the caller has checked): fills cache, returns it. */
function forwardInto(p: GruParams, x: Float64Array, T: number, cache: GruCache): GruCache {
  const { H, O } = p;
  cache.T = T;
  cache.hs.fill(0, 0, H); // h_0 = 0
  for (let t = 0; t < T; t++) gruStep(p, x, t, cache);
  const hT = T * H;
  for (let r = 0; r < O; r++) {
    let a = p.by[r];
    for (let k = 0; k < H; k++) a += p.Why[r * H + k] * cache.hs[hT + k];
    cache.logits[r] = a;
  }
  return cache;
}

/** Run the GRU over one sequence x (T·I values) from h_0 = 0; the logit reads the last h. */
export function gruForward(p: GruParams, x: Float64Array, T: number): GruCache {
  const fn = "gruForward";
  checkInputs(fn, p, x, T);
  const cache = forwardInto(p, x, T, makeGruCache(p, T));
  for (let r = 0; r < p.O; r++) {
    const a = cache.logits[r];
    if (!Number.isFinite(a)) throw new Error(`${fn}: logits[${r}] is ${a}; the parameters hold a non-finite or overflowing value`);
  }
  return cache;
}

/** Scratch vectors of the backward pass (H each), allocated once per workspace. */
interface GruScratch { dh: Float64Array; dhPrev: Float64Array; daz: Float64Array; dar: Float64Array; dan: Float64Array; drh: Float64Array }

function makeScratch(H: number): GruScratch {
  const v = (): Float64Array => new Float64Array(H);
  return { dh: v(), dhPrev: v(), daz: v(), dar: v(), dan: v(), drh: v() };
}

/**
 * Full backpropagation through time for one sequence: ADDS the gradients into `grads` (same
 * layout as p), so a caller can sum a mini-batch. dLogits (O) is ∂L/∂logits. dh = ∂L/∂h_{t+1} flows back; the direct term dh ⊙ z is the
 * gated shortcut that lets it survive many steps.
 */
export function gruBackwardAdd(p: GruParams, x: Float64Array, cache: GruCache, dLogits: Float64Array, grads: GruParams): void {
  const fn = "gruBackward";
  checkInputs(fn, p, x, cache.T);
  checkLength(fn, "dLogits", dLogits, p.O, `O = ${p.O}`);
  checkParamShapes(fn, grads, "gru", gruShapes);
  backwardInto(p, x, cache, dLogits, grads, makeScratch(p.H));
}

function backwardInto(p: GruParams, x: Float64Array, cache: GruCache, dLogits: Float64Array, d: GruParams, s: GruScratch): void {
  const { H, O, Why } = p;
  const { hs } = cache;
  const { dh } = s;
  dh.fill(0);
  const hT = cache.T * H;
  for (let r = 0; r < O; r++) {
    const da = dLogits[r];
    d.by[r] += da;
    for (let k = 0; k < H; k++) {
      d.Why[r * H + k] += da * hs[hT + k];
      dh[k] += Why[r * H + k] * da;
    }
  }
  stepsBack(p, x, null, cache, null, d, s);
}

/**
 * Back through the T steps of cache: s.dh holds ∂L/∂h_T on entry and ∂L/∂h_0 on exit. ADDS the
 * gradients of the cell's own arrays (not Why, by) into d. Inputs as in stepInto (x, or ids).
 * dhOut, when given (T·H), is the many-to-many case: row t is the gradient that step t's own
 * output sends into h_{t+1}, added to what comes back from the later steps.
 */
function stepsBack(p: GruParams, x: Float64Array | null, ids: ArrayLike<number> | null, cache: GruCache, dhOut: Float64Array | null, d: GruParams, s: GruScratch): void {
  const { I, H, Whz, Whr, Whn } = p;
  const T = cache.T;
  const { hs, z: zs, r: rs, n: ns, rh: rhs } = cache;
  const { dh, dhPrev, daz, dar, dan, drh } = s;
  const dWxz = d.Wxz, dWhz = d.Whz, dbz = d.bz, dWxr = d.Wxr, dWhr = d.Whr, dbr = d.br, dWxn = d.Wxn, dWhn = d.Whn, dbn = d.bn;
  for (let t = T - 1; t >= 0; t--) {
    const xo = t * I, hPrevOff = t * H, s0 = t * H;
    if (dhOut !== null) for (let j = 0; j < H; j++) dh[j] += dhOut[s0 + j];
    // h' = z ⊙ h + (1 − z) ⊙ n
    for (let j = 0; j < H; j++) {
      const z = zs[s0 + j], n = ns[s0 + j];
      dhPrev[j] = dh[j] * z; // the gated shortcut: no matrix on this path
      daz[j] = dh[j] * (hs[hPrevOff + j] - n) * z * (1 - z);
      dan[j] = dh[j] * (1 - z) * (1 - n * n);
    }
    // n = tanh(Wxn·x + Whn·(r ⊙ h) + bn)
    drh.fill(0);
    for (let j = 0; j < H; j++) {
      const a = dan[j];
      dbn[j] += a;
      const rx = j * I;
      if (ids === null) for (let k = 0; k < I; k++) dWxn[rx + k] += a * (x as Float64Array)[xo + k];
      else dWxn[rx + ids[t]] += a;
      const rw = j * H;
      for (let k = 0; k < H; k++) {
        dWhn[rw + k] += a * rhs[s0 + k];
        drh[k] += Whn[rw + k] * a;
      }
    }
    // r ⊙ h: the reset gate's share and the direct share of h.
    for (let k = 0; k < H; k++) {
      const r = rs[s0 + k];
      dar[k] = drh[k] * hs[hPrevOff + k] * r * (1 - r);
      dhPrev[k] += drh[k] * r;
    }
    // The gates z and r: σ(Wx·x + Wh·h + b).
    for (let j = 0; j < H; j++) {
      const a = daz[j], b = dar[j];
      dbz[j] += a; dbr[j] += b;
      const rx = j * I;
      if (ids === null) {
        for (let k = 0; k < I; k++) {
          const xk = (x as Float64Array)[xo + k];
          dWxz[rx + k] += a * xk; dWxr[rx + k] += b * xk;
        }
      } else {
        dWxz[rx + ids[t]] += a; dWxr[rx + ids[t]] += b;
      }
      const rw = j * H;
      for (let k = 0; k < H; k++) {
        const hk = hs[hPrevOff + k];
        dWhz[rw + k] += a * hk; dWhr[rw + k] += b * hk;
        dhPrev[k] += Whz[rw + k] * a + Whr[rw + k] * b;
      }
    }
    dh.set(dhPrev);
  }
}

/**
 * Many-to-many, for lesson 10's character model (unchecked: charlm.ts checks once): run the GRU over
 * the T = ids.length character indices ids from the state already in ws.hs row 0 (the state carried
 * in from the previous chunk), filling the gates and hs rows 1..T.
 */
export function gruSequenceForward(p: GruParams, ids: ArrayLike<number>, ws: GruWorkspace): void {
  ws.T = ids.length;
  for (let t = 0; t < ws.T; t++) stepInto(p, null, ids, t, ws);
}

/**
 * The backward pass of gruSequenceForward's chunk: dhOut (T·H) row t is the gradient that step t's
 * own output sends into h_{t+1}; dhLast is a gradient arriving at h_T from later chunks (null:
 * none, truncated BPTT). ADDS the gradients of every array but Why and by (the output layer is the
 * caller's) into grads; returns ∂L/∂h_0 (ws's own array, overwritten by the next call).
 */
export function gruSequenceBackward(p: GruParams, ids: ArrayLike<number>, ws: GruWorkspace, dhOut: Float64Array, dhLast: Float64Array | null, grads: GruParams): Float64Array {
  const { dh } = ws.scratch;
  if (dhLast === null) dh.fill(0);
  else dh.set(dhLast);
  stepsBack(p, null, ids, ws, dhOut, grads, ws.scratch);
  return dh;
}

/** The gradients for one sequence as a new parameter-shaped object. */
export function gruBackward(p: GruParams, x: Float64Array, cache: GruCache, dLogits: Float64Array): GruParams {
  const grads = zerosLike(p);
  gruBackwardAdd(p, x, cache, dLogits, grads);
  return grads;
}

/** Forward, loss (binary cross-entropy of the single logit against y ∈ {0,1}) and all gradients. */
export function gruLossAndGrads(p: GruParams, x: Float64Array, T: number, y: number): { loss: number; grads: GruParams } {
  checkLabel("gruLossAndGrads", "y", y);
  if (p.O !== 1) throw new Error(`gruLossAndGrads: p.O is ${p.O}, expected 1 (one logit for binary cross-entropy)`);
  const cache = gruForward(p, x, T);
  const a = cache.logits[0];
  const loss = bceWithLogits(a, y);
  const grads = gruBackward(p, x, cache, new Float64Array([dBceDLogit(a, y)]));
  return { loss, grads };
}

/**
 * What train() and evaluate() reuse from sample to sample: a forward cache (its `logits` are what
 * the registry reads) plus the backward pass's scratch vectors.
 */
export interface GruWorkspace extends GruCache { scratch: GruScratch; dLogits: Float64Array }

/** Allocate a workspace for sequences of up to T steps. */
export function makeGruWorkspace(p: GruParams, T: number): GruWorkspace {
  return { ...makeGruCache(p, T), scratch: makeScratch(p.H), dLogits: new Float64Array(p.O) };
}

/** Grow ws in place if it is too small for p and T (e.g. evaluation on longer sequences). */
function fitWorkspace(ws: GruWorkspace, p: GruParams, T: number): GruWorkspace {
  if (ws.hs.length < (T + 1) * p.H || ws.z.length < T * p.H || ws.logits.length !== p.O || ws.scratch.dh.length !== p.H) {
    Object.assign(ws, makeGruWorkspace(p, T));
  }
  return ws;
}

/**
 * The GRU's entry in the cell registry (cells.ts): the same computation as gruForward and
 * gruLossAndGrads, with memory reused through the workspace and no per-sample argument checks
 * (train/evaluate/gradCheck validate once). Gradients are ADDED into grads.
 */
export const gruOps: CellOps<GruParams, GruWorkspace> = {
  kind: "gru",
  shapes: gruShapes,
  init: initGruParams,
  forwardLogits: (p, x, T, ws) => forwardInto(p, x, T, fitWorkspace(ws, p, T)).logits,
  lossAndGrads: (p, x, T, y, grads, ws) => {
    forwardInto(p, x, T, fitWorkspace(ws, p, T));
    const a = ws.logits[0];
    ws.dLogits[0] = dBceDLogit(a, y);
    backwardInto(p, x, ws, ws.dLogits, grads, ws.scratch);
    return bceWithLogits(a, y);
  },
  makeWorkspace: makeGruWorkspace,
};
