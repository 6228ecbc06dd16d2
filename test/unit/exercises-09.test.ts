// The exercise checks of lesson 9 (optimisers): the worked solutions pass; typical wrong answers
// fail with a hint that names the mistake without printing the answer; nothing ever throws.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { checkSteadyVelocity, checkFirstAdamStep, checkMyAdam } from "../../notebooks/course/09-optimizers";
import type { MyAdam } from "../../notebooks/course/09-optimizers";
import { quiet, assertFails } from "./exercise-helpers";

test("9.1 momentum's steady velocity", () => {
  assert.equal(quiet(() => checkSteadyVelocity((b, g) => g / (1 - b))).ok, true);
  const answer = /g\s*\/\s*\(1\s*[−-]\s*β\)/;
  assertFails(quiet(() => checkSteadyVelocity((_b, g) => g)), "9.1", /first step's velocity/, answer);
  assertFails(quiet(() => checkSteadyVelocity((b, g) => g * (1 - b))), "9.1", /solve v = β·v \+ g/, answer);
  assertFails(quiet(() => checkSteadyVelocity(() => 0)), "9.1", /steady state/, answer);
  assertFails(quiet(() => checkSteadyVelocity(() => { throw new Error("TODO"); })), "9.1", /threw "TODO"/);
});

test("9.2 Adam's first step", () => {
  assert.equal(quiet(() => checkFirstAdamStep((g, lr) => (-lr * g) / (Math.abs(g) + 1e-8))).ok, true);
  const answer = /sign\(g\)|\|g\|/;
  assertFails(quiet(() => checkFirstAdamStep((g, lr) => -lr * g)), "9.2", /SGD's step/, answer);
  assertFails(quiet(() => checkFirstAdamStep((g, lr) => (lr * g) / (Math.abs(g) + 1e-8))), "9.2", /DOWNHILL/, answer);
  assertFails(quiet(() => checkFirstAdamStep((g, lr) => (-lr * 0.1 * g) / (Math.sqrt(0.001 * g * g) + 1e-8))), "9.2", /bias correction/, answer);
  assertFails(quiet(() => checkFirstAdamStep(() => 0)), "9.2", /m, v, m̂, v̂/, answer);
  assertFails(quiet(() => checkFirstAdamStep(() => { throw new Error("TODO"); })), "9.2", /threw "TODO"/);
});

test("9.3 Adam on one array", () => {
  const solution: MyAdam = (w, g, m, v, t, o) => {
    for (let k = 0; k < w.length; k++) {
      m[k] = o.beta1 * m[k] + (1 - o.beta1) * g[k];
      v[k] = o.beta2 * v[k] + (1 - o.beta2) * g[k] * g[k];
      w[k] -= (o.lr * (m[k] / (1 - Math.pow(o.beta1, t)))) / (Math.sqrt(v[k] / (1 - Math.pow(o.beta2, t))) + o.eps);
    }
  };
  assert.equal(quiet(() => checkMyAdam(solution)).ok, true);
  const noCorrection: MyAdam = (w, g, m, v, _t, o) => {
    for (let k = 0; k < w.length; k++) {
      m[k] = o.beta1 * m[k] + (1 - o.beta1) * g[k];
      v[k] = o.beta2 * v[k] + (1 - o.beta2) * g[k] * g[k];
      w[k] -= (o.lr * m[k]) / (Math.sqrt(v[k]) + o.eps);
    }
  };
  assertFails(quiet(() => checkMyAdam(noCorrection)), "9.3", /after step 1/);
  const firstStepOnly: MyAdam = (w, g, m, v, _t, o) => solution(w, g, m, v, 1, o); // ignores t
  assertFails(quiet(() => checkMyAdam(firstStepOnly)), "9.3", /step 1 matches, step 2 does not/);
  assertFails(quiet(() => checkMyAdam(() => undefined)), "9.3", /after step 1/);
  assertFails(quiet(() => checkMyAdam(() => { throw new Error("TODO"); })), "9.3", /threw "TODO" at step 1/);
});
