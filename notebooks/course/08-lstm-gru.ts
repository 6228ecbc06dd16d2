// Checks for the exercises of lesson 08 (LSTM and GRU).
// Each check prints one line, "✔ …" or "✘ … not yet — hint", and returns { ok, message }.
// A wrong answer never throws: a hint is more useful than a stack trace.
import { makeRng, normalArray } from "../lib/random";
import { countParams } from "../lib/params";
import { initLstmParams } from "../lib/lstm";
import { initGruParams, gruForward } from "../lib/gru";
import type { GruParams } from "../lib/gru";
import { exercise, attempt } from "./report";
import type { CheckResult } from "./report";

export type { CheckResult };

// ---------------------------------------------------------------------------
// Exercise 8.1 — parameter count of an LSTM.

/** `count(I, H)` should return the number of trainable values of an LSTM with one output. */
export function checkLstmParamCount(count: (I: number, H: number) => number): CheckResult {
  const ex = exercise("8.1");
  const sizes: Array<[number, number]> = [[1, 1], [2, 8], [3, 5], [1, 32], [10, 4]];
  for (const [I, H] of sizes) {
    const r = attempt(() => count(I, H));
    if (r.error !== undefined) return ex.threw(r.error);
    const want = countParams(initLstmParams({ I, H, seed: 0 }));
    const got = r.value;
    if (got === want) continue;
    if (typeof got !== "number" || !Number.isInteger(got)) return ex.hint(`return a whole number (got ${String(got)} for I = ${I}, H = ${H}).`);
    const oneGate = H * I + H * H + H;
    if (got === oneGate + H + 1 || got === 3 * oneGate + H + 1) {
      return ex.hint(`count the gates again: the LSTM has a forget gate, an input gate, an output gate AND the candidate g, each with its own Wx, Wh and b.`);
    }
    if (got === 4 * oneGate) return ex.hint(`the gates are right; do not forget the read-out layer that turns h_T into the logit.`);
    if (got === 4 * (H * I + H * H) + H + 1) return ex.hint(`each gate also has a bias vector.`);
    return ex.hint(`for I = ${I}, H = ${H} you get ${got}. List the arrays with their shapes (section 2) and add up rows × columns.`);
  }
  return ex.pass(`e.g. I = 2, H = 8: ${countParams(initLstmParams({ I: 2, H: 8, seed: 0 }))} parameters (an RNN of the same size has ${8 * 2 + 64 + 8 + 8 + 1}).`);
}

// ---------------------------------------------------------------------------
// Exercise 8.2 — the gain of the direct cell-state path.

/** `gain(fs)` should return the factor by which the gradient of c is multiplied from c_T back to c_0. */
export function checkCellPathGain(gain: (fs: number[]) => number): CheckResult {
  const ex = exercise("8.2");
  const rng = makeRng("exercise-8.2");
  const cases: number[][] = [[0.5], [0.9, 0.9], [1, 1, 1, 1], Array.from({ length: 40 }, () => 0.7 + 0.3 * rng.uniform()), [0.2, 0.99, 0.5]];
  for (const fs of cases) {
    const r = attempt(() => gain(fs.slice()));
    if (r.error !== undefined) return ex.threw(r.error);
    const want = fs.reduce((a, f) => a * f, 1);
    const got = r.value;
    if (typeof got === "number" && Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want))) continue;
    const sum = fs.reduce((a, f) => a + f, 0);
    if (typeof got === "number" && Math.abs(got - sum) < 1e-12) return ex.hint(`each step MULTIPLIES the gradient by that step's f; the factors do not add.`);
    if (typeof got === "number" && Math.abs(got - fs[fs.length - 1]) < 1e-12 && fs.length > 1) {
      return ex.hint(`every step on the way back contributes its own forget gate, not just the last one.`);
    }
    return ex.hint(`for fs = [${fs.slice(0, 4).map((f) => f.toFixed(2)).join(", ")}${fs.length > 4 ? ", …" : ""}] your answer is ${String(got)}. Follow dc back one step at a time: dc_{t−1} = dc_t ⊙ f_t.`);
  }
  return ex.pass(`the product of the forget gates; 40 gates of 0.95 keep ${Math.pow(0.95, 40).toFixed(3)}, 40 of 0.73 only ${Math.pow(0.73, 40).toExponential(1)}.`);
}

// ---------------------------------------------------------------------------
// Exercise 8.3 — one GRU step.

/** `step(p, xt, hPrev)` should return h_t of one GRU step. Compared with gruForward at its second step. */
export function checkGruStep(step: (p: GruParams, xt: Float64Array, hPrev: Float64Array) => Float64Array): CheckResult {
  const ex = exercise("8.3");
  const I = 2, H = 4, T = 2;
  const p = initGruParams({ I, H, seed: "exercise-8.3" });
  const rng = makeRng("exercise-8.3-biases");
  for (const b of [p.bz, p.br, p.bn]) b.set(normalArray(rng, H, 0.5)); // non-zero biases, so none can be forgotten unnoticed
  const x = normalArray(rng, T * I);
  const cache = gruForward(p, x, T);
  const h1 = cache.hs.slice(H, 2 * H);   // after step 1: not zero
  const want = cache.hs.slice(2 * H, 3 * H);
  const r = attempt(() => step(p, x.slice(I, 2 * I), h1.slice()));
  if (r.error !== undefined) return ex.threw(r.error);
  const got = r.value;
  if (!(got instanceof Float64Array) || got.length !== H) return ex.hint(`return a Float64Array of H = ${H} values (the new hidden state).`);
  let err = 0;
  for (let k = 0; k < H; k++) err = Math.max(err, Math.abs(got[k] - want[k]));
  if (err < 1e-12) return ex.pass(`max |yours − gruForward| = ${err.toExponential(1)}.`);
  if (got.every((v) => v === 0)) return ex.hint(`the result is all zeros; compute z, r and n, then mix h_{t−1} and n.`);
  // Common slips, recognised by recomputing with the slip.
  const sig = (a: number): number => 1 / (1 + Math.exp(-a));
  const mv = (W: Float64Array, v: Float64Array, cols: number, j: number): number => { let s = 0; for (let c = 0; c < cols; c++) s += W[j * cols + c] * v[c]; return s; };
  const xt = x.slice(I, 2 * I);
  const variant = (swapZ: boolean, resetAfter: boolean): Float64Array => {
    const z = new Float64Array(H), rr = new Float64Array(H), out = new Float64Array(H);
    for (let j = 0; j < H; j++) { z[j] = sig(mv(p.Wxz, xt, I, j) + mv(p.Whz, h1, H, j) + p.bz[j]); rr[j] = sig(mv(p.Wxr, xt, I, j) + mv(p.Whr, h1, H, j) + p.br[j]); }
    const rh = h1.map((v, j) => rr[j] * v);
    for (let j = 0; j < H; j++) {
      const n = Math.tanh(mv(p.Wxn, xt, I, j) + (resetAfter ? rr[j] * mv(p.Whn, h1, H, j) : mv(p.Whn, rh, H, j)) + p.bn[j]);
      out[j] = swapZ ? (1 - z[j]) * h1[j] + z[j] * n : z[j] * h1[j] + (1 - z[j]) * n;
    }
    return out;
  };
  const near = (a: Float64Array): boolean => a.every((v, k) => Math.abs(v - got[k]) < 1e-12);
  if (near(variant(true, false))) return ex.hint(`z and 1 − z are swapped. In this course z = 1 KEEPS the old state.`);
  if (near(variant(false, true))) return ex.hint(`the reset gate is applied after Whn. Here r multiplies h_{t−1} BEFORE the matrix: Whn·(r ⊙ h_{t−1}).`);
  return ex.hint(`max |yours − gruForward| = ${err.toExponential(1)}. Check each gate's three terms (Wx·x, Wh·h, b) and which nonlinearity each uses.`);
}
