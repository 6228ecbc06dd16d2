// Unit tests for lib/plot.ts: the pure parts (validation, JSON, HTML). Drawing in a real browser is
// checked by test/site.test.ts (every plot of every lesson page must produce an SVG with its traces).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "path";
import {
  figureJson, figureOfOutput, findPlotlyPaths, hash32, plotBundle, plotDescription, plotHtml, validateFigure, MAX_FIGURE_CHARS, PLOTLY_MIME,
} from "../../lib/plot";

const paths = { fromNotebook: "../node_modules/plotly.js-dist/plotly.js", fromRoot: "node_modules/plotly.js-dist/plotly.js" };
const fig = {
  data: [{ type: "scatter", name: "loss", x: [1, 2, 3], y: new Float64Array([0.693147180559945, 0.5, 1 / 3]) }],
  layout: { title: { text: "Training loss" }, height: 300 },
};

// the one parser of the output format, reading the HTML representation alone
function figureOf(html: string): any {
  const f = figureOfOutput({ data: { "text/html": html } });
  assert.ok(f, "figure JSON script present");
  return f;
}

test("plotHtml is deterministic and carries the figure, a div and a loader", () => {
  const a = plotHtml(fig, { plotlyPaths: paths });
  const b = plotHtml(fig, { plotlyPaths: paths });
  assert.equal(a, b);
  assert.match(a, /^<div class="rnn-plot-output"><div class="rnn-plot" id="rnn-plot-[0-9a-f]{8}" style="width:100%;min-height:300px;">/);
  const f = figureOf(a);
  assert.deepEqual(f.data[0].x, [1, 2, 3]);
  assert.equal(f.layout.title.text, "Training loss");
  assert.equal(f.layout.height, 300); // the figure's value wins over the default
  assert.equal(f.config.displaylogo, false);
  assert.deepEqual([f.layout.xaxis, f.layout.yaxis], [{ automargin: true, exponentformat: "e" }, { automargin: true, exponentformat: "e" }]);
  // the loader is told where plotly.js is, and names the way out when it cannot load it
  assert.ok(a.includes(JSON.stringify(paths)));
  assert.ok(a.includes("npm run lab"));
  assert.ok(!a.includes("cdn"), "never a CDN");
  assert.ok(a.length < 6000, `small output, got ${a.length} chars`);
});

test("ids: explicit id used, different figures give different default ids", () => {
  assert.match(plotHtml(fig, { id: "p-7", plotlyPaths: paths }), /id="p-7"/);
  const other = plotHtml({ data: [{ y: [1, 2] }] }, { plotlyPaths: paths });
  assert.notEqual(other.match(/id="([^"]+)"/)![1], plotHtml(fig, { plotlyPaths: paths }).match(/id="([^"]+)"/)![1]);
  assert.throws(() => plotHtml(fig, { id: "1 bad\"", plotlyPaths: paths }), /plotHtml: id "1 bad"" must be/);
});

test("numbers: typed arrays become arrays, non-integers keep 6 significant digits, integers exact", () => {
  const f = JSON.parse(figureJson({ data: [{ y: new Float64Array([0.693147180559945, 1 / 3, 123456789, -2.5e-9]) }] }));
  assert.deepEqual(f.data[0].y, [0.693147, 0.333333, 123456789, -2.5e-9]);
});

test("axes get automargin and 1e−6 exponents unless the figure sets them; titles sit left of the modebar", () => {
  const f = JSON.parse(figureJson({
    data: [], layout: { title: { text: "T" }, yaxis2: { title: { text: "acc" }, overlaying: "y" }, xaxis: { automargin: false, exponentformat: "power" } },
  }));
  assert.deepEqual(f.layout.yaxis2, { title: { text: "acc" }, overlaying: "y", automargin: true, exponentformat: "e" });
  assert.deepEqual(f.layout.xaxis, { automargin: false, exponentformat: "power" });
  assert.deepEqual(f.layout.yaxis, { automargin: true, exponentformat: "e" });
  assert.deepEqual(f.layout.title, { text: "T", x: 0, xref: "paper", xanchor: "left", y: 1, yref: "paper", yanchor: "bottom", pad: { b: 10 }, automargin: true });
  assert.deepEqual(f.layout.margin, { t: 64, r: 20, b: 50, l: 60 }, "room above the title for the modebar");
  const own = JSON.parse(figureJson({ data: [], layout: { title: { text: "C", x: 0.5 }, margin: { t: 20 } } })).layout;
  assert.equal(own.title.x, 0.5);
  assert.deepEqual(own.margin, { t: 20 }, "the figure's own margin wins");
  assert.deepEqual(JSON.parse(figureJson({ data: [] })).layout.margin, { t: 40, r: 20, b: 50, l: 60 }, "no title, no room for one");
});

test("string titles (dropped by plotly.js 3+) become { text }", () => {
  const f = JSON.parse(figureJson({
    data: [{ type: "heatmap", z: [[1]], colorbar: { title: "w" } }, { marker: { colorbar: { title: "m" } } }],
    layout: { title: "Loss", xaxis: { title: "epoch" }, yaxis2: { title: { text: "kept" } }, legend: { title: "runs" } },
  }));
  assert.equal(f.layout.title.text, "Loss");
  assert.deepEqual(f.layout.xaxis, { title: { text: "epoch" }, automargin: true, exponentformat: "e" });
  assert.deepEqual(f.layout.yaxis2, { title: { text: "kept" }, automargin: true, exponentformat: "e" });
  assert.deepEqual(f.layout.legend, { title: { text: "runs" } });
  assert.deepEqual(f.data[0].colorbar, { title: { text: "w" } });
  assert.deepEqual(f.data[1].marker.colorbar, { title: { text: "m" } });
});

test("figure JSON cannot close its <script> element", () => {
  const html = plotHtml({ data: [{ y: [1], name: "</script><b>x</b>" }] }, { plotlyPaths: paths });
  assert.equal(html.split("</script>").length - 1, 2); // only the two real script ends
  assert.equal(figureOf(html).data[0].name, "</script><b>x</b>");
});

test("validation names what is wrong", () => {
  assert.throws(() => validateFigure(null), /plot: figure must be an object .* got null/);
  assert.throws(() => validateFigure([1]), /figure must be an object .* got an array/);
  assert.throws(() => validateFigure({ layout: {} }), /plot: figure.data must be an array of traces, got undefined/);
  assert.throws(() => validateFigure({ data: {} }), /figure.data must be an array of traces, got an object/);
  assert.throws(() => validateFigure({ data: [5] }), /figure.data\[0\] must be a trace object, got 5/);
  assert.throws(() => validateFigure({ data: [], frames: [] }), /unknown field "frames"/);
  assert.throws(() => validateFigure({ data: [{ y: [1] }, { name: "loss", y: [1, NaN] }] }), /plot: trace 1 \("loss"\)\.y\[1\] is NaN; plot data must be finite/);
  assert.throws(() => validateFigure({ data: [{ x: new Float64Array([0, Infinity]) }] }), /plot: trace 0\.x\[1\] is Infinity/);
  assert.throws(() => validateFigure({ data: [{ marker: { size: [1, -Infinity] } }] }), /trace 0\.marker\.size\[1\] is -Infinity/);
  assert.throws(() => validateFigure({ data: [{ y: [1, undefined] }] }), /trace 0\.y\[1\] is undefined; use null/);
  assert.throws(() => validateFigure({ data: [{ y: () => 1 }] }), /trace 0\.y is a function/);
  assert.throws(() => validateFigure({ data: [{ x: new Date(0) }] }), /trace 0\.x is a Date; a figure holds only/);
  assert.throws(() => validateFigure({ data: [], layout: 3 }), /figure.layout must be an object, got 3/);
  assert.throws(() => validateFigure({ data: [], layout: { height: NaN } }), /figure.layout.height is NaN/);
  // valid: gaps as null, strings, nested objects, undefined fields ignored
  assert.doesNotThrow(() => validateFigure({ data: [{ y: [1, null, 2], name: undefined, line: { dash: "dot" } }] }));
});

test("too large a figure is refused with advice", () => {
  const y = new Float64Array(200000).map((_, i) => i + 0.123456);
  assert.throws(() => figureJson({ data: [{ y }] }), new RegExp(`limit ${MAX_FIGURE_CHARS}\\); downsample`));
});

test("hash32 is FNV-1a", () => {
  assert.equal(hash32(""), "811c9dc5");
  assert.equal(hash32("a"), "e40c292c");
});

test("findPlotlyPaths: relative to the working directory and to the project root", () => {
  const root = path.resolve(__dirname, "../..");
  const p = findPlotlyPaths(path.join(root, "notebooks"));
  assert.deepEqual(p, { fromNotebook: "../node_modules/plotly.js-dist/plotly.js", fromRoot: "node_modules/plotly.js-dist/plotly.js" });
});

test("plotBundle: one MIME bundle whose three representations describe the same valid figure", () => {
  const b = plotBundle(fig, { plotlyPaths: paths });
  assert.deepEqual(Object.keys(b).sort(), [PLOTLY_MIME, "text/html", "text/plain"]);
  const plotly = b[PLOTLY_MIME];
  assert.doesNotThrow(() => validateFigure(plotly));
  assert.deepEqual(plotly, JSON.parse(figureJson(fig)), "the figure with the course's defaults");
  assert.deepEqual(figureOf(b["text/html"]), plotly, "the HTML loader carries the same figure");
  assert.equal(b["text/html"], plotHtml(fig, { plotlyPaths: paths }));
  assert.equal(b["text/plain"], 'Plot "Training loss", 1 trace: loss (3 points). Open the notebook in JupyterLab to see the chart.');
  assert.equal(b["text/plain"], plotDescription(plotly));
  assert.ok(!b["text/plain"].includes("\n"), "one line");
  // the HTML's plain-words fallback names the chart and says how to see it
  assert.match(b["text/html"], /Chart &quot;Training loss&quot;, drawn by plotly\.js .* `npm run lab`/);
  // the bundle survives a notebook's JSON round trip (sorted keys, split lines) and reads back the same
  const stored = JSON.parse(JSON.stringify({ data: { ...b, "text/html": b["text/html"].match(/[^\n]*\n?/g) } }));
  assert.deepEqual(figureOfOutput(stored), plotly);
});

test("figureOfOutput: the one reader of plot outputs", () => {
  const b = plotBundle(fig, { plotlyPaths: paths });
  assert.deepEqual(figureOfOutput({ output_type: "display_data", data: b, metadata: {} }), b[PLOTLY_MIME]);
  // a figure stored as a JSON string, as some tools write JSON MIME types
  assert.deepEqual(figureOfOutput({ data: { [PLOTLY_MIME]: JSON.stringify(b[PLOTLY_MIME]) } }), b[PLOTLY_MIME]);
  // the bundle is read first: a stale HTML copy does not win
  assert.deepEqual(figureOfOutput({ data: { ...b, "text/html": plotHtml({ data: [] }, { plotlyPaths: paths }) } }), b[PLOTLY_MIME]);
  // not plots
  for (const o of [null, 3, {}, { data: 3 }, { output_type: "stream", text: "x" }, { data: { "text/html": "<b>table</b>" } }, { data: { "text/plain": "1" } }]) {
    assert.equal(figureOfOutput(o), null, JSON.stringify(o));
  }
  // broken plots say what is wrong
  assert.throws(() => figureOfOutput({ data: { [PLOTLY_MIME]: { data: {} } } }), /plot output: application\/vnd\.plotly\.v1\+json: plot: figure\.data must be an array/);
  assert.throws(() => figureOfOutput({ data: { [PLOTLY_MIME]: "{oops" } }), /plot output: the figure in application\/vnd\.plotly\.v1\+json is not JSON/);
  assert.throws(() => figureOfOutput({ data: { "text/html": '<script type="application/json" class="rnn-plot-figure">{"data":[{"y":[NaN]}]}</script>' } }), /the figure in text\/html is not JSON/);
});

test("plotDescription names untitled figures and nameless traces", () => {
  assert.equal(plotDescription({ data: [{ y: [1, 2] }, { type: "heatmap", z: [[1], [2], [3]] }] }),
    "Plot, 2 traces: trace 1 (2 points), trace 2 (3 points). Open the notebook in JupyterLab to see the chart.");
});
