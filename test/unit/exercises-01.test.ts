// The exercise checks of lesson 1: the worked solutions pass; typical wrong answers fail with a
// hint that points at the mistake without printing the answer; nothing ever throws.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import type { Dataset } from "../../lib/data";
import { checkLabelOf, checkValueAt, checkDecidedAt } from "../../notebooks/course/01-data";
import { quiet, assertFails } from "./exercise-helpers";

/** Run a check with console.log captured; returns its result and asserts it printed exactly its message. */

const sum = (x: Float64Array) => x.reduce((s, v) => s + v, 0);

test("1.1 labelOf: the solution passes, wrong rules get pointed hints", () => {
  const ok = quiet(() => checkLabelOf((x) => (sum(x) > 0 ? 1 : 0)));
  assert.equal(ok.ok, true);
  assert.match(ok.message, /^✔ Exercise 1\.1: correct/);
  assertFails(quiet(() => checkLabelOf(() => -1)), "1.1", /return the number 0 or 1/);
  assertFails(quiet(() => checkLabelOf((x) => (sum(x) > 0 ? 0 : 1))), "1.1", /flipped/);
  assertFails(quiet(() => checkLabelOf((x) => (sum(x) >= 0 ? 1 : 0))), "1.1", /exactly 0, and 0 is not positive/);
  assertFails(quiet(() => checkLabelOf((x) => (x[x.length - 1] > 0 ? 1 : 0))), "1.1", /last value only/);
  assertFails(quiet(() => checkLabelOf((x) => (x[0] + x[1] > 0 ? 1 : 0))), "1.1", /labels differ/);
  assertFails(quiet(() => checkLabelOf(() => { throw new Error("TODO"); })), "1.1", /threw "TODO"/);
  assertFails(quiet(() => checkLabelOf(undefined as unknown as (x: Float64Array) => number)), "1.1", /pass your function/);
});

test("1.2 valueAt: the solution passes; swapped or missing strides are caught without giving the formula", () => {
  const right = (ds: Dataset, k: number, t: number, i: number) => ds.xs[(k * ds.T + t) * ds.I + i];
  assert.equal(quiet(() => checkValueAt(right)).ok, true);
  const wrongs: Array<(ds: Dataset, k: number, t: number, i: number) => number> = [
    (ds, k, t, i) => ds.xs[k * ds.T * ds.I + i * ds.T + t], // t and i strides swapped
    (ds, k, t, i) => ds.xs[(k * ds.T + t) * ds.I + i + 1], // off by one
    (ds, _k, t, i) => ds.xs[t * ds.I + i], // forgot the sample offset
    (ds, k, t, _i) => ds.xs[k * ds.T + t], // ignores I
  ];
  for (const f of wrongs) {
    const r = quiet(() => checkValueAt(f));
    assertFails(r, "1.2", /valueAt\(ds, \d, \d, \d\) returned .*the value stored for|not in the data set/);
    assert.doesNotMatch(r.message, /\(k\s*[*·]\s*T\s*\+\s*t\)|k\s*[*·]\s*T\s*[*·]\s*I\s*\+\s*t\s*[*·]\s*I/, "no formula in the hint");
  }
  assertFails(quiet(() => checkValueAt(() => NaN)), "1.2", /returned NaN/);
});

test("1.3 decidedAt: the solution passes; off-by-one and sign conventions are caught", () => {
  const solution = (x: Float64Array) => {
    const s: number[] = [];
    let acc = 0;
    for (const v of x) s.push((acc += v));
    const fin = s[s.length - 1] > 0;
    let t = s.length - 1;
    while (t > 0 && s[t - 1] > 0 === fin) t--;
    return t;
  };
  assert.equal(quiet(() => checkDecidedAt(solution)).ok, true);
  assertFails(quiet(() => checkDecidedAt((x) => solution(x) + 1 >= x.length ? x.length : solution(x) + 1)), "1.3", /one step too late|step index/);
  assertFails(quiet(() => checkDecidedAt((x) => Math.max(0, solution(x) - 1))), "1.3", /one step too early/);
  assertFails(quiet(() => checkDecidedAt((x) => x.length - 1)), "1.3", /returned \d/);
  // ">= 0" instead of "> 0" for the sign: fails on the case whose running sum touches 0.
  const geZero = (x: Float64Array) => {
    const s: number[] = [];
    let acc = 0;
    for (const v of x) s.push((acc += v));
    const fin = s[s.length - 1] >= 0;
    let t = s.length - 1;
    while (t > 0 && s[t - 1] >= 0 === fin) t--;
    return t;
  };
  const r = quiet(() => checkDecidedAt(geZero));
  assertFails(r, "1.3", /decidedAt\(\[/);
  assertFails(quiet(() => checkDecidedAt(() => -1)), "1.3", /step index from 0/);
});
