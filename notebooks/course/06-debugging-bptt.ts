// Checks for the exercises of lesson 06 (debugging BPTT). Each check prints one
// line, "✔ …" or "✘ … not yet — hint", and returns { ok, message }; a wrong answer
// or a function that throws never makes the check throw.
//
// mysteryGrads below is a deliberately wrong gradient for Exercises 6.2 and 6.3.
// Diagnose it with the gradient check before reading its code.
import type { RnnParams } from "../lib/params";
import { initRnnParams, zerosLike } from "../lib/params";
import { rnnForward } from "../lib/forward";
import { bceWithLogits, sigmoid } from "../lib/loss";
import { rnnLossAndGrads } from "../lib/bptt";
import { makeRng, normalArray } from "../lib/random";
import { exercise, attempt } from "./report";
import type { CheckResult } from "./report";

export type { CheckResult };

// ---------------------------------------------------------------------------
// Exercise 6.1 — a central difference for one weight

/**
 * `numericalDerivative(lossOf, w, k, eps)` should estimate dLoss/dw[k] by central
 * differences, where lossOf() computes the loss from the current contents of w,
 * and leave w exactly as it found it.
 */
export function checkNumericalDerivative(
  numericalDerivative: (lossOf: () => number, w: Float64Array, k: number, eps: number) => number,
): CheckResult {
  const ex = exercise("6.1");
  const p = initRnnParams({ I: 1, H: 6, seed: "exercise-6.1" });
  const x = normalArray(makeRng("exercise-6.1-x"), 8);
  const y = 1;
  const lossOf = () => bceWithLogits(rnnForward(p, x, 8).logits[0], y);
  const exact = rnnLossAndGrads(p, x, 8, y).grads;
  const eps = 1e-4; // large enough that a one-sided difference is visibly worse
  for (const [name, k] of [["Whh", 7], ["Wxh", 2], ["by", 0]] as Array<["Whh" | "Wxh" | "by", number]>) {
    const w = p[name];
    const before = w.slice();
    const r = attempt(() => numericalDerivative(lossOf, w, k, eps));
    const changed = w.some((v, j) => v !== before[j]);
    w.set(before); // repair, so later cases start clean
    if (r.error !== undefined) return ex.threw(r.error);
    if (changed) {
      return ex.hint(`after your call ${name} was not exactly as before. ` +
        "Save the weight and put the saved value back (adding and subtracting eps does not round-trip exactly).");
    }
    const got = r.value;
    if (typeof got !== "number" || !Number.isFinite(got)) {
      return ex.hint(`return the estimate as a finite number (got ${String(got)}).`);
    }
    const want = exact[name][k];
    const err = Math.abs(got - want) / Math.max(Math.abs(got) + Math.abs(want), 1e-12);
    if (err < 1e-6) continue;
    // Diagnose the usual slips by computing them.
    const saved = w[k];
    w[k] = saved + eps; const plus = lossOf();
    w[k] = saved - eps; const minus = lossOf();
    w[k] = saved; const base = lossOf();
    const near = (a: number) => Math.abs(got - a) <= 1e-9 * Math.max(1, Math.abs(a));
    if (near((plus - base) / eps) || near((base - minus) / eps)) {
      return ex.hint(`that is a one-sided difference (relative error ${err.toExponential(1)}). ` +
        "Step to both sides of the weight: its error shrinks like eps² instead of eps.");
    }
    if (near((plus - minus) / eps)) {
      return ex.hint("your estimate is twice the derivative: how far apart are the two points you compare?");
    }
    if (near(-(plus - minus) / (2 * eps))) {
      return ex.hint("the sign is flipped: subtract the lower point's loss from the upper one's.");
    }
    return ex.hint(`for ${name}[${k}] your estimate ${got.toExponential(4)} is off ` +
      `(relative error ${err.toExponential(1)}). Evaluate the loss at w[k] + eps and at w[k] − eps.`);
  }
  return ex.pass("(L(w+ε) − L(w−ε)) / 2ε, with the weight restored exactly.");
}

// ---------------------------------------------------------------------------
// The mystery gradient for Exercises 6.2 and 6.3 (deliberately wrong).

/** A backward pass with one hidden mistake. Same signature as rnnLossAndGrads. */
export function mysteryGrads(p: RnnParams, x: Float64Array, T: number, y: number): { loss: number; grads: RnnParams } {
  const { I, H } = p;
  const cache = rnnForward(p, x, T);
  const z = cache.logits[0];
  const g = zerosLike(p);
  const dz = sigmoid(z) - y;
  const row = (k: number) => cache.hs.subarray(k * H, (k + 1) * H);
  for (let j = 0; j < H; j++) g.Why[j] = dz * row(T)[j];
  g.by[0] = dz;
  let dh = p.Why.map((w) => w * dz);
  for (let t = T; t >= 1; t--) {
    const h = row(t), hPrev = row(t - 1);
    const da = h.map((v, j) => (1 - v * v) * dh[j]);
    for (let j = 0; j < H; j++) {
      for (let i = 0; i < I; i++) g.Wxh[j * I + i] += da[j] * x[(t - 1) * I + i];
      for (let k = 0; k < H; k++) g.Whh[j * H + k] += da[j] * hPrev[k];
      g.bh[j] += da[j];
    }
    const next = new Float64Array(H);
    for (let j = 0; j < H; j++) for (let k = 0; k < H; k++) next[j] += p.Whh[j * H + k] * da[k];
    dh = next;
  }
  return { loss: bceWithLogits(z, y), grads: g };
}

const NAMES = ["Wxh", "Whh", "Why", "bh", "by"];

/** `names` should list the parameter arrays whose mysteryGrads gradient is wrong. */
export function checkMysteryArrays(names: string[]): CheckResult {
  const ex = exercise("6.2");
  if (!Array.isArray(names) || !names.every((n) => typeof n === "string")) {
    return ex.hint("answer with an array of names, e.g. [\"Why\"].");
  }
  const unknown = names.filter((n) => !NAMES.includes(n));
  if (unknown.length > 0) {
    return ex.hint(`${unknown.map((n) => JSON.stringify(n)).join(", ")} is not a parameter ` +
      `name; the names are ${NAMES.join(", ")}.`);
  }
  if (names.length === 0) {
    return ex.hint("run gradCheck on mysteryGrads first and look for errors far above 1e-6.");
  }
  const wrong = new Set(["Wxh", "Whh", "bh"]);
  const chosen = new Set(names);
  const missing = [...wrong].filter((n) => !chosen.has(n)).length;
  const extra = names.filter((n) => !wrong.has(n));
  if (missing === 0 && extra.length === 0) {
    return ex.pass("Wxh, Whh and bh are wrong while Why and by are exact: the mistake lives inside the loop through time.");
  }
  if (extra.length > 0) {
    return ex.hint(`${extra.join(", ")} passes the check (relative error near 1e-9 or below). ` +
      "Only list arrays whose error is large.");
  }
  return ex.hint(`you found some, but ${missing} more array${missing > 1 ? "s are" : " is"} wrong. ` +
    "Look at every row of the check.");
}

/** The candidate causes for Exercise 6.3. */
export const MYSTERY_CAUSES: Record<string, string> = {
  A: "the output gradient is pushed into every time step",
  B: "the tanh derivative uses the last hidden state at every step",
  C: "dh_{t−1} is computed with Whh instead of its transpose",
  D: "dWhh is paired with h_t instead of h_{t−1}",
};

/** `cause` should be the letter of MYSTERY_CAUSES that explains mysteryGrads. */
export function checkMysteryCause(cause: string): CheckResult {
  const ex = exercise("6.3");
  const hints: Record<string, string> = {
    A: "compare mysteryGrads with outputAtEveryStepGrads from ./course/06-buggy-bptt on the same input: do they agree?",
    B: "compare mysteryGrads with lastStateTanhDerivGrads from ./course/06-buggy-bptt on the same input: do they agree?",
    D: "that mistake would leave Wxh and bh exact (see section (e)); your answer to 6.2 says they are wrong.",
  };
  if (cause === "C") {
    return ex.pass("the gradient must flow back through Whhᵀ. With H = 1 (a 1×1 matrix is its own transpose) the mystery's error disappears, which gives it away.");
  }
  if (typeof cause === "string" && hints[cause]) return ex.hint(`${hints[cause]}`);
  return ex.hint(`answer with one letter of ${Object.keys(MYSTERY_CAUSES).join(", ")}. ` +
    "Shrink the problem: try the check with T = 1, or with H = 1, and see which mistakes could survive each.");
}
