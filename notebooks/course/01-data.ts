// Checks for the exercises of lesson 1 (the data). Each check runs the
// learner's function on cases it builds itself, prints one line
// ("✔ Exercise 1.k: correct …" or "✘ Exercise 1.k: not yet — hint") and
// returns { ok, message }. A wrong answer, a stub or a function that throws
// never makes the check throw: the hint says what to look at, not the answer.
import type { Dataset } from "../lib/data";
import { makeSignOfSumData, sequence } from "../lib/data";
import { exercise, attempt } from "./report";
import type { CheckResult } from "./report";

export type { CheckResult };

const show = (x: ArrayLike<number>): string => "[" + Array.from(x, (v) => String(v)).join(", ") + "]";

// ---------------------------------------------------------------- 1.1

/**
 * Exercise 1.1: `labelOf(x)` returns the label of one sequence (I = 1): 1 when
 * the sum of its values is positive, otherwise 0.
 */
export function checkLabelOf(labelOf: (x: Float64Array) => number): CheckResult {
  const ex = exercise("1.1");
  if (typeof labelOf !== "function") return ex.hint("pass your function itself: checkLabelOf(labelOf)");
  const cases: number[][] = [
    [0.5, 1.5, -0.25],
    [-1, -2, 0.5],
    [2, -0.5, -0.5, -0.5, -0.75], // negative sum although it starts (and mostly stays) positive
    [-3, 1, 1, 1, 0.5], // positive sum although it starts negative
    [1.5, -0.5, -0.5, -0.5], // sum exactly 0
    [-0.25],
    [0.25],
  ];
  const data = makeSignOfSumData({ n: 40, T: 10, I: 1, seed: "exercise-1.1" });
  const xs: Float64Array[] = cases.map((c) => new Float64Array(c));
  const want: number[] = cases.map((c) => (c.reduce((s, v) => s + v, 0) > 0 ? 1 : 0));
  for (let k = 0; k < data.n; k++) {
    xs.push(sequence(data, k).slice());
    want.push(data.ys[k]);
  }
  const got: unknown[] = [];
  for (let k = 0; k < xs.length; k++) {
    const r = attempt(() => labelOf(xs[k].slice()));
    if (r.error !== undefined) return ex.threw(r.error, "labelOf", ` on ${show(xs[k])}`);
    got.push(r.value);
  }
  const bad = got.findIndex((g) => g !== 0 && g !== 1);
  if (bad >= 0) {
    return ex.hint(`labelOf should return the number 0 or 1, but it returned ${String(got[bad])} for ${show(xs[bad])}`);
  }
  const wrong = want.map((w, k) => (got[k] !== w ? k : -1)).filter((k) => k >= 0);
  if (wrong.length === 0) return ex.pass(`all ${xs.length} sequences labelled as the data generator labels them.`);
  if (wrong.length === xs.length) return ex.hint("every label is flipped: label 1 means the sum is positive");
  if (wrong.length === 1 && wrong[0] === 4) {
    return ex.hint(`look at ${show(xs[4])}: its sum is exactly 0, and 0 is not positive`);
  }
  const lastRule = xs.every((x, k) => got[k] === (x[x.length - 1] > 0 ? 1 : 0));
  const firstRule = xs.every((x, k) => got[k] === (x[0] > 0 ? 1 : 0));
  if (lastRule || firstRule) {
    return ex.hint(`your labels follow the ${lastRule ? "last" : "first"} value only; the label depends on the whole sum`);
  }
  return ex.hint(`${wrong.length} of ${xs.length} labels differ, e.g. for ${show(xs[wrong[0]])}; add up every value`);
}

// ---------------------------------------------------------------- 1.2

/**
 * Exercise 1.2: `valueAt(ds, k, t, i)` returns feature i at step t of sample k
 * from the flat, sample-major array ds.xs.
 */
export function checkValueAt(valueAt: (ds: Dataset, k: number, t: number, i: number) => number): CheckResult {
  const ex = exercise("1.2");
  if (typeof valueAt !== "function") return ex.hint("pass your function itself: checkValueAt(valueAt)");
  // A data set whose every value tells where it sits: 100·k + 10·t + i.
  const n = 4;
  const T = 6;
  const I = 3;
  const xs = new Float64Array(n * T * I);
  for (let k = 0; k < n; k++) for (let t = 0; t < T; t++) for (let i = 0; i < I; i++) xs[(k * T + t) * I + i] = 100 * k + 10 * t + i;
  const ys = new Float64Array(n);
  const ds: Dataset = { n, T, I, xs, ys };
  const decode = (v: number): string => {
    if (!Number.isInteger(v) || v < 0 || v >= 100 * n) return `${v}, which is not in the data set at all`;
    return `${v} — the value stored for (k=${Math.floor(v / 100)}, t=${Math.floor((v % 100) / 10)}, i=${v % 10})`;
  };
  for (let k = 0; k < n; k++) {
    for (let t = 0; t < T; t++) {
      for (let i = 0; i < I; i++) {
        const r = attempt(() => valueAt(ds, k, t, i));
        if (r.error !== undefined) return ex.threw(r.error, `valueAt(ds, ${k}, ${t}, ${i})`);
        const v = r.value;
        if (v === 100 * k + 10 * t + i) continue;
        const hint =
          `on a test set (n=${n}, T=${T}, I=${I}) where each value is 100·k + 10·t + i, ` +
          `valueAt(ds, ${k}, ${t}, ${i}) returned ${typeof v === "number" ? decode(v) : String(v)}`;
        const more =
          typeof v !== "number"
            ? "; return the number read from ds.xs"
            : "; remember every sample holds T·I values and every step I values";
        return ex.hint(hint + more);
      }
    }
  }
  return ex.pass(`all ${n * T * I} positions of a ${n}×${T}×${I} data set read correctly.`);
}

// ---------------------------------------------------------------- 1.3

/** The reference for exercise 1.3 (kept private: the learner writes their own). */
function decidedAtReference(x: Float64Array): number {
  const T = x.length;
  const s = new Float64Array(T);
  let sum = 0;
  for (let t = 0; t < T; t++) s[t] = sum += x[t];
  const final = s[T - 1] > 0;
  let t = T - 1;
  while (t > 0 && s[t - 1] > 0 === final) t--;
  return t;
}

/**
 * Exercise 1.3: `decidedAt(x)` returns the first step t (0-based) from which the
 * running sum s_t = x_0 + … + x_t keeps the sign of the final sum until the end
 * (sign meaning "> 0" versus "≤ 0"), i.e. the step at which the label is settled.
 */
export function checkDecidedAt(decidedAt: (x: Float64Array) => number): CheckResult {
  const ex = exercise("1.3");
  if (typeof decidedAt !== "function") return ex.hint("pass your function itself: checkDecidedAt(decidedAt)");
  const cases: number[][] = [
    [1, 1, 1], // positive from the start
    [-1, 2, 1], // settles at step 1
    [1, -2, 0.5, 0.25], // negative from step 1 on
    [1, -1, 0.5, -1], // s = 1, 0, 0.5, -0.5: settles only at the last step
    [2, -2, 0, 0], // s = 2, 0, 0, 0: sum 0 counts as "not positive" → settles at step 1
    [-0.5],
  ];
  const xs = cases.map((c) => new Float64Array(c));
  const data = makeSignOfSumData({ n: 60, T: 10, I: 1, seed: "exercise-1.3" });
  for (let k = 0; k < data.n; k++) xs.push(sequence(data, k).slice());
  for (const x of xs) {
    const want = decidedAtReference(x);
    const r = attempt(() => decidedAt(x.slice()));
    if (r.error !== undefined) return ex.threw(r.error, "decidedAt", ` on ${show(x)}`);
    const got = r.value;
    if (got === want) continue;
    let hint = `decidedAt(${show(x)}) returned ${String(got)}`;
    if (typeof got !== "number" || !Number.isInteger(got) || got < 0 || got >= x.length) {
      hint += `; it should be a step index from 0 to ${x.length - 1}`;
    } else if (got === want + 1) {
      hint += "; one step too late? The step that first reaches the final sign counts";
    } else if (got === want - 1) {
      hint += "; one step too early? At that step the running sum still has the other sign";
    } else {
      hint += "; write out the running sums of this sequence and find where they stop changing sign for good";
    }
    return ex.hint(hint);
  }
  return ex.pass(`right on ${xs.length} sequences, including the ones that settle only at the last step.`);
}
