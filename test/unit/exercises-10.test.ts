// The exercise checks of lesson 10 (character-level language model): the worked solutions pass;
// typical wrong answers fail with a hint that names the mistake; nothing ever throws.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { checkSoftmaxCrossEntropyGrad, checkOutputGradients, checkTemperature } from "../../notebooks/course/10-char-lm";
import type { RnnParams } from "../../lib/params";
import { quiet, assertFails } from "./exercise-helpers";

function softmaxAt(z: Float64Array, tau: number): Float64Array {
  const s = z.map((v) => v / tau);
  const m = Math.max(...s);
  const e = s.map((v) => Math.exp(v - m));
  const sum = e.reduce((a, v) => a + v, 0);
  return e.map((v) => v / sum);
}

test("10.1 the softmax cross-entropy gradient", () => {
  assert.equal(quiet(() => checkSoftmaxCrossEntropyGrad((z, y) => { const g = softmaxAt(z, 1); g[y] -= 1; return g; })).ok, true);
  assertFails(quiet(() => checkSoftmaxCrossEntropyGrad((z) => softmaxAt(z, 1))), "10.1", /softmax itself/);
  assertFails(quiet(() => checkSoftmaxCrossEntropyGrad((z) => new Float64Array(z.length))), "10.1", /differentiate/);
  assertFails(quiet(() => checkSoftmaxCrossEntropyGrad((z, y) => { const g = softmaxAt(z, 1); g[y] += 1; return g; })), "10.1", /add up to 0/);
  assertFails(quiet(() => checkSoftmaxCrossEntropyGrad(() => [1])), "10.1", /one per logit/);
  assertFails(quiet(() => checkSoftmaxCrossEntropyGrad(() => { throw new Error("TODO"); })), "10.1", /threw "TODO"/);
});

test("10.2 the output gradient at every step", () => {
  const rows = (scaleByT: boolean, lastOnly: boolean) => (p: RnnParams, probs: Float64Array, targets: Int32Array): Float64Array => {
    const T = targets.length, H = p.H, V = p.O;
    const dh = new Float64Array(T * H);
    for (let t = lastOnly ? T - 1 : 0; t < T; t++) {
      for (let o = 0; o < V; o++) {
        const dz = (probs[t * V + o] - (o === targets[t] ? 1 : 0)) / (scaleByT ? T : 1);
        for (let j = 0; j < H; j++) dh[t * H + j] += p.Why[o * H + j] * dz;
      }
    }
    return dh;
  };
  assert.equal(quiet(() => checkOutputGradients(rows(true, false))).ok, true);
  assertFails(quiet(() => checkOutputGradients(rows(true, true))), "10.2", /many-to-one/);
  assertFails(quiet(() => checkOutputGradients(rows(false, false))), "10.2", /MEAN/);
  assertFails(quiet(() => checkOutputGradients((p, _probs, targets) => new Float64Array(targets.length * p.H))), "10.2", /for each step t/);
  assertFails(quiet(() => checkOutputGradients(() => new Float64Array(3))), "10.2", /T·H = 24/);
  assertFails(quiet(() => checkOutputGradients(() => { throw new Error("TODO"); })), "10.2", /threw "TODO"/);
});

test("10.3 temperature", () => {
  assert.equal(quiet(() => checkTemperature((z, tau) => softmaxAt(z, tau))).ok, true);
  assertFails(quiet(() => checkTemperature((z, tau) => softmaxAt(z.map((v) => v * tau), 1))), "10.3", /DIVIDED/);
  assertFails(quiet(() => checkTemperature((z, tau) => z.map((v) => Math.exp(v / tau)))), "10.3", /add up to 1|non-finite/);
  assertFails(quiet(() => checkTemperature((z, tau) => { const e = z.map((v) => Math.exp(v / tau)); const s = e.reduce((a, v) => a + v, 0); return e.map((v) => v / s); })), "10.3", /non-finite.*largest logit/);
  assertFails(quiet(() => checkTemperature(() => [])), "10.3", /one probability per logit/);
  assertFails(quiet(() => checkTemperature(() => { throw new Error("TODO"); })), "10.3", /threw "TODO"/);
});
