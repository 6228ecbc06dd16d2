// The lesson site, checked in a real browser (Debian chromium via playwright-core).
//
// Two sites are built: the course's (from the executed notebooks, build/executed/, made by
// ensureExecuted() when missing or stale) and a small fixture's (test/fixtures/site/, which holds
// every kind of output a lesson can have: streams with ANSI codes, stderr, images, HTML, plots,
// math in every form, a solution cell). Every page is opened from file:// with every non-file
// request blocked, and must: log no console error, make no blocked request, draw every plot (an SVG
// with its traces), render every formula (no raw TeX left in the visible text), have only internal
// links that resolve (file and #anchor), fit a phone's width. Screenshots at 1280 and 390 px go to
// artifacts/screenshots/. The executed notebooks must also export with stock `jupyter nbconvert`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { execFileSync } from "child_process";
import { pathToFileURL, fileURLToPath } from "url";
import { chromium, type Browser, type Page } from "playwright-core";
import { buildSite, type BuildReport } from "../scripts/site/build";
import { ensureExecuted, EXECUTED_DIR } from "./support/executed";

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
  firstPlotMs: number | null;
}

/** Opens a page from file:// with every other request blocked; records errors and blocked URLs. */
async function open(page: Page, file: string): Promise<PageVisit> {
  const v: PageVisit = { consoleErrors: [], blocked: [], firstPlotMs: null };
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
function siteSuite(name: string, inDir: () => string | Promise<string>, extra?: (outDir: string, browser: () => Browser) => void) {
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
      const pages = fs.readdirSync(outDir).filter((f) => f.endsWith(".html")).sort();
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
        const stat = report.pages.find((s) => s.page === file)!;
        const katexCount = await page.locator(".katex").count();
        if (stat.math > 0) assert.ok(katexCount > 0, `${file}: ${stat.math} formulas but no .katex`);
        assert.equal(await page.locator(".math-error").count(), 0, `${file}: math errors shown`);
        const prose = await proseText(page);
        const raw = prose.match(/\$\$?[^$\s][^$]*?\$\$?|\\(frac|begin|sum|partial|tanh|mathbf|left|right)\b/);
        assert.equal(raw, null, `${file}: raw TeX left in the visible text: ${raw && raw[0]}`);
        // links
        assert.deepEqual(await checkLinks(page, pageFile), [], `${file}: broken links`);
        // solutions: present only behind a closed <details>
        const openSolutions = await page.locator("details.solution[open]").count();
        assert.equal(openSolutions, 0, `${file}: a solution is open by default`);
        // no errors, no network
        assert.deepEqual(v.consoleErrors, [], `${file}: console errors`);
        assert.deepEqual(v.blocked, [], `${file}: requests outside the site`);
        console.log(`#   ${file}: loaded and checked in ${Date.now() - t0} ms; ${plots.length} plots, ${katexCount} formulas` + `; text painted at ${firstText} ms` + (firstPlot !== null ? `, first plot drawn at ${firstPlot} ms after navigation start` : ""));
        const base = `${name}-${file.replace(/\.html$/, "")}`;
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
        assert.deepEqual([...pv.consoleErrors, ...pv.blocked], [], `${file} on a phone: errors`);
        await pp.screenshot({ path: path.join(SHOTS, `${base}-phone.png`), fullPage: true });
        await phone.close();
        await ctx.close();
      }
    });

    if (extra) extra(outDir, () => browser);
  });
}

// The course itself, from the executed notebooks.
siteSuite("course", async () => {
  await ensureExecuted();
  return EXECUTED;
}, () => {
  test("the executed notebooks export with stock jupyter nbconvert --to html", () => {
    const out = path.join(ROOT, "build", "nbconvert-test");
    fs.rmSync(out, { recursive: true, force: true });
    const nbs = fs.readdirSync(EXECUTED).filter((f) => f.endsWith(".ipynb")).map((f) => path.join(EXECUTED, f));
    assert.ok(nbs.length > 0);
    execFileSync("/usr/bin/jupyter", ["nbconvert", "--to", "html", "--output-dir", out, ...nbs], { stdio: "pipe" });
    for (const f of nbs) assert.ok(fs.existsSync(path.join(out, path.basename(f).replace(/\.ipynb$/, ".html"))), `no HTML for ${f}`);
  });
});

// The fixture: every kind of output, checked for exact features.
siteSuite("fixture", () => FIXTURE, (outDir) => {
  test("fixture pages keep every output and the lesson structure", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await open(page, path.join(outDir, "01-fixture.html"));
    await plotsOf(page);
    assert.equal(await page.locator(".rnn-plot .main-svg").first().isVisible(), true);
    assert.equal(await page.locator("pre.stdout").first().textContent(), "H = 32\n");
    assert.equal(await page.locator("pre.stderr").first().textContent(), "warning: <careful> & done\n"); // ANSI gone, text escaped
    assert.equal(await page.locator(".output.image img").count(), 1);
    assert.equal(await page.locator(".output.html table b").textContent(), "bold");
    assert.equal(await page.locator("pre.source .hljs-keyword").first().textContent(), "import");
    // the solution is collapsed, and opens
    const sol = page.locator("details.solution");
    assert.equal(await sol.count(), 1);
    assert.equal(await sol.locator("pre.stdout").isVisible(), false);
    await sol.locator("summary").click();
    assert.equal(await sol.locator("pre.stdout").textContent(), "✔ Exercise 1.1: correct\n");
    // toc, pager, download
    assert.deepEqual(await page.$$eval(".toc a", (as) => as.map((a) => a.getAttribute("href"))), ["#the-recurrence", "#a-plot", "#exercises"]);
    assert.equal(await page.locator("a[rel=next]").getAttribute("href"), "02-second.html");
    assert.equal(await page.locator("a[rel=prev]").count(), 0);
    assert.equal(await page.locator(".lesson-meta a[download]").getAttribute("href"), "notebooks/01-fixture.ipynb");
    assert.equal(await page.locator('a:text("lesson 2")').getAttribute("href"), "02-second.html#the-end");
    assert.ok((await proseText(page)).includes("A literal dollar: $5."));
    // the index card: title, goals, reading time
    await page.goto(pathToFileURL(path.join(outDir, "index.html")).href);
    const card = page.locator(".card").first();
    assert.equal(await card.locator("h2 a").textContent(), "A fixture lesson");
    assert.equal(await card.locator(".goals li").count(), 2);
    assert.match((await card.locator(".card-meta").textContent()) || "", /^\d+ min read · Builds on: nothing — this is the first\.$/);
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
});
