// `npm run export -- <lesson>` — one executed lesson as ONE self-contained HTML file, fit to send to
// someone: text, code, outputs, formulas (KaTeX, fonts inlined), plots (plotly.js inlined) and solutions
// (folded), with no link to anything outside the file. It opens offline from any folder, in any
// browser, and makes no network request. Like the site's pages it has a Content-Security-Policy: only
// its own inline scripts run, allowed by their SHA-256 hashes.
//
//   npm run export -- 04-bptt [--in build/executed] [--out build/export/04-bptt.html]
//
// The lesson must have been executed first (`npm run execute -- 04-bptt`, or `npm start`).
import * as path from "path";
import { writeFileAtomic } from "../lib/files";
import { loadCourse } from "./site/build";
import { renderNotebook } from "./site/notebook";
import { lessonPage } from "./site/page";
import { katexCssInline, plotlyBundle, siteCss, siteJs } from "./site/assets";
import { findExperiments } from "./site/interactive/bundle";
import { insertLiveSection } from "./site/live";

const ROOT = path.resolve(__dirname, "..");
const DEFAULT_TITLE = "RNN from scratch, in TypeScript";

export interface ExportOptions { lesson: string; inDir?: string; outFile?: string; root?: string; cacheDir?: string }

// An inline script must not contain "</script": written as "<\/script", which means the same in JS.
const inlineSafe = (js: string) => js.replace(/<\/script/gi, "<\\/script");

/** Writes the one-file page of a lesson; returns its path and size. */
export async function exportLesson(opts: ExportOptions): Promise<{ file: string; bytes: number; plots: number }> {
  const root = path.resolve(opts.root || ROOT);
  const inDir = path.resolve(opts.inDir || path.join(root, "build", "executed"));
  const course = loadCourse(inDir, root);
  const want = opts.lesson.replace(/\.(ipynb|html)$/, "").replace(/^.*\//, "");
  const i = course.files.findIndex((f) => f.replace(/\.ipynb$/, "") === want || f.startsWith(`${want}-`) || (/^\d+$/.test(want) && Number(f.split("-")[0]) === Number(want)));
  if (i < 0) {
    throw new Error(`export: no executed lesson "${opts.lesson}" in ${inDir} (have: ${course.files.map((f) => f.replace(/\.ipynb$/, "")).join(", ")}); run \`npm run execute -- ${want}\` first`);
  }
  const file = course.files[i];
  // links to other lessons lead nowhere from a lone file: they become plain text
  const r = renderNotebook(course.nbs[i], file, (href) => (course.rewriteLink(href) !== href ? null : href), course.solutionsOf(file));
  const scripts: string[] = [];
  if (r.plotCount) {
    const p = await plotlyBundle(opts.cacheDir || path.join(root, "build", ".cache"), r.traceTypes);
    scripts.push(inlineSafe(p.code.toString("utf8")));
  }
  scripts.push(inlineSafe(siteJs()));
  const lesson = course.lessons[i];
  // A lesson's live experiment is not in the one-file page (it would need the worker's source and a
  // CSP with worker-src blob:); its section stays, saying where the experiment runs.
  const exp = findExperiments().find((e) => `${e.lesson}.ipynb` === file);
  const { bodyHtml, toc } = exp ? insertLiveSection(r.bodyHtml, r.toc, exp, true) : r;
  const html = lessonPage({
    course: DEFAULT_TITLE, lesson, index: i, lessons: course.lessons, bodyHtml, toc, plotCount: r.plotCount,
    standalone: { css: katexCssInline() + "\n" + siteCss(), scripts },
  });
  const out = path.resolve(opts.outFile || path.join(root, "build", "export", file.replace(/\.ipynb$/, ".html")));
  writeFileAtomic(out, html);
  return { file: out, bytes: Buffer.byteLength(html), plots: r.plotCount };
}

function parseArgs(argv: string[]): ExportOptions {
  let lesson = "";
  const opts: Partial<ExportOptions> = {};
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    const value = () => {
      const v = argv[++k];
      if (v === undefined) throw new Error(`export: ${a} needs a value`);
      return v;
    };
    if (a === "--in") opts.inDir = value();
    else if (a === "--out") opts.outFile = value();
    else if (a === "--help" || a === "-h") {
      console.log("usage: npm run export -- <lesson, e.g. 04-bptt> [--in build/executed] [--out FILE.html]");
      process.exit(0);
    } else if (a.startsWith("-")) throw new Error(`export: unknown option ${a} (try --help)`);
    else if (lesson) throw new Error(`export: one lesson at a time (got "${lesson}" and "${a}")`);
    else lesson = a;
  }
  if (!lesson) throw new Error("export: name the lesson, e.g. `npm run export -- 04-bptt`");
  return { ...opts, lesson };
}

if (require.main === module) {
  (async () => {
    const r = await exportLesson(parseArgs(process.argv.slice(2)));
    console.log(`export: ${path.relative(process.cwd(), r.file)} (${(r.bytes / 1024 / 1024).toFixed(1)} MB, ${r.plots} plots; one file, works offline)`);
  })().catch((e: Error) => {
    console.error(e.message);
    process.exit(1);
  });
}
