// The ways a run can fail, each with a message that names the notebook, the cell and what happened.

export type FailureKind = "cell-error" | "timeout" | "stalled" | "kernel-died" | "kernel-start" | "interrupted" | "runner";

/** Bad input found before anything runs (a malformed notebook, an unusable output folder, another
 *  run holding the lock): the message says it all, so the command line shows no stack trace. */
export class RunnerInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RunnerInputError";
  }
}

export interface CellFailure {
  kind: FailureKind;
  /** Notebook path as given to the runner. */
  notebook: string;
  /** 1-based position of the cell among all cells of the notebook (what you count scrolling down). */
  cell?: number;
  /** The cell's first non-empty line. */
  firstLine?: string;
  /** The kernel's error text (stderr of the cell, or ename/evalue/traceback). */
  detail: string;
  /** The full, human-readable message. */
  message: string;
}

export function describeFailure(f: Omit<CellFailure, "message">): string {
  const where = f.cell !== undefined ? `${f.notebook}, cell ${f.cell} (\`${f.firstLine ?? ""}\`)` : f.notebook;
  const indent = (s: string) => s.split("\n").map((l) => `    ${l}`).join("\n");
  switch (f.kind) {
    case "cell-error":
      return `${where} failed:\n${indent(f.detail || "(the kernel reported an error but printed no message)")}`;
    case "timeout":
      return `${where} timed out: ${f.detail}`;
    case "stalled":
      return `${where}: ${f.detail}`;
    case "kernel-died":
      return `${where}: the kernel died while running this cell (${f.detail})`;
    case "kernel-start":
      return `${where}: the kernel did not start: ${f.detail}`;
    case "interrupted":
      return `${where}: interrupted (${f.detail})`;
    default:
      return `${where}: ${f.detail}`;
  }
}

export function failure(f: Omit<CellFailure, "message">): CellFailure {
  return { ...f, message: describeFailure(f) };
}
