// The lesson site, checked in a real browser (Debian chromium via playwright-core).
//
// Two sites are built: the course's (from the executed notebooks, build/executed/, made by
// ensureExecuted() when missing or stale) and a small fixture's (test/fixtures/site/, which holds
// every kind of output a lesson can have: streams with ANSI codes, stderr, images, HTML, plots,
// math in every form, a solution cell). Every page is opened from file:// with every non-file
// request blocked, and must: log no console error, make no blocked request, draw every plot (an SVG
// with its traces), render every formula (no raw TeX left in the visible text), have only internal
// links that resolve (file and #anchor), carry the Content-Security-Policy and no inline script, and at
// 1280 and 390 px: clip nothing without a scrollbar, keep every plot inside the viewport, keep legends
// off the plot area and the modebar off the title. Screenshots at both widths go to
// artifacts/screenshots/. A fixture full of XSS payloads must run no script and open no dialog. The
// --out folder rules, the course zip, provenance links and `npm run export` are tested too. The
// executed notebooks must also export with stock `jupyter nbconvert`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { execFileSync } from "child_process";
import { pathToFileURL, fileURLToPath } from "url";
import { chromium, type Browser, type Page } from "playwright-core";
import { buildSite, checkOutDir, SITE_MARKER, type BuildReport } from "../scripts/site/build";
import { CSP } from "../scripts/site/page";
import { provenanceOf } from "../scripts/site/provenance";
import { exportLesson } from "../scripts/export";
import { LAYOUT_CHECK } from "./support/site-layout";
import { figureOfOutput, plotDescription, validateFigure, PLOTLY_MIME } from "../lib/plot";
import { joinText, readNotebook } from "../scripts/common/nbformat";
import { ensureExecuted, EXECUTED_DIR } from "./support/executed";
import { venvExecutable } from "../scripts/python-env";

const ROOT = path.resolve(__dirname, "..");
const SHOTS = path.join(ROOT, "artifacts", "screenshots");
const EXECUTED = EXECUTED_DIR;
const FIXTURE = path.join(ROOT, "test", "fixtures", "site");
const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

let browser: Browser;

before(async () => {
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  fs.mkdirSync(SHOTS, { recursive: true });
});
after(async () => {
  if (browser) await browser.close();
  console.log(`# screenshots: ${SHOTS}`);
});

interface PageVisit {
  consoleErrors: string[];
  blocked: string[];
  dialogs: string[];
  firstPlotMs: number | null;
}

/** Opens a page from file:// with every other request blocked; records errors and blocked URLs. */
async function open(page: Page, file: string): Promise<PageVisit> {
  const v: PageVisit = { consoleErrors: [], blocked: [], dialogs: [], firstPlotMs: null };
  page.on("dialog", (d) => { v.dialogs.push(`${d.type()}: ${d.message()}`); void d.dismiss(); });
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
    v.blocked.push(url);
    return route.abort();
  });
  page.on("console", (m) => { if (m.type() === "error") v.consoleErrors.push(m.text()); });
  page.on("pageerror", (e) => v.consoleErrors.push(`uncaught: ${e.message}`));
  page.on("requestfailed", (r) => { if (r.url().startsWith("file:")) v.consoleErrors.push(`missing file: ${r.url()}`); });
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  return v;
}

/** Waits until site.js reports every plot drawn; returns, per plot, what its SVG holds. */
async function plotsOf(page: Page) {
  const n = await page.locator(".rnn-plot").count();
  if (n > 0) await page.waitForFunction((k) => document.documentElement.getAttribute("data-plots-drawn") === String(k), n, { timeout: 60000 });
  return page.$$eval(".rnn-plot", (els) =>
    els.map((el) => {
      const fig = JSON.parse(el.parentElement!.querySelector("script.rnn-plot-figure")!.textContent!);
      const traces = el.querySelectorAll("g.trace, g.hm, g.contour").length;
      // data drawn: scatter lines/markers have path data, bars have rectangles with size
      const marks = Array.from(el.querySelectorAll("g.trace path, g.hm image, g.trace .point")).filter(
        (p) => (p.getAttribute("d") || "").length > 2 || p.tagName === "image",
      ).length;
      return { id: el.id, svg: el.querySelectorAll(".main-svg").length, figTraces: fig.data.length, traces, marks, error: el.querySelector(".plot-error")?.textContent || null };
    }),
  );
}

/**
 * Layout problems at the current width (issue 10, items 13 and 14):
 * - an element that sticks out of its nearest clipping ancestor that does not scroll (or out of the
 *   viewport when it has none): text or code cut off with no way to reach it;
 * - a plot wider than the viewport, a legend box over a plot area, the modebar over a title, a title
 *   wider than its plot.
 */
async function layoutProblems(page: Page): Promise<string[]> {
  // a string, so that tsx's helpers (__name) are not injected into code that runs in the page
  return page.evaluate(`(${LAYOUT_CHECK})()`) as Promise<string[]>;
}


/** The text a reader sees, with code, program output and the screen-reader copy of formulas removed. */
async function proseText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const c = document.body.cloneNode(true) as HTMLElement;
    c.querySelectorAll(".katex-mathml, pre, code, script, style").forEach((e) => e.remove());
    return c.textContent || "";
  });
}

/** Every href/src of the page that is not external must name an existing file (and anchor). */
async function checkLinks(page: Page, pageFile: string): Promise<string[]> {
  const refs = await page.$$eval("a[href], link[href], script[src], img[src]", (els) =>
    els.map((e) => e.getAttribute("href") ?? e.getAttribute("src") ?? ""),
  );
  const problems: string[] = [];
  for (const ref of refs) {
    if (/^(https?:|mailto:|data:)/.test(ref)) continue;
    if (/^(\/|file:)/.test(ref)) { problems.push(`${ref}: not relative`); continue; }
    const url = new URL(ref, pathToFileURL(pageFile));
    const target = fileURLToPath(url);
    if (!fs.existsSync(target)) { problems.push(`${ref}: no file ${target}`); continue; }
    const anchor = decodeURIComponent(url.hash.slice(1));
    if (anchor && !fs.readFileSync(target, "utf8").includes(`id="${anchor}"`)) problems.push(`${ref}: no element id="${anchor}"`);
  }
  return problems;
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** Builds a site and runs every browser check on every page. */
function siteSuite(name: string, inDir: () => string | Promise<string>, extra?: (outDir: string, report: () => BuildReport) => void) {
  describe(`site: ${name}`, () => {
    const outDir = path.join(ROOT, "build", `site-test-${name}`);
    let report: BuildReport;
    before(async () => {
      const from = await inDir();
      const t0 = Date.now();
      report = await buildSite({ inDir: from, outDir, quiet: true });
      console.log(`# ${name}: site built in ${((Date.now() - t0) / 1000).toFixed(1)} s; shared assets ${kb(report.assetBytes)}; plotly: ${report.plotlyBundle}, minified: ${report.plotlyMinified}`);
      for (const p of report.pages) console.log(`#   ${p.page}: ${kb(p.bytes)} (without shared assets), ${p.plots} plots, ${p.math} formulas`);
    });

    test("every lesson page is at most 300 KB without the shared assets", () => {
      const over = report.pages.filter((p) => p.bytes > 300 * 1024).map((p) => `${p.page} ${kb(p.bytes)}`);
      assert.deepEqual(over, []);
    });

    test("every page loads offline from file:// cleanly, draws its plots and math, links resolve", async () => {
      const pages = [...fs.readdirSync(outDir).filter((f) => f.endsWith(".html")).sort(), ...(fs.existsSync(path.join(outDir, "lib")) ? ["lib/plot.html"] : [])];
      assert.ok(pages.includes("index.html") && pages.length >= 2, `pages: ${pages}`);
      for (const file of pages) {
        const pageFile = path.join(outDir, file);
        const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        const page = await ctx.newPage();
        const t0 = Date.now();
        const v = await open(page, pageFile);
        const plots = await plotsOf(page);
        const [firstPlot, firstText] = await page.evaluate(() => {
          const m = performance.getEntriesByName("rnn-first-plot")[0];
          const fcp = performance.getEntriesByName("first-contentful-paint")[0];
          return [m ? Math.round(m.startTime) : null, fcp ? Math.round(fcp.startTime) : null];
        });
        // plots: every figure drawn, with as many traces as the figure has, each with data marks
        for (const p of plots) {
          assert.equal(p.error, null, `${file} ${p.id}: ${p.error}`);
          assert.ok(p.svg >= 1, `${file} ${p.id}: no plotly SVG`);
          assert.ok(p.traces >= p.figTraces && p.traces > 0, `${file} ${p.id}: ${p.traces} trace groups drawn, figure has ${p.figTraces}`);
          assert.ok(p.marks > 0, `${file} ${p.id}: no data marks drawn`);
        }
        // math: KaTeX wherever the source has formulas, no raw TeX in the prose
        const stat = report.pages.find((s) => s.page === file);
        const katexCount = await page.locator(".katex").count();
        if (stat && stat.math > 0) assert.ok(katexCount > 0, `${file}: ${stat.math} formulas but no .katex`);
        assert.equal(await page.locator(".math-error").count(), 0, `${file}: math errors shown`);
        const prose = await proseText(page);
        const raw = prose.match(/\$\$?[^$\s][^$]*?\$\$?|\\(frac|begin|sum|partial|tanh|mathbf|left|right)\b/);
        assert.equal(raw, null, `${file}: raw TeX left in the visible text: ${raw && raw[0]}`);
        // links
        assert.deepEqual(await checkLinks(page, pageFile), [], `${file}: broken links`);
        // solutions: present only behind a closed <details>
        const openSolutions = await page.locator("details.solution[open]").count();
        assert.equal(openSolutions, 0, `${file}: a solution is open by default`);
        // the Content-Security-Policy, and no script the policy would have to block
        assert.equal(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content"), CSP, `${file}: CSP`);
        const inline = await page.$$eval("script:not([src])", (els) => els.filter((e) => e.getAttribute("type") !== "application/json").length);
        assert.equal(inline, 0, `${file}: inline scripts`);
        // nothing clipped, plots fit, legends and modebar out of the way
        assert.deepEqual(await layoutProblems(page), [], `${file} at 1280 px`);
        // no errors, no network, no dialog
        assert.deepEqual(v.consoleErrors, [], `${file}: console errors`);
        assert.deepEqual(v.blocked, [], `${file}: requests outside the site`);
        assert.deepEqual(v.dialogs, [], `${file}: dialogs`);
        console.log(`#   ${file}: loaded and checked in ${Date.now() - t0} ms; ${plots.length} plots, ${katexCount} formulas` + `; text painted at ${firstText} ms` + (firstPlot !== null ? `, first plot drawn at ${firstPlot} ms after navigation start` : ""));
        const base = `${name}-${file.replace(/\.html$/, "").replace(/\//g, "-")}`;
        await page.screenshot({ path: path.join(SHOTS, `${base}-desktop.png`), fullPage: true });
        // print: no navigation chrome, plots still there
        await page.emulateMedia({ media: "print" });
        assert.equal(await page.locator(".site-header").isVisible(), false, `${file}: header printed`);
        if (plots.length) assert.ok(await page.locator(".rnn-plot .main-svg").first().isVisible(), `${file}: plot not printed`);
        // phone, loaded fresh at 390 px: nothing wider than the screen (code and tables scroll inside their boxes)
        const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
        const pp = await phone.newPage();
        const pv = await open(pp, pageFile);
        await plotsOf(pp);
        const width = await pp.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 390, `${file}: page is ${width}px wide on a 390px phone`);
        assert.deepEqual(await layoutProblems(pp), [], `${file} at 390 px`);
        assert.deepEqual([...pv.consoleErrors, ...pv.blocked, ...pv.dialogs], [], `${file} on a phone: errors`);
        await pp.screenshot({ path: path.join(SHOTS, `${base}-phone.png`), fullPage: true });
        await phone.close();
        await ctx.close();
      }
    });

    if (extra) extra(outDir, () => report);
  });
}

// The course itself, from the executed notebooks.
siteSuite("course", async () => {
  await ensureExecuted();
  return EXECUTED;
}, () => {
  test("every plot in the executed lessons is one display_data whose three representations describe the same valid figure", () => {
    let plots = 0;
    for (const f of fs.readdirSync(EXECUTED).filter((x) => x.endsWith(".ipynb"))) {
      const nb = readNotebook(path.join(EXECUTED, f));
      nb.cells.forEach((cell, i) => {
        if (cell.cell_type !== "code") return;
        for (const out of cell.outputs) {
          const where = `${f}, cell ${i + 1}`;
          if (!("data" in out) || !out.data) continue;
          const html = joinText(out.data["text/html"] as string | string[] | undefined);
          const isPlot = out.data[PLOTLY_MIME] !== undefined || html.includes("rnn-plot-figure");
          if (!isPlot) continue;
          plots++;
          assert.equal(out.output_type, "display_data", where);
          assert.deepEqual(Object.keys(out.data).sort(), [PLOTLY_MIME, "text/html", "text/plain"], where);
          const fig = validateFigure(out.data[PLOTLY_MIME]);
          assert.deepEqual(figureOfOutput({ data: { "text/html": html } }), fig, `${where}: the HTML carries the same figure`);
          assert.equal(joinText(out.data["text/plain"] as string | string[]), plotDescription(fig), `${where}: the text describes it`);
          assert.match(html, /If this text stays, scripts did not run here: open the notebook with `npm run lab`/, `${where}: plain-words fallback`);
        }
      });
    }
    assert.ok(plots > 0, "no plots in the course");
  });

  test("the executed notebooks export with stock jupyter nbconvert --to html", () => {
    const out = path.join(ROOT, "build", "nbconvert-test");
    fs.rmSync(out, { recursive: true, force: true });
    const nbs = fs.readdirSync(EXECUTED).filter((f) => f.endsWith(".ipynb")).map((f) => path.join(EXECUTED, f));
    assert.ok(nbs.length > 0);
    // the project's pinned Jupyter (.venv, or RNN_VENV), as npm start uses it; PATH's only without one
    execFileSync(venvExecutable("jupyter") ?? "jupyter", ["nbconvert", "--to", "html", "--output-dir", out, ...nbs], { stdio: "pipe" });
    for (const f of nbs) assert.ok(fs.existsSync(path.join(out, path.basename(f).replace(/\.ipynb$/, ".html"))), `no HTML for ${f}`);
  });
});

// The fixture: every kind of output, checked for exact features.
siteSuite("fixture", () => FIXTURE, (outDir, built) => {
  test("fixture pages keep every output and the lesson structure", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await open(page, path.join(outDir, "01-fixture.html"));
    await plotsOf(page);
    assert.equal(await page.locator(".rnn-plot .main-svg").first().isVisible(), true);
    assert.equal(await page.locator("pre.stdout").first().textContent(), "H = 32\n");
    assert.equal(await page.locator("pre.stderr").first().textContent(), "warning: <careful> & done\n"); // ANSI gone, text escaped
    assert.equal(await page.locator(".output.image img").count(), 2); // a PNG and an SVG
    assert.equal(await page.locator(".output.html table b").textContent(), "bold");
    assert.equal(await page.locator("pre.source .hljs-keyword").first().textContent(), "import");
    // the old-style solution cell is collapsed, and opens
    const sol = page.locator("details.solution#cell-12");
    assert.equal(await sol.locator("pre.stdout").isVisible(), false);
    await sol.locator("summary").click();
    assert.equal(await sol.locator("pre.stdout").textContent(), "✔ Exercise 1.1: correct\n");
    // contract 3: the solutions notebook's cell, right after the exercise-1.2 stub, folded
    assert.deepEqual(built().solutions["01-fixture.html"], ["1.2"]);
    const stub = page.locator("#cell-14");
    assert.match((await stub.locator("pre.stdout").textContent()) || "", /^✘ Exercise 1\.2: not yet/);
    const after = page.locator("#cell-14 + details.solution#solution-1\\.2");
    assert.equal(await after.count(), 1, "the solution follows its exercise");
    assert.equal(await after.locator("summary").textContent(), "Show solution to exercise 1.2");
    assert.equal(await after.locator("pre.stdout").isVisible(), false);
    await after.locator("summary").click();
    assert.equal(await after.locator("pre.source").textContent(), "const product = 3 * 3;\ncheckProduct(product);");
    assert.equal(await after.locator("pre.stdout").textContent(), "✔ Exercise 1.2: correct — 3 × 3 = 9\n");
    assert.equal(await page.locator("text=not a solution of any exercise").count(), 0, "a solution without its exercise is not shown");
    assert.ok(!fs.existsSync(path.join(outDir, "solutions")) && !fs.readdirSync(outDir).some((f) => /solution/i.test(f)), "no page for solutions");
    // contract 8: the SVG figure, sanitised (its <script> gone), with its <title> as alt text
    const svgImg = page.locator('.output.image img[src^="data:image/svg+xml"]');
    assert.equal(await svgImg.getAttribute("alt"), "The unrolled graph: h0 to h1 to h2");
    const svgText = Buffer.from(((await svgImg.getAttribute("src")) || "").split(",")[1], "base64").toString("utf8");
    assert.ok(svgText.includes("<marker") && svgText.includes('marker-end="url(#arrow)"') && !svgText.includes("script"), svgText);
    assert.ok(await svgImg.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth === 200), "the SVG draws");
    // the plot read from its MIME bundle: a log axis labelled 1e−N, not "1µ"
    const ticks = await page.$$eval("#plot-1 .ytick text", (ts) => ts.map((t) => t.textContent || ""));
    assert.ok(ticks.length > 0 && ticks.every((t) => !/[µmkMG]$/.test(t)), `log-axis ticks: ${ticks}`);
    // the output text wraps instead of running off (a long exercise hint)
    assert.equal(await stub.locator("pre.stdout").evaluate((e) => getComputedStyle(e).whiteSpace), "pre-wrap");
    // toc, pager, how to run, downloads
    assert.deepEqual(await page.$$eval(".toc a", (as) => as.map((a) => a.getAttribute("href"))), ["#the-recurrence", "#a-plot", "#exercises"]);
    assert.equal(await page.locator("a[rel=next]").getAttribute("href"), "02-second.html");
    assert.equal(await page.locator("a[rel=prev]").count(), 0);
    assert.equal(await page.locator(".lesson-meta a[download]").getAttribute("href"), "rnn-from-scratch.zip");
    const howto = (await page.locator("details.run-howto").textContent()) || "";
    for (const words of ["npm install && npm start", "npm test", "npm run lab", "01-fixture.ipynb", "clone"]) assert.ok(howto.includes(words), `run instructions lack "${words}"`);
    assert.equal(await page.locator('details.run-howto a[href="notebooks/01-fixture.ipynb"]').count(), 1);
    assert.equal(await page.locator('a:text("lesson 2")').getAttribute("href"), "02-second.html#the-end");
    assert.ok((await proseText(page)).includes("A literal dollar: $5."));
    // the index card: title, goals, reading time
    await page.goto(pathToFileURL(path.join(outDir, "index.html")).href);
    const card = page.locator(".card").first();
    assert.equal(await card.locator("h2 a").textContent(), "A fixture lesson");
    assert.equal(await card.locator(".goals li").count(), 2);
    assert.match((await card.locator(".card-meta").textContent()) || "", /^\d+ min read · Builds on: nothing — this is the first\.$/);
    // contract 7: 00-start-here is JupyterLab's start page, not a lesson: no card, no page
    assert.equal(await page.locator(".card").count(), 3);
    assert.ok(!fs.existsSync(path.join(outDir, "00-start-here.html")));
    const indexHowto = page.locator("details.run-howto[open]");
    for (const words of ["npm install && npm start", "npm test", "npm run lab", "clone"]) assert.ok(((await indexHowto.textContent()) || "").includes(words), words);
    await ctx.close();
  });

  test("a KaTeX parse error fails the build, naming notebook and cell", async () => {
    const dir = path.join(ROOT, "build", "site-test-bad");
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const nb = JSON.parse(fs.readFileSync(path.join(FIXTURE, "02-second.ipynb"), "utf8"));
    nb.cells[1].source = "## Oops\n\nThis is $\\frac{1}{$ broken.";
    fs.writeFileSync(path.join(dir, "01-bad.ipynb"), JSON.stringify(nb));
    await assert.rejects(buildSite({ inDir: dir, outDir: path.join(dir, "out"), quiet: true }), /01-bad\.ipynb, cell 2 \(markdown\): KaTeX cannot parse "\\\\frac\{1\}\{"/);
    assert.equal(fs.existsSync(path.join(dir, "out")), false, "no half-written site");
    nb.cells[0].source = "# Missing number\n\ntext";
    fs.writeFileSync(path.join(dir, "01-bad.ipynb"), JSON.stringify(nb));
    await assert.rejects(buildSite({ inDir: dir, outDir: path.join(dir, "out"), quiet: true }), /01-bad\.ipynb, cell 1: must start with a heading "# N\. Title"/);
  });
  test("a notebook full of XSS payloads runs no script, opens no dialog, loads nothing from outside", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    const v = await open(page, path.join(outDir, "03-hostile.html"));
    await plotsOf(page);
    // click every link and button, open every <details>: still nothing runs
    for (const a of await page.locator("article a, article button, article summary").all()) await a.click({ timeout: 500, noWaitAfter: true }).catch(() => undefined);
    await page.waitForTimeout(300);
    assert.equal(page.url(), pathToFileURL(path.join(outDir, "03-hostile.html")).href, "no navigation");
    assert.equal(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), undefined, "a payload ran");
    assert.deepEqual(v.dialogs, []);
    assert.deepEqual(v.blocked, []);
    assert.deepEqual(v.consoleErrors, []);
    const dom = await page.evaluate(() => {
      const all = Array.from(document.querySelectorAll("*"));
      return {
        handlers: all.filter((e) => Array.from(e.attributes).some((a) => /^on/i.test(a.name))).map((e) => e.outerHTML.slice(0, 80)),
        jsUrls: all.filter((e) => Array.from(e.attributes).some((a) => /^\s*javascript:/i.test(a.value))).map((e) => e.outerHTML.slice(0, 80)),
        scripts: Array.from(document.scripts).filter((s) => !s.src && s.type !== "application/json").length,
        embeds: document.querySelectorAll("iframe, object, embed, form, base, meta[http-equiv=refresh], style:not(head style)").length,
        fakePlots: document.querySelectorAll("article .rnn-plot:not([id^=plot-])").length,
      };
    });
    assert.deepEqual(dom, { handlers: [], jsUrls: [], scripts: 0, embeds: 0, fakePlots: 0 });
    // the text survives, escaped; the real plot still draws, its hostile trace name shown as text
    assert.match((await page.locator("pre.stdout").first().textContent()) || "", /^<script>window\.__xss/);
    assert.equal(await page.locator(".rnn-plot .main-svg").count() > 0, true);
    assert.match((await page.locator("h1").textContent()) || "", /^3\. Hostile\s+title\s*$/);
    await ctx.close();
  });

  test("each lesson links the lib/ files that name it; the library pages render offline", async () => {
    assert.deepEqual(provenanceOf("// bptt.ts: backward.\n// Built in lesson 04 (04-bptt).\nexport const x = 1;\n").lessons, [4]);
    assert.deepEqual(provenanceOf("// Built in lessons 02 and 05.\n").lessons, [2, 5]);
    assert.deepEqual(provenanceOf("/* not a line comment */\n// Built in lesson 3\n").lessons, [], "only the header counts");
    assert.deepEqual(provenanceOf("// x\nimport y;\n// Built in lesson 3\n").lessons, [], "after the first code line: not the header");
    assert.deepEqual(provenanceOf("// Not built in a lesson: the chart helper (lessons 01 and 05 call it).\n"), { lessons: [], line: "// Not built in a lesson: the chart helper (lessons 01 and 05 call it)." });
    // a project whose lib/ names lesson 1 twice and lesson 2 once
    const root = path.join(ROOT, "build", "site-test-provenance");
    fs.rmSync(root, { recursive: true, force: true });
    fs.mkdirSync(path.join(root, "lib"), { recursive: true });
    fs.writeFileSync(path.join(root, "lib", "a.ts"), "// a.ts\n// Built in lesson 01 (01-fixture).\nexport const a = 1;\n");
    fs.writeFileSync(path.join(root, "lib", "b.ts"), "// Built in lessons 1 and 2.\nexport const b = 2;\n");
    fs.writeFileSync(path.join(root, "lib", "c.ts"), "// Not built in a lesson: plumbing.\nexport const c = 3;\n");
    const out = path.join(root, "site");
    await buildSite({ inDir: FIXTURE, outDir: out, quiet: true, root });
    const html = fs.readFileSync(path.join(out, "01-fixture.html"), "utf8");
    assert.match(html, /Library code built in this lesson: <a href="lib\/a\.html"><code>lib\/a\.ts<\/code><\/a>, <a href="lib\/b\.html"><code>lib\/b\.ts<\/code><\/a><\/p>/);
    assert.match(fs.readFileSync(path.join(out, "02-second.html"), "utf8"), /Library code built in this lesson: <a href="lib\/b\.html">/);
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const v = await open(page, path.join(out, "lib", "b.html"));
    assert.deepEqual(await page.$$eval(".lesson-lib a", (as) => as.map((a) => a.getAttribute("href"))), ["../01-fixture.html", "../02-second.html"]);
    assert.equal(await page.locator("pre.source .hljs-keyword").first().textContent(), "export");
    assert.deepEqual(await checkLinks(page, path.join(out, "lib", "b.html")), []);
    assert.deepEqual([...v.consoleErrors, ...v.blocked], []);
    await ctx.close();
    assert.match(fs.readFileSync(path.join(out, "lib", "c.html"), "utf8"), /Not built in a lesson: plumbing\./);
  });

  test("the course download is a deterministic zip of what runs the course", async () => {
    const zipFile = path.join(outDir, "rnn-from-scratch.zip");
    const again = path.join(ROOT, "build", "site-test-fixture-again");
    await buildSite({ inDir: FIXTURE, outDir: again, quiet: true });
    assert.ok(fs.readFileSync(zipFile).equals(fs.readFileSync(path.join(again, "rnn-from-scratch.zip"))), "two builds, same bytes");
    const list = execFileSync("python3", ["-c", "import zipfile,sys,json; z=zipfile.ZipFile(sys.argv[1]); print(json.dumps([[i.filename, i.external_attr >> 16] for i in z.infolist()])); z.testzip()", zipFile]).toString();
    const entries = new Map<string, number>(JSON.parse(list));
    for (const f of ["package.json", "package-lock.json", "tsconfig.json", "README.md", "lib/plot.ts", "notebooks/01-data.ipynb", "scripts/start.ts", "scripts/site/build.ts"]) {
      assert.ok(entries.has(`rnn-from-scratch/${f}`), `zip lacks ${f}`);
    }
    assert.equal((entries.get("rnn-from-scratch/notebooks/lib") ?? 0) & 0o170000, 0o120000, "notebooks/lib stays a link to ../lib");
    assert.ok(![...entries.keys()].some((f) => /^rnn-from-scratch\/(node_modules|build|site|\.git|\.venv)\//.test(f)), "nothing built or installed");
    fs.rmSync(again, { recursive: true, force: true });
  });
});

// Issue 14 item 1: the builder only ever replaces a folder it made.
describe("site: --out only replaces what the builder made", () => {
  const base = path.join(ROOT, "build", "site-test-out");
  const tree = (dir: string) => fs.readdirSync(dir).sort();
  before(() => {
    fs.rmSync(base, { recursive: true, force: true });
    fs.mkdirSync(base, { recursive: true });
  });

  test("a folder that is not empty and not a built site is refused, and left as it was", async () => {
    const dir = path.join(base, "mine");
    fs.mkdirSync(path.join(dir, ".git"), { recursive: true });
    fs.writeFileSync(path.join(dir, "notes.txt"), "keep me");
    await assert.rejects(buildSite({ inDir: FIXTURE, outDir: dir, quiet: true }),
      /site: refusing to write the site to .*mine: the folder is not empty and was not made by the site builder \(it has no \.rnn-site file\)\. Nothing was changed; pass --out with a new or empty folder\./);
    assert.deepEqual(tree(dir), [".git", "notes.txt"]);
    assert.equal(fs.readFileSync(path.join(dir, "notes.txt"), "utf8"), "keep me");
    // a forged marker with other content is not the builder's either
    fs.writeFileSync(path.join(dir, SITE_MARKER), "x");
    await assert.rejects(buildSite({ inDir: FIXTURE, outDir: dir, quiet: true }), /was not made by the site builder/);
    assert.deepEqual(fs.readdirSync(base).filter((f) => f.startsWith(".")), [], "no temporary folder left behind");
  });

  test("the input folder, a folder holding it, the project and its parents are refused", async () => {
    const input = path.join(base, "in");
    fs.cpSync(FIXTURE, input, { recursive: true });
    for (const out of [input, base, ROOT, path.dirname(ROOT), "/"]) {
      await assert.rejects(buildSite({ inDir: input, outDir: out, quiet: true }), /site: refusing to write the site to .*: it (is|holds) the (input|project) folder/, out);
    }
    assert.deepEqual(tree(input), tree(FIXTURE), "the input is untouched");
    assert.doesNotThrow(() => checkOutDir(path.join(base, "fine"), input), "a new folder beside the input is fine");
  });

  test("a file, or a symbolic link, is refused", async () => {
    const file = path.join(base, "file.html");
    fs.writeFileSync(file, "x");
    await assert.rejects(buildSite({ inDir: FIXTURE, outDir: file, quiet: true }), /it is a file, not a folder/);
    const link = path.join(base, "link");
    fs.symlinkSync(path.join(base, "in"), link);
    await assert.rejects(buildSite({ inDir: FIXTURE, outDir: link, quiet: true }), /it is a symbolic link/);
    assert.equal(fs.readFileSync(file, "utf8"), "x");
  });

  test("a new folder, an empty one and a site built before are (re)placed; a failed build keeps the old site", async () => {
    const fresh = path.join(base, "new", "site");
    await buildSite({ inDir: FIXTURE, outDir: fresh, quiet: true });
    assert.ok(fs.existsSync(path.join(fresh, SITE_MARKER)) && fs.existsSync(path.join(fresh, "index.html")));
    assert.equal(fs.statSync(fresh).mode & 0o777, 0o755, "readable by a web server");
    const empty = path.join(base, "empty");
    fs.mkdirSync(empty);
    await buildSite({ inDir: FIXTURE, outDir: empty, quiet: true });
    assert.ok(fs.existsSync(path.join(empty, "01-fixture.html")));
    // rebuild over the old site: stale files go, the marker stays
    fs.writeFileSync(path.join(fresh, "stale.html"), "old");
    await buildSite({ inDir: FIXTURE, outDir: fresh, quiet: true });
    assert.ok(!fs.existsSync(path.join(fresh, "stale.html")) && fs.existsSync(path.join(fresh, SITE_MARKER)));
    // a site built before the marker existed (only the names the builder writes) is replaced too
    const legacy = path.join(base, "legacy");
    fs.mkdirSync(path.join(legacy, "assets"), { recursive: true });
    fs.mkdirSync(path.join(legacy, "notebooks"));
    for (const f of ["index.html", "01-data.html", "assets/site.js", "notebooks/01-data.ipynb"]) fs.writeFileSync(path.join(legacy, f), "old");
    await buildSite({ inDir: FIXTURE, outDir: legacy, quiet: true });
    assert.ok(fs.existsSync(path.join(legacy, SITE_MARKER)) && !fs.existsSync(path.join(legacy, "01-data.html")));
    fs.mkdirSync(path.join(base, "legacy-plus", "assets"), { recursive: true });
    for (const f of ["index.html", "assets/site.js", "thesis.tex"]) fs.writeFileSync(path.join(base, "legacy-plus", f), "mine");
    await assert.rejects(buildSite({ inDir: FIXTURE, outDir: path.join(base, "legacy-plus"), quiet: true }), /was not made by the site builder/);
    // a build that fails (a KaTeX error) leaves the old site as it was
    const bad = path.join(base, "bad-in");
    fs.cpSync(FIXTURE, bad, { recursive: true });
    const nb = JSON.parse(fs.readFileSync(path.join(bad, "02-second.ipynb"), "utf8"));
    nb.cells[1].source = "## Oops\n\n$\\frac{1}{$";
    fs.writeFileSync(path.join(bad, "02-second.ipynb"), JSON.stringify(nb));
    const before = tree(fresh);
    await assert.rejects(buildSite({ inDir: bad, outDir: fresh, quiet: true }), /KaTeX cannot parse/);
    assert.deepEqual(tree(fresh), before);
    assert.deepEqual(fs.readdirSync(path.join(base, "new")), ["site"], "no temporary folder left behind");
  });

  test("npm run site -- --out . in the project is refused by the command, with the message and exit code 1", () => {
    let err: { status?: number; stderr?: Buffer } = {};
    try {
      execFileSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "site", "build.ts"), "--in", FIXTURE, "--out", "."], { cwd: ROOT, stdio: "pipe" });
    } catch (e) {
      err = e as typeof err;
    }
    assert.equal(err.status, 1);
    assert.match(String(err.stderr), /^site: refusing to write the site to .*: it (is the project|holds the input) folder/);
    assert.ok(fs.existsSync(path.join(ROOT, "package.json")));
  });
});

// Issue 9: `npm run export -- <lesson>` writes one self-contained file that draws its plots offline.
describe("export: one lesson as one offline HTML file", () => {
  test("no network request, no console error, plots and math drawn, from file:// with the network blocked", async () => {
    const dir = path.join(ROOT, "build", "export-test");
    fs.rmSync(dir, { recursive: true, force: true });
    const outFile = path.join(dir, "elsewhere", "lesson.html");
    const r = await exportLesson({ lesson: "01-fixture", inDir: FIXTURE, outFile });
    assert.equal(r.file, outFile);
    assert.equal(r.plots, 2);
    assert.deepEqual(fs.readdirSync(path.dirname(outFile)), ["lesson.html"], "one file");
    const html = fs.readFileSync(outFile, "utf8");
    const markup = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, "");
    assert.deepEqual(markup.match(/\b(src|href)="(?!#|data:|https?:|mailto:)[^"]*"/g), null, "no link to another file");
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    const requests: string[] = [];
    page.on("request", (q) => { if (q.url() !== pathToFileURL(outFile).href && !q.url().startsWith("data:")) requests.push(q.url()); });
    const v = await open(page, outFile);
    const plots = await plotsOf(page);
    assert.equal(plots.length, 2);
    for (const p of plots) assert.ok(p.svg >= 1 && p.marks > 0 && !p.error, JSON.stringify(p));
    assert.ok((await page.locator(".katex").count()) > 0);
    assert.equal(await page.evaluate(() => document.fonts.check("16px KaTeX_Main")), true, "KaTeX fonts inlined");
    assert.deepEqual(requests, [], "requests");
    assert.deepEqual([...v.consoleErrors, ...v.blocked, ...v.dialogs], []);
    // solutions stay folded; only hashed inline scripts run (the CSP names each one)
    assert.equal(await page.locator("details.solution").count(), 2);
    const csp = (await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content")) || "";
    assert.match(csp, /script-src 'sha256-[^']+' 'sha256-[^']+';/);
    await page.screenshot({ path: path.join(SHOTS, "export-01-fixture.png"), fullPage: false });
    await ctx.close();
    await assert.rejects(exportLesson({ lesson: "07-nope", inDir: FIXTURE, outFile }), /export: no executed lesson "07-nope" in .* \(have: 01-fixture, 02-second, 03-hostile\); run `npm run execute -- 07-nope` first/);
  });
});
