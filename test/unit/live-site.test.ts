// The site side of the live experiments, without a browser: where the section goes, the experiment
// files found, lesson 05's data and sequence parsing, the SVG charts' ticks and markup.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { insertLiveSection, liveSectionHtml } from "../../scripts/site/live";
import { lessonPage } from "../../scripts/site/page";
import { liveAddedBytes } from "../../scripts/site/build";
import { experimentFiles, findExperiments } from "../../scripts/site/interactive/bundle";
import { lineChartSvg, heatmapSvg, niceTicks, tickLabel } from "../../scripts/site/interactive/svg-plot";
import lesson05, { parseSequence, TRAIN_DATA, TEST_DATA } from "../../scripts/site/interactive/experiments/05-training";
import { makeSignOfSumData } from "../../lib/data";
import { loadDataset } from "../../lib/io";

const ROOT = path.resolve(__dirname, "..", "..");
const info = { lesson: "05-training", title: "a <b>title</b>", file: "x.ts" };

test("the live section goes just before the Exercises heading, with its TOC entry before Exercises'", () => {
  const body = '<section class="cell md"><h2 id="intro">Intro</h2></section>\n<section class="cell md"><h2 id="exercises">Exercises</h2></section>';
  const toc = [{ level: 2, id: "intro", html: "Intro" }, { level: 2, id: "exercises", html: "Exercises" }];
  const r = insertLiveSection(body, toc, info);
  assert.ok(r.bodyHtml.indexOf('<section class="live"') < r.bodyHtml.indexOf('<h2 id="exercises"'));
  assert.ok(r.bodyHtml.indexOf('<section class="live"') > r.bodyHtml.indexOf('<h2 id="intro"'));
  assert.deepEqual(r.toc.map((t) => t.id), ["intro", "live", "exercises"]);
  assert.match(r.bodyHtml, /<h2 id="live-title">Try it live: a &lt;b&gt;title&lt;\/b&gt;<\/h2>/, "the title is escaped");
  assert.match(r.bodyHtml, /needs JavaScript/);
});

test("without an Exercises heading the section goes at the end; an id clash is refused", () => {
  const r = insertLiveSection("<p>text</p>", [{ level: 2, id: "a", html: "A" }], info);
  assert.ok(r.bodyHtml.endsWith("</section>"));
  assert.deepEqual(r.toc.map((t) => t.id), ["a", "live"]);
  assert.throws(() => insertLiveSection('<h2 id="live">Live</h2>', [], info), /already has an element with id "live"/);
  assert.match(liveSectionHtml(info, true), /npm run site/);
});

test("the build's liveBytes, measured on the inserted section, TOC line and script tags, is what the live experiment adds to the page", () => {
  const lessonInfo = { number: 7, title: "Long ρ sequences", summaryHtml: "Summary", goalsHtml: [], buildsOnHtml: "", readingMinutes: 9 };
  const lesson = { info: lessonInfo, page: "07-x.html", notebook: "notebooks/07-x.ipynb", libFiles: [] };
  const exp = { lesson: "07-x", title: "ρ and ‖dh‖ — live", file: "07-x.ts" };
  const withEx = '<section class="cell md"><h2 id="intro">Intro</h2></section>\n<section class="cell md"><h2 id="exercises">Exercises</h2></section>';
  const cases = [
    { body: withEx, toc: [{ level: 2, id: "intro", html: "Intro" }, { level: 2, id: "exercises", html: "Exercises" }], plotCount: 2 },
    { body: "<p>no exercises</p>", toc: [{ level: 2, id: "a", html: "A" }], plotCount: 0 },
  ];
  for (const c of cases) {
    const args = { course: "Course", lesson, index: 0, lessons: [lesson], bodyHtml: c.body, toc: c.toc, plotCount: c.plotCount };
    const live = insertLiveSection(c.body, c.toc, exp);
    const added = Buffer.byteLength(lessonPage({ ...args, ...live, live: true })) - Buffer.byteLength(lessonPage(args));
    assert.ok(added > 0);
    assert.equal(liveAddedBytes(c.body, live.bodyHtml, live.toc), added, `plots ${c.plotCount}, body ${c.body.slice(0, 20)}`);
  }
});

test("experiments are the experiments/*.ts files except _*.ts, each checked on import", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "live-exp-"));
  try {
    for (const f of ["02-a.ts", "_helper.ts", "01-b.ts", "notes.md"]) fs.writeFileSync(path.join(dir, f), "");
    assert.deepEqual(experimentFiles(dir).map((f) => path.basename(f)), ["01-b.ts", "02-a.ts"]);
    fs.writeFileSync(path.join(dir, "03-c.ts"), 'export default { lesson: "03-other", title: "t", compute() {}, mount() {} };');
    for (const f of ["01-b.ts", "02-a.ts"]) fs.rmSync(path.join(dir, f));
    assert.throws(() => findExperiments(dir), /lesson is "03-other", expected "03-c" \(the file's name\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true }); // made by mkdtemp above
  }
  const found = findExperiments().map((e) => e.lesson);
  assert.ok(found.includes("05-training"), `found: ${found}`);
});

test("lesson 05's experiment trains on exactly the lesson's data files (same seeds, same bits)", () => {
  for (const [spec, file] of [[TRAIN_DATA, "train.json"], [TEST_DATA, "test.json"]] as const) {
    const made = makeSignOfSumData(spec);
    const saved = loadDataset(path.join(ROOT, "data", "sign-of-sum", file));
    const { n, T, I, xs, ys } = saved;
    assert.deepStrictEqual(made, { n, T, I, xs, ys }, file);
  }
  assert.deepEqual(lesson05.defaults, { H: 32, lr: 0.01, epochs: 10, batchSize: 1, seed: "lesson-05" });
});

test("lesson 05 parses a typed sequence, naming a bad item", () => {
  assert.deepEqual(Array.from(parseSequence(" 0.5, -1.2 ,3e-1  4")), [0.5, -1.2, 0.3, 4]);
  assert.throws(() => parseSequence("1, x, 3"), /item 2, "x", is not a number/);
  assert.throws(() => parseSequence(" , "), /type at least one number/);
});

test("SVG charts: round ticks, short labels, escaped text, log axes, empty states", () => {
  assert.deepEqual(niceTicks(0, 10, 5), [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(niceTicks(0.1, 0.35, 5), [0.1, 0.15, 0.2, 0.25, 0.3, 0.35]);
  assert.equal(tickLabel(0.30000000000000004), "0.3");
  assert.equal(tickLabel(1e-7), "1e-7");
  const svg = lineChartSvg({ width: 400, height: 300, title: "<loss>", xTitle: "x", yTitle: "y", logY: true, series: [{ name: "a&b", mode: "lines+markers", xs: [1, 2, 3], ys: [1, 0.01, -1] }, { name: "c", mode: "lines", xs: [], ys: [] }] });
  assert.match(svg, /&lt;loss&gt;/);
  assert.match(svg, /a&amp;b/);
  assert.equal((svg.match(/<circle/g) || []).length, 2, "y <= 0 is left out on a log axis");
  const yTicks = [...svg.matchAll(/text-anchor="end" font-size="11">([^<]+)</g)].map((m) => m[1]);
  assert.deepEqual(yTicks, ["0.01", "0.1", "1"], "log ticks at powers of ten");
  assert.match(lineChartSvg({ width: 400, height: 300, title: "t", xTitle: "x", yTitle: "y", series: [{ name: "a", mode: "lines", xs: [], ys: [] }] }), /no data yet/);
  // legend: one row where it fits; on a phone-wide chart it wraps, and every entry stays inside the chart
  const names = ["stable loss (bceWithLogits)", "naive loss (no dot: it broke)", "dL/dz = σ(z) − y", "this z"];
  const series = names.map((name) => ({ name, mode: "lines" as const, xs: [0, 1], ys: [0, 1] }));
  const legendXs = (svgText: string) => [...svgText.matchAll(/<line x1="([\d.]+)" x2="[\d.]+" y1="([\d.]+)" y2="[\d.]+" stroke="#[0-9a-f]+" stroke-width="3"/g)].map((m) => [Number(m[1]), Number(m[2])]);
  const wide = legendXs(lineChartSvg({ width: 1200, height: 300, title: "t", xTitle: "x", yTitle: "y", series }));
  assert.equal(new Set(wide.map(([, y]) => y)).size, 1, "one legend row on a wide chart");
  const narrow = legendXs(lineChartSvg({ width: 330, height: 300, title: "t", xTitle: "x", yTitle: "y", series }));
  assert.equal(narrow.length, 4);
  assert.ok(new Set(narrow.map(([, y]) => y)).size > 1, "the legend wraps on a narrow chart");
  narrow.forEach(([x], k) => assert.ok(x + 30 + 6.5 * names[k].length <= 330 - 12 || x === 58, `legend entry ${k} fits`));
  const hm = heatmapSvg({ width: 400, height: 300, title: "h", xTitle: "t", yTitle: "unit", z: [[1, -1], [0, 0.5]] });
  assert.equal((hm.match(/<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="[\d.]+" fill="rgb/g) || []).length, 4 + 20, "4 cells and the 20-step colour key");
});
