// The exercise checks of lesson 2: the worked solutions pass; typical wrong answers fail with a
// hint that names the mistake without printing the answer; nothing ever throws.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import type { RnnParams } from "../../lib/params";
import { checkParamCount, checkMatVecT, checkFinalHidden } from "../../notebooks/course/02-forward";
import { quiet, assertFails } from "./exercise-helpers";

test("2.1 paramCount: the solution passes; forgotten pieces are named, the total never shown", () => {
  const ok = quiet(() => checkParamCount((I, H, O) => H * I + H * H + H + O * H + O));
  assert.equal(ok.ok, true);
  assert.match(ok.message, /^✔ Exercise 2\.1: correct/);
  const noBias = quiet(() => checkParamCount((I, H, O) => H * I + H * H + O * H));
  assertFails(noBias, "2.1", /bias vectors are trainable too/);
  assert.ok(!noBias.message.includes("1121"), "the right total is not in the hint");
  assertFails(quiet(() => checkParamCount((I, H, O) => H * I + H * H + O * H + H)), "2.1", /one of the two bias vectors is missing/);
  assertFails(quiet(() => checkParamCount((I, H, O) => H * I + H + O * H + O)), "2.1", /Whh is missing/);
  assertFails(quiet(() => checkParamCount((I, H, O) => H * I + 2 * H * H + H + O * H + O)), "2.1", /Whh is counted twice/);
  assertFails(quiet(() => checkParamCount((I, H, O) => 2 * H * I + H * H + H + O)), "2.1", /shape of Why/);
  assertFails(quiet(() => checkParamCount(() => 0)), "2.1", /write down the shape/);
  assertFails(quiet(() => checkParamCount(() => 1.5)), "2.1", /whole number/);
});

test("2.2 matVecT: the solution passes; W·v and wrong lengths are recognised", () => {
  const matVecT = (W: Float64Array, rows: number, cols: number, v: Float64Array) => {
    const out = new Float64Array(cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c] += W[r * cols + c] * v[r];
    return out;
  };
  assert.equal(quiet(() => checkMatVecT(matVecT)).ok, true);
  const matVec = (W: Float64Array, rows: number, cols: number, v: Float64Array) => {
    const out = new Float64Array(rows);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r] += W[r * cols + c] * v[c];
    return out;
  };
  assertFails(quiet(() => checkMatVecT(matVec)), "2.2", /that is the length of W·v/);
  // W·v on a square matrix has the right length: the hint still recognises it.
  const squareOnly = (W: Float64Array, rows: number, cols: number, v: Float64Array) =>
    rows === cols ? matVec(W, rows, cols, v) : matVecT(W, rows, cols, v);
  assertFails(quiet(() => checkMatVecT(squareOnly)), "2.2", /you computed W·v/);
  const offByOne = (W: Float64Array, rows: number, cols: number, v: Float64Array) => {
    const out = matVecT(W, rows, cols, v);
    out[0] += 1e-6;
    return out;
  };
  assertFails(quiet(() => checkMatVecT(offByOne)), "2.2", /off by up to 1\.00e-6/);
  assertFails(quiet(() => checkMatVecT(() => new Float64Array(0))), "2.2", /returned 0 values, expected one per column/);
  assertFails(quiet(() => checkMatVecT((() => undefined) as unknown as typeof matVecT)), "2.2", /return a Float64Array/);
});

test("2.3 finalHidden: the solution passes; a loop one step short, or one that ignores h0, is named", () => {
  const step = (p: RnnParams, xt: Float64Array, hPrev: Float64Array) => {
    const h = new Float64Array(p.H);
    for (let r = 0; r < p.H; r++) {
      let a = p.bh[r];
      for (let i = 0; i < p.I; i++) a += p.Wxh[r * p.I + i] * xt[i];
      for (let j = 0; j < p.H; j++) a += p.Whh[r * p.H + j] * hPrev[j];
      h[r] = Math.tanh(a);
    }
    return h;
  };
  const run = (steps: (T: number) => number, fromZero = false, noBias = false) =>
    (p: RnnParams, x: Float64Array, T: number, h0: Float64Array) => {
      const q = noBias ? { ...p, bh: new Float64Array(p.H) } : p;
      let h = fromZero ? new Float64Array(p.H) : h0;
      for (let t = 0; t < steps(T); t++) h = step(q, x.subarray(t * p.I, (t + 1) * p.I), h);
      return h;
    };
  assert.equal(quiet(() => checkFinalHidden(run((T) => T))).ok, true);
  assertFails(quiet(() => checkFinalHidden(run((T) => T - 1))), "2.3", /equals h_4, not h_5: the loop must make exactly T steps/);
  assertFails(quiet(() => checkFinalHidden(run((T) => T, true))), "2.3", /does your loop start from the given h0/);
  assertFails(quiet(() => checkFinalHidden(run((T) => T, false, true))), "2.3", /bh included/);
  assertFails(quiet(() => checkFinalHidden((p) => new Float64Array(p.H + 1))), "2.3", /h_T has H = 4/);
});
