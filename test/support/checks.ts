// Assertions shared by the notebook checks (test/notebooks/NN-name.check.ts): what every lesson's
// prose and exercises must satisfy, written once so every notebook is held to the same rules.
import * as assert from "node:assert/strict";
import type { Notebook } from "./nb";
import { cellText, codeCells, sourceOf } from "./nb";

/** All Markdown text of the notebook (what the prose says). */
export function prose(nb: Notebook): string {
  return nb.cells.filter((c) => c.cell_type === "markdown").map(sourceOf).join("\n");
}

const tagsOf = (c: { metadata?: { tags?: string[] } }): string[] => c.metadata?.tags ?? [];

/**
 * The lesson's exercises (docs/ARCHITECTURE.md, "A new lesson"): for each id exactly one code cell is
 * tagged `exercise-id`; it prints "✘ Exercise id: not yet — <hint>" and never a ✔. The lesson holds
 * no solution (no cell tagged `solution…`), and no other cell is tagged `exercise-…`.
 */
export function assertExercises(nb: Notebook, ids: string[]): void {
  const cells = codeCells(nb);
  for (const id of ids) {
    const esc = id.replace(".", "\\.");
    const stubs = cells.filter((c) => tagsOf(c).includes(`exercise-${id}`));
    assert.equal(stubs.length, 1, `one stub cell tagged exercise-${id}`);
    assert.match(cellText(stubs[0]), new RegExp(`✘ Exercise ${esc}: not yet — \\S`), `stub of ${id} prints a hint`);
    assert.doesNotMatch(cellText(stubs[0]), /✔/, `stub of ${id} does not pass`);
  }
  const tagged = nb.cells.flatMap(tagsOf).filter((t) => t.startsWith("exercise-")).sort();
  assert.deepEqual(tagged, ids.map((id) => `exercise-${id}`).sort(), "the exercise-N.k tags are exactly the listed exercises");
  assert.deepEqual(nb.cells.flatMap(tagsOf).filter((t) => t.startsWith("solution")), [], "the lesson holds no solution cell");
}

/**
 * The solutions notebook: for each id exactly one code cell tagged `solution-id`, which prints
 * "✔ Exercise id: correct" and no ✘.
 */
export function assertSolutions(nb: Notebook, ids: string[]): void {
  const cells = codeCells(nb);
  for (const id of ids) {
    const esc = id.replace(".", "\\.");
    const sols = cells.filter((c) => tagsOf(c).includes(`solution-${id}`));
    assert.equal(sols.length, 1, `one solution cell tagged solution-${id}`);
    assert.match(cellText(sols[0]), new RegExp(`✔ Exercise ${esc}: correct`), `solution of ${id} passes`);
    assert.doesNotMatch(cellText(sols[0]), /✘/, `solution of ${id} prints no hint`);
  }
  const tagged = nb.cells.flatMap(tagsOf).filter((t) => t.startsWith("solution-")).sort();
  assert.deepEqual(tagged, ids.map((id) => `solution-${id}`).sort(), "the solution-N.k tags are exactly the lesson's exercises");
}

/** The exercise ids of a lesson, from its `exercise-N.k` tags, in order. */
export function exerciseIds(nb: Notebook): string[] {
  return nb.cells.flatMap(tagsOf).filter((t) => /^exercise-\d+\.\d+$/.test(t)).map((t) => t.slice("exercise-".length));
}

/** "1.7e+3" → "1.7\cdot10^{3}", the way the prose writes a printed number in LaTeX. */
export function latexOf(printed: string): string {
  const m = /^(-?\d\.\d)e([+-])(\d+)$/.exec(printed);
  assert.ok(m, `not a number in e-notation: ${printed}`);
  return `${m[1]}\\cdot10^{${m[2] === "-" ? "-" : ""}${m[3]}}`;
}
