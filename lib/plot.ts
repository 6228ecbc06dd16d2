// plot.ts — plotly figures as plain JSON, displayed from a tslab kernel.
// Not built in a lesson: the course's chart helper, called by the lessons that draw charts.
//
// A figure is the JSON plotly.js itself takes: { data: [...traces], layout?: {...}, config?: {...} }.
// The kernel never draws anything. Each plot is ONE display_data output whose MIME bundle holds the
// same figure three ways (see plotBundle):
//
//   application/vnd.plotly.v1+json   the figure itself: VS Code, nteract and JupyterLab with a plotly
//                                    renderer draw it natively; the lesson site and tests read it
//   text/html                        a small loader for JupyterLab, Notebook 7, the classic Notebook
//                                    and nbconvert:
//       <div class="rnn-plot-output">
//         <div class="rnn-plot" id="rnn-plot-3-1a2b3c4d">plain words: what the chart is, how to see it</div>
//         <script type="application/json" class="rnn-plot-figure">{...the figure...}</script>
//         <script>...small loader...</script>
//       </div>
//   text/plain                       one line: the title and the traces, for terminals
//
// figureOfOutput() reads a figure back from an output; it is the one parser of this format (the site,
// the notebook checks and the unit tests all use it).
//
// The loader draws with window.Plotly if the page already has it; otherwise it loads plotly.js ONCE per
// page (a promise shared on window) from the project's own node_modules/plotly.js-dist — through the
// Jupyter server's /files/ handler in JupyterLab / Notebook, or relative to the page for exported HTML.
// No CDN, and the 10 MB library is never copied into a notebook. If every candidate fails, the plot's
// box says so in plain words.
//
// Outputs are deterministic: the element id is a per-kernel counter plus a hash of the figure (no
// clock, no randomness), so executing a notebook twice gives identical files. Non-integer numbers are
// written with 6 significant digits (plenty for a chart, and it keeps notebooks small); integers are
// written exactly. Typed arrays (Float64Array, ...) are accepted anywhere and written as JSON arrays.
// Defaults added to every figure (the figure's own values win): height 360, small margins, a title
// at the left just above the plot area, under the modebar's band, and on every cartesian axis automargin (tick
// labels are never cut off) and exponentformat "e" (a log axis reads 1e−6, not plotly's SI "1µ").
// The old `title: "text"` shorthand (dropped by plotly.js 3, which then shows no title at all) is
// rewritten as { text }.

import * as path from "path";
import { randomBytes } from "crypto";
import { describe } from "./checks";

export interface Figure {
  data: Array<Record<string, unknown>>;
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
}

export interface PlotlyPaths {
  /** plotly.js relative to the kernel's working directory (the notebook's folder), "/"-separated. */
  fromNotebook: string;
  /** plotly.js relative to the project root (the Jupyter server's root under `npm run lab`). */
  fromRoot: string;
}

export interface PlotHtmlOptions {
  /** Element id; default "rnn-plot-" + a hash of the figure. */
  id?: string;
  /** Where the loader looks for plotly.js; default found with require.resolve("plotly.js-dist"). */
  plotlyPaths?: PlotlyPaths | null;
}

/** Largest figure JSON accepted: a notebook output should stay small (downsample long curves). */
export const MAX_FIGURE_CHARS = 1000000;

/** Significant digits kept for non-integer numbers in the emitted JSON. */
export const SIGNIFICANT_DIGITS = 6;

const DEFAULT_LAYOUT: Record<string, unknown> = {
  height: 360,
  margin: { t: 40, r: 20, b: 50, l: 60 },
};
const DEFAULT_CONFIG: Record<string, unknown> = { responsive: true, displaylogo: false };
// The title sits just above the plot area, at its left (automargin grows the top margin for a long,
// wrapped title); the top margin leaves the band above it to the modebar (top right, on hover).
const TITLE_DEFAULTS: Record<string, unknown> = { x: 0, xref: "paper", xanchor: "left", y: 1, yref: "paper", yanchor: "bottom", pad: { b: 10 }, automargin: true };
const TITLED_MARGIN_TOP = 64;
const AXIS_DEFAULTS: Record<string, unknown> = { automargin: true, exponentformat: "e" };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v) || ArrayBuffer.isView(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

// Walks a value and throws on anything JSON cannot carry faithfully: NaN, ±Infinity, functions,
// undefined inside arrays, class instances. `where` names the place for the error message.
function checkValue(v: unknown, where: string): void {
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error(`${where} is ${v}; plot data must be finite numbers (use null for a gap)`);
    return;
  }
  if (v === null || typeof v === "string" || typeof v === "boolean") return;
  if (ArrayBuffer.isView(v)) {
    const arr = v as unknown as ArrayLike<number | bigint>;
    for (let i = 0; i < arr.length; i++) {
      const x = arr[i];
      if (typeof x === "bigint") throw new Error(`${where} is a BigInt array; use a Float64Array or number[]`);
      if (!Number.isFinite(x)) throw new Error(`${where}[${i}] is ${x}; plot data must be finite numbers (use null for a gap)`);
    }
    return;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      if (v[i] === undefined) throw new Error(`${where}[${i}] is undefined; use null for a gap`);
      checkValue(v[i], `${where}[${i}]`);
    }
    return;
  }
  if (isPlainObject(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === undefined) continue; // JSON drops it, like plotly ignores it
      checkValue(v[k], `${where}.${k}`);
    }
    return;
  }
  throw new Error(`${where} is ${describe(v)}; a figure holds only numbers, strings, booleans, null, arrays and plain objects`);
}

function traceName(trace: Record<string, unknown>, i: number): string {
  return typeof trace.name === "string" ? `trace ${i} ("${trace.name}")` : `trace ${i}`;
}

/** Throws an Error naming what is wrong with `fig`; returns it typed when it is a valid figure. */
export function validateFigure(fig: unknown): Figure {
  if (!isPlainObject(fig)) {
    throw new Error(`plot: figure must be an object { data: [...], layout?: {...} }, got ${describe(fig)}`);
  }
  for (const k of Object.keys(fig)) {
    if (k !== "data" && k !== "layout" && k !== "config") {
      throw new Error(`plot: figure has an unknown field "${k}"; expected only data, layout, config`);
    }
  }
  if (!Array.isArray(fig.data)) {
    throw new Error(`plot: figure.data must be an array of traces, got ${describe(fig.data)}`);
  }
  fig.data.forEach((trace: unknown, i: number) => {
    if (!isPlainObject(trace)) throw new Error(`plot: figure.data[${i}] must be a trace object, got ${describe(trace)}`);
    for (const k of Object.keys(trace)) {
      if (trace[k] !== undefined) checkValue(trace[k], `plot: ${traceName(trace, i)}.${k}`);
    }
  });
  for (const part of ["layout", "config"] as const) {
    const v = fig[part];
    if (v === undefined) continue;
    if (!isPlainObject(v)) throw new Error(`plot: figure.${part} must be an object, got ${describe(v)}`);
    checkValue(v, `plot: figure.${part}`);
  }
  return fig as unknown as Figure;
}

// Round a non-integer to SIGNIFICANT_DIGITS; integers stay exact (epochs, counts, sizes).
function compactNumber(x: number): number {
  return Number.isInteger(x) ? x : Number(x.toPrecision(SIGNIFICANT_DIGITS));
}

function compactReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "number") return compactNumber(value);
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>, compactNumber);
  return value;
}

/**
 * The figure as compact JSON, with the course's default layout/config filled in (the figure's own
 * values win). Validates first. Safe to place inside a <script> element (no "<" characters).
 */
export function figureJson(fig: unknown): string {
  const f = validateFigure(fig);
  const layout: Record<string, unknown> = { ...DEFAULT_LAYOUT, ...(f.layout || {}) };
  // plotly.js 3+ ignores the old `title: "text"` shorthand (the title silently disappears);
  // accept it and write the current form { text }.
  const titled = (o: unknown): unknown =>
    isPlainObject(o) && typeof o.title === "string" ? { ...o, title: { text: o.title } } : o;
  if (typeof layout.title === "string") layout.title = { text: layout.title };
  // Title at the left, above the plot area, below the modebar's band: the modebar never covers it.
  if (isPlainObject(layout.title)) {
    layout.title = { ...TITLE_DEFAULTS, ...layout.title };
    if (!f.layout || f.layout.margin === undefined) layout.margin = { ...(layout.margin as object), t: TITLED_MARGIN_TOP };
  }
  for (const k of Object.keys(layout)) {
    if (/^([xy]axis\d*|legend|coloraxis\d*)$/.test(k)) layout[k] = titled(layout[k]);
  }
  const data = f.data.map((trace) => {
    let t = trace;
    if (isPlainObject(t.colorbar)) t = { ...t, colorbar: titled(t.colorbar) };
    if (isPlainObject(t.marker) && isPlainObject(t.marker.colorbar)) t = { ...t, marker: { ...t.marker, colorbar: titled(t.marker.colorbar) } };
    return t;
  });
  // Axes grow the margins to fit their tick labels and titles (a right-hand y axis would be cut
  // off by the small default margins otherwise), and write exponents as 1e−6, unless the figure
  // says otherwise.
  for (const axis of new Set(["xaxis", "yaxis", ...Object.keys(layout).filter((k) => /^[xy]axis\d*$/.test(k))])) {
    const given = layout[axis];
    if (given === undefined) layout[axis] = { ...AXIS_DEFAULTS };
    else if (isPlainObject(given)) layout[axis] = { ...AXIS_DEFAULTS, ...given };
  }
  const full = {
    data,
    layout,
    config: { ...DEFAULT_CONFIG, ...(f.config || {}) },
  };
  const json = JSON.stringify(full, compactReplacer).replace(/</g, "\\u003c");
  if (json.length > MAX_FIGURE_CHARS) {
    throw new Error(
      `plot: figure is ${json.length} characters of JSON (limit ${MAX_FIGURE_CHARS}); ` +
        `downsample the traces (e.g. plot one point per epoch or a moving average) to keep the notebook small`,
    );
  }
  return json;
}

/** FNV-1a, 32 bit, as 8 hex digits: a short, stable fingerprint (not a security hash). */
export function hash32(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return ("0000000" + h.toString(16)).slice(-8);
}

function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}

/** Finds plotly.js from the current kernel's working directory; null if plotly.js-dist is missing. */
export function findPlotlyPaths(cwd: string = process.cwd()): PlotlyPaths | null {
  let file: string;
  try {
    file = require.resolve("plotly.js-dist");
  } catch {
    return null;
  }
  const posix = toPosix(file);
  const at = posix.lastIndexOf("/node_modules/");
  return {
    fromNotebook: toPosix(path.relative(cwd, file)),
    fromRoot: at >= 0 ? posix.slice(at + 1) : "node_modules/plotly.js-dist/plotly.js",
  };
}

/** The MIME type of a plotly figure in a Jupyter output (read natively by JupyterLab's, VS Code's and nteract's plotly renderers). */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** One plot output's MIME bundle: the same figure three ways. */
export interface PlotBundle {
  [PLOTLY_MIME]: Figure;
  "text/html": string;
  "text/plain": string;
}

// The element that carries the figure inside the text/html representation, and its one reader.
const FIGURE_SCRIPT_OPEN = '<script type="application/json" class="rnn-plot-figure">';
const FIGURE_SCRIPT = new RegExp(FIGURE_SCRIPT_OPEN.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&") + "([\\s\\S]*?)</script>");

const LOAD_FAILED_TEXT =
  "plotly.js could not be loaded, so this chart cannot be drawn. Open the course with `npm run lab` " +
  "(it serves node_modules/plotly.js-dist from the project), or run `npm install` first.";

/** Plain words for a box whose scripts did not run: what the chart is and how to see it. */
function fallbackText(title: string): string {
  return (
    `${title ? `Chart "${title}"` : "A chart"}, drawn by plotly.js in the browser. If this text stays, scripts did not run here: ` +
    "open the notebook with `npm run lab` and trust it (or run the cell again), or open the course site that `npm start` builds."
  );
}

/** A figure's title as plain one-line text ("" when it has none). */
export function figureTitle(fig: Figure): string {
  const t = fig.layout && fig.layout.title;
  const text = typeof t === "string" ? t : isPlainObject(t) && typeof t.text === "string" ? t.text : "";
  return oneLine(text);
}

function oneLine(s: string): string {
  return s.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
}

function pointCount(trace: Record<string, unknown>): number {
  for (const k of ["y", "x", "z", "values"]) {
    const v = trace[k];
    if (Array.isArray(v)) return v.length;
  }
  return 0;
}

/** The text/plain representation: one line naming the title and every trace with its size. */
export function plotDescription(fig: Figure): string {
  const title = figureTitle(fig);
  const traces = fig.data.map((t, i) => {
    const name = typeof t.name === "string" && oneLine(t.name) ? oneLine(t.name) : `trace ${i + 1}`;
    const n = pointCount(t);
    return n ? `${name} (${n} points)` : name;
  });
  const count = `${fig.data.length} trace${fig.data.length === 1 ? "" : "s"}`;
  return `Plot${title ? ` "${title}"` : ""}, ${count}${traces.length ? ": " + traces.join(", ") : ""}. Open the notebook in JupyterLab to see the chart.`;
}

// The loader, written as ES5 so it runs in any notebook front end. It receives (id, paths) and:
// 1. finds its plot div (next to the running <script> when possible: ids can repeat across two open
//    notebooks; else by id — classic Notebook runs output scripts out of place);
// 2. uses window.Plotly, or one shared promise window.__rnnPlotly that tries each candidate URL;
// 3. draws with Plotly.react, or writes a visible message into the div.
const LOADER = `function(id,p,failText){
var w=window,d=document,s=d.currentScript,el=null;
if(s&&s.parentNode&&s.parentNode.querySelector)el=s.parentNode.querySelector('[id="'+id+'"]');
if(!el)el=d.getElementById(id);if(!el||el.getAttribute('data-drawn'))return;
el.setAttribute('data-drawn','1');
function fail(m){el.textContent=m;el.className+=' rnn-plot-error';el.style.cssText='padding:12px;border:1px solid #c33;color:#a00;font:14px/1.4 sans-serif';if(w.console)console.error(m);}
var fs=el.parentNode.querySelector('script.rnn-plot-figure'),fig;
try{fig=JSON.parse(fs.textContent);}catch(e){return fail('This chart cannot be drawn: its figure JSON is unreadable ('+e.message+').');}
function urls(){var u=[],b=d.body&&d.body.getAttribute('data-base-url'),dir=d.body&&d.body.getAttribute('data-notebook-path'),c;
if(!b){c=d.getElementById('jupyter-config-data');if(c){try{b=JSON.parse(c.textContent).baseUrl||'/';}catch(e){}}}
if(b){if(b.charAt(b.length-1)!=='/')b+='/';
if(!dir){var m=decodeURIComponent(location.pathname).match(/\\/(?:tree|notebooks|edit)\\/(.*\\.ipynb)$/);if(m)dir=m[1];}
if(dir!=null&&p){dir=dir.slice(0,dir.lastIndexOf('/')+1);u.push(b+'files/'+encodeURI(dir+p.fromNotebook));}
if(p)u.push(b+'files/'+encodeURI(p.fromRoot));}
else if(p){u.push(p.fromNotebook);for(var i=0,up='';i<4;i++,up+='../')u.push(up+p.fromRoot);}
return u.filter(function(x,i){return u.indexOf(x)===i;});}
function load(){if(w.Plotly)return Promise.resolve(w.Plotly);
if(!w.__rnnPlotly)w.__rnnPlotly=new Promise(function(ok,no){var list=urls(),i=0;
(function next(){if(w.Plotly)return ok(w.Plotly);if(i>=list.length)return no(new Error('tried: '+(list.join(', ')||'no location')));
var t=d.createElement('script');t.src=list[i++];t.onload=function(){w.Plotly?ok(w.Plotly):next();};t.onerror=next;d.head.appendChild(t);})();});
return w.__rnnPlotly;}
el.textContent='Loading plotly.js…';
load().then(function(P){el.textContent='';el.style.minHeight='';return P.react(el,fig.data,fig.layout,fig.config);},
function(e){fail(failText+' ('+e.message+')');}).then(null,function(e){fail('plotly.js could not draw this chart: '+(e&&e.message||e));});
}`;

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * The HTML output for one figure (see the top of this file). Deterministic: same figure, options and
 * working directory give the same string. Throws (naming the trace and field) on an invalid figure.
 */
export function plotHtml(fig: unknown, opts: PlotHtmlOptions = {}): string {
  return plotBundle(fig, opts)["text/html"];
}

/**
 * The MIME bundle of one plot output: the figure (with the course's defaults filled in), the HTML
 * loader and a one-line description. Deterministic, like plotHtml.
 */
export function plotBundle(fig: unknown, opts: PlotHtmlOptions = {}): PlotBundle {
  const json = figureJson(fig);
  const figure = JSON.parse(json) as Figure;
  const id = opts.id !== undefined ? opts.id : "rnn-plot-" + hash32(json);
  if (!/^[A-Za-z][\w-]*$/.test(id)) throw new Error(`plotHtml: id "${id}" must be a letter then letters, digits, - or _`);
  const paths = opts.plotlyPaths !== undefined ? opts.plotlyPaths : findPlotlyPaths();
  const height = figure.layout && figure.layout.height;
  const minHeight = typeof height === "number" ? `min-height:${height}px;` : "";
  const args = [id, paths, LOAD_FAILED_TEXT].map((a) => JSON.stringify(a).replace(/</g, "\\u003c")).join(",");
  const html =
    `<div class="rnn-plot-output">` +
    `<div class="rnn-plot" id="${id}" style="width:100%;${minHeight}">${escapeHtml(fallbackText(figureTitle(figure)))}</div>` +
    `${FIGURE_SCRIPT_OPEN}${json}</script>` +
    `<script>(${LOADER})(${args});</script>` +
    `</div>`;
  return { [PLOTLY_MIME]: figure, "text/html": html, "text/plain": plotDescription(figure) };
}

/**
 * The figure of a plot output, or null when the output is not a plot. THE reader of the format above:
 * takes a notebook output (display_data, execute_result) or a display message's content, anything
 * with a `data` MIME bundle. Reads application/vnd.plotly.v1+json; for notebooks executed before that
 * representation existed, the figure inside the text/html loader. Throws, naming the representation,
 * when a plot's figure is unreadable or invalid.
 */
export function figureOfOutput(output: unknown): Figure | null {
  const data = isPlainObject(output) && isPlainObject(output.data) ? output.data : null;
  if (!data) return null;
  const text = (v: unknown) => (Array.isArray(v) ? v.join("") : v);
  const parse = (json: string, where: string): unknown => {
    try {
      return JSON.parse(json);
    } catch (e) {
      throw new Error(`plot output: the figure in ${where} is not JSON (${(e as Error).message})`);
    }
  };
  const read = (fig: unknown, where: string): Figure => {
    try {
      return validateFigure(fig);
    } catch (e) {
      throw new Error(`plot output: ${where}: ${(e as Error).message}`);
    }
  };
  const plotly = data[PLOTLY_MIME];
  if (plotly !== undefined) {
    const fig = typeof plotly === "string" ? parse(plotly, PLOTLY_MIME) : plotly;
    return read(fig, PLOTLY_MIME);
  }
  const html = text(data["text/html"]);
  const m = typeof html === "string" ? FIGURE_SCRIPT.exec(html) : null;
  return m ? read(parse(m[1], "text/html"), "text/html") : null;
}

// The per-kernel counter lives on globalThis: tslab re-evaluates an imported file when a later cell
// imports it again, and a module-level counter would restart (and could repeat an id on the page).
function nextId(json: string): string {
  const g = globalThis as unknown as { __rnnPlotCount?: number };
  g.__rnnPlotCount = (g.__rnnPlotCount || 0) + 1;
  return `rnn-plot-${g.__rnnPlotCount}-${hash32(json)}`;
}

type WriteDisplayData = (
  content: { data: Record<string, unknown>; metadata: Record<string, unknown>; transient: { display_id?: string } },
  update: boolean,
) => void;

// tslab's own display API sends one MIME type per output; a plot is one output with three. This is
// the function tslab's display.raw() calls (the kernel's current cell's display channel).
function kernelDisplay(fn: string): WriteDisplayData {
  let write: WriteDisplayData | null = null;
  try {
    write = (require("tslab/dist/jupyter") as { lastWriteDisplayData: WriteDisplayData | null }).lastWriteDisplayData;
  } catch {
    write = null;
  }
  if (typeof write !== "function") throw new Error(`${fn}: not running in a tslab kernel, so there is no cell to show the plot under`);
  return write;
}

/** Shows a plotly figure under the current cell: one display_data with the bundle of plotBundle(). */
export function showPlot(fig: Figure): void {
  const json = figureJson(fig);
  const bundle = plotBundle(fig, { id: nextId(json) });
  kernelDisplay("showPlot")({ data: { ...bundle }, metadata: {}, transient: {} }, false);
}

export interface LivePlot {
  /** Replaces the chart in place (same output area). */
  update(fig: Figure): void;
}

/**
 * A chart that is redrawn in place, e.g. once per epoch: `const live = livePlot(); live.update(fig)`.
 * The first update sends a display_data, later ones an update_display_data with the same display_id
 * (each the full bundle of plotBundle()). tslab sends each message at once, even from inside a
 * synchronous training loop, so the page gets every update while the cell runs.
 *
 * The page can draw them only once plotly.js is loaded, which takes a couple of seconds (measured
 * 1.5–2.5 s in Chromium, most of it running plotly.js's 10 MB). Updates that reach the page before
 * that replace each other under "Loading plotly.js…"; the ones after it are drawn one by one. So a
 * lesson whose training is short shows an ordinary plot before its live one (lesson 05 does): the
 * page has plotly.js, or is loading it, by the time the training starts.
 */
export function livePlot(): LivePlot {
  // display ids are transient (never saved in the notebook), so a random one keeps outputs deterministic
  const displayId = "rnn-live-" + randomBytes(8).toString("hex");
  let shown = false;
  return {
    update(fig: Figure): void {
      const json = figureJson(fig);
      const bundle = plotBundle(fig, { id: nextId(json) });
      kernelDisplay("livePlot().update")({ data: { ...bundle }, metadata: {}, transient: { display_id: displayId } }, shown);
      shown = true;
    },
  };
}
