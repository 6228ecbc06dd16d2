// Not built in a lesson: lesson 10's plain-RNN chunk (lib/charlm.ts: forward, truncated BPTT, the
// gradients) with its matrix products, tanh and softmax done by lib/simd.ts's WebAssembly kernels. Same
// arithmetic, same order of every sum, so the same bits as charlm.ts's TypeScript (test/unit/simd.test.ts).
// The math is charlm.ts's:
//   h_t = tanh(Wxh[:, x_t] + bh + Whh h_{t−1}),  z_t = by + Why h_t,  p_t = softmax(z_t)
//   dz_t = (p_t − onehot(y_t)) / T,  dh_t = Whyᵀ dz_t + Whhᵀ da_{t+1},  da_t = (1 − h_t²) ⊙ dh_t
// What is new here is only where numbers live: the kernels read one block of memory (the arena); the
// product kernel computes Y[j, i] += Σ_k A[i, k] X[j, k], with A's rows read 8 at a time. A row-major
// matrix read across is its own transpose in that layout, so the states serve as A directly, and so do
// Whh and Why for Whhᵀ da and Whyᵀ dz; for Whh h and Why h they are packed as panels. Weights and
// gradients that are not in the arena are copied in (and the gradients back) once per chunk; training
// (lib/charlm-train.ts) keeps them there all along (residentRnn), so nothing is copied.
import type { RnnParams } from "./params";
import { copyParamsInto, zerosLike } from "./params";
import type { SimdArena, Panels } from "./simd";
import { makeSimdArena, roundUp8 } from "./simd";
import { log } from "./math";

/** The arena's views for chunks of up to T steps of a model with H hidden units and V characters. */
export interface CharSimd {
  arena: SimdArena;
  T: number;
  H: number;
  V: number;
  /** Whh (H·H) and Why (V·H) copied in for a chunk whose weights are not in the arena already; read as they are, they are also Whhᵀ and Whyᵀ for the kernel */
  Whh: Float64Array;
  Why: Float64Array;
  /** Whh and Why packed as 8-row panels, for Whh h and Why h */
  pWhh: Float64Array;
  pWhy: Float64Array;
  /** (T+1)·H: row 0 = h_0 (carried in), row t+1 = h after step t */
  hs: Float64Array;
  /** H: one step's pre-activation */
  a: Float64Array;
  /** T·V: row t = z_t, then p_t, then dz_t */
  z: Float64Array;
  /** T·H: row t = Whyᵀ dz_t */
  dhOut: Float64Array;
  /** T·H: row t = da_t */
  das: Float64Array;
  /** H: the gradient arriving at h_t from step t+1; ∂L/∂h_0 at the end */
  dhNext: Float64Array;
  /** V·H and H·H: dWhy and dWhh while the kernel adds into them (when the gradients are not in the arena already) */
  gWhy: Float64Array;
  gWhh: Float64Array;
}

/**
 * The arena and views for the kernel, or null where WebAssembly SIMD is not available. With `training`,
 * the arena also has room for a whole training state (residentRnn): the weights, their gradients and
 * Adam's two moments.
 */
export function makeCharSimd(H: number, V: number, T: number, training = false): CharSimd | null {
  const sizes = [H * H, V * H, roundUp8(H) * H, roundUp8(V) * H, (T + 1) * H, H, T * V, T * H, T * H, H, V * H, H * H];
  const model = [V * H, H * H, H, V * H, V]; // Wxh, Whh, bh, Why, by
  if (training) for (let copy = 0; copy < 4; copy++) sizes.push(...model);
  const arena = makeSimdArena(sizes.reduce((sum, n) => sum + roundUp8(n), 0));
  if (arena === null) return null;
  const v = (n: number): Float64Array => arena.view(n);
  return {
    arena, T, H, V,
    Whh: v(H * H), Why: v(V * H), pWhh: v(roundUp8(H) * H), pWhy: v(roundUp8(V) * H),
    hs: v((T + 1) * H), a: v(H), z: v(T * V), dhOut: v(T * H), das: v(T * H), dhNext: v(H), gWhy: v(V * H), gWhh: v(H * H),
  };
}

/**
 * p's weights copied into s's arena (made with `training`), and zero gradients beside them. Training
 * these instead of p (lib/charlm-train.ts) copies nothing per chunk: simdChunkStep reads and adds into
 * them where they are, and lib/update.ts's Adam finds them in the arena and keeps its moments there too.
 */
export function residentRnn(p: RnnParams, s: CharSimd): { params: RnnParams; grads: RnnParams } {
  const view = (n: number): Float64Array => s.arena.view(n);
  const params = zerosLike(p, view);
  copyParamsInto(params, p);
  return { params, grads: zerosLike(p, view) };
}

/**
 * Forward and backward over one chunk (inputs predict targets, T = inputs.length ≤ s.T), from the
 * carried state hPrev; ADDS the gradients into grads. Returns the summed loss, h_T and ∂L/∂h_0 (views into s).
 */
export function simdChunkStep(p: RnnParams, inputs: ArrayLike<number>, targets: ArrayLike<number>, hPrev: Float64Array, grads: RnnParams, s: CharSimd, dhLast: Float64Array | null): { lossSum: number; hLast: Float64Array; dhPrev: Float64Array } {
  const { H, O: V, Wxh, bh, by } = p;
  const { arena, hs, a, z, dhOut, das, dhNext } = s;
  const T = inputs.length;
  // The kernel reads and writes only its arena: arrays elsewhere are copied in (and gradients back out).
  const inArena = (a: Float64Array, copy: Float64Array): Float64Array => (arena.holds(a) ? a : (copy.set(a), copy));
  const pWhh = inArena(p.Whh, s.Whh);
  const pWhy = inArena(p.Why, s.Why);
  const gWhy = inArena(grads.Why, s.gWhy);
  const gWhh = inArena(grads.Whh, s.gWhh);
  // Where each matrix is, as the kernel reads it (lib/simd.ts's Panels).
  const Whh = arena.packPanels(pWhh, 0, H, H, H, s.pWhh);
  const Why = arena.packPanels(pWhy, 0, H, V, H, s.pWhy);
  const WhhT: Panels = { data: pWhh, offset: 0, ldp: 8, ldk: H }; // Whhᵀ[i, k] = Whh[k, i]: Whh's rows, read across
  const WhyT: Panels = { data: pWhy, offset: 0, ldp: 8, ldk: H };
  const statesBefore: Panels = { data: hs, offset: 0, ldp: 8, ldk: H }; // [k', t] = h_{t−1}[k'] (hs row t)
  const statesAfter: Panels = { data: hs, offset: H, ldp: 8, ldk: H }; // [k', t] = h_t[k'] (hs row t+1)

  // The recurrence, step by step: a = bh + Wxh[:, x_t]; a += Whh h_{t−1}; h_t = tanh(a).
  hs.set(hPrev, 0);
  for (let t = 0; t < T; t++) {
    const x = inputs[t];
    for (let r = 0; r < H; r++) a[r] = bh[r] + Wxh[r * V + x];
    arena.addPanelProduct(Whh, H, H, hs, t * H, 0, 1, 1, a, 0, H);
    arena.tanh(a, 0, hs, (t + 1) * H, H);
  }
  // All T outputs in one product: z_t = by; z_t += Why h_t (X row t = h_t).
  for (let t = 0; t < T; t++) z.set(by, t * V);
  arena.addPanelProduct(Why, V, H, hs, H, H, 1, T, z, 0, V);
  // p_t = softmax(z_t) in place (lib/softmax.ts's softmaxInto, on the kernel); −log p_y = log Σ e^(z − m) + m − z_y.
  let lossSum = 0;
  for (let t = 0; t < T; t++) {
    const zo = t * V;
    const zy = z[zo + targets[t]];
    let m = -Infinity;
    for (let o = 0; o < V; o++) if (z[zo + o] > m) m = z[zo + o];
    lossSum += log(arena.softmax(z, zo, V, m)) + m - zy;
  }

  // dz_t = (p_t − onehot(y_t)) / T in place; dby += Σ_t dz_t.
  for (let t = 0; t < T; t++) {
    const zo = t * V;
    z[zo + targets[t]] -= 1;
    for (let o = 0; o < V; o++) z[zo + o] /= T;
  }
  for (let t = 0; t < T; t++) {
    for (let o = 0; o < V; o++) grads.by[o] += z[t * V + o];
  }
  // dWhy[o, :] += Σ_t dz_t[o] h_tᵀ: rows j = o of dWhy, terms over t (X[o, t] = dz_t[o]).
  arena.addPanelProduct(statesAfter, H, T, z, 0, 1, V, V, gWhy, 0, H);
  if (gWhy !== grads.Why) grads.Why.set(gWhy);
  // dhOut_t = Whyᵀ dz_t for every t at once.
  dhOut.fill(0, 0, T * H);
  arena.addPanelProduct(WhyT, H, V, z, 0, V, 1, T, dhOut, 0, H);

  // The recurrence, backwards: da_t = (1 − h_t²) ⊙ (dhOut_t + dhNext), then dhNext = Whhᵀ da_t.
  if (dhLast) dhNext.set(dhLast);
  else dhNext.fill(0);
  for (let t = T - 1; t >= 0; t--) {
    const cur = (t + 1) * H;
    const d = t * H;
    for (let r = 0; r < H; r++) {
      const h = hs[cur + r];
      das[d + r] = (1 - h * h) * (dhOut[d + r] + dhNext[r]);
    }
    dhNext.fill(0);
    arena.addPanelProduct(WhhT, H, H, das, d, 0, 1, 1, dhNext, 0, H);
  }
  // dbh += da_t; column x_t of dWxh += da_t; dWhh[r, :] += Σ_t da_t[r] h_{t−1}ᵀ (X[r, t] = da_t[r]).
  for (let t = 0; t < T; t++) {
    const x = inputs[t];
    for (let r = 0; r < H; r++) {
      const g = das[t * H + r];
      grads.bh[r] += g;
      grads.Wxh[r * V + x] += g;
    }
  }
  arena.addPanelProduct(statesBefore, H, T, das, 0, 1, H, H, gWhh, 0, H);
  if (gWhh !== grads.Whh) grads.Whh.set(gWhh);
  return { lossSum, hLast: hs.subarray(T * H, (T + 1) * H), dhPrev: dhNext };
}
