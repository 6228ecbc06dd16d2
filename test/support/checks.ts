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
 * One cell per id tagged `${prefix}id`, printing "✔ Exercise id: correct" (pass) or
 * "✘ Exercise id: not yet — <hint>" (a stub's hint) and never the other mark; and no other
 * `${prefix}…` tags in the notebook.
 */
function assertTagged(nb: Notebook, ids: string[], prefix: "exercise-" | "solution-", pass: boolean): void {
  const cells = codeCells(nb);
  const what = pass ? "solution" : "stub";
  for (const id of ids) {
    const esc = id.replace(".", "\\.");
    const hits = cells.filter((c) => tagsOf(c).includes(`${prefix}${id}`));
    assert.equal(hits.length, 1, `one ${what} cell tagged ${prefix}${id}`);
    const printed = cellText(hits[0]);
    if (pass) assert.match(printed, new RegExp(`✔ Exercise ${esc}: correct`), `solution of ${id} passes`);
    else assert.match(printed, new RegExp(`✘ Exercise ${esc}: not yet — \\S`), `stub of ${id} prints a hint`);
    assert.doesNotMatch(printed, pass ? /✘/ : /✔/, `the ${what} of ${id} prints only its own verdict`);
  }
  const tagged = nb.cells.flatMap(tagsOf).filter((t) => t.startsWith(prefix)).sort();
  assert.deepEqual(tagged, ids.map((id) => `${prefix}${id}`).sort(), `the ${prefix}N.k tags are exactly the listed exercises`);
}

/**
 * The lesson's exercises (docs/ARCHITECTURE.md, "A new lesson"): for each id exactly one code cell is
 * tagged `exercise-id`; it prints "✘ Exercise id: not yet — <hint>" and never a ✔. The lesson holds
 * no solution (no cell tagged `solution…`).
 */
export function assertExercises(nb: Notebook, ids: string[]): void {
  assertTagged(nb, ids, "exercise-", false);
  assert.deepEqual(nb.cells.flatMap(tagsOf).filter((t) => t.startsWith("solution")), [], "the lesson holds no solution cell");
}

/** The solutions notebook: for each id exactly one cell tagged `solution-id`, printing its ✔ and no ✘. */
export function assertSolutions(nb: Notebook, ids: string[]): void {
  assertTagged(nb, ids, "solution-", true);
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
