// The exercise checks of lesson 3: the worked solutions pass; typical wrong answers (the naive
// formula, the original note's gradient, a total instead of a mean) fail with a hint that names
// the mistake without printing the answer; nothing ever throws.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { checkSoftplus, checkSecondDerivative, checkMeanLossOfConstant, checkBestConstant } from "../../notebooks/course/03-loss";
import { quiet, assertFails } from "./exercise-helpers";

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

test("3.1 softplus: the stable form passes; overflow and lost digits are explained", () => {
  const ok = quiet(() => checkSoftplus((z) => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)))));
  assert.equal(ok.ok, true);
  assert.match(ok.message, /^✔ Exercise 3\.1: correct/);
  const naive = quiet(() => checkSoftplus((z) => Math.log(1 + Math.exp(z))));
  assertFails(naive, "3.1", /softplus\(1000\) returned Infinity; e\^z overflows/);
  assert.doesNotMatch(naive.message, /log1p\(Math\.exp/, "the hint is not the answer");
  assertFails(quiet(() => checkSoftplus((z) => Math.max(z, 0) + Math.log(1 + Math.exp(-Math.abs(z))))), "3.1", /Math\.log1p/);
  assertFails(quiet(() => checkSoftplus((z) => Math.max(-z, 0) + Math.log1p(Math.exp(-Math.abs(z))))), "3.1", /softplus\(−z\)/);
  assertFails(quiet(() => checkSoftplus(() => -1)), "3.1", /never negative/);
  assertFails(quiet(() => checkSoftplus((() => "x") as unknown as (z: number) => number)), "3.1", /return a number/);
});

test("3.2 second derivative: σ(z)σ(−z) passes; the first derivative, a lost-digits subtraction, a sign and overflow are named", () => {
  const ok = quiet(() => checkSecondDerivative((z) => sigmoid(z) * sigmoid(-z)));
  assert.equal(ok.ok, true);
  assert.match(ok.message, /^✔ Exercise 3\.2: correct/);
  const subtract = quiet(() => checkSecondDerivative((z) => sigmoid(z) * (1 - sigmoid(z))));
  assertFails(subtract, "3.2", /1 − σ\(z\) computed by subtraction loses digits/);
  assert.doesNotMatch(subtract.message, /σ\(−z\)|sigmoid\(-z\)/, "the hint does not state the answer");
  assertFails(quiet(() => checkSecondDerivative((z) => sigmoid(z))), "3.2", /first derivative σ\(z\) − y: differentiate once more/);
  assertFails(quiet(() => checkSecondDerivative((z) => sigmoid(z) - 1)), "3.2", /first derivative|never negative/);
  assertFails(quiet(() => checkSecondDerivative((z) => -sigmoid(z) * sigmoid(-z))), "3.2", /never negative/);
  assertFails(quiet(() => checkSecondDerivative((z) => Math.exp(-z) / (1 + Math.exp(-z)) ** 2)), "3.2", /overflowed to Infinity/);
  assertFails(quiet(() => checkSecondDerivative(() => 0)), "3.2", /same value for every z/);
  assertFails(quiet(() => checkSecondDerivative((z) => Math.exp(-z * z))), "3.2", /differentiate dL\/dz = σ\(z\) − y once more/);
});

test("3.3 meanLossOfConstant: the mean passes; a total, a wrong sign or log10 are named", () => {
  const mean = (p: number, ys: Float64Array) => {
    let s = 0;
    for (const y of ys) s -= y === 1 ? Math.log(p) : Math.log(1 - p);
    return s / ys.length;
  };
  assert.equal(quiet(() => checkMeanLossOfConstant(mean)).ok, true);
  assertFails(quiet(() => checkMeanLossOfConstant((p, ys) => mean(p, ys) * ys.length)), "3.3", /total, the exercise asks for the mean/);
  assertFails(quiet(() => checkMeanLossOfConstant((p, ys) => -mean(p, ys))), "3.3", /never negative/);
  assertFails(quiet(() => checkMeanLossOfConstant((p, ys) => mean(p, ys) / Math.LN10)), "3.3", /log10/);
  assertFails(quiet(() => checkMeanLossOfConstant(() => 0)), "3.3", /−log p if its label is 1/);
});

test("3.4 best constant: the fraction of ones passes; other values get a direction, not the answer", () => {
  const ys = new Float64Array(1000);
  for (let k = 0; k < 504; k++) ys[k] = 1;
  assert.equal(quiet(() => checkBestConstant(0.504, ys)).ok, true);
  assert.equal(quiet(() => checkBestConstant(0.5044, ys)).ok, true, "a grid answer within half a step is accepted");
  const low = quiet(() => checkBestConstant(0.5, ys));
  assertFails(low, "3.4", /a higher p does better/);
  assert.ok(!low.message.includes("0.504"), "the answer is not in the hint");
  assertFails(quiet(() => checkBestConstant(0.6, ys)), "3.4", /a lower p does better/);
  assertFails(quiet(() => checkBestConstant(1, ys)), "3.4", /strictly between 0 and 1/);
  assertFails(quiet(() => checkBestConstant(NaN, ys)), "3.4", /strictly between 0 and 1/);
  assertFails(quiet(() => checkBestConstant(0.5, undefined as unknown as Float64Array)), "3.4", /pass the labels/);
});
