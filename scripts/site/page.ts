// The two page templates: the course index and a lesson. Plain functions returning HTML strings;
// every link is relative, so the site works from file:// and from any static server.
import { createHash } from "crypto";
import { escapeHtml, type TocEntry } from "./markdown";
import type { LessonInfo } from "./notebook";
import { LIVE_SCRIPTS } from "./live";

export interface LessonRef {
  info: LessonInfo;
  page: string;
  notebook: string;
  /** lib/ files whose header says this lesson builds them (site-relative page and repository path). */
  libFiles: LibRef[];
}

export interface LibRef { path: string; page: string }

/** The course download the pages link to (built by the site builder). */
export const COURSE_ZIP = "rnn-from-scratch.zip";

/**
 * Every page's Content-Security-Policy: scripts only from the site's own files (no inline script, no
 * javascript: URL, no eval), nothing from the network, no forms, no plugins, no <base>. Inline styles
 * stay allowed: KaTeX positions glyphs and plotly sizes its SVG with them; they cannot run code.
 * blob: images are the modebar's "download plot as PNG" (plotly draws the SVG into a canvas).
 * blob: workers are the live experiments' runs (scripts/site/interactive/host.ts starts each from a Blob
 * of assets/live-worker.js's source: Chromium refuses a worker from a file:// URL); that source is
 * the site's own, and the worker inherits this policy (no eval, no network).
 * 'wasm-unsafe-eval' lets the site's own scripts compile lib/simd.ts's WebAssembly kernels (lesson 10's
 * model trains in the page with them); it allows no JavaScript eval, and only code already running,
 * which is the site's own, can compile a module. Without it the library uses its TypeScript path.
 */
export const CSP = [
  "default-src 'none'", "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:",
  "font-src 'self'", "connect-src 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'none'",
  "worker-src blob:", // the live experiments' and the exercises' workers start from a Blob of the page's own scripts
].join("; ");

const stripTags = (html: string) => html.replace(/<span class="katex-mathml">[\s\S]*?<\/math><\/span>/g, "").replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");

/** A page that is one file (npm run export): its CSS and scripts inline, the scripts allowed by hash. */
export interface Standalone { css: string; scripts: string[] }

/** The Content-Security-Policy of a one-file page: only its own inline scripts, by SHA-256 hash. */
export function standaloneCsp(scripts: string[]): string {
  const hashes = scripts.map((s) => `'sha256-${createHash("sha256").update(s, "utf8").digest("base64")}'`);
  return [
    "default-src 'none'", `script-src ${hashes.join(" ") || "'none'"}`, "style-src 'unsafe-inline'", "img-src data: blob:", "font-src data:",
    "connect-src 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'none'",
  ].join("; ");
}

function head(title: string, description: string, extra = "", base = "", standalone?: Standalone): string {
  const csp = standalone ? standaloneCsp(standalone.scripts) : CSP;
  const styles = standalone
    ? `<style>\n${standalone.css}\n</style>\n`
    : `<link rel="stylesheet" href="${base}assets/katex/katex.min.css">\n<link rel="stylesheet" href="${base}assets/site.css">\n`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<meta name="description" content="${escapeHtml(description.replace(/\s+/g, " ").trim())}">
${styles}${standalone ? "" : extra}</head>`;
}

/** How to run the course on one's own machine (index: open; lessons: folded). */
function runHowTo(open: boolean, lesson?: LessonRef, standalone = false): string {
  const nb = lesson ? lesson.notebook.replace(/^notebooks\//, "") : "";
  const get = standalone
    ? "Get the course: clone its git repository (this page is one lesson, exported on its own)."
    : `Get the course: clone its git repository, or <a href="${COURSE_ZIP}" download>download it as a zip</a> (notebooks, library, data, scripts and tests) and unzip it.`;
  return `<details class="run-howto" id="run"${open ? " open" : ""}><summary>${lesson ? "Run this lesson yourself" : "Run the course yourself"}</summary>
<ol>
<li>${get} You need Node.js 20 or later and Python 3.9 or later; the README lists the details.</li>
<li>In the course folder: <code>npm install &amp;&amp; npm start</code> sets up a local JupyterLab, runs every lesson and builds these pages; <code>npm test</code> runs the tests.</li>
<li><code>npm run lab</code> opens JupyterLab on the notebooks${lesson ? `: open <code>${escapeHtml(nb)}</code> and run its cells in order` : "; open a lesson and run its cells in order"}. Exercise solutions are in <code>notebooks/solutions/</code>.</li>
</ol>
${lesson && !standalone ? `<p>The notebook shown on this page, with its outputs, is <a href="${lesson.notebook}" download>${escapeHtml(nb)}</a>; it imports <code>./lib</code>, so open it inside the course folder, not on its own.</p>` : ""}</details>`;
}

export function indexPage(course: string, lessons: LessonRef[]): string {
  const minutes = lessons.reduce((a, l) => a + l.info.readingMinutes, 0);
  const cards = lessons
    .map(
      (l) => `<li class="card">
<p class="card-num">Lesson ${l.info.number}</p>
<h2><a href="${l.page}">${escapeHtml(l.info.title)}</a></h2>
${l.info.summaryHtml ? `<p class="card-summary">${l.info.summaryHtml}</p>` : ""}
<p class="card-label">You will be able to:</p>
<ul class="goals">${l.info.goalsHtml.map((g) => `<li>${g}</li>`).join("")}</ul>
<p class="card-meta">${l.info.readingMinutes} min read${l.info.buildsOnHtml ? ` · Builds on: ${l.info.buildsOnHtml}` : ""}</p>
</li>`,
    )
    .join("\n");
  return `${head(course, `${course}: ${lessons.length} lessons`)}
<body class="index">
<header class="site-header"><a class="brand" href="index.html">${escapeHtml(course)}</a></header>
<main class="index-main">
<h1>${escapeHtml(course)}</h1>
<p class="lede">${lessons.length} lessons, about ${minutes} minutes of reading. Each lesson is a Jupyter notebook, shown here with the outputs of a real run; run it yourself to change the code and try the exercises.</p>
${runHowTo(true)}
<ol class="cards">
${cards}
</ol>
</main>
<footer class="site-footer">Built from the executed notebooks. Works offline: every file it needs is in this folder.</footer>
</body>
</html>
`;
}

/** One entry of a lesson's table of contents (the entries are joined by newlines). */
export function tocItemHtml(t: TocEntry): string {
  return `<li class="toc-l${t.level}"><a href="#${t.id}">${t.html}</a></li>`;
}

/** A page's deferred script tags, one a line, in order. */
export function scriptTags(srcs: string[]): string {
  return srcs.map((src) => `<script defer src="${src}"></script>\n`).join("");
}

function tocHtml(toc: TocEntry[]): string {
  if (!toc.length) return "";
  const items = toc.map(tocItemHtml).join("\n");
  return `<nav class="toc" aria-label="On this page"><details open><summary>On this page</summary><ol>
${items}
</ol></details></nav>`;
}

export interface LessonPageArgs {
  course: string;
  lesson: LessonRef;
  index: number;
  lessons: LessonRef[];
  bodyHtml: string;
  toc: TocEntry[];
  plotCount: number;
  /** The page has a live experiment (its section is in bodyHtml): load the live scripts. */
  live?: boolean;
  /** Set for `npm run export`: one self-contained file, no links to the rest of the site. */
  standalone?: Standalone;
}

export function lessonPage(a: LessonPageArgs): string {
  const { info } = a.lesson;
  const alone = a.standalone;
  const prev = a.lessons[a.index - 1];
  const next = a.lessons[a.index + 1];
  const link = (l: LessonRef, rel: string, label: string) =>
    `<a class="pager-${rel}" rel="${rel}" href="${l.page}"><span>${label}</span>${l.info.number}. ${escapeHtml(l.info.title)}</a>`;
  // defer runs them in this order: plotly, then the live experiment (its worker's source first), then site.js
  const scripts = scriptTags([...(a.plotCount ? ["assets/plotly.min.js"] : []), ...(a.live ? LIVE_SCRIPTS : [])]);
  // exercises solved on the page (scripts/site/interactive/exercises): only pages that have one load them
  const exerciseScripts = !alone && a.bodyHtml.includes('class="rnn-exercise"') ? `<script defer src="assets/exercise-runtime.js"></script>\n<script defer src="assets/exercises.js"></script>\n` : "";
  const pageTitle = `${info.number}. ${info.title} — ${a.course}`;
  const libLink = (f: LibRef) => (alone ? `<code>${escapeHtml(f.path)}</code>` : `<a href="${f.page}"><code>${escapeHtml(f.path)}</code></a>`);
  const meta = alone
    ? `${info.readingMinutes} min read · <a href="#run">How to run this lesson</a>`
    : `${info.readingMinutes} min read · <a href="${COURSE_ZIP}" download>Download the course</a> · <a href="#run">How to run this lesson</a>`;
  const brand = alone ? `<span class="brand">${escapeHtml(a.course)}</span>` : `<a class="brand" href="index.html">${escapeHtml(a.course)}</a>`;
  const pager = alone ? "" : `<nav class="pager" aria-label="Lessons">${prev ? link(prev, "prev", "← Previous") : "<span></span>"}${next ? link(next, "next", "Next →") : "<span></span>"}</nav>\n`;
  const footer = alone
    ? `<footer class="site-footer">Lesson ${info.number} of ${escapeHtml(a.course)}, exported as one file with its outputs; it opens offline in any browser.</footer>`
    : `<footer class="site-footer"><a href="index.html">All lessons</a> · <a href="${COURSE_ZIP}" download>Download the course</a></footer>`;
  if (alone && alone.scripts.some((s) => /<\/script/i.test(s))) throw new Error("lessonPage: an inline script contains </script (escape it as <\\/script first)");
  const inline = alone ? alone.scripts.map((s) => `<script>${s}</script>\n`).join("") : "";
  return `${head(pageTitle, stripTags(info.summaryHtml) || info.title, `${scripts}<script defer src="assets/site.js"></script>\n${exerciseScripts}`, "", alone)}
<body class="lesson">
<header class="site-header">${brand}<span class="where">Lesson ${info.number} of ${a.lessons.length}</span></header>
<div class="layout">
${tocHtml(a.toc)}
<main>
<p class="lesson-meta">${meta}</p>
${a.lesson.libFiles.length ? `<p class="lesson-lib">Library code built in this lesson: ${a.lesson.libFiles.map(libLink).join(", ")}</p>\n` : ""}${runHowTo(false, a.lesson, !!alone)}
<article class="notebook">
${a.bodyHtml}
</article>
${pager}</main>
</div>
${footer}
${inline}</body>
</html>
`;
}

export interface LibPageArgs {
  course: string;
  file: LibRef;
  /** The header's provenance line ("Built in lesson 04 (04-bptt).") and the lessons it names. */
  provenance: string;
  lessons: LessonRef[];
  /** The source, already highlighted. */
  codeHtml: string;
}

/** A lib/ source file as a page (site/lib/NAME.html), linked from the lessons that build it. */
export function libPage(a: LibPageArgs): string {
  const built = a.lessons.length
    ? `<p class="lesson-lib">Built in ${a.lessons.map((l) => `<a href="../${l.page}">lesson ${l.info.number}: ${escapeHtml(l.info.title)}</a>`).join(", ")}.</p>`
    : a.provenance ? `<p class="lesson-lib">${escapeHtml(a.provenance.replace(/^\/\/\s*/, ""))}</p>` : "";
  return `${head(`${a.file.path} — ${a.course}`, `${a.file.path}: source code of the course library`, "", "../")}
<body class="lib">
<header class="site-header"><a class="brand" href="../index.html">${escapeHtml(a.course)}</a><span class="where">${escapeHtml(a.file.path)}</span></header>
<main class="lib-main">
<h1><code>${escapeHtml(a.file.path)}</code></h1>
${built}
<pre class="source"><code class="hljs language-typescript">${a.codeHtml}</code></pre>
</main>
<footer class="site-footer"><a href="../index.html">All lessons</a> · <a href="../${COURSE_ZIP}" download>Download the course</a></footer>
</body>
</html>
`;
}
