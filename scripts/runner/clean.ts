// Normalise a committed notebook: no outputs, no execution counts, only the course's notebook
// metadata, only the cell metadata that means something to a reader (tags, hidden source), stable
// cell ids. Returns the clean notebook and a list of what had to change, so `--check` can say why.
import { COURSE_METADATA, type Cell, type CellMetadata, type Notebook, joinText } from "../common/nbformat";

const ID_PATTERN = /^[a-zA-Z0-9-_]{1,64}$/;

/** JSON with keys sorted at every level, to compare objects regardless of key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v);
}

export interface CleanResult { notebook: Notebook; problems: string[] }

function firstLine(cell: Cell): string {
  const line = joinText(cell.source).split("\n").find((l) => l.trim() !== "") ?? "";
  return line.length > 50 ? line.slice(0, 47) + "..." : line;
}

function cleanCellMetadata(meta: CellMetadata | undefined, where: string, problems: string[]): CellMetadata {
  const out: CellMetadata = {};
  const m = meta ?? {};
  for (const key of Object.keys(m)) {
    if (key !== "tags" && key !== "jupyter") problems.push(`${where}: cell metadata "${key}" removed`);
  }
  if (m.tags !== undefined) {
    if (Array.isArray(m.tags) && m.tags.every((t) => typeof t === "string")) {
      if (m.tags.length > 0) out.tags = [...m.tags];
      else problems.push(`${where}: empty "tags" removed`);
    } else {
      problems.push(`${where}: "tags" is not a list of strings; removed`);
    }
  }
  if (m.jupyter !== undefined) {
    const j = (m.jupyter ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(j)) {
      if (key !== "source_hidden") problems.push(`${where}: cell metadata "jupyter.${key}" removed`);
    }
    if (j.source_hidden === true) out.jupyter = { source_hidden: true };
    else if ("source_hidden" in j) problems.push(`${where}: "jupyter.source_hidden: ${String(j.source_hidden)}" removed`);
  }
  return out;
}

/** The clean version of nb (nb itself is not modified) and the problems found in nb. */
export function cleanNotebook(nb: Notebook): CleanResult {
  const problems: string[] = [];
  if (nb.nbformat !== 4 || nb.nbformat_minor !== 5) {
    problems.push(`nbformat ${nb.nbformat}.${nb.nbformat_minor} set to 4.5`);
  }
  if (canonical(nb.metadata ?? {}) !== canonical(COURSE_METADATA)) {
    const extra = Object.keys(nb.metadata ?? {}).filter((k) => k !== "kernelspec" && k !== "language_info");
    problems.push(extra.length > 0
      ? `notebook metadata has extra keys (${extra.join(", ")}); set to the course kernelspec + language_info`
      : "notebook metadata differs from the course kernelspec + language_info; reset");
  }

  // Ids: keep valid, unique ones; give the others "cell-<index>", skipping any id already taken.
  const taken = new Set<string>();
  const keep = nb.cells.map((cell) => {
    const id = cell.id;
    if (typeof id === "string" && ID_PATTERN.test(id) && !taken.has(id)) {
      taken.add(id);
      return true;
    }
    return false;
  });

  const cells: Cell[] = nb.cells.map((cell, index) => {
    const where = `cell ${index + 1} (${cell.cell_type}: ${JSON.stringify(firstLine(cell))})`;
    let id = cell.id as string;
    if (!keep[index]) {
      let n = index + 1;
      let candidate = `cell-${n}`;
      while (taken.has(candidate)) candidate = `cell-${++n}-${index + 1}`;
      taken.add(candidate);
      problems.push(cell.id === undefined ? `${where}: missing id; set to "${candidate}"`
        : `${where}: id ${JSON.stringify(cell.id)} invalid or duplicate; set to "${candidate}"`);
      id = candidate;
    }
    const metadata = cleanCellMetadata(cell.metadata, where, problems);
    const source = joinText(cell.source);
    if (cell.cell_type === "code") {
      if ((cell.outputs ?? []).length > 0) problems.push(`${where}: ${cell.outputs.length} output(s) removed`);
      if (cell.execution_count !== null) problems.push(`${where}: execution_count ${String(cell.execution_count)} set to null`);
      return { cell_type: "code", id, metadata, source, execution_count: null, outputs: [] };
    }
    const extra = Object.keys(cell).filter((k) => !["cell_type", "id", "metadata", "source", "attachments"].includes(k));
    for (const k of extra) problems.push(`${where}: field "${k}" removed`);
    const clean: Cell = { cell_type: cell.cell_type, id, metadata, source } as Cell;
    if ("attachments" in cell && cell.attachments && Object.keys(cell.attachments).length > 0) {
      (clean as { attachments?: unknown }).attachments = cell.attachments;
    }
    return clean;
  });

  const notebook: Notebook = {
    cells,
    metadata: JSON.parse(JSON.stringify(COURSE_METADATA)),
    nbformat: 4,
    nbformat_minor: 5,
  };
  return { notebook, problems };
}
