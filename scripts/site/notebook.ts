// Turning an executed notebook's cells and outputs into HTML for a lesson page. Reading notebooks,
// their types and the text helpers are the runner's (scripts/common/nbformat.ts, outputs.ts).
import { joinText, type Cell, type Notebook, type Output } from "../common/nbformat";
import { stripAnsi } from "../runner/outputs";
import { createMarkdown, escapeHtml, highlight, newEnv, renderMath, type MdEnv, type TocEntry } from "./markdown";

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
  const inlineHtml = (i: number) => md.renderer.renderInline(tokens[i].children || [], md.options, env as unknown as Record<string, unknown>);
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

const PLOT_JSON = /<script type="application\/json" class="rnn-plot-figure">([\s\S]*?)<\/script>/;

export interface RenderState {
  env: MdEnv;
  plotCount: number;
  traceTypes: Set<string>;
  file: string;
}

function plotFigureHtml(json: string, st: RenderState): string {
  let fig: { data?: Array<{ type?: unknown }>; layout?: { title?: unknown; height?: unknown } };
  try {
    fig = JSON.parse(json);
  } catch (e) {
    throw new Error(`unreadable plot figure JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(fig.data)) throw new Error("plot figure has no data array");
  for (const tr of fig.data) st.traceTypes.add(typeof tr.type === "string" ? tr.type : "scatter");
  const t = fig.layout && fig.layout.title;
  const title = typeof t === "string" ? t : t && typeof (t as { text?: unknown }).text === "string" ? (t as { text: string }).text : "";
  const h = fig.layout && typeof fig.layout.height === "number" ? fig.layout.height : 360;
  const id = `plot-${++st.plotCount}`;
  // the JSON came from lib/plot.ts, which escapes "<"; escape again in case another tool wrote it
  const safe = json.replace(/</g, "\\u003c");
  return (
    `<figure class="plot"><div class="rnn-plot" id="${id}" role="img" aria-label="${escapeHtml(title ? "Chart: " + title : "Chart")}" style="min-height:${h}px">` +
    `<p class="plot-msg">This chart is drawn by JavaScript (assets/plotly.min.js). If this text stays, scripts are off or the assets folder is missing.</p></div>` +
    `<script type="application/json" class="rnn-plot-figure">${safe}</script></figure>`
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
  const html = data["text/html"] !== undefined ? dataText(data["text/html"]) : undefined;
  const plot = html && PLOT_JSON.exec(html);
  if (plot) return plotFigureHtml(plot[1], st);
  for (const mime of ["image/svg+xml", "image/png", "image/jpeg", "image/gif"]) {
    if (data[mime] === undefined) continue;
    const v = dataText(data[mime]);
    const b64 = mime === "image/svg+xml" ? Buffer.from(v, "utf8").toString("base64") : v.replace(/\s+/g, "");
    return `<div class="output image"><img alt="output image" src="data:${mime};base64,${b64}"></div>`;
  }
  if (html !== undefined) return `<div class="output html">${html}</div>`;
  if (data["text/markdown"] !== undefined) return `<div class="output markdown">${md.render(dataText(data["text/markdown"]), st.env)}</div>`;
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
}

/** Renders every cell. Throws an Error naming the notebook and cell for KaTeX parse errors. */
export function renderNotebook(nb: Notebook, file: string, rewriteLink: (href: string) => string): RenderedNotebook {
  const env = newEnv(rewriteLink);
  const st: RenderState = { env, plotCount: 0, traceTypes: new Set(), file };
  const parts: string[] = [];
  const problems: string[] = [];
  nb.cells.forEach((cell, i) => {
    const where = `${file}, cell ${i + 1} (${cell.cell_type})`;
    const before = env.mathErrors.length;
    try {
      parts.push(renderCell(cell, i, st));
    } catch (e) {
      throw new Error(`${where}: ${(e as Error).message}`);
    }
    for (const m of env.mathErrors.slice(before)) problems.push(`${where}: KaTeX cannot parse ${JSON.stringify(m.tex)}: ${m.message}`);
  });
  if (problems.length) throw new Error(problems.join("\n"));
  return { bodyHtml: parts.join("\n"), toc: env.toc, plotCount: st.plotCount, mathCount: env.mathCount, traceTypes: st.traceTypes };
}

function renderCell(cell: Cell, i: number, st: RenderState): string {
  const src = joinText(cell.source);
  const id = `cell-${i + 1}`;
  if (cell.cell_type === "markdown") {
    st.env.attachments = cell.attachments;
    const html = md.render(src, st.env);
    st.env.attachments = undefined;
    return `<section class="cell md" id="${id}">${html}</section>`;
  }
  if (cell.cell_type === "raw") return src.trim() ? `<pre class="cell raw" id="${id}">${escapeHtml(src)}</pre>` : "";
  const meta = cell.metadata || {};
  const tags = meta.tags || [];
  const outputs = meta.jupyter && meta.jupyter.outputs_hidden ? [] : cell.outputs || [];
  const code = src.trim() ? `<pre class="source"><code class="hljs language-typescript">${highlight(src, "typescript")}</code></pre>` : "";
  const outs = outputs.map((o) => renderOutput(o, st)).filter((s) => s).join("\n");
  const outHtml = outs ? `<div class="outputs">${outs}</div>` : "";
  if (!code && !outHtml) return "";
  if (tags.includes("solution")) {
    return `<details class="cell code solution" id="${id}"><summary>Show solution</summary>${code}${outHtml}</details>`;
  }
  if (meta.jupyter && meta.jupyter.source_hidden && code) {
    return `<div class="cell code" id="${id}"><details class="hidden-source"><summary>Show code</summary>${code}</details>${outHtml}</div>`;
  }
  return `<div class="cell code" id="${id}">${code}${outHtml}</div>`;
}
