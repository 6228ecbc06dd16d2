// The two page templates: the course index and a lesson. Plain functions returning HTML strings;
// every link is relative, so the site works from file:// and from any static server.
import { escapeHtml, type TocEntry } from "./markdown";
import type { LessonInfo } from "./notebook";

export interface LessonRef { info: LessonInfo; page: string; notebook: string }

const stripTags = (html: string) => html.replace(/<span class="katex-mathml">[\s\S]*?<\/math><\/span>/g, "").replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");

function head(title: string, description: string, extra = ""): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<meta name="description" content="${escapeHtml(description)}">
<link rel="stylesheet" href="assets/katex/katex.min.css">
<link rel="stylesheet" href="assets/site.css">
${extra}</head>`;
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
<p class="lede">${lessons.length} lessons, about ${minutes} minutes of reading. Each lesson is a Jupyter notebook, shown here with the outputs of a real run; download it to run and change the code yourself.</p>
<ol class="cards">
${cards}
</ol>
</main>
<footer class="site-footer">Built from the executed notebooks. Works offline: every file it needs is in this folder.</footer>
</body>
</html>
`;
}

function tocHtml(toc: TocEntry[]): string {
  if (!toc.length) return "";
  const items = toc.map((t) => `<li class="toc-l${t.level}"><a href="#${t.id}">${t.html}</a></li>`).join("\n");
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
}

export function lessonPage(a: LessonPageArgs): string {
  const { info } = a.lesson;
  const prev = a.lessons[a.index - 1];
  const next = a.lessons[a.index + 1];
  const link = (l: LessonRef, rel: string, label: string) =>
    `<a class="pager-${rel}" rel="${rel}" href="${l.page}"><span>${label}</span>${l.info.number}. ${escapeHtml(l.info.title)}</a>`;
  const scripts = a.plotCount ? `<script defer src="assets/plotly.min.js"></script>\n` : "";
  const pageTitle = `${info.number}. ${info.title} — ${a.course}`;
  return `${head(pageTitle, stripTags(info.summaryHtml) || info.title, `${scripts}<script defer src="assets/site.js"></script>\n`)}
<body class="lesson">
<header class="site-header"><a class="brand" href="index.html">${escapeHtml(a.course)}</a><span class="where">Lesson ${info.number} of ${a.lessons.length}</span></header>
<div class="layout">
${tocHtml(a.toc)}
<main>
<p class="lesson-meta">${info.readingMinutes} min read · <a href="${a.lesson.notebook}" download>Download the notebook</a></p>
<article class="notebook">
${a.bodyHtml}
</article>
<nav class="pager" aria-label="Lessons">${prev ? link(prev, "prev", "← Previous") : "<span></span>"}${next ? link(next, "next", "Next →") : "<span></span>"}</nav>
</main>
</div>
<footer class="site-footer"><a href="index.html">All lessons</a> · <a href="${a.lesson.notebook}" download>Download this notebook</a></footer>
</body>
</html>
`;
}
