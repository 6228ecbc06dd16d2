// Not built in a lesson: lesson 10's plain-RNN chunk (lib/charlm.ts: forward, truncated BPTT, the
// gradients) with its matrix products done by lib/simd.ts's WebAssembly kernel. Same arithmetic, same
// order of every sum, so the same bits as charlm.ts's TypeScript products (test/unit/simd.test.ts).
// The math is charlm.ts's:
//   h_t = tanh(Wxh[:, x_t] + bh + Whh h_{t−1}),  z_t = by + Why h_t,  p_t = softmax(z_t)
//   dz_t = (p_t − onehot(y_t)) / T,  dh_t = Whyᵀ dz_t + Whhᵀ da_{t+1},  da_t = (1 − h_t²) ⊙ dh_t
// What is new here is only where numbers live: the kernel reads one block of memory (the arena) and
// computes Y[j, i] += Σ_k A[i, k] X[j, k], with A's rows read 8 at a time. Rows of states and gradients
// are padded to a multiple of 8 (H8, V8) so that a matrix of them can serve as A directly; the weights
// are copied in once per chunk, Whh and Why as 8-row panels (packPanels), and as padded rows for Whhᵀ and Whyᵀ.
import type { RnnParams } from "./params";
import type { SimdArena, Panels } from "./simd";
import { makeSimdArena, packPanels, roundUp8 } from "./simd";
import { softmaxInto } from "./softmax";
import { tanh } from "./math";

/** The arena's views for chunks of up to T steps of a model with H hidden units and V characters (H8, V8: rounded up to 8). */
export interface CharSimd {
  arena: SimdArena;
  T: number;
  H: number;
  V: number;
  /** Whh and Why packed as panels (H8·H and V8·H), for Whh h and Why h */
  pWhh: Float64Array;
  pWhy: Float64Array;
  /** Whh and Why copied row by row into rows of length H8 (H·H8 and V·H8): read as their transposes, for Whhᵀ da and Whyᵀ dz */
  rowsWhh: Float64Array;
  rowsWhy: Float64Array;
  /** (T+1)·H8: row 0 = h_0 (carried in), row t+1 = h after step t */
  hs: Float64Array;
  /** H8: one step's pre-activation */
  a: Float64Array;
  /** T·V8: row t = z_t, then p_t, then dz_t */
  z: Float64Array;
  /** T·H8: row t = Whyᵀ dz_t */
  dhOut: Float64Array;
  /** T·H8: row t = da_t */
  das: Float64Array;
  /** H8: the gradient arriving at h_t from step t+1; ∂L/∂h_0 at the end */
  dhNext: Float64Array;
  /** V·H8 and H·H8: dWhy and dWhh while the kernel adds into them */
  gWhy: Float64Array;
  gWhh: Float64Array;
}

/** The arena and views for the kernel, or null where WebAssembly SIMD is not available. */
export function makeCharSimd(H: number, V: number, T: number): CharSimd | null {
  const H8 = roundUp8(H);
  const V8 = roundUp8(V);
  const sizes = [H8 * H, V8 * H, H * H8, V * H8, (T + 1) * H8, H8, T * V8, T * H8, T * H8, H8, V * H8, H * H8];
  const arena = makeSimdArena(sizes.reduce((sum, n) => sum + roundUp8(n), 0));
  if (arena === null) return null;
  const v = (n: number): Float64Array => arena.view(n);
  return {
    arena, T, H, V,
    pWhh: v(H8 * H), pWhy: v(V8 * H), rowsWhh: v(H * H8), rowsWhy: v(V * H8),
    hs: v((T + 1) * H8), a: v(H8), z: v(T * V8), dhOut: v(T * H8), das: v(T * H8), dhNext: v(H8), gWhy: v(V * H8), gWhh: v(H * H8),
  };
}

/**
 * Forward and backward over one chunk (inputs predict targets, T = inputs.length ≤ s.T), from the
 * carried state hPrev; ADDS the gradients into grads. Returns the summed loss, h_T and ∂L/∂h_0 (views into s).
 */
export function simdChunkStep(p: RnnParams, inputs: ArrayLike<number>, targets: ArrayLike<number>, hPrev: Float64Array, grads: RnnParams, s: CharSimd, dhLast: Float64Array | null): { lossSum: number; hLast: Float64Array; dhPrev: Float64Array } {
  const { H, O: V, Wxh, Whh, bh, Why, by } = p;
  const { arena, hs, a, z, dhOut, das, dhNext, gWhy, gWhh } = s;
  const T = inputs.length;
  const H8 = roundUp8(H);
  const V8 = roundUp8(V);
  // Where each matrix is, as the kernel reads it (lib/simd.ts's Panels).
  const WhhP = packPanels(Whh, 0, H, 1, H, H, s.pWhh);
  const WhyP = packPanels(Why, 0, H, 1, V, H, s.pWhy);
  copyRows(Whh, H, s.rowsWhh, H8, H, H);
  copyRows(Why, H, s.rowsWhy, H8, V, H);
  const WhhT: Panels = { data: s.rowsWhh, offset: 0, ldp: 8, ldk: H8 }; // Whhᵀ[i, k] = Whh[k, i]
  const WhyT: Panels = { data: s.rowsWhy, offset: 0, ldp: 8, ldk: H8 };
  const statesBefore: Panels = { data: hs, offset: 0, ldp: 8, ldk: H8 }; // [k', t] = h_{t−1}[k'] (hs row t)
  const statesAfter: Panels = { data: hs, offset: H8, ldp: 8, ldk: H8 }; // [k', t] = h_t[k'] (hs row t+1)

  // The recurrence, step by step: a = bh + Wxh[:, x_t]; a += Whh h_{t−1}; h_t = tanh(a).
  hs.set(hPrev, 0);
  for (let t = 0; t < T; t++) {
    const x = inputs[t];
    for (let r = 0; r < H; r++) a[r] = bh[r] + Wxh[r * V + x];
    arena.addPanelProduct(WhhP, H8, H, hs, t * H8, 0, 1, 1, a, 0, H8);
    const cur = (t + 1) * H8;
    for (let r = 0; r < H; r++) hs[cur + r] = tanh(a[r]);
  }
  // All T outputs in one product: z_t = by; z_t += Why h_t (X row t = h_t).
  for (let t = 0; t < T; t++) z.set(by, t * V8);
  arena.addPanelProduct(WhyP, V8, H, hs, H8, H8, 1, T, z, 0, V8);
  let lossSum = 0;
  for (let t = 0; t < T; t++) {
    const zy = z[t * V8 + targets[t]];
    lossSum += softmaxInto(z, t * V8, V, z, t * V8) - zy; // −log p_y = log Σ e^z − z_y
  }

  // dz_t = (p_t − onehot(y_t)) / T in place; dby += Σ_t dz_t.
  for (let t = 0; t < T; t++) {
    const zo = t * V8;
    z[zo + targets[t]] -= 1;
    for (let o = 0; o < V; o++) z[zo + o] /= T;
  }
  for (let t = 0; t < T; t++) {
    for (let o = 0; o < V; o++) grads.by[o] += z[t * V8 + o];
  }
  // dWhy[o, :] += Σ_t dz_t[o] h_tᵀ: rows j = o of dWhy, terms over t (X[o, t] = dz_t[o]).
  copyRows(grads.Why, H, gWhy, H8, V, H);
  arena.addPanelProduct(statesAfter, H8, T, z, 0, 1, V8, V, gWhy, 0, H8);
  copyRows(gWhy, H8, grads.Why, H, V, H);
  // dhOut_t = Whyᵀ dz_t for every t at once.
  dhOut.fill(0, 0, T * H8);
  arena.addPanelProduct(WhyT, H8, V, z, 0, V8, 1, T, dhOut, 0, H8);

  // The recurrence, backwards: da_t = (1 − h_t²) ⊙ (dhOut_t + dhNext), then dhNext = Whhᵀ da_t.
  if (dhLast) dhNext.set(dhLast);
  else dhNext.fill(0);
  for (let t = T - 1; t >= 0; t--) {
    const cur = (t + 1) * H8;
    const d = t * H8;
    for (let r = 0; r < H; r++) {
      const h = hs[cur + r];
      das[d + r] = (1 - h * h) * (dhOut[d + r] + dhNext[r]);
    }
    dhNext.fill(0);
    arena.addPanelProduct(WhhT, H8, H, das, d, 0, 1, 1, dhNext, 0, H8);
  }
  // dbh += da_t; column x_t of dWxh += da_t; dWhh[r, :] += Σ_t da_t[r] h_{t−1}ᵀ (X[r, t] = da_t[r]).
  for (let t = 0; t < T; t++) {
    const x = inputs[t];
    for (let r = 0; r < H; r++) {
      const g = das[t * H8 + r];
      grads.bh[r] += g;
      grads.Wxh[r * V + x] += g;
    }
  }
  copyRows(grads.Whh, H, gWhh, H8, H, H);
  arena.addPanelProduct(statesBefore, H8, T, das, 0, 1, H8, H, gWhh, 0, H8);
  copyRows(gWhh, H8, grads.Whh, H, H, H);
  return { lossSum, hLast: hs.subarray(T * H8, T * H8 + H), dhPrev: dhNext.subarray(0, H) };
}

/** to[r·ldTo + c] = from[r·ldFrom + c] for r < rows, c < cols. */
function copyRows(from: Float64Array, ldFrom: number, to: Float64Array, ldTo: number, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const f = r * ldFrom, t = r * ldTo;
    for (let c = 0; c < cols; c++) to[t + c] = from[f + c];
  }
}
