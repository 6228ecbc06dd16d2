// Checks the executed lesson 4 (backpropagation through time): the hand-written loop against
// rnnBackward, the gradient check, the gradient-norm experiment, the plot, the exercises, and
// that the prose quotes the numbers the cells printed.
import * as assert from "node:assert/strict";
import type { TestContext } from "node:test";
import type { Notebook } from "../support/nb";
import { cellOutput, matchNumber, matchNumbers, notebookStderr, notebookText, plotsOf, sourceOf } from "../support/nb";
import { prose, assertExercises } from "../support/checks";

export default function check(nb: Notebook, _t: TestContext): void {
  const text = prose(nb);
  const printed = notebookText(nb);
  assert.equal(notebookStderr(nb), "", "nothing on stderr");
  assert.match(nb.cells[0].cell_type === "markdown" ? sourceOf(nb.cells[0]) : "", /^# 4\. Backpropagation through time[\s\S]*\*\*You will be able to:\*\*[\s\S]*\*\*Builds on:\*\*/);

  // The output layer and one step by hand print their vectors.
  assert.match(printed, /dz = -?\d\.\d{4}\ndWhy = \[.*\]  dby = /);
  for (const name of ["da_T", "dWxh (t=T)", "dWhh (t=T)", "dh_{T-1}"]) assert.ok(printed.includes(name), name);

  // The readable loop equals rnnBackward on both sizes.
  const diffs = matchNumbers(printed, /max \|mine − lib\| = (\S+)/g);
  assert.equal(diffs.length, 2);
  assert.ok(diffs.every((d) => d < 1e-12), `mine vs lib: ${diffs.join(", ")}`);
  if (diffs.every((d) => d === 0)) assert.ok(text.includes("Both differences are exactly zero"));

  // One weight by hand, then the full gradient check.
  const oneRel = matchNumber(printed, /dL\/dWhh\[0\]: .* relative error (\S+)/);
  assert.ok(oneRel < 1e-6, `one weight: ${oneRel}`);
  const table = cellOutput(nb, "gradCheck(pBig, lossOfBig, gradsBig");
  const rows = [...table.matchAll(/^(Wxh|Whh|Why|bh|by) +(\d+) +(\S+)$/gm)];
  assert.deepEqual(rows.map((r) => [r[1], Number(r[2])]), [["Wxh", 32], ["Whh", 1024], ["Why", 32], ["bh", 32], ["by", 1]]);
  for (const r of rows) assert.ok(Number(r[3]) < 1e-6, `${r[1]}: ${r[3]}`);
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

  // The plot: two curves on a log axis.
  const figs = plotsOf(nb);
  assert.equal(figs.length, 1);
  assert.equal((figs[0].layout?.yaxis as { type?: string }).type, "log");
  assert.deepEqual(figs[0].data.map((d) => (d.y as number[]).length), [10, 50]);
  assert.ok(nb.cells.some((c) => c.cell_type === "code" && c.outputs.some((o) => o.output_type === "display_data" && /class="rnn-plot"/.test(String((o.data["text/html"] as string[] | string | undefined) ?? "")))));

  assertExercises(nb, ["4.1", "4.2", "4.3"]);
}
