// Checks for the exercises of lesson 04 (backpropagation through time).
// Each check prints one line, "✔ …" or "✘ … not yet — hint", and returns
// { ok, message }. A wrong answer never throws: a hint is more useful than a stack trace.
import { makeRng, normalArray } from "../lib/random";
import type { Rng } from "../lib/random";
import { sigmoid } from "../lib/loss";
import { exercise, attempt, maxAbsDiff } from "./report";
import type { CheckResult } from "./report";

export type { CheckResult };

function isVector(v: unknown, n: number): v is ArrayLike<number> {
  return (v instanceof Float64Array || Array.isArray(v)) && v.length === n &&
    Array.from(v as ArrayLike<number>).every((e) => typeof e === "number" && Number.isFinite(e));
}

// ---------------------------------------------------------------------------
// Exercise 4.1 — which hidden state pairs with da_t in dWhh?

/**
 * `rowOf(t)` should return the row k of cache.hs (row k holds h_k, row 0 is h_0 = 0)
 * that multiplies da_t in dWhh += da_t · h_kᵀ, for every step t = 1..T.
 */
export function checkDWhhPartner(rowOf: (t: number) => number): CheckResult {
  const ex = exercise("4.1");
  const T = 10;
  const got: unknown[] = [];
  for (let t = 1; t <= T; t++) {
    const r = attempt(() => rowOf(t));
    if (r.error !== undefined) return ex.threw(r.error);
    got.push(r.value);
  }
  if (!got.every((k) => typeof k === "number" && Number.isInteger(k) && k >= 0 && k <= T)) {
    return ex.hint(`return a row number between 0 and T for each step t ` +
      `(got ${String(got[0])} for t = 1). Row k of cache.hs holds h_k.`);
  }
  const ks = got as number[];
  if (ks.every((k, i) => k === i + 1)) {
    return ex.hint("that row holds the state step t PRODUCED. dWhh needs the state " +
      "that Whh MULTIPLIED inside a_t; read the forward formula for a_t again.");
  }
  if (ks.every((k) => k === T)) {
    return ex.hint("the same state at every step cannot be right: a_t is built " +
      "from a different hidden state at each step.");
  }
  if (ks.every((k, i) => k === i)) {
    return ex.pass("a_t = Wxh·x_t + Whh·h_{t−1} + bh, so dWhh collects da_t·h_{t−1}ᵀ.");
  }
  return ex.hint("write a_t out and ask which hidden state Whh multiplies in it.");
}

// ---------------------------------------------------------------------------
// Exercise 4.2 — derive dWhy

/** `dWhyOf(hT, p, y)` should return dL/dWhy (H values, O = 1) for loss BCE(p, y) with p = σ(Why·h_T + by). */
export function checkDWhy(dWhyOf: (hT: Float64Array, p: number, y: number) => ArrayLike<number>): CheckResult {
  const ex = exercise("4.2");
  const rng = makeRng("exercise-4.2");
  const H = 5;
  for (let trial = 0; trial < 6; trial++) {
    const hT = normalArray(rng, H, 0.5).map(Math.tanh);
    const p = sigmoid(rng.normal() * 2);
    const y = trial % 2;
    const r = attempt(() => dWhyOf(hT, p, y));
    if (r.error !== undefined) return ex.threw(r.error);
    if (!isVector(r.value, H)) {
      return ex.hint(`return H = ${H} finite numbers (a Float64Array or array), ` +
        "one per entry of h_T, because Why is (1×H).");
    }
    const got = r.value;
    const want = Array.from(hT, (h) => (p - y) * h);
    if (maxAbsDiff(got, want) <= 1e-12) continue;
    if (maxAbsDiff(got, want.map((v) => -v)) <= 1e-12) {
      return ex.hint("the sign is flipped. dL/dz is positive when p is above the label.");
    }
    if (maxAbsDiff(got, want.map((v) => v * p * (1 - p))) <= 1e-12) {
      return ex.hint("you multiplied by the sigmoid's derivative. With cross-entropy " +
        "that factor cancels: work out dL/dz from L = −[y log σ(z) + (1−y) log(1−σ(z))] first.");
    }
    if (Array.from(got).every((v) => v === 0)) {
      return ex.hint("start from dL/dz (a single number), then use z = Why·h_T + by: " +
        "how does z change when Why[j] changes?");
    }
    return ex.hint(`for h_T = [${Array.from(hT, (v) => v.toFixed(3)).join(", ")}], ` +
      `p = ${p.toFixed(3)}, y = ${y} your first entry is ${Number(got[0]).toFixed(4)}. ` +
      "Chain rule: dL/dWhy[j] = dL/dz · dz/dWhy[j].");
  }
  return ex.pass("dWhy = (p − y)·h_Tᵀ: the error at the output times what Why multiplied.");
}

// ---------------------------------------------------------------------------
// Exercise 4.3 — one backward step through time

export interface StepInput {
  I: number; H: number;
  /** (H×H) row-major */
  Whh: Float64Array;
  /** x_t (I values) */
  xt: Float64Array;
  /** h_{t−1} (H values) */
  hPrev: Float64Array;
  /** h_t (H values) */
  h: Float64Array;
  /** dL/dh_t (H values) */
  dh: Float64Array;
}
export interface StepOutput {
  /** this step's contribution to dWxh (H×I) */
  dWxh: ArrayLike<number>;
  /** this step's contribution to dWhh (H×H) */
  dWhh: ArrayLike<number>;
  /** this step's contribution to dbh (H) */
  dbh: ArrayLike<number>;
  /** dL/dh_{t−1} (H) */
  dhPrev: ArrayLike<number>;
}

/**
 * One backward step through time, the course material's only copy (lib/bptt.ts has the library's
 * loop): exercise 4.3's reference, and the body of bpttWith in 06-buggy-bptt.ts, whose mistakes
 * are this step fed the wrong states (or Whh where the transpose belongs).
 *   da_t = (1 − h_t²) ⊙ dh_t;  dWxh = da_t x_tᵀ;  dWhh = da_t h_{t−1}ᵀ;  dbh = da_t;  dh_{t−1} = Whhᵀ da_t
 */
export function bpttStep(s: StepInput): { da: Float64Array; dWxh: Float64Array; dWhh: Float64Array; dbh: Float64Array; dhPrev: Float64Array } {
  const { I, H } = s;
  const da = new Float64Array(H);
  for (let j = 0; j < H; j++) da[j] = (1 - s.h[j] * s.h[j]) * s.dh[j]; // tanh'(a) = 1 − tanh(a)²
  const dWxh = new Float64Array(H * I);
  const dWhh = new Float64Array(H * H);
  const dhPrev = new Float64Array(H);
  for (let j = 0; j < H; j++) {
    for (let i = 0; i < I; i++) dWxh[j * I + i] = da[j] * s.xt[i]; // (H)·(I)ᵀ → (H×I)
    for (let k = 0; k < H; k++) {
      dWhh[j * H + k] = da[j] * s.hPrev[k]; // (H)·(H)ᵀ → (H×H)
      dhPrev[k] += s.Whh[j * H + k] * da[j]; // row j of Whh, read as column j of Whhᵀ
    }
  }
  return { da, dWxh, dWhh, dbh: da.slice(), dhPrev };
}

function randomStep(rng: Rng, I: number, H: number): StepInput {
  return {
    I, H,
    Whh: normalArray(rng, H * H, Math.sqrt(1 / H)),
    xt: normalArray(rng, I),
    hPrev: normalArray(rng, H).map(Math.tanh),
    h: normalArray(rng, H).map(Math.tanh),
    dh: normalArray(rng, H),
  };
}

/** `step(s)` should return this step's gradient contributions and dL/dh_{t−1}. */
export function checkBackwardStep(step: (s: StepInput) => StepOutput): CheckResult {
  const ex = exercise("4.3");
  const rng = makeRng("exercise-4.3");
  for (let trial = 0; trial < 4; trial++) {
    const I = trial === 0 ? 1 : 2;
    const H = 3 + trial;
    const s = randomStep(rng, I, H);
    const copy = { Whh: s.Whh.slice(), xt: s.xt.slice(), hPrev: s.hPrev.slice(), h: s.h.slice(), dh: s.dh.slice() };
    const r = attempt(() => step(s));
    if (r.error !== undefined) return ex.threw(r.error);
    const out = r.value as StepOutput | undefined;
    if (!out || typeof out !== "object") {
      return ex.hint("return an object { dWxh, dWhh, dbh, dhPrev }.");
    }
    for (const key of ["Whh", "xt", "hPrev", "h", "dh"] as const) {
      if (maxAbsDiff(s[key], copy[key]) !== 0) {
        return ex.hint(`your step changed its input ${key}; compute new arrays instead.`);
      }
    }
    const want = bpttStep(s);
    const sizes: Record<keyof StepOutput, number> = { dWxh: H * I, dWhh: H * H, dbh: H, dhPrev: H };
    for (const key of ["dWxh", "dWhh", "dbh", "dhPrev"] as const) {
      if (!isVector(out[key], sizes[key])) {
        return ex.hint(`${key} should hold ${sizes[key]} finite numbers for I = ${I}, H = ${H}.`);
      }
    }
    if ((["dWxh", "dWhh", "dbh", "dhPrev"] as const).every((key) => Array.from(out[key]).every((v) => v === 0))) {
      return ex.hint("everything is still zero. Start with da_t, the gradient at the " +
        "pre-activation a_t: every output of the step is built from it.");
    }
    // The most common slip first: the tanh derivative from the wrong state.
    const daFromPrev = Array.from(s.dh, (g, j) => (1 - s.hPrev[j] * s.hPrev[j]) * g);
    if (maxAbsDiff(out.dbh, want.dbh) > 1e-12) {
      if (maxAbsDiff(out.dbh, daFromPrev) <= 1e-12) {
        return ex.hint("the tanh derivative must use the state that tanh produced at this step.");
      }
      if (maxAbsDiff(out.dbh, s.dh) <= 1e-12) {
        return ex.hint("dbh skipped the tanh: go from dh_t to da_t first (h_t = tanh(a_t)).");
      }
      return ex.hint("dbh is wrong; it equals da_t, the gradient just before the tanh.");
    }
    if (maxAbsDiff(out.dWxh, want.dWxh) > 1e-12) {
      return ex.hint("dWxh is wrong: an outer product of da_t (H) with the input x_t (I), row-major H×I.");
    }
    if (maxAbsDiff(out.dWhh, want.dWhh) > 1e-12) {
      const withH = new Float64Array(H * H);
      for (let j = 0; j < H; j++) for (let k = 0; k < H; k++) withH[j * H + k] = want.da[j] * s.h[k];
      if (maxAbsDiff(out.dWhh, withH) <= 1e-12) {
        return ex.hint("dWhh is paired with the wrong hidden state (see Exercise 4.1).");
      }
      return ex.hint("dWhh is wrong: an outer product, row j·H + k holds da_t[j] times a hidden value k.");
    }
    if (maxAbsDiff(out.dhPrev, want.dhPrev) > 1e-12) {
      const noTranspose = new Float64Array(H);
      for (let j = 0; j < H; j++) for (let k = 0; k < H; k++) noTranspose[j] += s.Whh[j * H + k] * want.da[k];
      if (maxAbsDiff(out.dhPrev, noTranspose) <= 1e-12) {
        return ex.hint("dhPrev multiplies by Whh, but the gradient flows backwards: it needs the transpose.");
      }
      return ex.hint("dhPrev is wrong: which matrix carried h_{t−1} into a_t?");
    }
  }
  return ex.pass("one step of BPTT: da_t, three outer products, and Whhᵀ·da_t for the step before.");
}
