// Checks the executed lesson 8 (LSTM and GRU): hand-computed steps equal the library, gradient
// checks pass, the forget-bias probe, the accuracy-against-length table with the margin the prose
// states, the numbers the prose quotes, save/load, the plot and the exercises.
import * as assert from "node:assert/strict";
import type { TestContext } from "node:test";
import type { Notebook } from "../support/nb";
import { sourceOf, cellOutput, matchNumber, notebookStderr, plotsOf } from "../support/nb";
import { prose, assertExercises, latexOf } from "../support/checks";

export default function check(nb: Notebook, _t: TestContext): void {
  const text = prose(nb);
  assert.equal(notebookStderr(nb), "", "nothing on stderr");

  // The committed sample equals the generator.
  assert.match(cellOutput(nb, "const sample = loadDataset"), /n=100  T=10  I=2; max \|file − generator\| = 0, labels equal: true/);

  // Steps by hand equal the library.
  assert.ok(matchNumber(nb, /max \|by hand − lstmForward\| in h_T and c_T: (\S+)/) <= 1e-12, "LSTM by hand = lstmForward");
  assert.ok(matchNumber(nb, /max \|by hand − gruForward\| in h_T: (\S+)/) <= 1e-12, "GRU by hand = gruForward");

  // Gradient checks: every array, both cells.
  for (const [cell, worstRe] of [["lstmErrors = gradCheck", /LSTM worst: (\S+)/], ["gruErrors = gradCheck", /GRU worst: (\S+)/]] as const) {
    const out = cellOutput(nb, cell);
    const errs = [...out.matchAll(/max relative error (\S+)/g)].map((m) => Number(m[1]));
    assert.ok(errs.length >= 11, `${cell}: one line per parameter array`);
    for (const e of errs) assert.ok(e < 1e-6, `${cell}: relative error ${e} < 1e-6`);
    assert.ok(matchNumber(out, worstRe) < 1e-6);
  }

  // The forget-bias probe: bias 3 keeps far more of the direct path than bias 1, as the prose says.
  const probe = cellOutput(nb, "const probe");
  const prod1 = /forgetBias 1: mean forget gate (\S+), mean product over 40 steps (\S+)/.exec(probe);
  const prod3 = /forgetBias 3: mean forget gate (\S+), mean product over 40 steps (\S+)/.exec(probe);
  assert.ok(prod1 && prod3, "probe lines");
  assert.ok(Number(prod3[2]) > 1000 * Number(prod1[2]), "bias 3 keeps over 1000× more");
  for (const m of [prod1, prod3]) assert.ok(text.includes(latexOf(m[2])) && text.includes(`mean gate ${m[1]}`), `prose quotes ${m[0]}`);

  // Accuracy against length.
  const table = cellOutput(nb, "const makeCell");
  const header = /held-out accuracy \(%\)\s+(.*)/.exec(table);
  assert.ok(header, "table header");
  const lengths = [...header[1].matchAll(/T=(\d+)/g)].map((m) => Number(m[1]));
  assert.deepEqual(lengths, [5, 10, 20, 40]);
  const acc: Record<string, number[]> = {};
  for (const kind of ["RNN", "LSTM", "GRU"]) {
    const line = table.split("\n").find((l) => l.startsWith(kind + " "));
    assert.ok(line, `row ${kind}`);
    acc[kind] = line.replace(/^.*parameters\)/, "").trim().split(/\s+/).map(Number);
    assert.equal(acc[kind].length, 4, `${kind}: four accuracies`);
  }
  // The claims of the prose: every cell solves short sequences; the RNN falls to chance at T = 20
  // and T = 40; the gated cells stay near 100 % — a margin of at least 40 points at T = 40.
  for (const kind of ["RNN", "LSTM", "GRU"]) assert.ok(acc[kind][0] >= 99 && acc[kind][1] >= 99, `${kind} solves T = 5 and 10`);
  assert.ok(acc.RNN[2] <= 60 && acc.RNN[3] <= 60, `RNN at chance for T = 20, 40: ${acc.RNN}`);
  for (const kind of ["LSTM", "GRU"]) {
    assert.ok(acc[kind][2] >= 95 && acc[kind][3] >= 95, `${kind} holds at T = 20, 40: ${acc[kind]}`);
    assert.ok(acc[kind][3] - acc.RNN[3] >= 40, `${kind} beats the RNN at T = 40 by ≥ 40 points`);
  }
  for (const v of [acc.RNN[2], acc.RNN[3], acc.LSTM[2], acc.LSTM[3], acc.GRU[3]]) {
    assert.ok(text.includes(`${v.toFixed(1)} %`), `prose quotes ${v.toFixed(1)} %`);
  }

  // Save/load round trip of the trained LSTM.
  assert.match(cellOutput(nb, "const lstm40"), /kind "lstm", \d+ characters of JSON; identical logits on 20 of 20 sequences/);

  const plots = plotsOf(nb);
  assert.equal(plots.length, 1, "one plot");
  assert.equal(plots[0].data.length, 3, "one curve per cell");

  // Item 5: the forget gate's starting values, as printed (not "near σ(1)").
  const f0 = /t=0: f=\[\s*(\S+)\s+(\S+)\s+(\S+)\]/.exec(cellOutput(nb, "const pl = initLstmParams"));
  assert.ok(f0, "the first step's forget gates are printed");
  assert.ok(text.includes(`the gates scatter: ${f0[1]}, ${f0[2]} and ${f0[3]} at the first step above, and ${prod1?.[1]} on average`), "prose quotes the gates");
  assert.doesNotMatch(text, /starts near \$\\sigma\(1\)/);

  // Item 7: lesson 04's d-notation, no δ.
  assert.doesNotMatch(text, /\\delta|δ/);
  assert.ok(text.includes("$dc_t = \\partial L/\\partial c_t$"));

  // Contract 1: the cells train through train() with an update rule, not a retyped loop.
  const sources = nb.cells.map(sourceOf).join("\n");
  assert.match(sources, /update: \{ rule: "adam" \}/);
  assert.doesNotMatch(sources, /function trainAdam|scaleGradsDown|zeroGrads/);

  // Item 4: lesson 07 vs this lesson at T = 20, one difference at a time, measured.
  const vs = cellOutput(nb, "const setups: Setup[]");
  const rowsVs = [...vs.matchAll(/^(.+?) +test accuracy \(%\) +([\d. ]+?) +runs > 90 %: (\d) of 4$/gm)].map((m) => ({
    name: m[1].trim(), accs: m[2].trim().split(/\s+/).map(Number), wins: Number(m[3]),
  }));
  assert.deepEqual(rowsVs.map((r) => r.name), ["lesson 07's setup", "but noise 2 (as here)", "but 300 sequences (as here)",
    "but Whh not doubled (as here)", "but Adam, batches of 16, 8 epochs", "this lesson's setup"]);
  for (const r of rowsVs) assert.equal(r.wins, r.accs.filter((a) => a > 90).length, `${r.name}: count`);
  const [base, noise, fewer, plainInit, adam, here] = rowsVs;
  assert.ok(noise.wins < base.wins && noise.wins <= 1, "noise 2 flips lesson 07's recipe");
  for (const r of [fewer, plainInit, adam]) assert.equal(r.wins, 4, `${r.name} alone keeps every run`);
  assert.equal(here.wins, 0);
  assert.ok(text.includes(`reaches more than 90 % in ${base.wins} of 4 runs here`));
  assert.ok(text.includes(`only ${noise.wins} of 4 does (${noise.accs.slice(0, 3).map((a) => a.toFixed(1) + " %").join(", ")} and ${noise.accs[3].toFixed(1)} %)`));
  assert.ok(text.includes(`no run gets past ${Math.max(...here.accs).toFixed(1)} %`));
  assert.doesNotMatch(text, /its gradient there has vanished/);

  assertExercises(nb, ["8.1", "8.2", "8.3"]);
}
