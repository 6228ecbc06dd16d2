// Checks for the exercises of lesson 2 (the forward pass). Each check prints
// one line ("✔ Exercise 2.k: correct …" or "✘ Exercise 2.k: not yet — hint")
// and returns { ok, message }; it never throws on a wrong answer.
import type { RnnParams } from "../lib/params";
import { initRnnParams } from "../lib/params";
import { rnnStep } from "../lib/forward";
import { makeRng, normalArray } from "../lib/random";
import { exercise, attempt, maxAbsDiff } from "./report";
import type { CheckResult } from "./report";

export type { CheckResult };

const isVector = (v: unknown): v is ArrayLike<number> =>
  v instanceof Float64Array || (Array.isArray(v) && v.every((e) => typeof e === "number"));

// ---------------------------------------------------------------- 2.1

/** Exercise 2.1: `paramCount(I, H, O)` is the number of trainable values of a plain RNN. */
export function checkParamCount(paramCount: (I: number, H: number, O: number) => number): CheckResult {
  const ex = exercise("2.1");
  if (typeof paramCount !== "function") return ex.hint("pass your function itself: checkParamCount(paramCount)");
  const sizes: Array<[number, number, number]> = [
    [1, 32, 1],
    [3, 5, 2],
    [10, 100, 1],
    [2, 1, 4],
    [7, 3, 5],
  ];
  for (const [I, H, O] of sizes) {
    const want = H * I + H * H + H + O * H + O;
    const r = attempt(() => paramCount(I, H, O));
    if (r.error !== undefined) return ex.threw(r.error, `paramCount(${I}, ${H}, ${O})`);
    const got = r.value;
    if (got === want) continue;
    const call = `paramCount(${I}, ${H}, ${O}) returned ${String(got)}`;
    if (typeof got !== "number" || !Number.isInteger(got)) return ex.hint(`${call}; the answer is a whole number`);
    const weights = H * I + H * H + O * H;
    let hint: string;
    if (got === weights) hint = "you counted the three weight matrices; the two bias vectors are trainable too";
    else if (got === weights + H || got === weights + O) hint = "one of the two bias vectors is missing";
    else if (got === H * I + H + O * H + O) hint = "the recurrent matrix Whh is missing";
    else if (got === 2 * H * I + H * H + H + O) hint = "check the shape of Why: it maps H hidden values to O outputs";
    else if (got === want + H * H) hint = "Whh is counted twice";
    else hint = "write down the shape (rows × columns) of Wxh, Whh, Why, bh and by, then add up";
    return ex.hint(`${call}; ${hint}`);
  }
  return ex.pass(`right for all ${sizes.length} size combinations.`);
}

// ---------------------------------------------------------------- 2.2

/**
 * Exercise 2.2: `matVecT(W, rows, cols, v)` returns Wᵀ·v (cols values) for a
 * row-major W of rows×cols and v of rows values, without building Wᵀ.
 */
export function checkMatVecT(
  matVecT: (W: Float64Array, rows: number, cols: number, v: Float64Array) => Float64Array | number[],
): CheckResult {
  const ex = exercise("2.2");
  if (typeof matVecT !== "function") return ex.hint("pass your function itself: checkMatVecT(matVecT)");
  const rng = makeRng("exercise-2.2");
  const shapes: Array<[number, number]> = [
    [2, 3],
    [3, 2],
    [4, 4],
    [1, 5],
    [6, 1],
    [32, 1],
  ];
  for (const [rows, cols] of shapes) {
    const W = normalArray(rng, rows * cols);
    const v = normalArray(rng, rows);
    const want = new Float64Array(cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) want[c] += W[r * cols + c] * v[r];
    const r = attempt(() => matVecT(W.slice(), rows, cols, v.slice()));
    const call = `matVecT(W, ${rows}, ${cols}, v)`;
    if (r.error !== undefined) return ex.threw(r.error, call);
    const got = r.value;
    if (!isVector(got)) return ex.hint(`${call} returned ${String(got)}; return a Float64Array`);
    if (got.length !== cols) {
      const why = got.length === rows ? " — that is the length of W·v; Wᵀ·v has one value per column of W" : "";
      return ex.hint(`${call} returned ${got.length} values, expected one per column of W${why}`);
    }
    const diff = maxAbsDiff(got, want);
    if (diff > 1e-12) {
      let hint = `${call} is off by up to ${diff.toExponential(2)}`;
      if (rows === cols) {
        const Wv = new Float64Array(rows);
        for (let q = 0; q < rows; q++) for (let c = 0; c < cols; c++) Wv[q] += W[q * cols + c] * v[c];
        if (maxAbsDiff(got, Wv) < 1e-12) hint += "; you computed W·v — in Wᵀ·v, entry c sums W[r][c]·v[r] over the rows r";
      } else {
        hint += "; entry c of Wᵀ·v walks down column c of W";
      }
      return ex.hint(hint);
    }
  }
  return ex.pass(`matches Wᵀ·v for ${shapes.length} shapes, square and not.`);
}

// ---------------------------------------------------------------- 2.3

/**
 * Exercise 2.3: `finalHidden(p, x, T, h0)` runs the recurrence over the T steps
 * of x starting from the hidden state h0 (not necessarily zero) and returns h_T.
 */
export function checkFinalHidden(
  finalHidden: (p: RnnParams, x: Float64Array, T: number, h0: Float64Array) => Float64Array | number[],
): CheckResult {
  const ex = exercise("2.3");
  if (typeof finalHidden !== "function") return ex.hint("pass your function itself: checkFinalHidden(finalHidden)");
  const rng = makeRng("exercise-2.3");
  const cases: Array<{ I: number; H: number; T: number; zeroStart: boolean }> = [
    { I: 1, H: 4, T: 5, zeroStart: true },
    { I: 1, H: 4, T: 5, zeroStart: false },
    { I: 2, H: 3, T: 7, zeroStart: false },
    { I: 3, H: 6, T: 1, zeroStart: false },
  ];
  for (const [c, { I, H, T, zeroStart }] of cases.entries()) {
    const p = initRnnParams({ I, H, seed: `exercise-2.3-${c}` });
    for (let r = 0; r < H; r++) p.bh[r] = 0.1 * rng.normal(); // non-zero biases, so forgetting bh shows
    const x = normalArray(rng, T * I);
    const h0 = zeroStart ? new Float64Array(H) : normalArray(rng, H, 0.5);
    // The reference trajectory h_0 … h_T, one lib step at a time.
    const hs: Float64Array[] = [h0.slice()];
    for (let t = 0; t < T; t++) {
      const h = new Float64Array(H);
      rnnStep(p, x.subarray(t * I, (t + 1) * I), hs[t], h);
      hs.push(h);
    }
    const call = `finalHidden(p, x, ${T}, h0) with I=${I}, H=${H}${zeroStart ? ", h0 = 0" : ""}`;
    const r = attempt(() => finalHidden(p, x.slice(), T, h0.slice()));
    if (r.error !== undefined) return ex.threw(r.error, call);
    const got = r.value;
    if (!isVector(got)) return ex.hint(`${call} returned ${String(got)}; return h_T as a Float64Array`);
    if (got.length !== H) return ex.hint(`${call} returned ${got.length} values; h_T has H = ${H}`);
    if (maxAbsDiff(got, hs[T]) <= 1e-12) continue;
    const matches = hs.map((h, t) => (maxAbsDiff(got, h) <= 1e-12 ? t : -1)).filter((t) => t >= 0);
    let hint: string;
    if (matches.length > 0 && matches[0] !== T) {
      hint = `your result equals h_${matches[0]}, not h_${T}: the loop must make exactly T steps`;
    } else if (!zeroStart && c === 1) {
      hint = "right from h0 = 0 but not from another h0: does your loop start from the given h0?";
    } else if (I > 1) {
      hint = "with I > 1 the input at step t is x[t·I … t·I + I − 1]";
    } else {
      hint = `h_${T} differs by up to ${maxAbsDiff(got, hs[T]).toExponential(2)}; compare your step with the recurrence term by term (bh included)`;
    }
    return ex.hint(`${call}: ${hint}`);
  }
  return ex.pass(`h_T matches the recurrence from zero and non-zero starting states.`);
}
