// Assertions shared by the notebook checks (test/notebooks/NN-name.check.ts): what every lesson's
// prose and exercises must satisfy, written once so every notebook is held to the same rules.
import * as assert from "node:assert/strict";
import type { Notebook } from "./nb";
import { cellText, codeCells, sourceOf } from "./nb";

/** All Markdown text of the notebook (what the prose says). */
export function prose(nb: Notebook): string {
  return nb.cells.filter((c) => c.cell_type === "markdown").map(sourceOf).join("\n");
}

/**
 * Each exercise id: exactly one code cell tagged "solution" prints "Exercise id", that cell prints
 * "✔ Exercise id: correct" and its source is hidden; the code cell right before it (the stub) is not
 * tagged "solution", prints "✘ Exercise id: not yet — <hint>" and never a ✔.
 */
export function assertExercises(nb: Notebook, ids: string[]): void {
  const cells = codeCells(nb);
  for (const id of ids) {
    const esc = id.replace(".", "\\.");
    const solutions = cells.filter((c) => (c.metadata?.tags ?? []).includes("solution") && cellText(c).includes(`Exercise ${id}`));
    assert.equal(solutions.length, 1, `one solution cell for exercise ${id}`);
    const sol = solutions[0];
    assert.match(cellText(sol), new RegExp(`✔ Exercise ${esc}: correct`), `solution of ${id} passes`);
    assert.equal(sol.metadata?.jupyter?.source_hidden, true, `solution of ${id} is hidden`);
    const stub = cells[cells.indexOf(sol) - 1];
    assert.ok(stub, `exercise ${id} has a stub cell before its solution`);
    assert.match(cellText(stub), new RegExp(`✘ Exercise ${esc}: not yet — \\S`), `stub of ${id} prints a hint`);
    assert.doesNotMatch(cellText(stub), /✔/, `stub of ${id} does not pass`);
    assert.ok(!(stub.metadata?.tags ?? []).includes("solution"), `stub of ${id} is not a solution`);
  }
}

/** "1.7e+3" → "1.7\cdot10^{3}", the way the prose writes a printed number in LaTeX. */
export function latexOf(printed: string): string {
  const m = /^(-?\d\.\d)e([+-])(\d+)$/.exec(printed);
  assert.ok(m, `not a number in e-notation: ${printed}`);
  return `${m[1]}\\cdot10^{${m[2] === "-" ? "-" : ""}${m[3]}}`;
}
