// Checks for the exercises of lesson 06 (debugging BPTT). Each check prints one
// line, "✔ …" or "✘ … not yet — hint", and returns { ok, message }; a wrong answer
// or a function that throws never makes the check throw.
//
// mysteryGrads below is a deliberately wrong gradient for Exercises 6.2 and 6.3, made with
// 06-buggy-bptt's bpttWith. Diagnose it with the gradient check before reading its code.
import { initRnnParams, paramArrays } from "../lib/params";
import type { RnnParams } from "../lib/params";
import { rnnForward } from "../lib/forward";
import { bceWithLogits } from "../lib/loss";
import { rnnLossAndGrads } from "../lib/bptt";
import { gradCheck } from "../lib/gradcheck";
import { bpttWith, correctChoices } from "./06-buggy-bptt";
import type { GradFn } from "./06-buggy-bptt";
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

/** A backward pass with one hidden mistake (bpttWith with one choice changed). Same signature as rnnLossAndGrads. */
export const mysteryGrads: GradFn = bpttWith({ ...correctChoices, throughTranspose: false });

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

/** The candidate causes for Exercise 6.3: the lesson's mistakes (b)–(e), and one more, (f). */
export const MYSTERY_CAUSES: Record<string, string> = {
  b: "(b) the output gradient is (z − y)·σ'(z) instead of p − y",
  c: "(c) the output gradient is pushed into every time step",
  d: "(d) the tanh derivative uses the last hidden state at every step",
  e: "(e) dWhh is paired with h_t instead of h_{t−1}",
  f: "(f) dh_{t−1} is computed with Whh instead of its transpose",
};

/** `cause` should be the letter of MYSTERY_CAUSES that explains mysteryGrads. */
export function checkMysteryCause(cause: string): CheckResult {
  const ex = exercise("6.3");
  // Each hint names an experiment that rules the chosen letter out, without naming the answer.
  const hints: Record<string, string> = {
    b: "(b) changes dL/dz itself, so Why and by would be wrong too; your answer to 6.2 says they are exact.",
    c: "compare mysteryGrads with outputAtEveryStepGrads from ./course/06-buggy-bptt on the same input " +
      "(maxDiff of their .grads): if the mystery were (c), the difference would be 0.",
    d: "compare mysteryGrads with lastStateTanhDerivGrads from ./course/06-buggy-bptt on the same input " +
      "(maxDiff of their .grads): if the mystery were (d), the difference would be 0.",
    e: "(e) touches only dWhh, so Wxh and bh would be exact; your answer to 6.2 says they are wrong.",
  };
  if (cause === "f") {
    return ex.pass("the gradient must flow back through Whhᵀ. With H = 1 (a 1×1 matrix is its own transpose) the mystery's error disappears, which gives it away.");
  }
  if (typeof cause === "string" && hints[cause]) return ex.hint(hints[cause]);
  return ex.hint(`answer with one letter of ${Object.keys(MYSTERY_CAUSES).join(", ")}. ` +
    "Use your answer to 6.2 (which arrays are wrong) to rule letters out, then compare mysteryGrads with the variants that remain.");
}

// ---------------------------------------------------------------------------
// Exercise 6.4 — many-to-many: when the output gradient at every step is right

/**
 * The many-to-many model of Exercise 6.4: a logit z_t = Why·h_t + by after EVERY step and a loss term
 * BCE(z_t, y_t) for each, summed over t = 1..T (label y_t is ys[t − 1]).
 */
export function manyToManyLoss(p: RnnParams, x: Float64Array, T: number, ys: ArrayLike<number>): number {
  const { H } = p;
  const hs = rnnForward(p, x, T).hs;
  let loss = 0;
  for (let t = 1; t <= T; t++) {
    let z = p.by[0];
    for (let j = 0; j < H; j++) z += p.Why[j] * hs[t * H + j];
    loss += bceWithLogits(z, ys[t - 1]);
  }
  return loss;
}

/**
 * `fn(p, x, T, ys)` should return { loss, grads } for manyToManyLoss. Judged against central
 * differences (the library's gradCheck), so the check holds no second copy of the backward pass.
 */
export function checkManyToManyGrads(
  fn: (p: RnnParams, x: Float64Array, T: number, ys: Float64Array) => { loss: number; grads: RnnParams },
): CheckResult {
  const ex = exercise("6.4");
  const rng = makeRng("exercise-6.4");
  for (const [I, H, T] of [[1, 3, 4], [2, 4, 6], [1, 5, 1]]) {
    const p = initRnnParams({ I, H, seed: `exercise-6.4-${I}-${H}-${T}` });
    const x = normalArray(rng, T * I);
    const ys = Float64Array.from({ length: T }, () => (rng.uniform() < 0.5 ? 0 : 1));
    const r = attempt(() => fn(p, x.slice(), T, ys.slice()));
    if (r.error !== undefined) return ex.threw(r.error);
    const out = r.value;
    const grads = out?.grads as unknown as Record<string, unknown> | undefined;
    const shapeOk = grads !== undefined && paramArrays(p).every(([name, w]) =>
      grads[name] instanceof Float64Array && (grads[name] as Float64Array).length === w.length);
    if (!out || typeof out.loss !== "number" || !shapeOk) {
      return ex.hint("return { loss, grads }, with grads shaped like p (start from zerosLike(p)).");
    }
    const want = manyToManyLoss(p, x, T, ys);
    if (!(Math.abs(out.loss - want) <= 1e-9 * Math.max(1, Math.abs(want)))) {
      return ex.hint(`for T = ${T} your loss is ${out.loss.toFixed(6)}; it should be the SUM over steps of BCE(z_t, y_t), ${want.toFixed(6)} here.`);
    }
    const errors = gradCheck(p, (q) => manyToManyLoss(q, x, T, ys), out.grads);
    const bad = Object.keys(errors).filter((name) => !(errors[name] <= 1e-6));
    if (bad.length === 0) continue;
    if (bad.includes("Why") || bad.includes("by")) {
      return ex.hint(`the check fails for ${bad.join(", ")}. The output layer is used at every step now, so dWhy and dby ` +
        "get one term per step, each from that step's own dz_t = σ(z_t) − y_t.");
    }
    return ex.hint(`the check fails for ${bad.join(", ")} (T = ${T}). Inside the loop, dh_t has two parts: Whyᵀ·dz_t from this ` +
      "step's own output, and Whhᵀ·da_{t+1} from the step after.");
  }
  return ex.pass("here the output gradient enters at every step, each step with its own dz_t, and dWhy, dby sum over the " +
    "steps. Decision (c) is right for a model whose loss reads every h_t, and wrong when it reads only h_T.");
}
