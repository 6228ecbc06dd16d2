// Executed notebooks for tests that only read them (the site test): build/executed/NN-name.ipynb,
// brought up to date at most once per test process. A notebook is re-executed when its executed
// copy is missing or older than the notebook or any file under lib/, notebooks/course/ or data/ (what its outputs
// depend on). All stale notebooks run through one Jupyter server.
import * as fs from "fs";
import * as path from "path";
import { executeNotebooks } from "../../scripts/runner/index";
import { type Notebook, readNotebook, ROOT } from "./nb";

export const NOTEBOOKS_DIR = path.join(ROOT, "notebooks");
export const EXECUTED_DIR = path.join(ROOT, "build", "executed");

/** notebooks/*.ipynb, sorted; throws if there are none (a test must not pass on an empty course). */
export function courseNotebookFiles(): string[] {
  const files = fs.existsSync(NOTEBOOKS_DIR)
    ? fs.readdirSync(NOTEBOOKS_DIR).filter((f) => f.endsWith(".ipynb")).sort().map((f) => path.join(NOTEBOOKS_DIR, f))
    : [];
  if (files.length === 0) throw new Error(`no notebooks in ${NOTEBOOKS_DIR}: nothing to test`);
  return files;
}

function newestMtime(dir: string, skip: (p: string) => boolean = () => false): number {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (skip(p)) continue;
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p, skip));
    else if (entry.isFile()) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** notebooks/solutions/*.ipynb, sorted (none when the folder is missing). */
export function solutionNotebookFiles(): string[] {
  const dir = path.join(NOTEBOOKS_DIR, "solutions");
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort().map((f) => path.join(dir, f)) : [];
}

/** Where the runner writes a notebook's executed copy: its path below notebooks/, under build/executed/. */
export const executedPathOf = (source: string): string => path.join(EXECUTED_DIR, path.relative(NOTEBOOKS_DIR, source));

/** Is the executed copy of `source` missing or older than what it was made from? */
export function isStale(source: string, executed: string = executedPathOf(source)): boolean {
  if (!fs.existsSync(executed)) return true;
  const made = fs.statSync(executed).mtimeMs;
  const inputs = Math.max(
    fs.statSync(source).mtimeMs,
    newestMtime(path.join(ROOT, "lib")),
    newestMtime(path.join(NOTEBOOKS_DIR, "course")), // the exercise checks print into the outputs too
    newestMtime(path.join(ROOT, "data"), (p) => p.includes(`${path.sep}node_modules`)),
  );
  return inputs > made;
}

let pending: Promise<Map<string, string>> | null = null;

/**
 * Make sure every course notebook has an up-to-date executed copy; resolves to a map from notebook
 * file name ("01-data.ipynb") to its executed path. Rejects with the runner's message if a cell fails.
 */
export function ensureExecuted(): Promise<Map<string, string>> {
  pending ??= (async () => {
    const sources = courseNotebookFiles();
    // The solutions too: the site shows them behind each exercise's "Show solution".
    const stale = [...sources, ...solutionNotebookFiles()].filter((s) => isStale(s));
    if (stale.length > 0) {
      const result = await executeNotebooks(stale, { outputDir: EXECUTED_DIR, keepGoing: true });
      if (!result.ok) {
        throw new Error(`executing notebooks failed:\n${result.failures.map((f) => f.message).join("\n\n")}`);
      }
    }
    return new Map(sources.map((s) => [path.basename(s), path.join(EXECUTED_DIR, path.basename(s))]));
  })();
  return pending;
}

/** The executed copy of one notebook (by file name, e.g. "01-data.ipynb"), up to date. */
export async function executedNotebook(name: string): Promise<Notebook> {
  const map = await ensureExecuted();
  const file = map.get(name);
  if (!file) throw new Error(`no notebook ${name} in ${NOTEBOOKS_DIR} (have: ${[...map.keys()].join(", ")})`);
  return readNotebook(file);
}
