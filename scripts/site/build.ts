// `npm run site` — builds the static lesson site from the executed notebooks.
//
//   tsx scripts/site/build.ts [--in build/executed] [--out site] [--title "..."]
//
// Reads every NN-name.ipynb of the input folder (in name order), writes site/index.html, one
// NN-name.html per notebook, site/notebooks/NN-name.ipynb (the download) and site/assets/ (shared:
// CSS, KaTeX CSS + fonts, plotly.min.js, site.js). All links are relative: the site works from
// file:// without network and from any static server. The site is written to a temporary folder next
// to the output and renamed into place, so a failed build never leaves half a site.
import * as fs from "fs";
import * as path from "path";
import { folderBytes, writeAssets } from "./assets";
import { parseNotebook, type Notebook } from "../common/nbformat";
import { lessonInfo, renderNotebook } from "./notebook";
import { indexPage, lessonPage, type LessonRef } from "./page";

export const DEFAULT_TITLE = "RNN from scratch, in TypeScript";
const ROOT = path.resolve(__dirname, "../..");

export interface BuildOptions { inDir: string; outDir: string; title?: string; cacheDir?: string; quiet?: boolean }
export interface PageStat { page: string; bytes: number; plots: number; math: number }
export interface BuildReport { seconds: number; pages: PageStat[]; assetBytes: number; plotlyBundle: string; plotlyMinified: boolean }

const NOTEBOOK_NAME = /^(\d+)-[\w.-]+\.ipynb$/;

export async function buildSite(opts: BuildOptions): Promise<BuildReport> {
  const t0 = Date.now();
  const inDir = path.resolve(opts.inDir);
  const outDir = path.resolve(opts.outDir);
  const title = opts.title || DEFAULT_TITLE;
  if (!fs.existsSync(inDir) || !fs.statSync(inDir).isDirectory()) {
    throw new Error(`site: input folder ${inDir} does not exist; run \`npm run execute\` first (or pass --in)`);
  }
  const files = fs.readdirSync(inDir).filter((f) => NOTEBOOK_NAME.test(f)).sort();
  if (!files.length) throw new Error(`site: no NN-name.ipynb notebooks in ${inDir}`);

  const nbs: Notebook[] = [];
  const lessons: LessonRef[] = files.map((f) => {
    const nb = parseNotebook(fs.readFileSync(path.join(inDir, f), "utf8"), f);
    nbs.push(nb);
    const base = f.replace(/\.ipynb$/, "");
    return { info: lessonInfo(nb, f), page: `${base}.html`, notebook: `notebooks/${f}` };
  });

  // Links between notebooks ("02-forward.ipynb#loss") become links between pages.
  const known = new Set(files);
  const rewriteLink = (href: string): string => {
    const m = /^(?:\.\/)?([^/?#]+\.ipynb)(#.*)?$/.exec(href);
    return m && known.has(m[1]) ? m[1].replace(/\.ipynb$/, ".html") + (m[2] || "") : href;
  };

  const tmp = `${outDir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(path.join(tmp, "notebooks"), { recursive: true });
  try {
    const pages: PageStat[] = [];
    let anyPlots = false;
    const traceTypes = new Set<string>();
    lessons.forEach((lesson, i) => {
      const r = renderNotebook(nbs[i], files[i], rewriteLink);
      anyPlots = anyPlots || r.plotCount > 0;
      r.traceTypes.forEach((t) => traceTypes.add(t));
      const html = lessonPage({ course: title, lesson, index: i, lessons, bodyHtml: r.bodyHtml, toc: r.toc, plotCount: r.plotCount });
      fs.writeFileSync(path.join(tmp, lesson.page), html);
      fs.copyFileSync(path.join(inDir, files[i]), path.join(tmp, lesson.notebook));
      pages.push({ page: lesson.page, bytes: Buffer.byteLength(html), plots: r.plotCount, math: r.mathCount });
    });
    const index = indexPage(title, lessons);
    fs.writeFileSync(path.join(tmp, "index.html"), index);
    pages.unshift({ page: "index.html", bytes: Buffer.byteLength(index), plots: 0, math: 0 });
    const assets = await writeAssets(tmp, { traceTypes, withPlotly: anyPlots, cacheDir: opts.cacheDir || path.join(ROOT, "build", ".cache") });

    fs.rmSync(outDir, { recursive: true, force: true });
    fs.renameSync(tmp, outDir);
    const report: BuildReport = {
      seconds: (Date.now() - t0) / 1000,
      pages,
      assetBytes: folderBytes(path.join(outDir, "assets")),
      plotlyBundle: assets.plotlyBundle,
      plotlyMinified: assets.plotlyMinified,
    };
    if (!opts.quiet) printReport(report, outDir, assets.plotlyNote);
    return report;
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function printReport(r: BuildReport, outDir: string, plotlyNote: string): void {
  console.log(`site: ${r.pages.length - 1} lessons -> ${path.relative(process.cwd(), outDir) || "."}/ in ${r.seconds.toFixed(1)} s`);
  for (const p of r.pages) {
    const flag = p.bytes > 300 * 1024 ? "  (over the 300 KB target)" : "";
    console.log(`  ${p.page.padEnd(28)} ${kb(p.bytes).padStart(10)}  ${p.plots} plots, ${p.math} formulas${flag}`);
  }
  console.log(`  shared assets: ${kb(r.assetBytes)} (${r.plotlyBundle}: ${plotlyNote})`);
}

function parseArgs(argv: string[]): BuildOptions {
  const opts: BuildOptions = { inDir: path.join(ROOT, "build", "executed"), outDir: path.join(ROOT, "site") };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`site: ${a} needs a value`);
      return v;
    };
    if (a === "--in") opts.inDir = value();
    else if (a === "--out") opts.outDir = value();
    else if (a === "--title") opts.title = value();
    else if (a === "--help" || a === "-h") {
      console.log("usage: tsx scripts/site/build.ts [--in build/executed] [--out site] [--title TEXT]");
      process.exit(0);
    } else throw new Error(`site: unknown argument ${a} (try --help)`);
  }
  return opts;
}

if (require.main === module) {
  buildSite(parseArgs(process.argv.slice(2))).catch((e: Error) => {
    console.error(e.message);
    process.exit(1);
  });
}
