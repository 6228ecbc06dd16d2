// Exercises solved on the lesson pages (issue 12), in Debian's Chromium from file://, every request
// other than file:/data:/blob: blocked and counted, console errors recorded.
//
// The site is built once from build/executed/ (ensureExecuted() brings it up to date). On every lesson
// page, for EVERY exercise cell of the notebook:
//   - the solution cell's code (notebooks/solutions, pasted into the editor) gives the ✔ line, the same
//     line as the executed solutions notebook prints;
//   - Reset gives back the stub, and the stub gives the ✘ line with its hint, the same line as the
//     executed lesson prints under that stub cell;
//   - an infinite loop (in the learner's function, or at the top) is stopped after the time limit with
//     the stopped message (all exercises of a page at once, so a page costs one time limit).
// Then, on one page: a syntax error shows its line, an exception what was thrown (name, message,
// line), a check runs from the keyboard (Ctrl+Enter), the controls have names (ARIA snapshot), the
// answer typed survives a reload and Reset restores the stub and forgets it, and without JavaScript
// the stub and its notebook output are still there.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { pathToFileURL } from "url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { buildSite, type BuildReport } from "../../scripts/site/build";
import { TIME_LIMIT_S } from "../../scripts/site/interactive/exercises/source";
import { ensureExecuted, EXECUTED_DIR } from "../support/executed";
import { joinText, readNotebook, type Notebook } from "../support/nb";
import { CHROMIUM, CHROMIUM_ARGS, ROOT } from "./support";

const OUT = path.join(ROOT, "build", "site-test-exercises");
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

let browser: Browser;
let report: BuildReport;

interface Visit { page: Page; ctx: BrowserContext; errors: string[]; blocked: string[] }

/** Opens a lesson page from file:// with every other request blocked; waits for its exercises. */
async function openLesson(lesson: string, opts: { javaScriptEnabled?: boolean; width?: number } = {}): Promise<Visit> {
  const ctx = await browser.newContext({ viewport: { width: opts.width || 1280, height: 900 }, javaScriptEnabled: opts.javaScriptEnabled !== false });
  const page = await ctx.newPage();
  const v: Visit = { page, ctx, errors: [], blocked: [] };
  await ctx.route("**/*", (route) => {
    const url = route.request().url();
    if (/^(file|data|blob):/.test(url)) return route.continue();
    v.blocked.push(url);
    return route.abort();
  });
  page.on("console", (m) => { if (m.type() === "error") v.errors.push(m.text()); });
  page.on("pageerror", (e) => v.errors.push(`uncaught: ${e.message}`));
  page.on("requestfailed", (r) => { if (r.url().startsWith("file:")) v.errors.push(`missing file: ${r.url()}`); });
  await page.goto(pathToFileURL(path.join(OUT, `${lesson}.html`)).href, { waitUntil: "load" });
  if (opts.javaScriptEnabled !== false) await page.waitForFunction(() => window.__rnnExercises && Object.keys(window.__rnnExercises).length > 0);
  return v;
}

/** Cells tagged `<prefix>N.k` of a notebook: id -> source and printed text. */
function tagged(nb: Notebook, prefix: string): Map<string, { src: string; printed: string }> {
  const map = new Map<string, { src: string; printed: string }>();
  for (const c of nb.cells) {
    if (c.cell_type !== "code") continue;
    for (const t of (c.metadata && c.metadata.tags) || []) {
      if (!t.startsWith(prefix)) continue;
      const printed = (c.outputs || []).map((o) => (o.output_type === "stream" ? joinText(o.text) : "")).join("");
      map.set(t.slice(prefix.length), { src: joinText(c.source), printed });
    }
  }
  return map;
}

/** Scientific-notation figures (1.2e-11) replaced by "<x>": rounding noise, not the check's verdict. */
const lineStarting = (text: string, mark: string) => text.split("\n").find((l) => l.startsWith(mark));

/** Puts code in exercise id's editor (as a paste would: no auto-indent), presses Check, waits for the end. */
async function runCode(page: Page, id: string, code: string): Promise<{ state: string; text: string }> {
  await page.evaluate(([i, c]) => window.__rnnExercises![i].setCode(c), [id, code] as const);
  return pressCheck(page, id);
}

async function pressCheck(page: Page, id: string): Promise<{ state: string; text: string }> {
  const cell = page.locator(`[data-exercise="${id}"]`);
  await cell.locator("button.exercise-check").click();
  await page.waitForFunction((i) => window.__rnnExercises![i].state() !== "running", id, { timeout: (TIME_LIMIT_S + 30) * 1000 });
  const result = cell.locator(".exercise-result");
  return { state: (await result.getAttribute("data-state")) || "", text: (await result.textContent()) || "" };
}

/** The stub with `while (true) {}` as the first statement of its function, or on top if it has none. */
function withInfiniteLoop(stub: string): string {
  const lines = stub.split("\n");
  const k = lines.findIndex((l) => /^function\b.*\{\s*$/.test(l));
  if (k < 0) return `while (true) {}\n${stub}`;
  return [...lines.slice(0, k + 1), "  while (true) {}", ...lines.slice(k + 1)].join("\n");
}

const LESSONS = fs.readdirSync(path.join(ROOT, "notebooks")).filter((f) => /^\d\d-.*\.ipynb$/.test(f) && !f.startsWith("00-")).sort().map((f) => f.replace(/\.ipynb$/, ""));

before(async () => {
  await ensureExecuted();
  const t0 = Date.now();
  report = await buildSite({ inDir: EXECUTED_DIR, outDir: OUT, quiet: true });
  assert.ok(report.exerciseAssets, "the course's site has pages with exercises, so it writes the exercise assets");
  console.log(`# site built in ${((Date.now() - t0) / 1000).toFixed(1)} s; exercises.js ${kb(report.exerciseAssets!.pageBytes)}, exercise-runtime.js ${kb(report.exerciseAssets!.runtimeBytes)} (shared)`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});
after(async () => {
  if (browser) await browser.close();
});

describe("exercises solved on the lesson pages", () => {
  test("page weight: what the exercises add to each lesson page; every page stays within 300 KB", () => {
    let pagesWithExercises = 0;
    for (const p of report.pages.filter((x) => x.page !== "index.html")) {
      const html = fs.readFileSync(path.join(OUT, p.page), "utf8");
      const specs = [...html.matchAll(/<script type="application\/json" class="rnn-exercise">[\s\S]*?<\/script>/g)].map((m) => m[0]);
      const tags = [...html.matchAll(/<script defer src="assets\/exercise(?:s|-runtime)\.js"><\/script>\n/g)].map((m) => m[0]);
      const added = [...specs, ...tags].reduce((s, x) => s + Buffer.byteLength(x), 0);
      if (specs.length) pagesWithExercises++;
      assert.equal(tags.length, specs.length ? 2 : 0, `${p.page}: loads the exercise scripts only if it has exercises`);
      console.log(`#   ${p.page}: ${kb(p.bytes)}, of which exercises ${kb(added)} (${specs.length} exercises)`);
      assert.ok(p.bytes <= 300 * 1024, `${p.page} is ${kb(p.bytes)}, over 300 KB`);
    }
    assert.equal(pagesWithExercises, LESSONS.length);
  });

  for (const lesson of LESSONS) {
    test(`${lesson}: every solution gives ✔, every stub its ✘ hint, every infinite loop is stopped`, async () => {
      const stubs = tagged(readNotebook(path.join(EXECUTED_DIR, `${lesson}.ipynb`)), "exercise-");
      const solutions = tagged(readNotebook(path.join(EXECUTED_DIR, "solutions", `${lesson}.ipynb`)), "solution-");
      assert.ok(stubs.size >= 2, `${lesson} has ${stubs.size} exercises`);
      const v = await openLesson(lesson);
      const { page } = v;
      try {
        const ids = await page.evaluate(() => Object.keys(window.__rnnExercises!));
        assert.deepEqual(ids, [...stubs.keys()], "the page has an editor for every exercise cell, in order");
        // solutions in order (an exercise may use an earlier one's function, as in the notebook)
        for (const [id, { src, printed }] of solutions) {
          const r = await runCode(page, id, src);
          const want = lineStarting(printed, "✔");
          assert.ok(want, `solutions/${lesson}: solution ${id} printed no ✔ line`);
          assert.equal(r.state, "done", `solution ${id}: ${r.text}`);
          const got = lineStarting(r.text, "✔");
          // The verdict and its text are the notebook's, digit for digit: lib/ computes the same bits in
          // Chromium as in Node (lib/math.ts), so even 7.3's rounding-noise figure (about 1e-10) is equal.
          assert.equal(got, want, `solution ${id} on the page:\n${r.text}`);
        }
        // Reset, then the stub: the notebook's ✘ line and hint
        for (const [id, { src, printed }] of stubs) {
          const cell = page.locator(`[data-exercise="${id}"]`);
          await cell.locator("button.exercise-reset").click();
          assert.equal(await page.evaluate((i) => window.__rnnExercises![i].code(), id), src, `Reset gives back stub ${id}`);
          const r = await pressCheck(page, id);
          const want = lineStarting(printed, "✘");
          assert.ok(want && / not yet — ./.test(want), `${lesson}: stub ${id} printed no ✘ hint in the notebook`);
          assert.equal(r.state, "done", `stub ${id}: ${r.text}`);
          assert.equal(lineStarting(r.text, "✘"), want, `stub ${id} on the page:\n${r.text}`);
        }
        // every exercise with an infinite loop, all at once
        const t0 = Date.now();
        await page.evaluate((codes) => {
          for (const [i, c] of codes) {
            window.__rnnExercises![i].setCode(c);
            window.__rnnExercises![i].check();
          }
        }, [...stubs].map(([id, s]) => [id, withInfiniteLoop(s.src)] as [string, string]));
        await page.waitForFunction(() => Object.values(window.__rnnExercises!).every((e) => e.state() !== "running"), null, { timeout: (TIME_LIMIT_S + 30) * 1000 });
        const waited = (Date.now() - t0) / 1000;
        for (const id of stubs.keys()) {
          const text = (await page.locator(`[data-exercise="${id}"] .exercise-result`).textContent()) || "";
          assert.equal(await page.locator(`[data-exercise="${id}"] .exercise-result`).getAttribute("data-state"), "stopped", `loop ${id}: ${text}`);
          assert.match(text, new RegExp(`Stopped after ${TIME_LIMIT_S} s: the code did not finish — an infinite loop\\?`));
        }
        assert.ok(waited >= TIME_LIMIT_S, `stopped after ${waited} s, before the ${TIME_LIMIT_S} s limit`);
        console.log(`# ${lesson}: ${stubs.size} exercises: solutions ✔, stubs ✘ with the notebook's hints, loops stopped after ${waited.toFixed(1)} s`);
        assert.deepEqual(v.errors, [], "console errors");
        assert.deepEqual(v.blocked, [], "network requests");
      } finally {
        await v.ctx.close();
      }
    });
  }

  test("bad input: a syntax error shows its line, an exception what was thrown, an earlier exercise's error is named", async () => {
    const v = await openLesson("03-loss");
    const { page } = v;
    try {
      let r = await runCode(page, "3.1", "function softplus(z: number): number {\n  return Math.log(1 + Math.exp(z));\n  const = 3;\n}\nvoid checkSoftplus(softplus);");
      assert.equal(r.state, "syntax");
      assert.match(r.text, /^Syntax error on line 3: Unexpected token/);
      r = await runCode(page, "3.1", "const a = 1;\nthrow new RangeError(`boom ${a}`);");
      assert.equal(r.state, "error");
      assert.match(r.text, /^Your code threw RangeError: boom 1 \(line 2 of your code\)/);
      r = await runCode(page, "3.1", "const f = (o: any) => o.missing.field;\nconsole.log('before');\nf({});");
      assert.match(r.text, /^before\nYour code threw TypeError: Cannot read properties of undefined \(reading 'field'\) \(line 1 of your code\)/);
      r = await runCode(page, "3.1", "throw 42;");
      assert.match(r.text, /Your code threw a value that is not an Error: 42/);
      r = await runCode(page, "3.1", "import { showPlot } from \"./lib/plot\";\nshowPlot({ data: [] });");
      assert.match(r.text, /Your code threw Error: import from "\.\/lib\/plot": not available on this page \(it draws through Jupyter\)/);
      r = await runCode(page, "3.1", "showPlot({ data: [] });"); // the notebook's own import of it, in the prelude
      assert.match(r.text, /Your code threw Error: showPlot is not available on this page: lib\/plot it draws through Jupyter/);
      // while a check runs, its button reads Stop and stops it
      await page.evaluate(() => { window.__rnnExercises!["3.2"].setCode("for (;;) {}"); window.__rnnExercises!["3.2"].check(); });
      const stop = page.locator('[data-exercise="3.2"] button.exercise-check');
      assert.equal(await stop.textContent(), "Stop");
      await stop.click();
      assert.equal(await page.evaluate(() => window.__rnnExercises!["3.2"].state()), "stopped");
      assert.equal(await page.locator('[data-exercise="3.2"] .exercise-result').textContent(), "Stopped.\n");
      assert.equal(await stop.textContent(), "Check");
      // 3.4 runs 3.3's code first (its solution calls meanLossOfConstant): a syntax error there is named
      await page.evaluate(() => window.__rnnExercises!["3.3"].setCode("function meanLossOfConstant(p: number, ys: Float64Array): number {\n  return (;\n}"));
      r = await pressCheck(page, "3.4");
      assert.equal(r.state, "syntax");
      assert.match(r.text, /exercise 3\.3's code first \(for its meanLossOfConstant\), and that has a syntax error: Syntax error on line 2/);
      assert.deepEqual(v.errors, []);
      assert.deepEqual(v.blocked, []);
    } finally {
      await v.ctx.close();
    }
  });

  test("keyboard, names, localStorage across a reload, Reset; without JavaScript the stub and its output stay", async () => {
    const stubs = tagged(readNotebook(path.join(EXECUTED_DIR, "05-training.ipynb")), "exercise-");
    const stub = stubs.get("5.1")!.src;
    const v = await openLesson("05-training", { width: 390 });
    const { page } = v;
    try {
      const cell = page.locator('[data-exercise="5.1"]');
      const snapshot = await cell.ariaSnapshot();
      for (const want of ['textbox "Code of exercise 5.1"', 'button "Check"', 'button "Reset to the stub"', 'status "Result of exercise 5.1"']) {
        assert.ok(snapshot.includes(want), `the ARIA snapshot names ${want}:\n${snapshot}`);
      }
      assert.equal(await cell.locator("pre.source").isVisible(), false, "the editor takes the static code's place");
      // typed by keyboard: select all, type the answer, Ctrl+Enter checks
      const answer = "function updates(n: number, batchSize: number, epochs: number): number {\nreturn Math.ceil(n / batchSize) * epochs;\n}\nvoid checkUpdateCount(updates);";
      await cell.locator(".cm-content").click();
      await page.keyboard.press("Control+A");
      await page.keyboard.insertText(answer);
      await page.keyboard.press("Control+Enter");
      await page.waitForFunction(() => window.__rnnExercises!["5.1"].state() === "done");
      assert.match((await cell.locator(".exercise-result").textContent()) || "", /^✔ Exercise 5\.1: correct/);
      // Tab leaves the editor for the buttons (the editor does not trap focus)
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.textContent), "Check");
      await page.reload({ waitUntil: "load" });
      await page.waitForFunction(() => window.__rnnExercises && window.__rnnExercises["5.1"]);
      assert.equal(await page.evaluate(() => window.__rnnExercises!["5.1"].code()), answer, "the answer is kept across a reload");
      assert.equal(await page.evaluate(() => window.__rnnExercises!["5.2"].code()), stubs.get("5.2")!.src, "an untouched exercise shows its stub");
      await cell.locator("button.exercise-reset").focus();
      await page.keyboard.press("Enter");
      assert.equal(await page.evaluate(() => window.__rnnExercises!["5.1"].code()), stub, "Reset restores the stub");
      assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes("05-training/5.1")).length), 0, "Reset forgets the answer");
      await page.reload({ waitUntil: "load" });
      await page.waitForFunction(() => window.__rnnExercises && window.__rnnExercises["5.1"]);
      assert.equal(await page.evaluate(() => window.__rnnExercises!["5.1"].code()), stub);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `the page is ${width} px wide at 390 px`);
      assert.deepEqual(v.errors, []);
      assert.deepEqual(v.blocked, []);
    } finally {
      await v.ctx.close();
    }
    const off = await openLesson("05-training", { javaScriptEnabled: false });
    try {
      const cell = off.page.locator('[data-exercise="5.1"]');
      assert.equal(((await cell.locator("pre.source").textContent()) || "").trim(), stub.trim());
      assert.ok(await cell.locator("pre.source").isVisible());
      assert.equal(lineStarting((await cell.locator(".outputs").textContent()) || "", "✘"), lineStarting(stubs.get("5.1")!.printed, "✘"));
      assert.deepEqual(off.blocked, []);
    } finally {
      await off.ctx.close();
    }
  });
});
