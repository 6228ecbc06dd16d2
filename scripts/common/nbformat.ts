// nbformat 4 notebooks as plain JSON: types, reading, and writing byte-for-byte the way Jupyter
// does (keys sorted, 1-space indent, multi-line strings split into lists of lines, trailing
// newline), so a notebook saved by Jupyter and one saved by our scripts give the same diff.
import * as fs from "fs";
import { writeFileAtomic } from "../../lib/files";

export type MultilineString = string | string[];
export type MimeBundle = Record<string, unknown>;

export interface StreamOutput { output_type: "stream"; name: "stdout" | "stderr"; text: MultilineString }
export interface DisplayDataOutput {
  output_type: "display_data"; data: MimeBundle; metadata: Record<string, unknown>;
}
export interface ExecuteResultOutput {
  output_type: "execute_result"; execution_count: number | null; data: MimeBundle;
  metadata: Record<string, unknown>;
}
export interface ErrorOutput { output_type: "error"; ename: string; evalue: string; traceback: string[] }
export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

export interface CellMetadata {
  tags?: string[];
  jupyter?: { source_hidden?: boolean; [k: string]: unknown };
  /** nbformat's execution timestamps (ISO strings), written by the runner in build/ only. */
  execution?: Record<string, string>;
  /** The runner's per-cell wall time, in build/ only. */
  runner?: { duration_ms: number };
  [k: string]: unknown;
}
export interface CodeCell {
  cell_type: "code"; id?: string; source: MultilineString; metadata: CellMetadata;
  execution_count: number | null; outputs: Output[];
}
export interface MarkdownCell {
  cell_type: "markdown"; id?: string; source: MultilineString; metadata: CellMetadata;
  attachments?: Record<string, MimeBundle>;
}
export interface RawCell {
  cell_type: "raw"; id?: string; source: MultilineString; metadata: CellMetadata;
  attachments?: Record<string, MimeBundle>;
}
export type Cell = CodeCell | MarkdownCell | RawCell;

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: Cell[];
}

/** The notebook metadata every committed notebook carries, and nothing else (docs/ARCHITECTURE.md). */
export const COURSE_METADATA = {
  kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" },
  language_info: { name: "typescript" },
};

/** A string or list of lines as one string. */
export function joinText(text: MultilineString | undefined | null): string {
  if (text == null) return "";
  return Array.isArray(text) ? text.join("") : text;
}

/** Python's str.splitlines(keepends=True), which nbformat uses to split multi-line strings. */
export function pySplitLines(s: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let end = -1;
    if (c === 0x0d) end = s.charCodeAt(i + 1) === 0x0a ? i + 2 : i + 1;
    else if (c === 0x0a || c === 0x0b || c === 0x0c || c === 0x1c || c === 0x1d || c === 0x1e ||
      c === 0x85 || c === 0x2028 || c === 0x2029) end = i + 1;
    if (end >= 0) {
      lines.push(s.slice(start, end));
      start = end;
      i = end - 1;
    }
  }
  if (start < s.length) lines.push(s.slice(start));
  return lines;
}

const SPLIT_NON_TEXT_MIMES = new Set(["application/javascript", "image/svg+xml"]);

function splitBundle(bundle: MimeBundle | undefined): void {
  if (!bundle) return;
  for (const [mime, value] of Object.entries(bundle)) {
    if (typeof value === "string" && (mime.startsWith("text/") || SPLIT_NON_TEXT_MIMES.has(mime))) {
      bundle[mime] = pySplitLines(value);
    }
  }
}

/** A deep copy with multi-line strings split into lines, as nbformat.v4's split_lines does. */
function splitLines(nb: Notebook): Notebook {
  const copy = JSON.parse(JSON.stringify(nb)) as Notebook;
  for (const cell of copy.cells) {
    if (typeof cell.source === "string") cell.source = pySplitLines(cell.source);
    if ("attachments" in cell && cell.attachments) {
      for (const bundle of Object.values(cell.attachments)) splitBundle(bundle);
    }
    if (cell.cell_type !== "code") continue;
    for (const out of cell.outputs ?? []) {
      if (out.output_type === "stream" && typeof out.text === "string") out.text = pySplitLines(out.text);
      if (out.output_type === "display_data" || out.output_type === "execute_result") splitBundle(out.data);
    }
  }
  return copy;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      out[key] = sortKeys((value as Record<string, unknown>)[key]);
    }
    return out;
  }
  return value;
}

/** The text Jupyter would write for this notebook (json.dumps(sort_keys=True, indent=1) + "\n"). */
export function serializeNotebook(nb: Notebook): string {
  return JSON.stringify(sortKeys(splitLines(nb)), null, 1) + "\n";
}

/** Parse a notebook file, with an error naming the file when it is not a notebook. */
export function parseNotebook(text: string, source: string): Notebook {
  let nb: unknown;
  try {
    nb = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source}: not valid JSON (${(e as Error).message})`);
  }
  const o = nb as Partial<Notebook>;
  if (!o || typeof o !== "object") throw new Error(`${source}: not a notebook (not a JSON object)`);
  // The version first: an nbformat 3 notebook has no "cells" (they are in "worksheets").
  if (o.nbformat !== 4) {
    throw new Error(`${source}: field "nbformat" is ${JSON.stringify(o.nbformat)}; only nbformat 4 notebooks are supported` +
      (typeof o.nbformat === "number" && o.nbformat < 4 ? ` (convert it: jupyter nbconvert --to notebook --nbformat 4 ${source})` : ""));
  }
  if (!Array.isArray(o.cells)) throw new Error(`${source}: not a notebook (no "cells" list)`);
  for (const [i, cell] of o.cells.entries()) {
    if (!cell || !["code", "markdown", "raw"].includes((cell as Cell).cell_type)) {
      throw new Error(`${source}: cell ${i + 1}: field "cell_type" is ${JSON.stringify((cell as Cell | null)?.cell_type)}, expected "code", "markdown" or "raw"`);
    }
  }
  return nb as Notebook;
}

export function readNotebook(file: string): Notebook {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`cannot read notebook ${file}: ${(e as Error).message}`);
  }
  return parseNotebook(text, file);
}

export function writeNotebook(file: string, nb: Notebook): void {
  writeFileAtomic(file, serializeNotebook(nb));
}
