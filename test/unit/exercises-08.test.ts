// The exercise checks of lesson 8 (LSTM and GRU): the worked solutions pass; typical wrong answers
// fail with a hint that names the mistake without printing the answer; nothing ever throws.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { checkLstmParamCount, checkCellPathGain, checkGruStep } from "../../notebooks/course/08-lstm-gru";
import type { GruParams } from "../../lib/gru";
import { quiet, assertFails } from "./exercise-helpers";

test("8.1 LSTM parameter count", () => {
  const ok = quiet(() => checkLstmParamCount((I, H) => 4 * (H * I + H * H + H) + H + 1));
  assert.equal(ok.ok, true);
  assert.match(ok.message, /361 parameters/);
  const answer = /4\s*[·*(]|4\(HI/;
  assertFails(quiet(() => checkLstmParamCount((I, H) => 3 * (H * I + H * H + H) + H + 1)), "8.1", /count the gates again/, answer);
  assertFails(quiet(() => checkLstmParamCount((I, H) => 4 * (H * I + H * H + H))), "8.1", /read-out/, answer);
  assertFails(quiet(() => checkLstmParamCount((I, H) => 4 * (H * I + H * H) + H + 1)), "8.1", /bias/, answer);
  assertFails(quiet(() => checkLstmParamCount(() => 0)), "8.1", /List the arrays/, answer);
  assertFails(quiet(() => checkLstmParamCount(() => 1.5)), "8.1", /whole number/);
  assertFails(quiet(() => checkLstmParamCount(() => { throw new Error("TODO"); })), "8.1", /threw "TODO"/);
});

test("8.2 the cell path's gain", () => {
  assert.equal(quiet(() => checkCellPathGain((fs) => fs.reduce((a, f) => a * f, 1))).ok, true);
  const answer = /product|reduce|Π/;
  assertFails(quiet(() => checkCellPathGain((fs) => fs.reduce((a, f) => a + f, 0))), "8.2", /MULTIPLIES/, answer);
  assertFails(quiet(() => checkCellPathGain((fs) => fs[fs.length - 1])), "8.2", /every step/, answer);
  assertFails(quiet(() => checkCellPathGain(() => 0)), "8.2", /Follow dc back/, answer);
  assertFails(quiet(() => checkCellPathGain(() => { throw new Error("TODO"); })), "8.2", /threw "TODO"/);
});

test("8.3 one GRU step", () => {
  const sig = (a: number): number => 1 / (1 + Math.exp(-a));
  const mv = (W: Float64Array, v: Float64Array, cols: number, j: number): number => { let s = 0; for (let c = 0; c < cols; c++) s += W[j * cols + c] * v[c]; return s; };
  const make = (swapZ: boolean, resetAfter: boolean, dropBias: boolean) => (p: GruParams, xt: Float64Array, h: Float64Array): Float64Array => {
    const { I, H } = p;
    const z = new Float64Array(H), r = new Float64Array(H), out = new Float64Array(H);
    for (let j = 0; j < H; j++) { z[j] = sig(mv(p.Wxz, xt, I, j) + mv(p.Whz, h, H, j) + p.bz[j]); r[j] = sig(mv(p.Wxr, xt, I, j) + mv(p.Whr, h, H, j) + p.br[j]); }
    const rh = h.map((v, j) => r[j] * v);
    for (let j = 0; j < H; j++) {
      const n = Math.tanh(mv(p.Wxn, xt, I, j) + (resetAfter ? r[j] * mv(p.Whn, h, H, j) : mv(p.Whn, rh, H, j)) + (dropBias ? 0 : p.bn[j]));
      out[j] = swapZ ? (1 - z[j]) * h[j] + z[j] * n : z[j] * h[j] + (1 - z[j]) * n;
    }
    return out;
  };
  assert.equal(quiet(() => checkGruStep(make(false, false, false))).ok, true);
  assertFails(quiet(() => checkGruStep(make(true, false, false))), "8.3", /swapped/);
  assertFails(quiet(() => checkGruStep(make(false, true, false))), "8.3", /after Whn/);
  assertFails(quiet(() => checkGruStep(make(false, false, true))), "8.3", /three terms/);
  assertFails(quiet(() => checkGruStep((p) => new Float64Array(p.H))), "8.3", /all zeros/);
  assertFails(quiet(() => checkGruStep(() => new Float64Array(2))), "8.3", /Float64Array of H/);
  assertFails(quiet(() => checkGruStep(() => { throw new Error("TODO"); })), "8.3", /threw "TODO"/);
});
