// The exercise checks of lesson 4 (BPTT): the worked solutions pass; typical wrong answers fail
// with a hint that names the mistake without printing the answer; nothing ever throws.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { checkDWhhPartner, checkDWhy, checkBackwardStep, bpttStep } from "../../notebooks/course/04-bptt";
import type { StepInput, StepOutput } from "../../notebooks/course/04-bptt";
import { quiet, assertFails } from "./exercise-helpers";

test("4.1 which state pairs with dWhh", () => {
  const ok = quiet(() => checkDWhhPartner((t) => t - 1));
  assert.equal(ok.ok, true);
  assert.match(ok.message, /^✔ Exercise 4\.1: correct/);
  const answer = /\bt\s*[−-]\s*1\b|h_\{t[−-]1\}/;
  assertFails(quiet(() => checkDWhhPartner(() => -1)), "4.1", /row number between 0 and T/, answer);
  assertFails(quiet(() => checkDWhhPartner((t) => t)), "4.1", /PRODUCED/, answer);
  assertFails(quiet(() => checkDWhhPartner(() => 10)), "4.1", /same state at every step/, answer);
  assertFails(quiet(() => checkDWhhPartner((t) => Math.max(0, t - 2))), "4.1", /which hidden state Whh multiplies/, answer);
  assertFails(quiet(() => checkDWhhPartner(() => { throw new Error("TODO"); })), "4.1", /threw "TODO"/);
});

test("4.2 dWhy", () => {
  const ok = quiet(() => checkDWhy((hT, p, y) => hT.map((h) => (p - y) * h)));
  assert.equal(ok.ok, true);
  assert.match(ok.message, /^✔ Exercise 4\.2: correct/);
  const answer = /\(p − y\)·h_T/;
  assertFails(quiet(() => checkDWhy((hT) => new Float64Array(hT.length))), "4.2", /start from dL\/dz/, answer);
  assertFails(quiet(() => checkDWhy((hT, p, y) => hT.map((h) => (y - p) * h))), "4.2", /sign is flipped/, answer);
  assertFails(quiet(() => checkDWhy((hT, p, y) => hT.map((h) => (p - y) * p * (1 - p) * h))), "4.2", /sigmoid's derivative/, answer);
  assertFails(quiet(() => checkDWhy(() => new Float64Array(3))), "4.2", /return H = 5 finite numbers/, answer);
  assertFails(quiet(() => checkDWhy((hT, p) => hT.map((h) => p * h))), "4.2", /Chain rule/, answer);
  assertFails(quiet(() => checkDWhy(() => { throw new Error("oops"); })), "4.2", /threw "oops"/);
});

// The right answer: the course's one backward step, which test/unit/buggy-bptt.test.ts checks against
// lib/bptt.ts (bpttWith(correctChoices) is built from it and equals rnnLossAndGrads).
const solution = (s: StepInput): StepOutput => bpttStep(s);

test("4.3 one backward step", () => {
  const ok = quiet(() => checkBackwardStep(solution));
  assert.equal(ok.ok, true);
  assert.match(ok.message, /^✔ Exercise 4\.3: correct/);

  const zeros = (s: StepInput): StepOutput => ({ dWxh: new Float64Array(s.H * s.I), dWhh: new Float64Array(s.H * s.H), dbh: new Float64Array(s.H), dhPrev: new Float64Array(s.H) });
  assertFails(quiet(() => checkBackwardStep(zeros)), "4.3", /everything is still zero/);
  // tanh derivative from h_{t−1}
  assertFails(quiet(() => checkBackwardStep((s) => solution({ ...s, h: s.hPrev }))), "4.3", /state that tanh produced at this step/);
  // no tanh derivative at all
  assertFails(quiet(() => checkBackwardStep((s) => solution({ ...s, h: new Float64Array(s.H) }))), "4.3", /skipped the tanh/);
  // dWhh paired with h_t
  assertFails(quiet(() => checkBackwardStep((s) => ({ ...solution(s), dWhh: solution({ ...s, hPrev: s.h }).dWhh }))), "4.3", /wrong hidden state/);
  // Whh without the transpose
  assertFails(quiet(() => checkBackwardStep((s) => {
    const out = solution(s);
    const Wt = new Float64Array(s.H * s.H);
    for (let j = 0; j < s.H; j++) for (let k = 0; k < s.H; k++) Wt[k * s.H + j] = s.Whh[j * s.H + k];
    return { ...out, dhPrev: solution({ ...s, Whh: Wt }).dhPrev };
  })), "4.3", /needs the transpose/);
  // dWxh as zeros
  assertFails(quiet(() => checkBackwardStep((s) => ({ ...solution(s), dWxh: new Float64Array(s.H * s.I) }))), "4.3", /dWxh is wrong/);
  // wrong size
  assertFails(quiet(() => checkBackwardStep((s) => ({ ...solution(s), dWhh: new Float64Array(s.H) }))), "4.3", /dWhh should hold/);
  // mutating the input
  assertFails(quiet(() => checkBackwardStep((s) => { s.dh.fill(0); return solution(s); })), "4.3", /changed its input dh/);
  assertFails(quiet(() => checkBackwardStep(() => undefined as unknown as StepOutput)), "4.3", /return an object/);
  assertFails(quiet(() => checkBackwardStep(() => { throw new Error("x"); })), "4.3", /threw "x"/);
});
