// The exercise checks of lesson 6 (debugging BPTT): the worked solutions pass; typical wrong
// answers fail with a hint that does not give the answer away; nothing ever throws. Also: the
// mystery gradient really is wrong in exactly the arrays the check expects, and for the stated reason.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import {
  checkNumericalDerivative, mysteryGrads, checkMysteryArrays, checkMysteryCause, MYSTERY_CAUSES,
} from "../../notebooks/course/06-debugging-bptt";
import { initRnnParams } from "../../lib/params";
import type { RnnParams } from "../../lib/params";
import { rnnForward } from "../../lib/forward";
import { bceWithLogits } from "../../lib/loss";
import { gradCheck } from "../../lib/gradcheck";
import { makeRng, normalArray } from "../../lib/random";
import { quiet, assertFails } from "./exercise-helpers";

function central(lossOf: () => number, w: Float64Array, k: number, eps: number): number {
  const saved = w[k];
  w[k] = saved + eps; const plus = lossOf();
  w[k] = saved - eps; const minus = lossOf();
  w[k] = saved;
  return (plus - minus) / (2 * eps);
}

test("6.1 central difference", () => {
  assert.equal(quiet(() => checkNumericalDerivative(central)).ok, true);
  const answer = /\(L\(w\+ε\) − L\(w−ε\)\) \/ 2ε/;
  assertFails(quiet(() => checkNumericalDerivative(() => 0)), "6.1", /w\[k\] \+ eps and at w\[k\] − eps/, answer);
  assertFails(quiet(() => checkNumericalDerivative((lossOf, w, k, eps) => {
    const saved = w[k]; const base = lossOf(); w[k] = saved + eps; const plus = lossOf(); w[k] = saved; return (plus - base) / eps;
  })), "6.1", /one-sided/, answer);
  assertFails(quiet(() => checkNumericalDerivative((lossOf, w, k, eps) => 2 * central(lossOf, w, k, eps))), "6.1", /twice the derivative/, answer);
  assertFails(quiet(() => checkNumericalDerivative((lossOf, w, k, eps) => -central(lossOf, w, k, eps))), "6.1", /sign is flipped/, answer);
  // forgets to restore: leaves w[k] at w − eps
  assertFails(quiet(() => checkNumericalDerivative((lossOf, w, k, eps) => {
    w[k] += eps; const plus = lossOf(); w[k] -= 2 * eps; const minus = lossOf(); return (plus - minus) / (2 * eps);
  })), "6.1", /not exactly as before/);
  assertFails(quiet(() => checkNumericalDerivative(() => NaN)), "6.1", /finite number/);
  assertFails(quiet(() => checkNumericalDerivative(() => { throw new Error("TODO"); })), "6.1", /threw "TODO"/);
});

test("the mystery gradient is wrong in Wxh, Whh, bh only, and right when H = 1", () => {
  const x = normalArray(makeRng("mystery-test"), 10);
  const p = initRnnParams({ I: 1, H: 8, seed: "mystery-test" });
  const lossOf = (q: RnnParams) => bceWithLogits(rnnForward(q, x, 10).logits[0], 1);
  const errors = gradCheck(p, lossOf, mysteryGrads(p, x, 10, 1).grads);
  for (const n of ["Wxh", "Whh", "bh"]) assert.ok(errors[n] > 1e-2, `${n}: ${errors[n]}`);
  for (const n of ["Why", "by"]) assert.ok(errors[n] < 1e-7, `${n}: ${errors[n]}`);
  const p1 = initRnnParams({ I: 1, H: 1, seed: "mystery-test" });
  const errors1 = gradCheck(p1, lossOf, mysteryGrads(p1, x, 10, 1).grads);
  assert.ok(Math.max(...Object.values(errors1)) < 1e-6, `H = 1: ${JSON.stringify(errors1)}`);
});

test("6.2 which arrays are wrong", () => {
  const ok = quiet(() => checkMysteryArrays(["Whh", "bh", "Wxh"]));
  assert.equal(ok.ok, true);
  const answer = /Wxh.*Whh.*bh/;
  assertFails(quiet(() => checkMysteryArrays([])), "6.2", /run gradCheck/, answer);
  assertFails(quiet(() => checkMysteryArrays(["Whh"])), "6.2", /2 more arrays are wrong/, answer);
  assertFails(quiet(() => checkMysteryArrays(["Whh", "bh"])), "6.2", /1 more array is wrong/, answer);
  assertFails(quiet(() => checkMysteryArrays(["Wxh", "Whh", "bh", "Why"])), "6.2", /Why passes the check/);
  assertFails(quiet(() => checkMysteryArrays(["W_hh"])), "6.2", /"W_hh" is not a parameter name/);
  assertFails(quiet(() => checkMysteryArrays("Whh" as unknown as string[])), "6.2", /array of names/);
});

test("6.3 the cause", () => {
  assert.equal(Object.keys(MYSTERY_CAUSES).join(""), "ABCD");
  assert.equal(quiet(() => checkMysteryCause("C")).ok, true);
  const answer = /transpose|\bC\b(?!,)/;
  assertFails(quiet(() => checkMysteryCause("A")), "6.3", /outputAtEveryStepGrads/, answer);
  assertFails(quiet(() => checkMysteryCause("B")), "6.3", /lastStateTanhDerivGrads/, answer);
  assertFails(quiet(() => checkMysteryCause("D")), "6.3", /Wxh and bh exact/, answer);
  assertFails(quiet(() => checkMysteryCause("?")), "6.3", /Shrink the problem/);
});
