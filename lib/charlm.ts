// Built in lesson 10 (10-char-lm).
// A character-level language model: a plain RNN that reads one character per
// step and predicts the next one at EVERY step (many-to-many), trained with
// truncated backpropagation through time over chunks of the text.
//
// The parameters are ordinary RnnParams with I = O = V (the vocabulary size),
// so save/load, gradCheck, clipping and the optimisers work unchanged. For a
// chunk of T steps with inputs x_t and targets y_t = x_{t+1} (class indices):
//   h_t = tanh(Wxh[:, x_t] + Whh h_{t−1} + bh)     (a one-hot input picks a column)
//   z_t = Why h_t + by,  p_t = softmax(z_t)
//   L   = (1/T) Σ_t −log p_t[y_t]                   (mean nats per character)
// Backwards, every step's output adds its own gradient into dh_t:
//   dz_t = (p_t − onehot(y_t)) / T
//   dh_t = Whyᵀ dz_t + Whhᵀ da_{t+1},   da_t = (1 − h_t²) ⊙ dh_t
// h_0 is the state CARRIED from the previous chunk: it is an input here, so
// the gradient stops at it (that is the truncation). ∂L/∂h_0 is still
// computed and returned as dhPrev, to show what truncation throws away.
//
// The recurrence can also be lesson 08's GRU (p.kind "gru", from initCharGru): the same output
// layer, softmax and loss at every step, the same truncation, with h_t computed by gru.ts's
// gruSequenceForward and its gradients by gruSequenceBackward. Every function below takes either.
import type { RnnParams } from "./params";
import { initRnnParams, checkParamShapes, rnnShapes } from "./params";
import type { GruParams, GruWorkspace } from "./gru";
import { initGruParams, gruShapes, makeGruWorkspace, gruSequenceForward, gruSequenceBackward } from "./gru";
import { checkCount, checkFinite, checkLength, describe } from "./checks";
import { softmaxInto } from "./softmax";
import type { Vocab } from "./text";
import { encodeText, decodeText, vocabFromChars } from "./text";
import { modelToJSON, modelFromJSON } from "./serialize";
import { parseJsonObject } from "./json";
import type { Rng } from "./random";
import { tanh } from "./math"; // the same bits in every JavaScript engine (lib/math.ts)
import type { CharSimd } from "./charlm-simd";
import { makeCharSimd, simdChunkStep } from "./charlm-simd";

/** Scratch memory for chunks of up to T steps, made once and reused. */
export interface CharRnnWorkspace {
  /** the longest chunk it holds */
  T: number;
  /** (T+1)·H: row 0 is the carried state h_0, row t+1 is h after step t */
  hs: Float64Array;
  /** T·V: row t is softmax(z_t) after the forward pass, dz_t after the backward pass */
  probs: Float64Array;
  /** T·H: row t is Whyᵀ dz_t, the gradient step t's own output sends into h_t */
  dhOut: Float64Array;
  /** T·H: row t is da_t = (1 − h_t²) ⊙ dh_t */
  das: Float64Array;
  /** H: the gradient flowing back from step t+1 into h_t; ∂L/∂h_0 at the end */
  dhNext: Float64Array;
  /** H·(T+1), V·T, H·T: hs, dz and da transposed (column t is step t), so that each weight gradient is a row-by-row product */
  hsT: Float64Array;
  dzT: Float64Array;
  daT: Float64Array;
  /** H·V and H·H: Whyᵀ and Whhᵀ of the current chunk, so that Whyᵀ dz and Whhᵀ da read rows too */
  WhyT: Float64Array;
  WhhT: Float64Array;
  /** a GRU model's own workspace (its hs is this workspace's hs); null for the plain RNN */
  gru: GruWorkspace | null;
  /**
   * The plain RNN's training chunks (forward and backward) with lib/simd.ts's WebAssembly kernel
   * (lib/charlm-simd.ts): the same numbers, bit for bit, faster. Made on the first such chunk (a
   * workspace that only runs forward passes never needs it): undefined until then; null for a GRU, or
   * where the engine has no WebAssembly SIMD (or setSimdEnabled(false) was in force).
   */
  simd: CharSimd | null | undefined;
}

/** The parameters of a character model: the plain RNN (initCharRnn) or a GRU (initCharGru), with I = O = V. */
export type CharParams = RnnParams | GruParams;

/** A workspace for parameters p and chunks of up to T steps. */
export function makeCharRnnWorkspace(p: CharParams, T: number): CharRnnWorkspace {
  checkCount("makeCharRnnWorkspace", "T", T);
  const { H, O: V } = p;
  const f = (n: number): Float64Array => new Float64Array(n);
  const rnn = p.kind === "rnn" ? 1 : 0; // the arrays of the RNN's own recurrence
  const ws: CharRnnWorkspace = {
    T, hs: f((T + 1) * H), probs: f(T * V), dhOut: f(T * H), das: f(rnn * T * H), dhNext: f(H),
    hsT: f(H * (T + 1)), dzT: f(V * T), daT: f(rnn * H * T), WhyT: f(H * V), WhhT: f(rnn * H * H), gru: null,
    simd: p.kind === "rnn" ? undefined : null,
  };
  if (p.kind === "gru") {
    ws.gru = makeGruWorkspace(p, T);
    ws.gru.hs = ws.hs; // one array of states, read by the shared output layer
  }
  return ws;
}

/** Fresh parameters for a vocabulary of V characters and H hidden units (I = O = V). */
export function initCharRnn(opts: { V: number; H: number; seed: string | number }): RnnParams {
  const V = checkCount("initCharRnn", "V", opts.V);
  return initRnnParams({ I: V, H: opts.H, O: V, seed: opts.seed });
}

/**
 * Fresh GRU parameters for a character model (lesson 08's cell with I = O = V); updateBias as in
 * initGruParams (default 0).
 */
export function initCharGru(opts: { V: number; H: number; seed: string | number; updateBias?: number }): GruParams {
  const V = checkCount("initCharGru", "V", opts.V);
  const init: { I: number; H: number; O: number; seed: string | number; updateBias?: number } = { I: V, H: opts.H, O: V, seed: opts.seed };
  if (opts.updateBias !== undefined) init.updateBias = opts.updateBias;
  return initGruParams(init);
}

/** Check p is a character model: an RNN or a GRU with I = O; `name` is how errors refer to it. */
function checkCharParams(fn: string, p: CharParams, name = "p"): void {
  const kind = typeof p === "object" && p !== null ? p.kind : undefined;
  if (kind === "gru") checkParamShapes(fn, p, "gru", gruShapes, name);
  else if (kind === "rnn") checkParamShapes(fn, p, "rnn", rnnShapes, name);
  else throw new Error(`${fn}: ${name} is ${typeof p === "object" && p !== null ? `a model of kind ${describe(kind)}` : describe(p)}, expected a character model of kind "rnn" (initCharRnn) or "gru" (initCharGru)`);
  if (p.I !== p.O) throw new Error(`${fn}: ${name} has I = ${p.I} inputs and O = ${p.O} outputs, expected I = O = the vocabulary size`);
}

/** Check a chunk of class indices (and its targets): T = its length, each index < V. */
function checkChunk(fn: string, name: string, ids: ArrayLike<number>, V: number, T?: number): number {
  if (!(ids instanceof Int32Array) && !Array.isArray(ids)) throw new Error(`${fn}: ${name} is ${describe(ids)}, expected an Int32Array or number[] of character indices`);
  if (ids.length < 1) throw new Error(`${fn}: ${name} is empty, expected at least one character index`);
  if (T !== undefined && ids.length !== T) throw new Error(`${fn}: ${name} has length ${ids.length}, expected ${T} (one target per input)`);
  for (let t = 0; t < ids.length; t++) {
    const c = ids[t];
    if (!Number.isInteger(c) || c < 0 || c >= V) throw new Error(`${fn}: ${name}[${t}] is ${describe(c)}, expected a character index in 0..${V - 1}`);
  }
  return ids.length;
}

// (Training chunks of the plain RNN run the same arithmetic on lib/simd.ts's WebAssembly kernels where the
// engine has them: lib/charlm-simd.ts, chosen in chunkStep below. The functions here are the readable path,
// and the numbers are the same bit for bit either way: test/unit/simd.test.ts.)
//
// All the arithmetic of a chunk is made of products "C += A·Bᵀ" of row-major blocks: every entry of C
// is one running sum over a row of A and a row of B. addMatMulBt computes it; the forward and backward
// passes below read like the math above and call it.

/**
 * C[i,j] += Σ_k A[i,k] · B[j,k] for i < m, j < n, k < K, where A[i,k] = A[ao + i·lda + k],
 * B[j,k] = B[bo + j·ldb + k] and C[i,j] = C[co + i·ldc + j]. Each C[i,j] is ONE running sum that starts
 * from C's own value and adds its K terms in ascending k — the same numbers, bit for bit, as the plain
 * triple loop. It only keeps eight such sums in flight at once (4 rows of A × 2 rows of B), so that every
 * value loaded from memory serves two or four of them and no sum waits for the one before.
 */
function addMatMulBt(m: number, n: number, K: number, A: Float64Array, ao: number, lda: number, B: Float64Array, bo: number, ldb: number, C: Float64Array, co: number, ldc: number): void {
  if (n === 1) {
    addMatVec(m, K, A, ao, lda, B, bo, C, co, ldc);
    return;
  }
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const a0 = ao + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    const c0 = co + i * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
    let j = 0;
    for (; j + 1 < n; j += 2) {
      const b0 = bo + j * ldb, b1 = b0 + ldb;
      let s00 = C[c0 + j], s01 = C[c0 + j + 1], s10 = C[c1 + j], s11 = C[c1 + j + 1];
      let s20 = C[c2 + j], s21 = C[c2 + j + 1], s30 = C[c3 + j], s31 = C[c3 + j + 1];
      for (let k = 0; k < K; k++) {
        const x0 = B[b0 + k], x1 = B[b1 + k];
        const w0 = A[a0 + k], w1 = A[a1 + k], w2 = A[a2 + k], w3 = A[a3 + k];
        s00 += w0 * x0; s01 += w0 * x1; s10 += w1 * x0; s11 += w1 * x1;
        s20 += w2 * x0; s21 += w2 * x1; s30 += w3 * x0; s31 += w3 * x1;
      }
      C[c0 + j] = s00; C[c0 + j + 1] = s01; C[c1 + j] = s10; C[c1 + j + 1] = s11;
      C[c2 + j] = s20; C[c2 + j + 1] = s21; C[c3 + j] = s30; C[c3 + j + 1] = s31;
    }
    for (; j < n; j++) {
      const b0 = bo + j * ldb;
      let s0 = C[c0 + j], s1 = C[c1 + j], s2 = C[c2 + j], s3 = C[c3 + j];
      for (let k = 0; k < K; k++) {
        const x = B[b0 + k];
        s0 += A[a0 + k] * x; s1 += A[a1 + k] * x; s2 += A[a2 + k] * x; s3 += A[a3 + k] * x;
      }
      C[c0 + j] = s0; C[c1 + j] = s1; C[c2 + j] = s2; C[c3 + j] = s3;
    }
  }
  for (; i < m; i++) {
    const a0 = ao + i * lda, c0 = co + i * ldc;
    for (let j = 0; j < n; j++) {
      const b0 = bo + j * ldb;
      let s = C[c0 + j];
      for (let k = 0; k < K; k++) s += A[a0 + k] * B[b0 + k];
      C[c0 + j] = s;
    }
  }
}

/** addMatMulBt for one row of B (a matrix times a vector): eight rows of A per pass, one running sum each. */
function addMatVec(m: number, K: number, A: Float64Array, ao: number, lda: number, v: Float64Array, vo: number, C: Float64Array, co: number, ldc: number): void {
  let i = 0;
  for (; i + 7 < m; i += 8) {
    const a0 = ao + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda, a6 = a5 + lda, a7 = a6 + lda;
    const c0 = co + i * ldc;
    let s0 = C[c0], s1 = C[c0 + ldc], s2 = C[c0 + 2 * ldc], s3 = C[c0 + 3 * ldc], s4 = C[c0 + 4 * ldc], s5 = C[c0 + 5 * ldc], s6 = C[c0 + 6 * ldc], s7 = C[c0 + 7 * ldc];
    for (let k = 0; k < K; k++) {
      const x = v[vo + k];
      s0 += A[a0 + k] * x; s1 += A[a1 + k] * x; s2 += A[a2 + k] * x; s3 += A[a3 + k] * x;
      s4 += A[a4 + k] * x; s5 += A[a5 + k] * x; s6 += A[a6 + k] * x; s7 += A[a7 + k] * x;
    }
    C[c0] = s0; C[c0 + ldc] = s1; C[c0 + 2 * ldc] = s2; C[c0 + 3 * ldc] = s3; C[c0 + 4 * ldc] = s4; C[c0 + 5 * ldc] = s5; C[c0 + 6 * ldc] = s6; C[c0 + 7 * ldc] = s7;
  }
  for (; i < m; i++) {
    const a0 = ao + i * lda;
    let s = C[co + i * ldc];
    for (let k = 0; k < K; k++) s += A[a0 + k] * v[vo + k];
    C[co + i * ldc] = s;
  }
}

/** out[oo + c·ldo + r] = M[mo + r·ldm + c] for r < rows, c < cols: a transposed copy. */
function transposeInto(M: Float64Array, mo: number, ldm: number, rows: number, cols: number, out: Float64Array, oo: number, ldo: number): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[oo + c * ldo + r] = M[mo + r * ldm + c];
  }
}

/**
 * Forward over one chunk without argument checks: hs row 0 = hPrev, then each
 * step's state and softmax. Returns Σ_t −log p_t[y_t] when targets are given (else a meaningless number).
 */
function forwardChunk(p: CharParams, inputs: ArrayLike<number>, targets: ArrayLike<number> | null, hPrev: Float64Array, ws: CharRnnWorkspace): number {
  const { H, O: V, Why, by } = p;
  const { hs, probs } = ws;
  const T = inputs.length;
  hs.set(hPrev, 0);
  if (p.kind === "gru") gruSequenceForward(p, inputs, ws.gru as GruWorkspace); // lesson 08's cell fills hs rows 1..T
  else rnnStatesForward(p, inputs, ws);
  // The outputs read the states but feed nothing back, so all T of them are one product: z_t = by + Why h_t.
  for (let t = 0; t < T; t++) probs.set(by, t * V);
  addMatMulBt(T, V, H, hs, H, H, Why, 0, H, probs, 0, V);
  let lossSum = 0;
  for (let t = 0; t < T; t++) {
    const po = t * V;
    const zy = targets === null ? 0 : probs[po + targets[t]];
    lossSum += softmaxInto(probs, po, V, probs, po) - zy; // −log p_y = log Σ_k e^{z_k} − z_y, finite even when p_y underflows to 0
  }
  return lossSum;
}

/** The plain RNN's recurrence, step by step, from hs row 0: h_t = tanh(bh + Wxh[:, x_t] + Whh h_{t−1}). */
function rnnStatesForward(p: RnnParams, inputs: ArrayLike<number>, ws: CharRnnWorkspace): void {
  const { H, I: V, Wxh, Whh, bh } = p;
  const { hs } = ws;
  for (let t = 0; t < inputs.length; t++) {
    const x = inputs[t];
    const cur = (t + 1) * H;
    for (let r = 0; r < H; r++) hs[cur + r] = bh[r] + Wxh[r * V + x]; // Wxh · onehot(x) is column x of Wxh
    addMatMulBt(H, 1, H, Whh, 0, H, hs, t * H, H, hs, cur, 1); // += Whh h_{t−1}
    for (let r = 0; r < H; r++) hs[cur + r] = tanh(hs[cur + r]);
  }
}

/**
 * Backward over the chunk that forwardChunk just ran: ADDS the gradient of
 * (1/T) Σ_t −log p_t[y_t] into grads, plus dhLast·h_T when dhLast is given (the
 * gradient arriving from later chunks in full BPTT). Returns ∂/∂h_0 in ws.dhNext.
 */
function backwardChunk(p: CharParams, inputs: ArrayLike<number>, targets: ArrayLike<number>, ws: CharRnnWorkspace, grads: CharParams, dhLast: Float64Array | null): Float64Array {
  const { H, O: V, Why } = p;
  const { hs, probs: dz, dhOut, dhNext, hsT, dzT, WhyT } = ws;
  const T = inputs.length;
  const lt = ws.T, lh = ws.T + 1; // row lengths of the transposed copies
  // Every step's output: dz_t = (p_t − onehot(y_t)) / T, in place of p_t.
  for (let t = 0; t < T; t++) {
    const po = t * V;
    dz[po + targets[t]] -= 1;
    for (let o = 0; o < V; o++) dz[po + o] /= T;
  }
  // dby += Σ_t dz_t;  dWhy += Σ_t dz_t h_tᵀ;  dhOut_t = Whyᵀ dz_t (what step t's own output sends into h_t).
  for (let t = 0; t < T; t++) {
    for (let o = 0; o < V; o++) grads.by[o] += dz[t * V + o];
  }
  transposeInto(dz, 0, V, T, V, dzT, 0, lt);
  transposeInto(hs, 0, H, T + 1, H, hsT, 0, lh);
  addMatMulBt(V, H, T, dzT, 0, lt, hsT, 1, lh, grads.Why, 0, H);
  transposeInto(Why, 0, H, V, H, WhyT, 0, V);
  dhOut.fill(0, 0, T * H);
  addMatMulBt(T, H, V, dz, 0, V, WhyT, 0, V, dhOut, 0, H);
  // The recurrence, backwards: dh_t = Whyᵀ dz_t (its own output) + what the later steps send back.
  if (p.kind === "gru") {
    dhNext.set(gruSequenceBackward(p, inputs, ws.gru as GruWorkspace, dhOut, dhLast, grads as GruParams));
    return dhNext;
  }
  return rnnStatesBackward(p, inputs, ws, grads as RnnParams, dhLast);
}

/** The plain RNN's recurrence, backwards from dhOut (and dhLast): ADDS dWxh, dWhh, dbh; returns ∂/∂h_0 in ws.dhNext. */
function rnnStatesBackward(p: RnnParams, inputs: ArrayLike<number>, ws: CharRnnWorkspace, grads: RnnParams, dhLast: Float64Array | null): Float64Array {
  const { H, I: V, Whh } = p;
  const { hs, dhOut, das, dhNext, hsT, daT, WhhT } = ws;
  const T = inputs.length;
  const lt = ws.T, lh = ws.T + 1;
  // dh_t = dhOut_t + Whhᵀ da_{t+1},  da_t = (1 − h_t²) ⊙ dh_t
  transposeInto(Whh, 0, H, H, H, WhhT, 0, H);
  if (dhLast) dhNext.set(dhLast);
  else dhNext.fill(0);
  for (let t = T - 1; t >= 0; t--) {
    const cur = (t + 1) * H;
    const d = t * H;
    for (let r = 0; r < H; r++) {
      const h = hs[cur + r];
      const da = (1 - h * h) * (dhOut[d + r] + dhNext[r]);
      das[d + r] = da;
      daT[r * lt + t] = da;
    }
    dhNext.fill(0);
    addMatMulBt(H, 1, H, WhhT, 0, H, das, d, H, dhNext, 0, 1); // Whhᵀ da_t
  }
  // The parameters of the recurrence: dbh += da_t, column x_t of dWxh += da_t, dWhh += da_t h_{t−1}ᵀ.
  for (let t = 0; t < T; t++) {
    const x = inputs[t];
    for (let r = 0; r < H; r++) {
      const g = das[t * H + r];
      grads.bh[r] += g;
      grads.Wxh[r * V + x] += g; // only column x of Wxh was used
    }
  }
  addMatMulBt(H, H, T, daT, 0, lt, hsT, 0, lh, grads.Whh, 0, H);
  return dhNext;
}

/** A workspace made for the other kind of model would leave the GRU's scratch missing (or unused). */
function checkWorkspaceKind(fn: string, p: CharParams, ws: CharRnnWorkspace): void {
  if ((p.kind === "gru") !== (ws.gru !== null)) throw new Error(`${fn}: the workspace was made for ${ws.gru ? "a GRU" : "an RNN"} model, expected one made by makeCharRnnWorkspace for this ${p.kind} model`);
}

/** What charRnnLossAndGrads returns for one chunk. */
export interface ChunkResult {
  /** mean cross-entropy of the chunk's T predictions, in nats per character */
  loss: number;
  /** h_T: the state to carry into the next chunk (a new array) */
  hLast: Float64Array;
  /** ∂loss/∂h_0: the gradient that truncation does NOT pass to the previous chunk (a new array) */
  dhPrev: Float64Array;
}

/**
 * Loss and gradients of one chunk: inputs[t] predicts targets[t] (both T
 * character indices; for text, targets is inputs shifted by one). hPrev is the
 * state carried in from the previous chunk (zeros at the start of the text); it
 * is a constant here, so the gradient does not cross into the previous chunk.
 * ADDS the gradients into grads (so chunks or batches can be summed).
 * opts.dhLast: a gradient arriving at h_T from later chunks, for full BPTT
 * across chunks (default none: truncated).
 */
export function charRnnLossAndGrads<P extends CharParams>(
  p: P,
  inputs: ArrayLike<number>,
  targets: ArrayLike<number>,
  hPrev: Float64Array,
  grads: P,
  opts: { ws?: CharRnnWorkspace; dhLast?: Float64Array } = {},
): ChunkResult {
  const fn = "charRnnLossAndGrads";
  checkCharParams(fn, p);
  checkCharParams(fn, grads, "grads");
  if (grads.kind !== p.kind || grads.I !== p.I || grads.H !== p.H || grads.O !== p.O) {
    throw new Error(`${fn}: grads is ${grads.kind} with I=${grads.I}, H=${grads.H}, O=${grads.O}, expected the same as p (${p.kind} with I=${p.I}, H=${p.H}, O=${p.O})`);
  }
  const T = checkChunk(fn, "inputs", inputs, p.I);
  checkChunk(fn, "targets", targets, p.O, T);
  checkLength(fn, "hPrev", hPrev, p.H, `H = ${p.H}`);
  checkFinite(fn, "hPrev", hPrev);
  if (opts.dhLast !== undefined) checkLength(fn, "opts.dhLast", opts.dhLast, p.H, `H = ${p.H}`);
  const ws = opts.ws ?? makeCharRnnWorkspace(p, T);
  if (ws.T < T || ws.hs.length !== (ws.T + 1) * p.H) throw new Error(`${fn}: opts.ws holds ${ws.T} steps of H=${ws.hs.length / (ws.T + 1)}, expected at least T = ${T} steps of H = ${p.H}`);
  checkWorkspaceKind(fn, p, ws);
  const { loss, hLast, dhPrev } = chunkStep(p, inputs, targets, hPrev, grads, ws, opts.dhLast ?? null);
  return { loss, hLast: hLast.slice(), dhPrev: dhPrev.slice() };
}

/** forward + backward of one chunk without checks; hLast and dhPrev are views into ws. */
function chunkStep(p: CharParams, inputs: ArrayLike<number>, targets: ArrayLike<number>, hPrev: Float64Array, grads: CharParams, ws: CharRnnWorkspace, dhLast: Float64Array | null): ChunkResult {
  const T = inputs.length;
  if (p.kind === "rnn") {
    if (ws.simd === undefined) ws.simd = makeCharSimd(p.H, p.O, ws.T);
    if (ws.simd !== null) {
      const r = simdChunkStep(p, inputs, targets, hPrev, grads as RnnParams, ws.simd, dhLast);
      return { loss: r.lossSum / T, hLast: r.hLast, dhPrev: r.dhPrev };
    }
  }
  const lossSum = forwardChunk(p, inputs, targets, hPrev, ws);
  const dhPrev = backwardChunk(p, inputs, targets, ws, grads, dhLast);
  return { loss: lossSum / T, hLast: ws.hs.subarray(T * p.H, (T + 1) * p.H), dhPrev };
}

/** The mean loss of one chunk from carried state hPrev (no gradients): for gradient checks and evaluation. */
export function charRnnLoss(p: CharParams, inputs: ArrayLike<number>, targets: ArrayLike<number>, hPrev: Float64Array): number {
  const fn = "charRnnLoss";
  checkCharParams(fn, p);
  const T = checkChunk(fn, "inputs", inputs, p.I);
  checkChunk(fn, "targets", targets, p.O, T);
  checkLength(fn, "hPrev", hPrev, p.H, `H = ${p.H}`);
  return forwardChunk(p, inputs, targets, hPrev, makeCharRnnWorkspace(p, T)) / T;
}

/**
 * The model's predictions along a chunk from carried state hPrev: probs row t
 * (V values) is p(next character | inputs[0..t]); hLast is h_T. New arrays.
 */
export function charRnnPredict(p: CharParams, inputs: ArrayLike<number>, hPrev: Float64Array): { probs: Float64Array; hLast: Float64Array } {
  const fn = "charRnnPredict";
  checkCharParams(fn, p);
  const T = checkChunk(fn, "inputs", inputs, p.I);
  checkLength(fn, "hPrev", hPrev, p.H, `H = ${p.H}`);
  const ws = makeCharRnnWorkspace(p, T);
  forwardChunk(p, inputs, null, hPrev, ws);
  return { probs: ws.probs.slice(0, T * p.O), hLast: ws.hs.slice(T * p.H, (T + 1) * p.H) };
}

/**
 * Mean loss (nats per character) of a whole encoded text, read in chunks of
 * seqLength with the state carried across chunks, exactly as training reads it.
 */
export function charRnnTextLoss(p: CharParams, ids: ArrayLike<number>, seqLength: number): number {
  const fn = "charRnnTextLoss";
  checkCharParams(fn, p);
  checkSeqLength(fn, seqLength, ids.length);
  checkChunk(fn, "ids", ids, p.I);
  const ws = makeCharRnnWorkspace(p, seqLength);
  const h = new Float64Array(p.H);
  let sum = 0;
  let count = 0;
  for (let pos = 0; pos + 1 < ids.length; pos += seqLength) {
    const T = Math.min(seqLength, ids.length - 1 - pos);
    const inputs = subarrayOf(ids, pos, pos + T);
    const targets = subarrayOf(ids, pos + 1, pos + T + 1);
    sum += forwardChunk(p, inputs, targets, h, ws);
    count += T;
    h.set(ws.hs.subarray(T * p.H, (T + 1) * p.H));
  }
  return sum / count;
}

function subarrayOf(ids: ArrayLike<number>, a: number, b: number): ArrayLike<number> {
  return ids instanceof Int32Array ? ids.subarray(a, b) : Array.prototype.slice.call(ids, a, b);
}

/** seqLength must be an integer in 1 .. textLength − 1 (each input needs the next character as its target). */
export function checkSeqLength(fn: string, seqLength: unknown, textLength: number): number {
  if (textLength < 2) throw new Error(`${fn}: the text has ${textLength} character${textLength === 1 ? "" : "s"}, expected at least 2 (an input and its next character)`);
  checkCount(fn, "seqLength", seqLength);
  if ((seqLength as number) > textLength - 1) {
    throw new Error(`${fn}: seqLength is ${seqLength}, expected at most ${textLength - 1} (the text has ${textLength} characters and each input needs the next one as its target)`);
  }
  return seqLength as number;
}

/**
 * Where the reader of a text is: the next chunk starts at `position`, from the
 * carried state `h`. One step of truncated BPTT reads ids[position ..
 * position+seqLength] and then moves position on by seqLength and h to h_T.
 * When fewer than seqLength+1 characters are left, it goes back to the start
 * of the text with h = 0 (as min-char-rnn does).
 */
export interface TextReader {
  ids: Int32Array;
  seqLength: number;
  position: number;
  h: Float64Array;
}

/** A reader at the start of the text, with h = 0. */
export function makeTextReader(ids: Int32Array, seqLength: number, H: number): TextReader {
  const fn = "makeTextReader";
  if (!(ids instanceof Int32Array)) throw new Error(`${fn}: ids is ${describe(ids)}, expected an Int32Array (encodeText's result)`);
  checkSeqLength(fn, seqLength, ids.length);
  return { ids, seqLength, position: 0, h: new Float64Array(checkCount(fn, "H", H)) };
}

/**
 * One training step's loss and gradients (ADDED into grads): the next chunk
 * of the reader, from its carried state; then the reader moves on.
 */
export function readerStep<P extends CharParams>(p: P, reader: TextReader, grads: P, ws: CharRnnWorkspace): number {
  const { ids, seqLength } = reader;
  checkWorkspaceKind("readerStep", p, ws);
  if (reader.position + seqLength + 1 > ids.length) {
    reader.position = 0; // back to the start of the text, with a fresh state
    reader.h.fill(0);
  }
  const a = reader.position;
  const r = chunkStep(p, ids.subarray(a, a + seqLength), ids.subarray(a + 1, a + seqLength + 1), reader.h, grads, ws, null);
  reader.h.set(r.hLast); // carried to the next chunk: the value crosses the boundary, the gradient does not
  reader.position = a + seqLength;
  return r.loss;
}

/** Options of sampleText. */
export interface SampleOptions {
  /** the random source; the same seed gives the same text */
  rng: Rng;
  /** how many characters to generate after the priming string, >= 0 */
  length: number;
  /** text fed in first to set the state (at least one character, all in the vocabulary) */
  prime: string;
  /** divides the logits before the softmax: < 1 sharper and safer, > 1 flatter and wilder (default 1) */
  temperature?: number;
}

/**
 * Generate text: feed the priming string from h = 0, then repeatedly draw the
 * next character from softmax(z / temperature) and feed it back in.
 * Returns only the generated characters (not the priming string).
 */
export function sampleText(p: CharParams, vocab: Vocab, opts: SampleOptions): string {
  const fn = "sampleText";
  checkCharParams(fn, p);
  if (vocab.chars.length !== p.I) throw new Error(`${fn}: the vocabulary has ${vocab.chars.length} characters, expected p.I = ${p.I}`);
  if (typeof opts !== "object" || opts === null) throw new Error(`${fn}: opts is ${describe(opts)}, expected { rng, length, prime, temperature? }`);
  const { rng } = opts;
  if (typeof rng !== "object" || rng === null || typeof rng.uniform !== "function") throw new Error(`${fn}: opts.rng is ${describe(rng)}, expected an Rng from makeRng(seed)`);
  const length = checkCount(fn, "opts.length", opts.length, 0);
  const temperature = opts.temperature ?? 1;
  if (typeof temperature !== "number" || !(temperature > 0) || !Number.isFinite(temperature)) {
    throw new Error(`${fn}: opts.temperature is ${describe(temperature)}, expected a finite number > 0`);
  }
  if (typeof opts.prime !== "string" || opts.prime.length === 0) throw new Error(`${fn}: opts.prime is ${describe(opts.prime)}, expected at least one character to start from`);
  const primeIds = encodeText(vocab, opts.prime, `${fn}: opts.prime`);
  const { H, O: V } = p;
  const ws = makeCharRnnWorkspace(p, 1);
  const h = new Float64Array(H);
  const z = new Float64Array(V);
  const probs = new Float64Array(V);
  const step = (x: number): void => {
    forwardChunk(p, [x], null, h, ws);
    h.set(ws.hs.subarray(H, 2 * H));
  };
  for (let k = 0; k < primeIds.length; k++) step(primeIds[k]);
  const out = new Int32Array(length);
  for (let n = 0; n < length; n++) {
    // the logits of the last step: z = Why h + by
    for (let o = 0; o < V; o++) {
      let s = p.by[o];
      for (let j = 0; j < H; j++) s += p.Why[o * H + j] * h[j];
      z[o] = s;
    }
    softmaxInto(z, 0, V, probs, 0, temperature);
    let u = rng.uniform();
    let next = V - 1;
    for (let o = 0; o < V; o++) {
      u -= probs[o];
      if (u < 0) {
        next = o;
        break;
      }
    }
    out[n] = next;
    step(next);
  }
  return decodeText(vocab, out);
}

/** A trained character model (the plain RNN or the GRU): its vocabulary and its weights, saved and loaded together. */
export interface CharLm<P extends CharParams = CharParams> {
  vocab: Vocab;
  params: P;
}

/**
 * The model file's text: modelToJSON's model file (format, version, kind,
 * sizes, params) with one more field, "vocab", the characters in index order.
 * loadModel can read the weights of such a file too. "kind" says which recurrence: "rnn" or "gru".
 */
export function charLmToJSON(model: CharLm): string {
  const fn = "charLmToJSON";
  if (typeof model !== "object" || model === null) throw new Error(`${fn}: model is ${describe(model)}, expected { vocab, params }`);
  checkCharParams(fn, model.params, "model.params");
  if (model.vocab.chars.length !== model.params.I) throw new Error(`${fn}: the vocabulary has ${model.vocab.chars.length} characters, expected p.I = ${model.params.I}`);
  const text = modelToJSON(model.params);
  return "{\n" + `  "vocab": ${JSON.stringify(model.vocab.chars)},\n` + text.slice(2);
}

/** A model from charLmToJSON's text (an RNN or a GRU, as its "kind" says); errors name `source` and the field. Bit-exact round trip. */
export function charLmFromJSON(text: string, source = "charLmFromJSON"): CharLm {
  const params = modelFromJSON(text, source);
  if (params.kind !== "rnn" && params.kind !== "gru") {
    throw new Error(`${source}: field "kind" is ${describe(params.kind)}, expected "rnn" or "gru" (the recurrences a character model can have)`);
  }
  const vocab = vocabFromChars(parseJsonObject(text, source).vocab, `${source}: field "vocab"`);
  if (vocab.chars.length !== params.I || params.I !== params.O) {
    throw new Error(`${source}: field "vocab" has ${vocab.chars.length} characters, expected I = O = ${params.I} (the model's input and output size)`);
  }
  return { vocab, params };
}
