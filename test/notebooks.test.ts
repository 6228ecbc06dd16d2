// The course notebooks, as committed and as executed.
//
// Committed (notebooks/*.ipynb): valid nbformat 4, clean (`nb:clean --check`), each with its check
// file test/notebooks/<name>.check.ts, and every function in a `lib-source` cell present verbatim
// in lib/. Executed: all notebooks run through the real runner on one Jupyter server (into
// build/executed/), no cell fails, each notebook's check passes, every cell that shows a plot has
// one, and a second run prints the same outputs (timings masked).
import { venvExecutable } from "../scripts/python-env";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, test, type TestContext } from "node:test";
import { cleanNotebook } from "../scripts/runner/clean";
import { executeNotebooks, type ExecuteResult } from "../scripts/runner/index";
import { parseNotebook, serializeNotebook } from "../scripts/common/nbformat";
import { EXECUTED_DIR, NOTEBOOKS_DIR } from "./support/executed";
import { assertSolutions, exerciseIds } from "./support/checks";
import { type CodeCell, codeCells, type Notebook, type Output, plotsOf, readNotebook, ROOT, sourceOf, taggedCells } from "./support/nb";

const CHECKS_DIR = path.join(ROOT, "test", "notebooks");
// The course's pinned Python environment (nbformat for the validity checks), else the system's.
const PY = venvExecutable("python") ?? "/usr/bin/python3";

const files = fs.existsSync(NOTEBOOKS_DIR)
  ? fs.readdirSync(NOTEBOOKS_DIR).filter((f) => f.endsWith(".ipynb")).sort().map((f) => path.join(NOTEBOOKS_DIR, f))
  : [];
const nameOf = (file: string) => path.basename(file, ".ipynb");
// Each lesson's worked solutions: notebooks/solutions/NN-name.ipynb (docs/ARCHITECTURE.md, "A new lesson").
const SOLUTIONS_DIR = path.join(NOTEBOOKS_DIR, "solutions");
const solutionsOf = (file: string) => path.join(SOLUTIONS_DIR, path.basename(file));
// 00-start-here is JupyterLab's start page, not a lesson: no goals, no exercises, no solutions.
const isLesson = (file: string) => nameOf(file) !== "00-start-here";
const lessonFiles = files.filter(isLesson);
const solutionFiles = lessonFiles.map(solutionsOf).filter((f) => fs.existsSync(f));

test("the course has notebooks in notebooks/", () => {
  assert.ok(files.length > 0, `no *.ipynb in ${NOTEBOOKS_DIR}: every other notebook test would pass vacuously`);
});

// ---------------------------------------------------------------------------------------------
// Top-level `function name(...) { ... }` definitions in a cell, each with its full text.

/** Index just past the block that opens at src[open] === "{", skipping strings and comments. */
function blockEnd(src: string, open: number): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === "/" && src[i + 1] === "/") {
      i = src.indexOf("\n", i);
      if (i < 0) return -1;
    } else if (c === "/" && src[i + 1] === "*") {
      i = src.indexOf("*/", i + 2) + 1;
      if (i <= 0) return -1;
    } else if (c === '"' || c === "'" || c === "`") {
      for (i++; i < src.length && src[i] !== c; i++) if (src[i] === "\\") i++;
    } else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i + 1;
  }
  return -1;
}

function topLevelFunctions(src: string): Array<{ name: string; text: string }> {
  const found: Array<{ name: string; text: string }> = [];
  const re = /^(?:export\s+)?(?:async\s+)?(function\*?\s+([A-Za-z_$][\w$]*))/gm;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    const start = m.index + m[0].length - m[1].length;
    // The body's brace is the first "{" after the parameter list closes.
    let i = src.indexOf("(", start);
    let depth = 0;
    for (; i < src.length; i++) {
      if (src[i] === "(") depth++;
      else if (src[i] === ")" && --depth === 0) break;
    }
    const open = src.indexOf("{", i);
    const end = open < 0 ? -1 : blockEnd(src, open);
    if (end < 0) throw new Error(`function ${m[2]}: could not find the end of its body`);
    found.push({ name: m[2], text: src.slice(start, end) });
    re.lastIndex = end;
  }
  return found;
}

// Whitespace aside, and one documented substitution: lib/ calls lib/math.ts's exp, log1p, tanh... where a
// lesson writes Math.exp, Math.log1p, Math.tanh... (the same bits in Node; lesson 03 says so).
const squash = (s: string) => s.replace(/\s+/g, " ").trim().replace(/\bMath\.(exp|expm1|log|log1p|tanh|sin|cos|pow)\(/g, "$1(");

function libSources(): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts")) out.push({ file: path.relative(ROOT, p), text: squash(fs.readFileSync(p, "utf8")) });
    }
  };
  walk(path.join(ROOT, "lib"));
  return out;
}

test("topLevelFunctions finds whole function bodies (braces in strings and comments skipped)", () => {
  const src = 'const x = 1;\nfunction a(p: { k: number }): number {\n  const s = "}"; // }\n  return p.k;\n}\nexport function b<T>(v: T) { return `${v}}`; }\n  function nested() {}\n';
  assert.deepEqual(topLevelFunctions(src).map((f) => f.name), ["a", "b"]);
  assert.equal(topLevelFunctions(src)[0].text, 'function a(p: { k: number }): number {\n  const s = "}"; // }\n  return p.k;\n}');
});

// ---------------------------------------------------------------------------------------------
describe("committed notebooks", () => {
  const pyOk = spawnSync(PY, ["-c", "import nbformat"]).status === 0;
  for (const file of files) {
    const name = nameOf(file);
    test(`${name}: valid nbformat 4`, (t) => {
      if (!pyOk) return t.skip(`${PY} has no nbformat module (Debian: apt-get install python3-nbformat)`);
      const r = spawnSync(PY, ["-c", "import nbformat,sys; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))", file], { encoding: "utf8" });
      assert.equal(r.status, 0, `${file} is not valid nbformat 4:\n${r.stderr}`);
    });

    test(`${name}: clean (no outputs, no volatile metadata: npm run nb:clean)`, () => {
      const text = fs.readFileSync(file, "utf8");
      const { notebook, problems } = cleanNotebook(parseNotebook(text, file));
      assert.deepEqual(problems, [], `${file} needs \`npm run nb:clean\``);
      assert.equal(text, serializeNotebook(notebook), `${file}: JSON layout differs from Jupyter's; run \`npm run nb:clean\``);
    });

    test(`${name}: has its check file test/notebooks/${name}.check.ts`, () => {
      assert.ok(fs.existsSync(path.join(CHECKS_DIR, `${name}.check.ts`)), `missing test/notebooks/${name}.check.ts`);
    });

    if (isLesson(file)) test(`${name}: opens with its title, goals and what it builds on, and ends with 2–4 exercises`, () => {
      // The lesson site reads title and goals from the first cell (docs/ARCHITECTURE.md, "Notebooks").
      const nb = readNotebook(file);
      const number = Number(name.slice(0, 2));
      const first = nb.cells[0];
      assert.equal(first?.cell_type, "markdown", `${name}: the first cell should be Markdown`);
      const intro = sourceOf(first);
      assert.match(intro, new RegExp(`^# ${number}\\. \\S`), `${name}: the first cell should start with "# ${number}. Title"`);
      assert.match(intro, /\*\*You will be able to:\*\*\s*\n(- .+\n?){2,}/, `${name}: the first cell should list the goals under **You will be able to:**`);
      assert.match(intro, /\*\*Builds on:\*\* \S/, `${name}: the first cell should say what the lesson **Builds on:**`);
      const markdown = nb.cells.filter((c) => c.cell_type === "markdown").map(sourceOf).join("\n");
      assert.match(markdown, /^## Exercises/m, `${name}: a "## Exercises" section is missing`);
      const ids = exerciseIds(nb);
      assert.ok(ids.length >= 2 && ids.length <= 4, `${name}: ${ids.length} exercise-N.k cells, expected 2–4 exercises`);
      assert.ok(ids.every((id) => id.startsWith(`${number}.`)), `${name}: exercise ids ${ids.join(", ")} should be ${number}.k`);
      assert.deepEqual(nb.cells.flatMap((c) => c.metadata?.tags ?? []).filter((tag) => tag.startsWith("solution")), [],
        `${name}: the lesson a learner opens holds no solution cell`);
      assert.ok(markdown.includes(`solutions/${name}.ipynb`), `${name}: the Exercises section should say where the solutions are`);
    });

    if (isLesson(file)) test(`${name}: its solutions notebook notebooks/solutions/${name}.ipynb has one solution-N.k cell per exercise`, () => {
      const sol = solutionsOf(file);
      assert.ok(fs.existsSync(sol), `missing ${path.relative(ROOT, sol)}`);
      const text = fs.readFileSync(sol, "utf8");
      const { notebook, problems } = cleanNotebook(parseNotebook(text, sol));
      assert.deepEqual(problems, [], `${sol} needs \`npm run nb:clean -- ${path.relative(ROOT, sol)}\``);
      assert.equal(text, serializeNotebook(notebook), `${sol}: JSON layout differs from Jupyter's; run nb:clean on it`);
      const want = exerciseIds(readNotebook(file)).map((id) => `solution-${id}`);
      const got = notebook.cells.flatMap((c) => c.metadata?.tags ?? []).filter((tag) => tag.startsWith("solution-"));
      assert.deepEqual(got, want, `${name}: solution tags in the solutions notebook`);
      assert.match(sourceOf(notebook.cells[0]), new RegExp(`^# Solutions: ${Number(name.slice(0, 2))}\\. \\S`));
    });

    test(`${name}: functions in lib-source cells are verbatim in lib/`, (t) => {
      const nb = readNotebook(file);
      const cells = taggedCells(nb, "lib-source");
      if (cells.length === 0) return t.diagnostic("no lib-source cells");
      const lib = libSources();
      for (const cell of cells) {
        const fns = topLevelFunctions(sourceOf(cell));
        assert.ok(fns.length > 0, `${name}: a cell tagged lib-source defines no top-level function:\n${sourceOf(cell).slice(0, 200)}`);
        for (const fn of fns) {
          const hit = lib.find((l) => l.text.includes(squash(fn.text)));
          assert.ok(hit, `${name}: function ${fn.name} in a lib-source cell is not in lib/ verbatim (whitespace and lib/math's names for Math's functions aside)`);
          t.diagnostic(`${fn.name} = ${hit.file}`);
        }
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Two runs of the same notebooks must print the same things; only timings may differ.

const TIMING = /\d+(\.\d+)? ?(ms|s)\b/g;
const RATE = /[\d.,]+(e[+-]?\d+)?\s*[kM]?\s*samples\/s/g;

function maskValue(v: unknown): unknown {
  if (typeof v === "string") return v.replace(RATE, "<rate> samples/s").replace(TIMING, "<time>");
  if (Array.isArray(v)) return maskValue(v.join(""));
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskValue(x)]));
  return v;
}

function comparable(outputs: Output[]): string {
  return JSON.stringify(maskValue(outputs));
}

function firstDifference(a: Notebook, b: Notebook): string | null {
  const ca = codeCells(a);
  const cb = codeCells(b);
  if (ca.length !== cb.length) return `${ca.length} code cells vs ${cb.length}`;
  for (let i = 0; i < ca.length; i++) {
    const x = comparable(ca[i].outputs);
    const y = comparable(cb[i].outputs);
    if (x !== y) {
      let k = 0;
      while (k < x.length && x[k] === y[k]) k++;
      return `code cell ${i + 1} (${JSON.stringify(sourceOf(ca[i]).split("\n")[0])}) differs at:\n  run 1: …${x.slice(Math.max(0, k - 60), k + 80)}\n  run 2: …${y.slice(Math.max(0, k - 60), k + 80)}`;
    }
  }
  return null;
}

function showsPlot(cell: CodeCell): boolean {
  return /\b(showPlot|livePlot)\s*\(/.test(sourceOf(cell).replace(/\/\/.*$/gm, ""));
}

describe("executed notebooks", { concurrency: false }, () => {
  let first: ExecuteResult | null = null;
  let firstSolutions: ExecuteResult | null = null;
  let runError: unknown = null;
  before(async () => {
    if (files.length === 0) return;
    try {
      first = await executeNotebooks(files, { outputDir: EXECUTED_DIR, keepGoing: true });
      // Same basenames as the lessons: the runner keeps their path below notebooks/, so they go to
      // build/executed/solutions/.
      firstSolutions = await executeNotebooks(solutionFiles, { outputDir: EXECUTED_DIR, keepGoing: true });
    } catch (e) {
      runError = e;
    }
  });

  const executedSolutions = (file: string): Notebook => {
    if (runError) throw runError;
    const sol = solutionsOf(file);
    const r = firstSolutions?.notebooks.find((n) => path.resolve(n.path) === path.resolve(sol));
    if (!r) throw new Error(`${path.relative(ROOT, sol)} was not executed`);
    if (!r.ok || !r.notebook) throw new Error(`${path.relative(ROOT, sol)} did not run: ${r.failure?.message}`);
    return r.notebook;
  };

  const executed = (file: string): Notebook => {
    if (runError) throw runError;
    const r = first?.notebooks.find((n) => path.resolve(n.path) === path.resolve(file));
    if (!r) throw new Error(`${nameOf(file)} was not executed`);
    if (!r.ok || !r.notebook) throw new Error(`${nameOf(file)} did not run: ${r.failure?.message}`);
    return r.notebook;
  };

  test("every notebook runs through Jupyter without a failing cell", (t) => {
    assert.ok(files.length > 0, "no notebooks to execute");
    if (runError) throw runError;
    assert.ok(first);
    t.diagnostic(`server start ${first.serverStartSeconds.toFixed(2)} s; total ${first.seconds.toFixed(2)} s`);
    for (const n of first.notebooks) t.diagnostic(`${n.path}: kernel ${n.kernelStartSeconds.toFixed(2)} s, total ${n.seconds.toFixed(2)} s`);
    assert.deepEqual(first.failures.map((f) => f.message), []);
    assert.equal(first.notebooks.length, files.length);
    assert.ok(firstSolutions);
    assert.deepEqual(firstSolutions.failures.map((f) => f.message), [], "the solutions notebooks run");
    assert.equal(firstSolutions.notebooks.length, lessonFiles.length, "one solutions notebook per lesson");
  });

  for (const file of files) {
    const name = nameOf(file);
    test(`${name}: check (test/notebooks/${name}.check.ts)`, async (t: TestContext) => {
      const checkFile = path.join(CHECKS_DIR, `${name}.check.ts`);
      assert.ok(fs.existsSync(checkFile), `missing ${path.relative(ROOT, checkFile)}`);
      const nb = executed(file);
      const mod = (await import(checkFile)) as { default?: unknown };
      // A CommonJS module compiled by tsx arrives as { default: module.exports }.
      let check = mod.default as unknown;
      if (check && typeof check === "object" && "default" in check) check = (check as { default: unknown }).default;
      assert.equal(typeof check, "function", `${path.relative(ROOT, checkFile)} has no default export function check(nb, t)`);
      await (check as (nb: Notebook, t: TestContext) => unknown)(nb, t);
    });

    if (isLesson(file)) test(`${name}: every solution in notebooks/solutions/${name}.ipynb passes its check`, async (t: TestContext) => {
      const sol = executedSolutions(file);
      assertSolutions(sol, exerciseIds(executed(file)));
      // A check file may assert more of the solutions' outputs: export function solutions(nb, t).
      const mod = (await import(path.join(CHECKS_DIR, `${name}.check.ts`))) as Record<string, unknown>;
      const inner = (mod.default && typeof mod.default === "object" ? mod.default : mod) as Record<string, unknown>;
      if (typeof inner.solutions === "function") await (inner.solutions as (nb: Notebook, t: TestContext) => unknown)(sol, t);
    });

    test(`${name}: every cell that calls showPlot/livePlot shows a plot`, () => {
      const nb = executed(file);
      for (const cell of codeCells(nb).filter(showsPlot)) {
        const figures = plotsOf({ ...nb, cells: [cell] });
        assert.ok(figures.length > 0, `${name}: the cell ${JSON.stringify(sourceOf(cell).split("\n")[0])} shows no plot in its outputs`);
        for (const f of figures) assert.ok(Array.isArray(f.data) && f.data.length > 0, `${name}: a plot without traces`);
      }
    });
  }

  test("a second run gives identical outputs (timings masked)", async () => {
    assert.ok(files.length > 0, "no notebooks to execute");
    if (runError) throw runError;
    assert.ok(first?.ok, "the first run failed; nothing to compare");
    const second = await executeNotebooks(files, { write: false, keepGoing: true });
    assert.deepEqual(second.failures.map((f) => f.message), []);
    const diffs: string[] = [];
    const secondSolutions = await executeNotebooks(solutionFiles, { write: false, keepGoing: true });
    assert.deepEqual(secondSolutions.failures.map((f) => f.message), []);
    for (const file of solutionFiles) {
      const a = firstSolutions?.notebooks.find((n) => path.resolve(n.path) === path.resolve(file))?.notebook;
      const b = secondSolutions.notebooks.find((n) => path.resolve(n.path) === path.resolve(file))?.notebook;
      assert.ok(a && b, `${path.relative(ROOT, file)}: missing a run`);
      const d = firstDifference(a, b);
      if (d) diffs.push(`solutions/${nameOf(file)}: ${d}`);
    }
    for (const file of files) {
      const a = executed(file);
      const b = second.notebooks.find((n) => path.resolve(n.path) === path.resolve(file))?.notebook;
      assert.ok(b, `${nameOf(file)}: no second run`);
      const d = firstDifference(a, b);
      if (d) diffs.push(`${nameOf(file)}: ${d}`);
    }
    assert.deepEqual(diffs, [], "outputs differ between two runs");
  });
});
