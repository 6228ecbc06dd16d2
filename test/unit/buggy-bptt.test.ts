// notebooks/course/06-buggy-bptt.ts reproduces the original note's mistakes one at a time, for lesson 06.
// These tests pin down that each variant is wrong exactly where (and only where) it claims to be:
// the correct choices reproduce rnnLossAndGrads bit for bit, each bug corrupts its own set of
// arrays in a gradient check, and the shape error throws a message that names the shapes.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as B from "../../notebooks/course/06-buggy-bptt";
import { initRnnParams, paramArrays } from "../../lib/params";
import type { RnnParams } from "../../lib/params";
import { rnnForward } from "../../lib/forward";
import { bceWithLogits, sigmoid } from "../../lib/loss";
import { rnnLossAndGrads } from "../../lib/bptt";
import { gradCheck } from "../../lib/gradcheck";
import { makeRng, normalArray } from "../../lib/random";

const T = 10;
const p = initRnnParams({ I: 1, H: 12, seed: "buggy-bptt-test" });
const x = normalArray(makeRng("buggy-bptt-test-x"), T);

function maxDiff(a: RnnParams, b: RnnParams): number {
  const bs = new Map(paramArrays(b));
  let m = 0;
  for (const [name, va] of paramArrays(a)) va.forEach((v, k) => { m = Math.max(m, Math.abs(v - (bs.get(name) as Float64Array)[k])); });
  return m;
}

test("the correct choices reproduce rnnLossAndGrads exactly (both labels, I = 2 too)", () => {
  for (const y of [0, 1]) {
    const a = B.correctGrads(p, x, T, y), b = rnnLossAndGrads(p, x, T, y);
    assert.equal(a.loss, b.loss);
    assert.equal(maxDiff(a.grads, b.grads), 0);
  }
  const p2 = initRnnParams({ I: 2, H: 5, seed: "buggy-bptt-i2" });
  const x2 = normalArray(makeRng("buggy-bptt-i2-x"), 2 * 6);
  assert.equal(maxDiff(B.correctGrads(p2, x2, 6, 1).grads, rnnLossAndGrads(p2, x2, 6, 1).grads), 0);
});

test("each mistake corrupts exactly the arrays the lesson says", () => {
  const y = 1;
  const lossOf = (q: RnnParams) => bceWithLogits(rnnForward(q, x, T).logits[0], y);
  const bad = (e: Record<string, number>) => Object.keys(e).filter((n) => e[n] > 1e-3).sort().join(",");
  const expected: Array<[B.GradFn, string]> = [
    [B.correctGrads, ""],
    [B.logitTimesSigmoidDerivGrads, "Whh,Why,Wxh,bh,by"],
    [B.outputAtEveryStepGrads, "Whh,Wxh,bh"],
    [B.lastStateTanhDerivGrads, "Whh,Wxh,bh"],
    [B.wrongStateDWhhGrads, "Whh"],
    [B.allNoteMistakesGrads, "Whh,Why,Wxh,bh,by"],
  ];
  for (const [fn, arrays] of expected) {
    const errors = gradCheck(p, lossOf, fn(p, x, T, y).grads);
    assert.equal(bad(errors), arrays, `${JSON.stringify(errors)}`);
    for (const n of Object.keys(errors)) if (!arrays.split(",").includes(n)) assert.ok(errors[n] < 1e-6, `${n}: ${errors[n]}`);
  }
});

test("(b) scales the whole gradient by one factor: every array has the same relative error", () => {
  const y = 0;
  const z = rnnForward(p, x, T).logits[0];
  const c = ((z - y) * sigmoid(z) * (1 - sigmoid(z))) / (sigmoid(z) - y);
  const a = B.logitTimesSigmoidDerivGrads(p, x, T, y).grads, g = rnnLossAndGrads(p, x, T, y).grads;
  const ga = new Map(paramArrays(g));
  for (const [name, va] of paramArrays(a)) {
    va.forEach((v, k) => assert.ok(Math.abs(v - c * (ga.get(name) as Float64Array)[k]) < 1e-14, `${name}[${k}]`));
  }
  assert.equal(B.logitTimesSigmoidDeriv(0.5, 1), (0.5 - 1) * sigmoid(0.5) * (1 - sigmoid(0.5)));
});

test("with T = 1 the time-step mistakes (c), (d) vanish; (e) does not", () => {
  const x1 = x.subarray(0, 1);
  const ref = rnnLossAndGrads(p, x1, 1, 1).grads;
  assert.equal(maxDiff(B.outputAtEveryStepGrads(p, x1, 1, 1).grads, ref), 0);
  assert.equal(maxDiff(B.lastStateTanhDerivGrads(p, x1, 1, 1).grads, ref), 0);
  assert.ok(maxDiff(B.wrongStateDWhhGrads(p, x1, 1, 1).grads, ref) > 1e-3);
});

test("(a) the shape error throws a message naming the operation and both shapes; the repaired line is exact", () => {
  assert.throws(() => B.shapeErrorDWhy(p, x, T, 1), /dWhy = dz · hs\[-1:, :\]ᵀ: shapes \(1×1\) and \(11×1\) do not align — inner sizes 1 ≠ 11/);
  const fixed = B.fixedDWhy(p, x, T, 1);
  assert.deepEqual([fixed.rows, fixed.cols], [1, 12]);
  assert.deepEqual(Array.from(fixed.data), Array.from(rnnLossAndGrads(p, x, T, 1).grads.Why));
});

test("matmul and transpose", () => {
  const A = { rows: 2, cols: 3, data: Float64Array.of(1, 2, 3, 4, 5, 6) };
  const At = B.transpose(A);
  assert.deepEqual([At.rows, At.cols, ...At.data], [3, 2, 1, 4, 2, 5, 3, 6]);
  const P = B.matmul("A·Aᵀ", A, At);
  assert.deepEqual([P.rows, P.cols, ...P.data], [2, 2, 14, 32, 32, 77]);
  assert.throws(() => B.matmul("A·A", A, A), /A·A: shapes \(2×3\) and \(2×3\) do not align/);
});

test("the variants refuse O ≠ 1 with a clear message", () => {
  const p3 = initRnnParams({ I: 1, H: 4, O: 2, seed: "o2" });
  assert.throws(() => B.correctGrads(p3, x, T, 1), /bpttWith: p\.O is 2, expected 1/);
});
