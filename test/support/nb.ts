// Types and helpers for reading executed notebooks in tests (test/notebooks/NN-name.check.ts).
//
//   import type { Notebook } from "../support/nb";
//   import { cellOutput, matchNumber, plotsOf } from "../support/nb";
//   export default function check(nb: Notebook, t: TestContext): void {
//     const acc = matchNumber(nb, /test accuracy (\d+\.\d+)/);
//     assert.ok(acc > 0.9, `test accuracy ${acc}`);
//   }
//
// Every helper that looks something up throws an Error that says what it looked for and what the
// notebook has instead, so a failing check explains itself.
import * as path from "path";
import {
  type Cell, type CodeCell, type Notebook, type Output,
  joinText,
} from "../../scripts/common/nbformat";
import { figureOfOutput, type Figure } from "../../lib/plot";

export type {
  Cell, CodeCell, MarkdownCell, Notebook, Output, StreamOutput, DisplayDataOutput, ExecuteResultOutput,
  ErrorOutput, MimeBundle, MultilineString,
} from "../../scripts/common/nbformat";
export { joinText, readNotebook } from "../../scripts/common/nbformat";

/** The project root. */
export const ROOT = path.resolve(__dirname, "..", "..");


/** A cell's source as one string. */
export function sourceOf(cell: Cell): string {
  return joinText(cell.source);
}

/** The code cells, in order. */
export function codeCells(nb: Notebook): CodeCell[] {
  return nb.cells.filter((c): c is CodeCell => c.cell_type === "code");
}

/** Cells carrying a tag. */
export function taggedCells(nb: Notebook, tag: string): Cell[] {
  return nb.cells.filter((c) => (c.metadata?.tags ?? []).includes(tag));
}

function outputText(out: Output, streams: Array<"stdout" | "stderr">): string {
  if (out.output_type === "stream") return streams.includes(out.name) ? joinText(out.text) : "";
  if (out.output_type === "execute_result") return joinText(out.data["text/plain"] as string | string[] | undefined);
  if (out.output_type === "error") return `${out.ename}: ${out.evalue}\n`;
  return "";
}

/** What a code cell printed: stdout and stderr (and any execute_result's text/plain), in order. */
export function cellText(cell: Cell): string {
  if (cell.cell_type !== "code") return "";
  return cell.outputs.map((o) => outputText(o, ["stdout", "stderr"])).join("");
}

/** Only what a code cell printed on stdout. */
export function cellStdout(cell: Cell): string {
  if (cell.cell_type !== "code") return "";
  return cell.outputs.map((o) => outputText(o, ["stdout"])).join("");
}

/** Everything the notebook printed (stdout and stderr of every cell, in order). */
export function notebookText(nb: Notebook): string {
  return codeCells(nb).map(cellText).join("");
}

/** Everything the notebook wrote to stderr. */
export function notebookStderr(nb: Notebook): string {
  return codeCells(nb)
    .map((c) => c.outputs.map((o) => (o.output_type === "stream" && o.name === "stderr" ? joinText(o.text) : "")).join(""))
    .join("");
}

function preview(s: string, n = 60): string {
  const one = s.replace(/\s+/g, " ").trim();
  return one.length > n ? one.slice(0, n - 3) + "..." : one;
}

/** The code cell whose source contains needle (a string or a RegExp); throws if none or several. */
export function findCell(nb: Notebook, needle: string | RegExp): CodeCell {
  const hits = codeCells(nb).filter((c) => (typeof needle === "string" ? sourceOf(c).includes(needle) : needle.test(sourceOf(c))));
  if (hits.length === 1) return hits[0];
  if (hits.length === 0) throw new Error(`no code cell's source contains ${String(needle)}`);
  throw new Error(`${hits.length} code cells contain ${String(needle)}: ${hits.map((c) => JSON.stringify(preview(sourceOf(c), 40))).join(", ")}`);
}

/** What the code cell whose source contains needle printed. */
export function cellOutput(nb: Notebook, needle: string | RegExp): string {
  return cellText(findCell(nb, needle));
}

/**
 * The values of every display_data / execute_result output with this MIME type, in order.
 * Text-like values (stored as lists of lines) come back as one string; JSON values as they are.
 */
export function outputsOf(nb: Notebook, mime: string): unknown[] {
  const values: unknown[] = [];
  for (const cell of codeCells(nb)) {
    for (const out of cell.outputs) {
      if ((out.output_type === "display_data" || out.output_type === "execute_result") && mime in out.data) {
        const v = out.data[mime];
        values.push(Array.isArray(v) && v.every((x) => typeof x === "string") ? v.join("") : v);
      }
    }
  }
  return values;
}

/** First capture group (or whole match) of re in the notebook's printed text, as a number. */
export function matchNumber(nb: Notebook | string, re: RegExp): number {
  const text = typeof nb === "string" ? nb : notebookText(nb);
  const m = re.exec(text);
  if (!m) throw new Error(`no match for ${re} in the printed output (which begins: ${JSON.stringify(preview(text, 200))})`);
  const s = m[1] ?? m[0];
  const n = Number(s);
  if (!Number.isFinite(n)) throw new Error(`${re} matched ${JSON.stringify(s)}, which is not a finite number`);
  return n;
}

/** Every match of re (which must have the g flag) in the printed text, first group as numbers. */
export function matchNumbers(nb: Notebook | string, re: RegExp): number[] {
  if (!re.global) throw new Error(`matchNumbers: ${re} needs the g flag`);
  const text = typeof nb === "string" ? nb : notebookText(nb);
  return [...text.matchAll(re)].map((m) => Number(m[1] ?? m[0]));
}

/** A plotly figure shown with showPlot / livePlot from lib/plot. */
export type PlotFigure = Figure;

/** The figures of all plots in the notebook's outputs (live plots: their final state), in order. */
export function plotsOf(nb: Notebook): PlotFigure[] {
  return codeCells(nb).flatMap((c) => c.outputs.map(figureOfOutput)).filter((f): f is Figure => f !== null);
}

/** Outputs of any cell whose error would have stopped the run (there should be none). */
export function errorOutputs(nb: Notebook): Output[] {
  return codeCells(nb).flatMap((c) => c.outputs.filter((o) => o.output_type === "error"));
}
