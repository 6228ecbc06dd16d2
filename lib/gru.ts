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
import { tanh } from "./math"; // the same bits in every JavaScript engine (lib/math.ts)

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
  // Two hidden units per pass (u and v = u + 1; v = u when H is odd and u is the last, which only
  // computes u twice): four independent running sums in flight, each adding its terms in the order
  // of the one-unit formula, so the numbers are the same.
  for (let u = 0; u < H; u += 2) {
    const v = u + 1 < H ? u + 1 : u;
    let az0 = bz[u], ar0 = br[u], az1 = bz[v], ar1 = br[v];
    const rx0 = u * I, rx1 = v * I;
    if (ids === null) {
      for (let k = 0; k < I; k++) {
        const xk = (x as Float64Array)[xo + k];
        az0 += Wxz[rx0 + k] * xk; ar0 += Wxr[rx0 + k] * xk; az1 += Wxz[rx1 + k] * xk; ar1 += Wxr[rx1 + k] * xk;
      }
    } else {
      const c = ids[t]; // a one-hot x_t: Wx·x_t is column c of Wx
      az0 += Wxz[rx0 + c]; ar0 += Wxr[rx0 + c]; az1 += Wxz[rx1 + c]; ar1 += Wxr[rx1 + c];
    }
    const rw0 = u * H, rw1 = v * H;
    for (let k = 0; k < H; k++) {
      const hk = hs[hPrevOff + k];
      az0 += Whz[rw0 + k] * hk; ar0 += Whr[rw0 + k] * hk; az1 += Whz[rw1 + k] * hk; ar1 += Whr[rw1 + k] * hk;
    }
    const r0 = sigma(ar0), r1 = sigma(ar1);
    zs[s0 + u] = sigma(az0); rs[s0 + u] = r0; rhs[s0 + u] = r0 * hs[hPrevOff + u];
    zs[s0 + v] = sigma(az1); rs[s0 + v] = r1; rhs[s0 + v] = r1 * hs[hPrevOff + v];
  }
  for (let u = 0; u < H; u += 2) {
    const v = u + 1 < H ? u + 1 : u;
    let an0 = bn[u], an1 = bn[v];
    const rx0 = u * I, rx1 = v * I;
    if (ids === null) {
      for (let k = 0; k < I; k++) {
        const xk = (x as Float64Array)[xo + k];
        an0 += Wxn[rx0 + k] * xk; an1 += Wxn[rx1 + k] * xk;
      }
    } else {
      an0 += Wxn[rx0 + ids[t]]; an1 += Wxn[rx1 + ids[t]];
    }
    const rw0 = u * H, rw1 = v * H;
    for (let k = 0; k < H; k++) {
      const q = rhs[s0 + k];
      an0 += Whn[rw0 + k] * q; an1 += Whn[rw1 + k] * q;
    }
    const n0 = tanh(an0), n1 = tanh(an1);
    const z0 = zs[s0 + u], z1 = zs[s0 + v];
    ns[s0 + u] = n0;
    ns[s0 + v] = n1;
    hs[hOff + u] = z0 * hs[hPrevOff + u] + (1 - z0) * n0; // h_t = z ⊙ h_{t−1} + (1 − z) ⊙ n
    hs[hOff + v] = z1 * hs[hPrevOff + v] + (1 - z1) * n1;
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
    // Two units per pass, u and v = u + 1, as in the forward step. When H is odd the last u has no
    // partner: v = u with a zero gradient, whose additions change nothing. Each sum still adds its
    // terms unit by unit in ascending order.
    drh.fill(0);
    for (let u = 0; u < H; u += 2) {
      const v = u + 1 < H ? u + 1 : u;
      const a0 = dan[u], a1 = v === u ? 0 : dan[v];
      dbn[u] += a0; dbn[v] += a1;
      const rx0 = u * I, rx1 = v * I;
      if (ids === null) {
        for (let k = 0; k < I; k++) {
          const xk = (x as Float64Array)[xo + k];
          dWxn[rx0 + k] += a0 * xk; dWxn[rx1 + k] += a1 * xk;
        }
      } else {
        dWxn[rx0 + ids[t]] += a0; dWxn[rx1 + ids[t]] += a1;
      }
      const rw0 = u * H, rw1 = v * H;
      for (let k = 0; k < H; k++) {
        const q = rhs[s0 + k];
        dWhn[rw0 + k] += a0 * q; dWhn[rw1 + k] += a1 * q;
        drh[k] = drh[k] + Whn[rw0 + k] * a0 + Whn[rw1 + k] * a1;
      }
    }
    // r ⊙ h: the reset gate's share and the direct share of h.
    for (let k = 0; k < H; k++) {
      const r = rs[s0 + k];
      dar[k] = drh[k] * hs[hPrevOff + k] * r * (1 - r);
      dhPrev[k] += drh[k] * r;
    }
    // The gates z and r: σ(Wx·x + Wh·h + b).
    for (let u = 0; u < H; u += 2) {
      const v = u + 1 < H ? u + 1 : u;
      const a0 = daz[u], b0 = dar[u], a1 = v === u ? 0 : daz[v], b1 = v === u ? 0 : dar[v];
      dbz[u] += a0; dbr[u] += b0; dbz[v] += a1; dbr[v] += b1;
      const rx0 = u * I, rx1 = v * I;
      if (ids === null) {
        for (let k = 0; k < I; k++) {
          const xk = (x as Float64Array)[xo + k];
          dWxz[rx0 + k] += a0 * xk; dWxr[rx0 + k] += b0 * xk; dWxz[rx1 + k] += a1 * xk; dWxr[rx1 + k] += b1 * xk;
        }
      } else {
        const c = ids[t];
        dWxz[rx0 + c] += a0; dWxr[rx0 + c] += b0; dWxz[rx1 + c] += a1; dWxr[rx1 + c] += b1;
      }
      const rw0 = u * H, rw1 = v * H;
      for (let k = 0; k < H; k++) {
        const hk = hs[hPrevOff + k];
        dWhz[rw0 + k] += a0 * hk; dWhr[rw0 + k] += b0 * hk; dWhz[rw1 + k] += a1 * hk; dWhr[rw1 + k] += b1 * hk;
        dhPrev[k] = dhPrev[k] + (Whz[rw0 + k] * a0 + Whr[rw0 + k] * b0) + (Whz[rw1 + k] * a1 + Whr[rw1 + k] * b1);
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
