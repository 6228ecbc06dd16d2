// Checks the executed lesson 4 (backpropagation through time): the unrolled-graph figure, the
// hand-written loop against rnnBackward, the gradient check with the course's one relative-error
// definition, the gradient-norm experiment plotted against steps back, the exercises, and that the
// prose quotes the numbers the cells printed.
import * as assert from "node:assert/strict";
import type { TestContext } from "node:test";
import type { Notebook } from "../support/nb";
import { cellOutput, matchNumber, matchNumbers, notebookStderr, notebookText, outputsOf, plotsOf, sourceOf } from "../support/nb";
import { prose, assertExercises } from "../support/checks";

export default function check(nb: Notebook, _t: TestContext): void {
  const text = prose(nb);
  const printed = notebookText(nb);
  assert.equal(notebookStderr(nb), "", "nothing on stderr");
  assert.match(nb.cells[0].cell_type === "markdown" ? sourceOf(nb.cells[0]) : "", /^# 4\. Backpropagation through time[\s\S]*\*\*You will be able to:\*\*[\s\S]*\*\*Builds on:\*\*/);

  // One notation for the course, defined here.
  assert.match(text, /\*\*Notation, for the rest of the course\.\*\* For any quantity \$u\$ of the forward pass, \$du\$ is short for \$\\partial L\/\\partial u\$/);
  assert.match(text, /math step \$t = s \+ 1\$/);

  // The unrolled graph: one SVG with alt text (title and desc) naming the way back.
  const svgs = outputsOf(nb, "image/svg+xml").map(String);
  assert.equal(svgs.length, 1, "one SVG figure");
  assert.match(svgs[0], /<title[^>]*>The RNN unrolled over T time steps<\/title>/);
  assert.match(svgs[0], /<desc[^>]*>[^<]*W_hh-transpose times da_t[^<]*<\/desc>/);
  assert.match(svgs[0], /stroke-dasharray/, "the backward arrows are drawn");

  // Item 1: the reason for the logit is stability; p − y holds regardless.
  assert.ok(text.includes("Lesson 03 computed the loss from the logit for another reason, numerical stability"));
  assert.doesNotMatch(text, /That is why lesson 03 computed the loss from the logit/);
  // Item 6: the index-level derivation of Whhᵀ and of the sum over time.
  assert.ok(text.includes("\\big(W_{hh}^\\top da_t\\big)[k]"), "derivation of the transpose");
  assert.ok(text.includes("dW_{hh} = \\sum_{t=1}^{T} dW_{hh}^{(t)}"), "derivation of the sum over time");

  // The output layer and one step by hand print their vectors.
  assert.match(printed, /dz = -?\d\.\d{4}\ndWhy = \[.*\]  dby = /);
  for (const name of ["da_T", "dWxh (t=T)", "dWhh (t=T)", "dh_{T-1}"]) assert.ok(printed.includes(name), name);

  // The readable loop equals rnnBackward on both sizes.
  const diffs = matchNumbers(printed, /max \|mine − lib\| = (\S+)/g);
  assert.equal(diffs.length, 2);
  assert.ok(diffs.every((d) => d < 1e-12), `mine vs lib: ${diffs.join(", ")}`);
  if (diffs.every((d) => d === 0)) assert.ok(text.includes("Both differences are exactly zero"));

  // Item 2: one relative-error definition (the library's), stated; the single weight's figures explained.
  assert.ok(text.includes("\\frac{\\max_k |a_k - n_k|}{\\max_k \\max(|a_k|, |n_k|)}"), "the definition gradCheck computes");
  assert.doesNotMatch(text, /\|a\| \+ \|n\|/, "no second definition");
  assert.doesNotMatch(text, /about \$?10\^\{-8\}\$? or better/, "no promise the single weight breaks");
  const absErr = matchNumber(printed, /\|a − n\| = (\S+), relative error/);
  const oneRel = matchNumber(printed, /relative error \|a − n\| \/ max\(\|a\|, \|n\|\) = (\S+)/);
  const [a, n] = [matchNumber(printed, /dL\/dWhh\[0\]: analytic ([\d.e+-]+),/), matchNumber(printed, /dL\/dWhh\[0\]: analytic \S+, numeric (\S+)/)];
  assert.ok(Math.abs(oneRel - absErr / Math.max(Math.abs(a), Math.abs(n))) < 0.02 * oneRel, "relative = absolute / size");
  assert.ok(oneRel < 1e-6 && absErr < 1e-9, `one weight: ${absErr}, ${oneRel}`);
  assert.ok(text.includes(`$|a - n|$ = ${absErr.toExponential(2)}`), "prose quotes the absolute error");
  assert.ok(text.includes(`relative error of ${oneRel.toExponential(2)}`), "prose quotes the relative error");
  assert.ok(text.includes(`small ($${(Math.abs(a) / 10 ** Math.floor(Math.log10(Math.abs(a)))).toFixed(1)}\\cdot10^{${Math.floor(Math.log10(Math.abs(a)))}}$)`), "prose quotes the gradient's size");
  const table = cellOutput(nb, "gradCheck(pBig, lossOfBig, gradsBig");
  const rows = [...table.matchAll(/^(Wxh|Whh|Why|bh|by) +(\d+) +(\S+)$/gm)];
  assert.deepEqual(rows.map((r) => [r[1], Number(r[2])]), [["Wxh", 32], ["Whh", 1024], ["Why", 32], ["bh", 32], ["by", 1]]);
  for (const r of rows) assert.ok(Number(r[3]) < 1e-6 && Number(r[3]) < oneRel, `${r[1]}: ${r[3]}`);
  const maxRel = matchNumber(table, /max relative error over all parameters: (\S+) \(PASS: < 1e-6\)/);
  assert.ok(maxRel < 1e-6);
  assert.equal(maxRel, Math.max(...rows.map((r) => Number(r[3]))));
  assert.ok(text.includes(`the worst relative error is ${maxRel.toExponential(2)}`), "prose quotes the worst relative error");
  assert.ok(text.includes(`${maxRel.toExponential(2)} at worst`), "summary quotes it too");

  // The gradient norm per step: decays towards t = 1, much more over 50 steps.
  const ratios = matchNumbers(printed, /T=\d+: .* ratio (\S+),/g);
  const factors = matchNumbers(printed, /mean factor per step (\d\.\d\d)/g);
  assert.equal(ratios.length, 2);
  assert.ok(ratios[0] < 1 && ratios[1] < ratios[0] * 1e-3, `ratios ${ratios.join(", ")}`);
  assert.ok(text.includes(`is ${ratios[0].toFixed(3)} times the one at`), "prose quotes the T=10 ratio");
  assert.ok(text.includes(`it is ${ratios[1].toExponential(1)} times`), "prose quotes the T=50 ratio");
  assert.ok(text.includes(`(${factors[0].toFixed(2)} and ${factors[1].toFixed(2)} here)`), "prose quotes the factors");

  // Item 10: the plot, against steps back T − t, so both curves start at the loss (x = 0 is h_T).
  const figs = plotsOf(nb);
  assert.equal(figs.length, 1);
  assert.equal((figs[0].layout?.yaxis as { type?: string }).type, "log");
  assert.match(JSON.stringify(figs[0].layout?.xaxis), /steps back from the loss, T − t/);
  assert.deepEqual(figs[0].data.map((d) => (d.y as number[]).length), [10, 50]);
  for (const [k, T] of [[0, 10], [1, 50]]) {
    const xs = figs[0].data[k].x as number[];
    const ys = figs[0].data[k].y as number[];
    assert.deepEqual(xs, Array.from({ length: T }, (_, i) => i), "x = T − t runs 0 … T − 1");
    const hT = matchNumber(printed, new RegExp(`T=${T}: ‖dh_T‖ = (\\S+),`));
    const h1 = matchNumber(printed, new RegExp(`T=${T}: .*‖dh_1‖ = (\\S+),`));
    assert.equal(Number(ys[0].toExponential(2)), hT, "x = 0 is h_T");
    assert.equal(Number(ys[T - 1].toExponential(2)), h1, "x = T − 1 is h_1");
  }

  // Item 11: exercise 4.3 names StepInput's fields.
  for (const field of ["s.I", "s.H", "s.Whh", "s.xt", "s.hPrev", "s.h", "s.dh"]) assert.ok(text.includes("`" + field + "`"), `4.3 names ${field}`);

  assertExercises(nb, ["4.1", "4.2", "4.3"]);
}
