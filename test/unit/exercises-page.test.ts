// The build-time and runtime pieces of the exercises solved on the page (scripts/site/interactive/
// exercises), in Node: the prelude builder (what an exercise cell sees of the notebook), the
// transpile step (sucrase, lines kept, syntax errors with their line), the worker runtime (run in a vm
// context with a stand-in for the worker's self), and lib/io's stand-in (the course's data sets rebuilt
// bit for bit). The pages themselves are tested in Chromium by test/ui/exercises-site.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "path";
import * as vm from "vm";
import ts from "typescript";
import { exerciseSpecs, freeNames } from "../../scripts/site/interactive/exercises/prelude";
import { transpile, workerSource } from "../../scripts/site/interactive/exercises/source";
import { MAX_LINES, startRuntime, type RuntimeHost, type WorkerMessage } from "../../scripts/site/interactive/exercises/runtime";
import { browserIo } from "../../scripts/site/interactive/exercises/browser-io";
import { availableModules } from "../../scripts/site/interactive/exercises/bundle";
import { DATASETS } from "../../data/make";
import { loadDataset } from "../../lib/io";
import { readNotebook, type Notebook } from "../../scripts/common/nbformat";

const ROOT = path.resolve(__dirname, "..", "..");

const code = (source: string, tags: string[] = []) => ({ cell_type: "code" as const, source, metadata: { tags }, outputs: [], execution_count: null });
const notebook = (...cells: ReturnType<typeof code>[]): Notebook =>
  ({ cells: [{ cell_type: "markdown", source: "# 9. Fixture", metadata: {} }, ...cells], metadata: {}, nbformat: 4, nbformat_minor: 5 }) as unknown as Notebook;
const AVAILABLE = new Set(["lib/params", "lib/io", "course/09-fixture"]);

test("freeNames: a parameter or local hides a name only inside its own scope", () => {
  const sf = (s: string) => ts.createSourceFile("x.ts", s, ts.ScriptTarget.ES2020, true, ts.ScriptKind.TS);
  const free = freeNames(sf("function f(p: RnnParams, q = base) { const r = p.x + q; return r; }\nconst out = f(p, 2);\nfor (const k of ks) g(k, obj.p, { p: 1 });"));
  assert.deepEqual([...free].sort(), ["base", "g", "ks", "obj", "p"]); // p: used free on line 2; types and property names are not names
});

test("the prelude: imports, the declarations the stub or solution needs (and theirs), earlier exercises as deps", () => {
  const lesson = notebook(
    code('import { initParams } from "./lib/params";\nimport type { RnnParams } from "./lib/params";\nimport { showPlot } from "./lib/plot";\nimport * as io from "./lib/io";\nimport { checkF, checkG } from "./course/09-fixture";'),
    code("const unused = expensive();\nfunction helper(x: number): number { return x + base; }\nconst base: number = 2;\nconsole.log(helper(1));\nlet counter = 0;\ncounter++;"),
    code("function f(n: number): number {\n  return 0;\n}\nvoid checkF(f);", ["exercise-9.1"]),
    code("const answer: number = 0;\nvoid checkG(answer);", ["exercise-9.2"]),
  );
  const solutions = notebook(
    code("function softmaxAt(z: number): number { return z; }"),
    code("function f(n: number): number { return n; }\nvoid checkF(f);", ["solution-9.1"]),
    code("const answer = helper(f(1)) + softmaxAt(0);\nvoid checkG(answer);", ["solution-9.2"]),
  );
  const specs = exerciseSpecs(lesson, "09-fixture.ipynb", { nb: solutions, file: "solutions/09-fixture.ipynb" }, AVAILABLE);
  assert.deepEqual(specs.map((s) => [s.lesson, s.id, s.deps]), [["09-fixture", "9.1", []], ["09-fixture", "9.2", [{ id: "9.1", names: ["f"] }]]]);
  assert.equal(specs[0].stub, "function f(n: number): number {\n  return 0;\n}\nvoid checkF(f);");
  const p = specs[1].prelude;
  assert.match(p, /^const \{ initParams \} = require\("lib\/params"\);$/m);
  assert.match(p, /^const showPlot = unavailable\("lib\/plot", "showPlot"\);$/m);
  assert.match(p, /^const io = require\("lib\/io"\);$/m);
  assert.match(p, /^const \{ checkF, checkG \} = require\("course\/09-fixture"\);$/m);
  assert.match(p, /^function helper\(x\) \{ return x \+ base; \}$/m, "types stripped");
  assert.match(p, /^const base = 2;$/m, "what helper needs comes along");
  assert.match(p, /^function softmaxAt\(z\) \{ return z; \}$/m, "a name the lesson lacks comes from the solutions' setup");
  assert.doesNotMatch(p, /unused|console\.log|counter|RnnParams/, "nothing that is not needed, no statement that only computes or prints");
  assert.doesNotMatch(specs[0].prelude, /helper/);
});

test("the prelude refuses what it cannot rebuild: a reassigned let, one name declared twice", () => {
  const withCounter = notebook(code("let counter = 0;\nfor (const k of [1, 2]) counter += k;"), code("void check(counter);", ["exercise-9.1"]));
  assert.throws(() => exerciseSpecs(withCounter, "09-fixture.ipynb", null, AVAILABLE),
    /09-fixture\.ipynb, exercise 9\.1 uses counter \(09-fixture\.ipynb, cell 2\), which 09-fixture\.ipynb, cell 2 reassigns: the page cannot rebuild its value/);
  const twice = notebook(code("const a = 1, b = 2;"), code("const b = 3;"), code("void check(a, b);", ["exercise-9.1"]));
  assert.throws(() => exerciseSpecs(twice, "09-fixture.ipynb", null, AVAILABLE), /would declare b twice \(09-fixture\.ipynb, cell 2 and 09-fixture\.ipynb, cell 3\)/);
});

test("every lesson's exercises get a prelude (the course builds; 05's sgdEpoch, 06's lossOf, 10's softmaxAt are in it)", () => {
  const available = new Set(availableModules(ROOT));
  const specsOf = (name: string) => exerciseSpecs(readNotebook(path.join(ROOT, "notebooks", `${name}.ipynb`)), `${name}.ipynb`,
    { nb: readNotebook(path.join(ROOT, "notebooks", "solutions", `${name}.ipynb`)), file: `solutions/${name}.ipynb` }, available);
  assert.match(specsOf("05-training").find((s) => s.id === "5.3")!.prelude, /^function sgdEpoch\(p, data, lr\) \{$/m);
  assert.match(specsOf("06-debugging-bptt").find((s) => s.id === "6.2")!.prelude, /^const lossOf = \(q\) => bceWithLogits/m);
  assert.match(specsOf("10-char-lm").find((s) => s.id === "10.3")!.prelude, /^function softmaxAt\(z, temperature\) \{$/m);
  assert.deepEqual(specsOf("03-loss").find((s) => s.id === "3.4")!.deps, [{ id: "3.3", names: ["meanLossOfConstant"] }]);
});

test("transpile: types stripped, imports become require(), every line kept; a syntax error has its line", () => {
  const src = 'import { zerosLike } from "./lib/params";\nimport type { X } from "./x";\nfunction f(p: X): number {\n  return zerosLike(p).length as number;\n}\nvoid check(f);';
  const t = transpile(src);
  assert.ok(t.ok);
  const lines = t.js.split("\n");
  assert.equal(lines.length, src.split("\n").length);
  assert.match(lines[0], /require\('\.\/lib\/params'\)/);
  assert.match(lines[2], /^function f\(p\) \{$/);
  assert.deepEqual(transpile("const a = 1;\nconst b = ;\n"), { ok: false, line: 2, message: "Syntax error on line 2: Unexpected token" });
});

test("the worker runtime: prelude shadowed, an earlier exercise run quietly, a check's promise awaited, errors with their line", async () => {
  const run = async (user: string, deps: { id: string; names: string[]; code: string }[] = []) => {
    const messages: WorkerMessage[] = [];
    let finished!: () => void;
    const done = new Promise<void>((r) => (finished = r));
    const host: RuntimeHost = {
      postMessage: (m: WorkerMessage) => { messages.push(m); if (m.type !== "out") finished(); },
      addEventListener: () => undefined,
      console: { log: () => undefined, info: () => undefined, debug: () => undefined, warn: () => undefined, error: () => undefined },
    };
    let checked = 0;
    const runtime = startRuntime({
      "course/09-fixture": {
        checkLater: (v: unknown) => { checked++; return new Promise((r) => setTimeout(() => { host.console.log(`✔ later ${String(v)}`); r({ ok: true }); }, 20)); },
      },
    }, host);
    const t = transpile(user);
    assert.ok(t.ok);
    const depJs = deps.map((d) => { const dt = transpile(d.code); assert.ok(dt.ok); return { id: d.id, names: d.names, js: dt.js }; });
    const { source } = workerSource("", 'const { checkLater } = require("course/09-fixture");\nconst base = 1;', depJs, t.js);
    // the worker's global scope: its console is the one the runtime took over
    vm.runInNewContext(source, { __rnnExercise: runtime, setTimeout, console: host.console }, { filename: "blob:null/exercise" });
    await done;
    return { messages, checked };
  };
  let r = await run("const base = 40; // shadows the prelude's\nconsole.log('value', base + f(1));\nvoid checkLater(base);", [{ id: "9.1", names: ["f"], code: "function f(n: number): number { return n + 1; }\nconsole.log('muted');\nvoid checkLater('not run');" }]);
  assert.deepEqual(r.messages, [{ type: "out", stream: "stdout", text: "value 42" }, { type: "out", stream: "stdout", text: "✔ later 40" }, { type: "done" }]);
  assert.equal(r.checked, 1, "the earlier exercise's check did not run");
  r = await run("const x = 1;\nthrow new RangeError(`bad ${x}`);");
  assert.deepEqual(r.messages, [{ type: "error", text: "RangeError: bad 1 (line 2 of your code)" }]);
  r = await run("void 0;", [{ id: "9.1", names: ["f"], code: "throw new Error('early');" }]);
  assert.deepEqual(r.messages, [{ type: "error", text: "Error: exercise 9.1 (above) threw Error: early — this exercise runs it first, for its f" }]);
  r = await run("for (let k = 0; k < 5000; k++) console.log(k);");
  assert.equal(r.messages.length, MAX_LINES + 2, "MAX_LINES lines, the note, done");
  assert.deepEqual(r.messages.slice(-2), [{ type: "out", stream: "stderr", text: `[output cut after ${MAX_LINES} lines]` }, { type: "done" }]);
  r = await run('import { x } from "./lib/plot";\nx();');
  assert.match((r.messages[0] as { text: string }).text, /^Error: import from "\.\/lib\/plot": not available on this page \(it draws through Jupyter\)/);
});

test("lib/io's stand-in on the page gives the course's data set files bit for bit", () => {
  const io = browserIo(DATASETS);
  for (const d of DATASETS) {
    const file = path.join(ROOT, "data", d.file);
    const real = loadDataset(file);
    const page = io.loadDataset(`../data/${d.file}`);
    assert.deepEqual(page.header, real.header);
    assert.deepEqual([page.n, page.T, page.I], [real.n, real.T, real.I]);
    for (const k of ["xs", "ys"] as const) {
      assert.equal(page[k].length, real[k].length);
      assert.ok(page[k].every((v, i) => Object.is(v, real[k][i])), `${d.file}: ${k} differs`);
    }
  }
  assert.throws(() => io.loadDataset("../data/long-dependency/first-sign-T10-sample.json"),
    /loadDataset\(\.\.\/data\/long-dependency\/first-sign-T10-sample\.json\): on this page only the course's data sets can be loaded \(data\/sign-of-sum\/train\.json, data\/sign-of-sum\/test\.json\)/);
});

test("transpiler speed, sucrase against TypeScript's transpileModule on every solution cell (figures, no limit)", () => {
  const cells: string[] = [];
  for (const f of availableModules(ROOT).filter((k) => k.startsWith("course/") && /^course\/\d\d-[a-z-]+$/.test(k))) {
    const file = path.join(ROOT, "notebooks", "solutions", `${f.slice(7)}.ipynb`);
    try {
      for (const c of readNotebook(file).cells) if (c.cell_type === "code") cells.push(Array.isArray(c.source) ? c.source.join("") : c.source);
    } catch {
      // 06-buggy-bptt has no notebook
    }
  }
  assert.ok(cells.length > 20);
  const time = (f: (s: string) => unknown) => {
    for (const c of cells) f(c); // warm up
    const t0 = process.hrtime.bigint();
    for (const c of cells) f(c);
    return Number(process.hrtime.bigint() - t0) / 1e6 / cells.length;
  };
  const sucrase = time((s) => assert.ok(transpile(s).ok));
  const tsc = time((s) => ts.transpileModule(s, { compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS } }));
  console.log(`# per cell (${cells.length} cells): sucrase ${sucrase.toFixed(2)} ms, TypeScript transpileModule ${tsc.toFixed(2)} ms (${(tsc / sucrase).toFixed(1)}x)`);
});
