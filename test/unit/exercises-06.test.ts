// The exercise checks of lesson 6 (debugging BPTT): the worked solutions pass; typical wrong
// answers fail with a hint that does not give the answer away; nothing ever throws. Also: the
// mystery gradient really is wrong in exactly the arrays the check expects, and for the stated reason.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import {
  checkNumericalDerivative, mysteryGrads, checkMysteryArrays, checkMysteryCause, MYSTERY_CAUSES, checkManyToManyGrads,
} from "../../notebooks/course/06-debugging-bptt";
import { bpttStep } from "../../notebooks/course/04-bptt";
import { zerosLike } from "../../lib/params";
import { sigmoid } from "../../lib/loss";
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
  assert.equal(Object.keys(MYSTERY_CAUSES).join(""), "bcdef");
  assert.equal(quiet(() => checkMysteryCause("f")).ok, true);
  const answer = /transpose|\(f\)/;
  assertFails(quiet(() => checkMysteryCause("c")), "6.3", /outputAtEveryStepGrads/, answer);
  assertFails(quiet(() => checkMysteryCause("d")), "6.3", /lastStateTanhDerivGrads/, answer);
  assertFails(quiet(() => checkMysteryCause("e")), "6.3", /Wxh and bh would be exact/, answer);
  assertFails(quiet(() => checkMysteryCause("b")), "6.3", /Why and by would be wrong too/, answer);
  assertFails(quiet(() => checkMysteryCause("?")), "6.3", /rule letters out/);
});

// A many-to-many gradient built on the course's one backward step; `mistake` switches in the slips.
function manyToMany(mistake?: "lastOnly" | "sameDz" | "whyOnce") {
  return (p: RnnParams, x: Float64Array, T: number, ys: Float64Array) => {
    const { I, H } = p;
    const cache = rnnForward(p, x, T);
    const g = zerosLike(p);
    const row = (k: number) => cache.hs.subarray(k * H, (k + 1) * H);
    const zOf = (t: number) => p.by[0] + row(t).reduce((s, h, j) => s + p.Why[j] * h, 0);
    const dzT = sigmoid(zOf(T)) - ys[T - 1];
    let loss = 0;
    let dhNext: Float64Array = new Float64Array(H);
    for (let t = T; t >= 1; t--) {
      const z = zOf(t);
      loss += bceWithLogits(z, ys[t - 1]);
      const dz = mistake === "sameDz" ? dzT : sigmoid(z) - ys[t - 1];
      const reaches = mistake !== "lastOnly" || t === T;
      if (mistake !== "whyOnce" || t === T) {
        for (let j = 0; j < H; j++) g.Why[j] += dz * row(t)[j];
        g.by[0] += dz;
      }
      const dh = dhNext.map((d, j) => d + (reaches ? p.Why[j] * dz : 0));
      const step = bpttStep({ I, H, Whh: p.Whh, xt: x.subarray((t - 1) * I, t * I), hPrev: row(t - 1), h: row(t), dh });
      step.dWxh.forEach((v, k) => { g.Wxh[k] += v; });
      step.dWhh.forEach((v, k) => { g.Whh[k] += v; });
      step.dbh.forEach((v, k) => { g.bh[k] += v; });
      dhNext = step.dhPrev;
    }
    return { loss, grads: g };
  };
}

test("6.4 many-to-many gradients", () => {
  const ok = quiet(() => checkManyToManyGrads(manyToMany()));
  assert.equal(ok.ok, true, ok.message);
  assert.match(ok.message, /^✔ Exercise 6\.4: correct/);
  assertFails(quiet(() => checkManyToManyGrads(manyToMany("lastOnly"))), "6.4", /this step's own output/);
  assertFails(quiet(() => checkManyToManyGrads(manyToMany("sameDz"))), "6.4", /own dz_t/);
  assertFails(quiet(() => checkManyToManyGrads(manyToMany("whyOnce"))), "6.4", /dWhy and dby get one term per step/);
  assertFails(quiet(() => checkManyToManyGrads((p) => ({ loss: 0, grads: zerosLike(p) }))), "6.4", /SUM over steps/);
  assertFails(quiet(() => checkManyToManyGrads(() => ({ loss: 0 } as unknown as { loss: number; grads: RnnParams }))), "6.4", /shaped like p/);
  assertFails(quiet(() => checkManyToManyGrads(() => { throw new Error("TODO"); })), "6.4", /threw "TODO"/);
});
