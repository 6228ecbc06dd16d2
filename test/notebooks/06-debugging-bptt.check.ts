// Checks the executed lesson 6 (debugging BPTT): the correct variant equals the library, the shape
// error is caught with its message, the gradient-check table shows each bug's pattern, the training
// comparison supports every claim the prose makes about it (with the numbers it quotes), the plots
// exist (log-scale bars, six loss curves), and the exercises behave.
import * as assert from "node:assert/strict";
import type { TestContext } from "node:test";
import type { Notebook } from "../support/nb";
import { findCell, sourceOf, cellOutput, notebookStderr, notebookText, plotsOf } from "../support/nb";
import { prose, assertExercises } from "../support/checks";

const LABELS = ["correct", "(b)", "(c)", "(d)", "(e)", "all of (b)–(e)"];

export default function check(nb: Notebook, _t: TestContext): void {
  const text = prose(nb);
  const printed = notebookText(nb);
  assert.equal(notebookStderr(nb), "", "nothing on stderr");

  assert.match(printed, /max \|bpttWith\(correct\) − rnnLossAndGrads\| = 0\n/);
  assert.match(printed, /caught: dWhy = dz · hs\[-1:, :\]ᵀ: shapes \(1×1\) and \(11×1\) do not align — inner sizes 1 ≠ 11\n/);
  assert.match(printed, /repaired: dWhy has shape \(1×32\); max \|diff\| vs rnnLossAndGrads: 0\n/);

  // The gradient-check table: one row per variant, five arrays each.
  const table = cellOutput(nb, "gradCheck(p, lossOf, fn(p, x, T, y).grads");
  const rows = LABELS.map((label) => {
    const line = table.split("\n").find((l) => l.startsWith(label));
    assert.ok(line, `row ${label}`);
    const nums = line.slice(36).trim().split(/\s+/).map(Number);
    assert.equal(nums.length, 5, line);
    const [Wxh, Whh, Why, bh, by] = nums;
    return { Wxh, Whh, Why, bh, by, raw: line.slice(36).trim().split(/\s+/) };
  });
  const [ok, b, c, d, e, all] = rows;
  const bad = (r: typeof ok) => (["Wxh", "Whh", "Why", "bh", "by"] as const).filter((n) => r[n] > 1e-2).join(",");
  assert.equal(bad(ok), "");
  assert.ok(Math.max(ok.Wxh, ok.Whh, ok.Why, ok.bh, ok.by) < 1e-6);
  assert.equal(bad(b), "Wxh,Whh,Why,bh,by");
  assert.equal(new Set(b.raw).size, 1, "(b): the same error in every array");
  assert.equal(bad(c), "Wxh,Whh,bh");
  assert.equal(bad(d), "Wxh,Whh,bh");
  assert.equal(bad(e), "Whh");
  assert.equal(bad(all), "Wxh,Whh,Why,bh,by");
  for (const r of [c, d, e]) assert.ok(r.Why < 1e-6 && r.by < 1e-6);
  assert.ok(e.Wxh < 1e-6 && e.bh < 1e-6);
  const worstOk = Math.max(ok.Wxh, ok.Whh, ok.Why, ok.bh, ok.by);
  const buggyErrs = [b, c, d, e].flatMap((r) => [r.Wxh, r.Whh, r.Why, r.bh, r.by].filter((v) => v > 1e-2));
  const fmt = (v: number) => (v >= 1 ? v.toFixed(1) : String(v));
  assert.ok(text.includes(`passes everywhere (at most ${worstOk.toExponential(1)})`));
  assert.ok(text.includes(`between ${fmt(Math.min(...buggyErrs))} and ${fmt(Math.max(...buggyErrs))}`), "prose quotes the range of errors");
  assert.ok(text.includes(`the very same error, ${b.raw[0]}`));
  assert.ok(text.includes(`exact (${c.raw[2]}, ${c.raw[4]})`));
  assert.ok(text.includes(`breaks $W_{hh}$ alone (${fmt(e.Whh)}), while $W_{xh}$ and $b_h$ stay at ${e.raw[0]} and ${e.raw[3]}`));

  // Training with each gradient: the table and the claims about it.
  const train = cellOutput(nb, "const epochMean =");
  const runs = LABELS.map((label) => {
    const line = train.split("\n").find((l) => l.startsWith(label));
    assert.ok(line, `training row ${label}`);
    const mm = /(\d\.\d{4}) +(\d\.\d{4}) +(\d\.\d{4}) \( *(\d+)\) +(\d\.\d{4}) +(\d\.\d{3})$/.exec(line);
    assert.ok(mm, line);
    return { first: mm[1], last: mm[2], lowest: mm[3], at: Number(mm[4]), testLoss: mm[5], acc: mm[6] };
  });
  const [rOk, rB, rC, rD, rE, rAll] = runs;
  const n = (s: string) => Number(s);
  assert.ok(n(rOk.last) < n(rOk.first), "the correct gradient learns");
  assert.ok(n(rC.last) < n(rC.first) && Math.abs(n(rC.acc) - n(rOk.acc)) <= 0.03, "(c) learns nearly as well");
  assert.ok(n(rB.last) < n(rB.first) && n(rB.acc) < n(rOk.acc) - 0.1, "(b) learns slowly");
  for (const r of [rD, rE]) {
    assert.ok(n(r.lowest) < Math.LN2 - 0.2 && r.at <= 1000, "falls well below ln 2 in the first epoch");
    assert.ok(n(r.last) > n(r.lowest) + 0.2 && n(r.acc) < 0.65, "then drifts back towards a coin flip");
  }
  assert.ok(n(rAll.acc) < 0.6, "the note's pass learns nothing useful");
  for (const quote of [
    `falls from ${rOk.first} to ${rOk.last}; ${rOk.acc} on the test set`,
    `goes from ${rC.first} to ${rC.last} and it scores ${rC.acc}`,
    `${rB.first} → ${rB.last}, test accuracy ${rB.acc}`,
    `to ${rD.lowest} (d, after ${rD.at} samples) and ${rE.lowest} (e, after ${rE.at})`,
    `the third epoch averages ${rD.last} and ${rE.last}, and they score ${rD.acc} and ${rE.acc} on the test set`,
    `ends at ${rAll.acc}`,
    `reached ${rC.acc} test accuracy (correct: ${rOk.acc})`,
  ]) {
    assert.ok(text.includes(quote), `prose quotes: ${quote}`);
  }

  // Plots: grouped log-scale bars for the check, six loss curves.
  const figs = plotsOf(nb);
  assert.equal(figs.length, 2);
  assert.equal((figs[0].layout?.yaxis as { type?: string }).type, "log");
  assert.equal(figs[0].data.length, 6);
  assert.ok(figs[0].data.every((t) => t.type === "bar" && (t.y as number[]).length === 5));
  assert.equal(figs[1].data.length, 6);
  assert.ok(figs[1].data.every((t) => (t.y as number[]).length === 30));

  // Item 8: when the output gradient at every step is right (many-to-many), stated and exercised.
  assert.ok(text.includes("**When an output gradient at every step is right.** In a *many-to-many* model"));
  assert.ok(text.includes("dh_t = W_{hy}^\\top dz_t + W_{hh}^\\top da_{t+1}"));
  // Item 11: exercise 6.3's letters are the lesson's (b)–(f), and the stub offers exactly those.
  assert.match(text, /lists five candidates: the lesson's \(b\)–\(e\), and \(f\)/);
  assert.match(sourceOf(findCell(nb, 'const cause = "?"')), /"b", "c", "d", "e" or "f"/);

  assertExercises(nb, ["6.1", "6.2", "6.3", "6.4"]);
}

/** The solutions notebook prints what the solutions compute (beyond their ✔). */
export function solutions(nb: Notebook, _t: TestContext): void {
  const printed = notebookText(nb);
  assert.match(printed, /✔ Exercise 6\.4: correct — here the output gradient enters at every step/);
  assert.match(printed, /H = 1: max relative error \d\.\de-(1[0-9]|[7-9])\n/);
}
