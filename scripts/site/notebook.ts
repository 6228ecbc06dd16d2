// Turning an executed notebook's cells and outputs into HTML for a lesson page. Reading notebooks,
// their types and the text helpers are the runner's (scripts/common/nbformat.ts, outputs.ts); plot
// outputs are read with lib/plot's figureOfOutput. Everything a notebook supplies as HTML or SVG is
// sanitised (sanitize.ts); streams, errors and code are escaped.
import { joinText, type Cell, type Notebook, type Output } from "../common/nbformat";
import { stripAnsi } from "../runner/outputs";
import { figureOfOutput, figureTitle, type Figure } from "../../lib/plot";
import {
  createMarkdown, escapeHtml, highlight, newEnv, renderInlineSafe, renderMarkdown, renderMath, type MdEnv, type TocEntry,
} from "./markdown";
import { sanitize, sanitizeSvg } from "./sanitize";
import { exerciseSpecs, type ExerciseSpec } from "./interactive/exercises/prelude";
import { availableModules } from "./interactive/exercises/bundle";

/** What the index card and page header need, read from the first Markdown cell. */
export interface LessonInfo {
  number: number;
  title: string;
  /** The first cell's first paragraph, as inline HTML. */
  summaryHtml: string;
  /** Goals, as inline HTML, from the `**You will be able to:**` list. */
  goalsHtml: string[];
  /** Inline HTML after `**Builds on:**`, links removed (it is shown inside a card). */
  buildsOnHtml: string;
  readingMinutes: number;
}

const md = createMarkdown();

/** Words a reader reads: prose words at 200/min plus code lines at 10/min, at least 1 minute. */
export function readingMinutes(nb: Notebook): number {
  let words = 0;
  let codeLines = 0;
  for (const c of nb.cells) {
    const src = joinText(c.source);
    if (c.cell_type === "markdown") words += (src.replace(/\$[^$]*\$/g, " x ").match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) || []).length;
    else if (c.cell_type === "code") codeLines += src.split("\n").filter((l) => l.trim() !== "").length;
  }
  return Math.max(1, Math.round(words / 200 + codeLines / 10));
}

/** Reads title, number, summary, goals and "Builds on" from the first Markdown cell (see ARCHITECTURE.md). */
export function lessonInfo(nb: Notebook, file: string): LessonInfo {
  const first = nb.cells[0];
  const where = `${file}, cell 1`;
  if (!first || first.cell_type !== "markdown") throw new Error(`${where}: the first cell must be Markdown starting with "# N. Title"`);
  const env = newEnv();
  const tokens = md.parse(joinText(first.source), env);
  const inlineHtml = (i: number) => renderInlineSafe(md, tokens[i].children || [], env);
  const h1 = tokens.findIndex((t) => t.type === "heading_open" && t.tag === "h1");
  const heading = h1 >= 0 ? /^(\d+)\.\s+(.+)$/.exec(tokens[h1 + 1].content.trim()) : null;
  if (!heading) throw new Error(`${where}: must start with a heading "# N. Title" (e.g. "# 3. Backpropagation through time")`);
  let summaryHtml = "";
  let buildsOnHtml = "";
  const goalsHtml: string[] = [];
  for (let i = h1 + 3; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type !== "inline" || tokens[i - 1].type !== "paragraph_open") continue;
    const content = t.content.trim();
    if (/^\*\*You will be able to:?\*\*/i.test(content)) {
      // the bullet list right after this paragraph
      let j = i + 2;
      if (tokens[j] && tokens[j].type === "bullet_list_open") {
        for (let depth = 0; j < tokens.length; j++) {
          const u = tokens[j];
          if (u.type === "bullet_list_open") depth++;
          if (u.type === "bullet_list_close" && --depth === 0) break;
          if (u.type === "inline" && depth === 1) goalsHtml.push(inlineHtml(j));
        }
      }
    } else if (/^\*\*Builds on:?\*\*/i.test(content)) {
      buildsOnHtml = inlineHtml(i)
        .replace(/^<strong>Builds on:?<\/strong>:?\s*/i, "")
        .replace(/<a\b[^>]*>|<\/a>/g, "");
    } else if (!summaryHtml && !goalsHtml.length) {
      summaryHtml = inlineHtml(i);
    }
  }
  if (!goalsHtml.length) throw new Error(`${where}: needs "**You will be able to:**" followed by a bullet list of goals`);
  if (env.mathErrors.length) throw new Error(`${where}: KaTeX cannot parse ${JSON.stringify(env.mathErrors[0].tex)}: ${env.mathErrors[0].message}`);
  return {
    number: Number(heading[1]),
    title: heading[2],
    summaryHtml,
    goalsHtml,
    buildsOnHtml,
    readingMinutes: readingMinutes(nb),
  };
}

// ---------------------------------------------------------------------------------------------
// Outputs

export interface RenderState {
  env: MdEnv;
  plotCount: number;
  traceTypes: Set<string>;
  file: string;
}

// plotly config keys a page honours; the rest (e.g. URLs plotly would fetch from) are dropped
const SAFE_CONFIG = ["responsive", "displaylogo", "displayModeBar", "scrollZoom", "staticPlot", "modeBarButtonsToRemove", "doubleClick", "showTips", "showAxisDragHandles"];

/** The figure as the site draws it: config reduced to SAFE_CONFIG, layout images only from data: URLs. */
function siteFigure(fig: Figure): Figure {
  const config: Record<string, unknown> = {};
  for (const k of SAFE_CONFIG) if (fig.config && fig.config[k] !== undefined) config[k] = fig.config[k];
  const layout = { ...(fig.layout || {}) };
  if (Array.isArray(layout.images)) {
    layout.images = layout.images.filter((im) => im && typeof im === "object" && /^data:image\//.test(String((im as { source?: unknown }).source)));
  }
  return { data: fig.data, layout, config };
}

function plotFigureHtml(figure: Figure, st: RenderState): string {
  const fig = siteFigure(figure);
  for (const tr of fig.data) st.traceTypes.add(typeof tr.type === "string" ? tr.type : "scatter");
  const title = figureTitle(fig);
  const h = fig.layout && typeof fig.layout.height === "number" ? fig.layout.height : 360;
  const id = `plot-${++st.plotCount}`;
  // "<" escaped: the JSON cannot end its <script> element
  const json = JSON.stringify(fig).replace(/</g, "\\u003c");
  return (
    `<figure class="plot"><div class="rnn-plot" id="${id}" role="img" aria-label="${escapeHtml(title ? "Chart: " + title : "Chart")}" style="min-height:${h}px">` +
    `<p class="plot-msg">This chart is drawn by JavaScript (assets/plotly.min.js). If this text stays, scripts are off or the assets folder is missing.</p></div>` +
    `<script type="application/json" class="rnn-plot-figure">${json}</script></figure>`
  );
}

function dataText(v: unknown): string {
  return Array.isArray(v) ? v.join("") : typeof v === "string" ? v : JSON.stringify(v, null, 2);
}

function renderOutput(out: Output, st: RenderState): string {
  if (out.output_type === "stream") {
    const cls = out.name === "stderr" ? "stderr" : "stdout";
    return `<pre class="output ${cls}">${escapeHtml(stripAnsi(joinText(out.text)))}</pre>`;
  }
  if (out.output_type === "error") {
    const tb = (out.traceback || []).join("\n") || `${out.ename}: ${out.evalue}`;
    return `<pre class="output error">${escapeHtml(stripAnsi(tb))}</pre>`;
  }
  const data = out.data || {};
  const figure = figureOfOutput(out);
  if (figure) return plotFigureHtml(figure, st);
  if (data["image/svg+xml"] !== undefined) {
    const { svg, alt } = sanitizeSvg(dataText(data["image/svg+xml"]));
    const b64 = Buffer.from(svg, "utf8").toString("base64");
    return `<div class="output image"><img alt="${escapeHtml(alt || "figure")}" src="data:image/svg+xml;base64,${b64}"></div>`;
  }
  for (const mime of ["image/png", "image/jpeg", "image/gif"]) {
    if (data[mime] === undefined) continue;
    const b64 = dataText(data[mime]).replace(/[^A-Za-z0-9+/=]/g, "");
    const alt = typeof data["text/plain"] === "string" || Array.isArray(data["text/plain"]) ? dataText(data["text/plain"]) : "image output";
    return `<div class="output image"><img alt="${escapeHtml(alt)}" src="data:${mime};base64,${b64}"></div>`;
  }
  if (data["text/html"] !== undefined) return `<div class="output html">${sanitize(dataText(data["text/html"]))}</div>`;
  if (data["text/markdown"] !== undefined) return `<div class="output markdown">${renderMarkdown(md, dataText(data["text/markdown"]), st.env)}</div>`;
  if (data["text/latex"] !== undefined) {
    const tex = dataText(data["text/latex"]).trim().replace(/^\$\$?|\$\$?$/g, "");
    return `<div class="output latex">${renderMath(tex, true, st.env)}</div>`;
  }
  if (data["application/json"] !== undefined) return `<pre class="output stdout">${escapeHtml(dataText(data["application/json"]))}</pre>`;
  if (data["text/plain"] !== undefined) return `<pre class="output stdout">${escapeHtml(stripAnsi(dataText(data["text/plain"])))}</pre>`;
  return ""; // e.g. only application/vnd.* widget state: nothing a static page can show
}

// ---------------------------------------------------------------------------------------------
// Cells

export interface RenderedNotebook {
  bodyHtml: string;
  toc: TocEntry[];
  plotCount: number;
  mathCount: number;
  traceTypes: Set<string>;
  /** Exercise numbers ("4.1") that got a solution toggle. */
  solutionsShown: string[];
}

/** A lesson's solutions notebook (notebooks/solutions/NN-name.ipynb, executed), with its file name. */
export interface Solutions { nb: Notebook; file: string }

const EXERCISE_TAG = /^exercise-(\d+\.\d+)$/;
const SOLUTION_TAG = /^solution-(\d+\.\d+)$/;

const tagsOf = (cell: Cell): string[] => (cell.metadata && Array.isArray(cell.metadata.tags) ? cell.metadata.tags : []);

/** Exercise number -> the solution cell (and its index) in a solutions notebook; a number tagged twice is an error. */
function solutionCells(sol: Solutions): Map<string, { cell: Cell; index: number }> {
  const map = new Map<string, { cell: Cell; index: number }>();
  sol.nb.cells.forEach((cell, index) => {
    for (const tag of tagsOf(cell)) {
      const m = SOLUTION_TAG.exec(tag);
      if (!m) continue;
      if (map.has(m[1])) throw new Error(`${sol.file}: two cells are tagged ${tag} (cells ${map.get(m[1])!.index + 1} and ${index + 1})`);
      map.set(m[1], { cell, index });
    }
  });
  return map;
}

/**
 * Renders every cell. A code cell tagged `exercise-N.k` is followed by the solutions notebook's cell
 * tagged `solution-N.k` (source and outputs), closed behind "Show solution". Throws an Error naming
 * the notebook and cell for KaTeX parse errors and unreadable outputs. `available`: the module keys an
 * exercise's prelude may require, availableModules() (a build reads them once and passes them to
 * every notebook; read here when not given).
 */
export function renderNotebook(
  nb: Notebook,
  file: string,
  rewriteLink: (href: string) => string | null,
  solutions?: Solutions | null,
  available: Set<string> = new Set(availableModules()),
): RenderedNotebook {
  const env = newEnv(rewriteLink);
  const st: RenderState = { env, plotCount: 0, traceTypes: new Set(), file };
  const sols = solutions ? solutionCells(solutions) : new Map<string, { cell: Cell; index: number }>();
  const parts: string[] = [];
  const problems: string[] = [];
  const shown: string[] = [];
  // exercises solved on the page: each exercise cell carries what its editor needs (prelude.ts)
  const exercises = new Map(exerciseSpecs(nb, file, solutions || null, available).map((s) => [s.id, s]));
  const render = (where: string, f: () => string) => {
    const before = env.mathErrors.length;
    try {
      parts.push(f());
    } catch (e) {
      throw new Error(`${where}: ${(e as Error).message}`);
    }
    for (const m of env.mathErrors.slice(before)) problems.push(`${where}: KaTeX cannot parse ${JSON.stringify(m.tex)}: ${m.message}`);
  };
  nb.cells.forEach((cell, i) => {
    render(`${file}, cell ${i + 1} (${cell.cell_type})`, () => renderCell(cell, i, st, exercises));
    if (cell.cell_type !== "code") return;
    for (const tag of tagsOf(cell)) {
      const m = EXERCISE_TAG.exec(tag);
      const sol = m && sols.get(m[1]);
      if (!m || !sol || !solutions) continue;
      shown.push(m[1]);
      render(`${solutions.file}, cell ${sol.index + 1} (${sol.cell.cell_type})`, () => solutionHtml(sol.cell, m[1], st));
    }
  });
  if (problems.length) throw new Error(problems.join("\n"));
  return { bodyHtml: parts.join("\n"), toc: env.toc, plotCount: st.plotCount, mathCount: env.mathCount, traceTypes: st.traceTypes, solutionsShown: shown };
}

function codeHtml(cell: Cell, st: RenderState): { code: string; outHtml: string } {
  const src = joinText(cell.source);
  const meta = cell.metadata || {};
  const outputs = cell.cell_type !== "code" || (meta.jupyter && meta.jupyter.outputs_hidden) ? [] : cell.outputs || [];
  const code = src.trim() ? `<pre class="source"><code class="hljs language-typescript">${highlight(src, "typescript")}</code></pre>` : "";
  const outs = outputs.map((o) => renderOutput(o, st)).filter((x) => x).join("\n");
  return { code, outHtml: outs ? `<div class="outputs">${outs}</div>` : "" };
}

function solutionHtml(cell: Cell, n: string, st: RenderState): string {
  const { code, outHtml } = codeHtml(cell, st);
  return `<details class="cell code solution" id="solution-${escapeHtml(n)}"><summary>Show solution to exercise ${escapeHtml(n)}</summary>${code}${outHtml}</details>`;
}

function renderCell(cell: Cell, i: number, st: RenderState, exercises: Map<string, ExerciseSpec>): string {
  const src = joinText(cell.source);
  const id = `cell-${i + 1}`;
  if (cell.cell_type === "markdown") {
    st.env.attachments = cell.attachments;
    const html = renderMarkdown(md, src, st.env);
    st.env.attachments = undefined;
    return `<section class="cell md" id="${id}">${html}</section>`;
  }
  if (cell.cell_type === "raw") return src.trim() ? `<pre class="cell raw" id="${id}">${escapeHtml(src)}</pre>` : "";
  const meta = cell.metadata || {};
  const { code, outHtml } = codeHtml(cell, st);
  if (!code && !outHtml) return "";
  if (tagsOf(cell).includes("solution")) {
    return `<details class="cell code solution" id="${id}"><summary>Show solution</summary>${code}${outHtml}</details>`;
  }
  if (meta.jupyter && meta.jupyter.source_hidden && code) {
    return `<div class="cell code" id="${id}"><details class="hidden-source"><summary>Show code</summary>${code}</details>${outHtml}</div>`;
  }
  const exercise = cell.cell_type === "code" ? tagsOf(cell).map((t) => EXERCISE_TAG.exec(t)).find((m) => m) : null;
  const spec = exercise && exercises.get(exercise[1]);
  if (spec) {
    // the stub and its notebook output stay as they are (a page without JavaScript shows them);
    // assets/exercises.js puts an editor, Check and Reset in place of the static code
    const json = JSON.stringify(spec).replace(/</g, "\\u003c");
    return `<div class="cell code exercise" id="${id}" data-exercise="${escapeHtml(spec.id)}">${code}${outHtml}<script type="application/json" class="rnn-exercise">${json}</script></div>`;
  }
  return `<div class="cell code" id="${id}">${code}${outHtml}</div>`;
}
