// The exercise checks of lesson 7 (long sequences): the worked solutions pass; typical wrong answers
// fail with a hint that names the mistake without printing the answer; nothing ever throws.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { checkShrinkFactor, checkClipByGlobalNorm, checkStepJacobian } from "../../notebooks/course/07-long-sequences";
import { quiet, assertFails } from "./exercise-helpers";

test("7.1 the factor over k steps", () => {
  const ok = quiet(() => checkShrinkFactor((rho, k) => Math.pow(rho, k)));
  assert.equal(ok.ok, true);
  assert.match(ok.message, /^✔ Exercise 7\.1: correct/);
  const answer = /ρ\^k|pow/;
  assertFails(quiet(() => checkShrinkFactor(() => 0)), "7.1", /start with one step/, answer);
  assertFails(quiet(() => checkShrinkFactor((rho, k) => rho * k)), "7.1", /MULTIPLIES/, answer);
  assertFails(quiet(() => checkShrinkFactor((rho, k) => Math.pow(rho, k + 1))), "7.1", /one step|k steps/, answer);
  assertFails(quiet(() => checkShrinkFactor(() => NaN)), "7.1", /finite number/);
  assertFails(quiet(() => checkShrinkFactor(() => { throw new Error("TODO"); })), "7.1", /threw "TODO"/);
});

test("7.2 clipping by global norm", () => {
  const solution = (grads: Float64Array[], maxNorm: number): number => {
    let s = 0;
    for (const g of grads) for (const v of g) s += v * v;
    const norm = Math.sqrt(s);
    if (norm > maxNorm) for (const g of grads) for (let k = 0; k < g.length; k++) g[k] *= maxNorm / norm;
    return norm;
  };
  assert.equal(quiet(() => checkClipByGlobalNorm(solution)).ok, true);
  const perArray = (grads: Float64Array[], maxNorm: number): number => {
    let total = 0;
    for (const g of grads) {
      let s = 0;
      for (const v of g) s += v * v;
      total += s;
      const n = Math.sqrt(s);
      if (n > maxNorm) for (let k = 0; k < g.length; k++) g[k] *= maxNorm / n;
    }
    return Math.sqrt(total);
  };
  assertFails(quiet(() => checkClipByGlobalNorm(perArray)), "7.2", /ONE norm over all arrays/);
  const alwaysScale = (grads: Float64Array[], maxNorm: number): number => {
    const n = solution(grads.map((g) => g.slice()), Infinity);
    if (n > 0) for (const g of grads) for (let k = 0; k < g.length; k++) g[k] *= maxNorm / n;
    return n;
  };
  assertFails(quiet(() => checkClipByGlobalNorm(alwaysScale)), "7.2", /leave the gradients unchanged/);
  assertFails(quiet(() => checkClipByGlobalNorm(() => 0)), "7.2", /norm BEFORE clipping/);
  const wrongScale = (grads: Float64Array[], maxNorm: number): number => {
    const n = solution(grads.map((g) => g.slice()), Infinity);
    if (n > maxNorm) for (const g of grads) for (let k = 0; k < g.length; k++) g[k] *= maxNorm / n / 2;
    return n;
  };
  assertFails(quiet(() => checkClipByGlobalNorm(wrongScale)), "7.2", /joint norm exactly maxNorm/);
  assertFails(quiet(() => checkClipByGlobalNorm(() => { throw new Error("TODO"); })), "7.2", /threw "TODO"/);
});

test("7.3 the step Jacobian", () => {
  const solution = (Whh: Float64Array, h: Float64Array, H: number): Float64Array => {
    const J = new Float64Array(H * H);
    for (let r = 0; r < H; r++) for (let j = 0; j < H; j++) J[r * H + j] = (1 - h[r] * h[r]) * Whh[r * H + j];
    return J;
  };
  assert.equal(quiet(() => checkStepJacobian(solution)).ok, true);
  const answer = /1 − h_t\[r\]²|\(1 − h²\)/;
  assertFails(quiet(() => checkStepJacobian((W) => W.slice())), "7.3", /Whh alone/, answer);
  const transposed = (Whh: Float64Array, h: Float64Array, H: number): Float64Array => {
    const J = solution(Whh, h, H), T = new Float64Array(H * H);
    for (let r = 0; r < H; r++) for (let j = 0; j < H; j++) T[j * H + r] = J[r * H + j];
    return T;
  };
  assertFails(quiet(() => checkStepJacobian(transposed)), "7.3", /transpose/, answer);
  const columnSlope = (Whh: Float64Array, h: Float64Array, H: number): Float64Array => {
    const J = new Float64Array(H * H);
    for (let r = 0; r < H; r++) for (let j = 0; j < H; j++) J[r * H + j] = (1 - h[j] * h[j]) * Whh[r * H + j];
    return J;
  };
  assertFails(quiet(() => checkStepJacobian(columnSlope)), "7.3", /which slope multiplies row r/, answer);
  assertFails(quiet(() => checkStepJacobian(() => new Float64Array(3))), "7.3", /Float64Array of H·H/);
  assertFails(quiet(() => checkStepJacobian(() => { throw new Error("TODO"); })), "7.3", /threw "TODO"/);
});
