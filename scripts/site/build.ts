// `npm run site` — builds the static lesson site from the executed notebooks.
//
//   tsx scripts/site/build.ts [--in build/executed] [--out site] [--title "..."]
//
// Reads every NN-name.ipynb of the input folder (in name order; 00-start-here is skipped: it is the
// JupyterLab start page, and the index page here says the same things) and the solutions notebooks in
// its solutions/ folder (shown behind "Show solution" after each exercise; no page of their own).
// Writes site/index.html, one NN-name.html per lesson, site/lib/NAME.html (the library's sources, linked
// from the lessons that build them), site/notebooks/NN-name.ipynb (the executed notebook),
// site/rnn-from-scratch.zip (the course, to run it) and site/assets/ (shared: CSS, KaTeX CSS + fonts,
// plotly.min.js, site.js). All links are relative: the site works from file:// without network and
// from any static server.
//
// The output folder is only ever replaced if the builder made it: the site is built in a new hidden
// folder beside it, marked with a .rnn-site file, then swapped into place; an existing folder without
// that marker (other than an empty one, or a site of an older builder: nothing but its own names) is refused, and so is an output folder that is or holds the
// input folder or the project. A failed build leaves the old site as it was.
import * as fs from "fs";
import * as path from "path";
import { folderBytes, writeAssets } from "./assets";
import { parseNotebook, type Notebook } from "../common/nbformat";
import { lessonInfo, renderNotebook, type Solutions } from "./notebook";
import { highlight, type TocEntry } from "./markdown";
import { indexPage, lessonPage, libPage, scriptTags, tocItemHtml, COURSE_ZIP, type LessonRef, type LibRef } from "./page";
import { libProvenance, type LibProvenance } from "./provenance";
import { courseZip } from "./course-zip";
import { bundleLive } from "./interactive/bundle";
import { insertLiveSection, writeLiveAssets, LIVE_ID, LIVE_SCRIPTS, type LiveAssetStat } from "./live";
import { availableModules, writeExerciseAssets, type ExerciseAssets } from "./interactive/exercises/bundle";

export const DEFAULT_TITLE = "RNN from scratch, in TypeScript";
const ROOT = path.resolve(__dirname, "../..");

export interface BuildOptions {
  inDir: string;
  outDir: string;
  title?: string;
  cacheDir?: string;
  quiet?: boolean;
  /** The project whose lib/ and files the site links to and zips (default: this checkout). */
  root?: string;
}
export interface PageStat {
  page: string;
  bytes: number;
  plots: number;
  math: number;
  /** what the live experiment adds to the page's HTML (its section, TOC entry and script tags); 0 without one */
  liveBytes?: number;
}
export interface BuildReport {
  seconds: number;
  pages: PageStat[];
  assetBytes: number;
  plotlyBundle: string;
  plotlyMinified: boolean;
  zipBytes: number;
  zipFiles: number;
  libPages: number;
  /** Per lesson page, the exercise numbers shown with a solution. */
  solutions: Record<string, string[]>;
  /** The live experiments (issue 12): the lessons that have one, and the shared assets they load. */
  live: { lessons: string[]; assets: LiveAssetStat[] };
  /** Issue 12 exercises: sizes of assets/exercises.js and assets/exercise-runtime.js (null: no page has an exercise). */
  exerciseAssets: ExerciseAssets | null;
}

const NOTEBOOK_NAME = /^(\d+)-[\w.-]+\.ipynb$/;
/** Notebooks that are not lessons: 00-start-here is JupyterLab's start page (the index page plays its part). */
const NOT_A_LESSON = /^00-/;

/** The file in every built site that marks the folder as the builder's (and so replaceable). */
export const SITE_MARKER = ".rnn-site";
const MARKER_TEXT = "Made by scripts/site/build.ts (npm run site). The builder replaces this folder on its next run.\n";

const isInside = (child: string, parent: string) => {
  const rel = path.relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
};

/**
 * Throws, with a message saying why and what to do, unless outDir may be (re)placed by a build: it must
 * not be or hold the input folder or the project root, and must be missing, an empty folder, or a
 * folder carrying the builder's marker. Changes nothing.
 */
export function checkOutDir(outDir: string, inDir: string, root: string = ROOT): void {
  const out = path.resolve(outDir);
  const refuse = (why: string) => {
    throw new Error(`site: refusing to write the site to ${out}: ${why}. Nothing was changed; pass --out with a new or empty folder.`);
  };
  if (isInside(path.resolve(inDir), out)) refuse(`it ${out === path.resolve(inDir) ? "is" : "holds"} the input folder ${path.resolve(inDir)}`);
  if (isInside(path.resolve(root), out)) refuse(`it ${out === path.resolve(root) ? "is" : "holds"} the project folder ${path.resolve(root)}`);
  let st: fs.Stats;
  try {
    st = fs.lstatSync(out);
  } catch {
    return; // missing: fine
  }
  if (st.isSymbolicLink()) refuse("it is a symbolic link");
  if (!st.isDirectory()) refuse("it is a file, not a folder");
  const names = fs.readdirSync(out);
  if (names.length === 0) return;
  const marker = path.join(out, SITE_MARKER);
  let ours = false;
  try {
    ours = fs.lstatSync(marker).isFile() && fs.readFileSync(marker, "utf8") === MARKER_TEXT;
  } catch {
    ours = false;
  }
  if (!ours && !isUnmarkedSite(out, names)) refuse(`the folder is not empty and was not made by the site builder (it has no ${SITE_MARKER} file)`);
}

/**
 * A site written by the builder before it marked its folders: only the names it wrote (index.html,
 * NN-name.html, assets/ with site.js, notebooks/), so `npm start` can still replace it after an update.
 */
function isUnmarkedSite(out: string, names: string[]): boolean {
  return (
    names.includes("index.html") &&
    names.every((n) => /^(index\.html|\d+-[\w.-]+\.html|assets|notebooks)$/.test(n)) &&
    fs.existsSync(path.join(out, "assets", "site.js"))
  );
}

/** Moves the finished build `tmp` to `outDir`, replacing an old site (checked again just before). */
function swapIntoPlace(tmp: string, outDir: string, inDir: string, root: string): void {
  checkOutDir(outDir, inDir, root);
  if (!fs.existsSync(outDir)) {
    fs.renameSync(tmp, outDir);
    return;
  }
  const old = `${path.join(path.dirname(outDir), "." + path.basename(outDir))}.old-${process.pid}-${Date.now()}`;
  fs.renameSync(outDir, old);
  try {
    fs.renameSync(tmp, outDir);
  } catch (e) {
    fs.renameSync(old, outDir); // put the old site back
    throw e;
  }
  fs.rmSync(old, { recursive: true, force: true }); // the old site: empty or marked as ours above
}

/** The lessons of an input folder, read and checked: what the site and `npm run export` render. */
export interface Course {
  files: string[];
  nbs: Notebook[];
  lessons: LessonRef[];
  lib: LibProvenance[];
  libRef: (p: string) => LibRef;
  solutionsOf: (f: string) => Solutions | null;
  rewriteLink: (href: string) => string;
}

export function loadCourse(inDir: string, root: string): Course {
  if (!fs.existsSync(inDir) || !fs.statSync(inDir).isDirectory()) {
    throw new Error(`site: input folder ${inDir} does not exist; run \`npm run execute\` first (or pass --in)`);
  }
  const files = fs.readdirSync(inDir).filter((f) => NOTEBOOK_NAME.test(f) && !NOT_A_LESSON.test(f)).sort();
  if (!files.length) throw new Error(`site: no NN-name.ipynb notebooks in ${inDir}`);
  const lib = libProvenance(root);
  const libRef = (p: string) => ({ path: p, page: `lib/${p.replace(/^lib\//, "").replace(/\.ts$/, "")}.html` });
  const nbs: Notebook[] = [];
  const lessons: LessonRef[] = files.map((f) => {
    const nb = parseNotebook(fs.readFileSync(path.join(inDir, f), "utf8"), f);
    nbs.push(nb);
    const base = f.replace(/\.ipynb$/, "");
    const info = lessonInfo(nb, f);
    const libFiles = lib.filter((l) => l.lessons.includes(info.number)).map((l) => libRef(l.path));
    return { info, page: `${base}.html`, notebook: `notebooks/${f}`, libFiles };
  });
  const solutionsOf = (f: string): Solutions | null => {
    const p = path.join(inDir, "solutions", f);
    return fs.existsSync(p) ? { nb: parseNotebook(fs.readFileSync(p, "utf8"), `solutions/${f}`), file: `solutions/${f}` } : null;
  };
  // Links between notebooks ("02-forward.ipynb#loss") become links between pages.
  const known = new Set(files);
  // A lesson's link to its solutions notebook ("solutions/02-forward.ipynb") becomes a link to the page's
  // Exercises section, where each solution sits behind "Show solution".
  const rewriteLink = (href: string): string => {
    const m = /^(?:\.\/)?([^/?#]+\.ipynb)(#.*)?$/.exec(href);
    if (m && known.has(m[1])) return m[1].replace(/\.ipynb$/, ".html") + (m[2] || "");
    const s = /^(?:\.\/)?solutions\/([^/?#]+\.ipynb)$/.exec(href);
    return s && known.has(s[1]) ? s[1].replace(/\.ipynb$/, ".html") + "#exercises" : href;
  };
  return { files, nbs, lessons, lib, libRef, solutionsOf, rewriteLink };
}

/**
 * What a live experiment adds to its lesson page: the section inserted into the body (with its
 * newline), its line in the table of contents, and the tags of the live scripts. (A lesson with no
 * headings would also gain the TOC's frame, not counted here; every lesson has headings.)
 */
export function liveAddedBytes(bodyHtml: string, liveBodyHtml: string, liveToc: TocEntry[]): number {
  const entry = liveToc.find((t) => t.id === LIVE_ID);
  if (!entry) throw new Error(`site: the live section's TOC entry (#${LIVE_ID}) is missing`);
  return Buffer.byteLength(liveBodyHtml) - Buffer.byteLength(bodyHtml) + Buffer.byteLength(`${tocItemHtml(entry)}\n`) + Buffer.byteLength(scriptTags(LIVE_SCRIPTS));
}

export async function buildSite(opts: BuildOptions): Promise<BuildReport> {
  const t0 = Date.now();
  const inDir = path.resolve(opts.inDir);
  const outDir = path.resolve(opts.outDir);
  const root = path.resolve(opts.root || ROOT);
  const title = opts.title || DEFAULT_TITLE;
  checkOutDir(outDir, inDir, root);
  const { files, nbs, lessons, lib, libRef, solutionsOf, rewriteLink } = loadCourse(inDir, root);

  fs.mkdirSync(path.dirname(outDir), { recursive: true });
  const tmp = fs.mkdtempSync(path.join(path.dirname(outDir), `.${path.basename(outDir)}.building-`));
  try {
    fs.chmodSync(tmp, 0o755); // mkdtemp makes it private; a site is for reading
    fs.mkdirSync(path.join(tmp, "notebooks"));
    const live = await bundleLive(); // the live experiments: found in scripts/site/interactive/experiments/
    const pages: PageStat[] = [];
    const solutions: Record<string, string[]> = {};
    let anyPlots = false;
    let anyExercises = false; // a page with an exercise cell loads the exercise assets (page.ts)
    const traceTypes = new Set<string>();
    // what an exercise's prelude may require: this course's lib/ and notebooks/course/, read once per build
    const exerciseModules = new Set(availableModules());
    lessons.forEach((lesson, i) => {
      const r = renderNotebook(nbs[i], files[i], rewriteLink, solutionsOf(files[i]), exerciseModules);
      anyPlots = anyPlots || r.plotCount > 0;
      anyExercises = anyExercises || r.bodyHtml.includes('class="rnn-exercise"');
      r.traceTypes.forEach((t) => traceTypes.add(t));
      solutions[lesson.page] = r.solutionsShown;
      const args = { course: title, lesson, index: i, lessons, bodyHtml: r.bodyHtml, toc: r.toc, plotCount: r.plotCount };
      const exp = live.experiments.find((e) => `${e.lesson}.ipynb` === files[i]);
      const withLive = exp ? insertLiveSection(r.bodyHtml, r.toc, exp) : undefined;
      const html = lessonPage(withLive ? { ...args, ...withLive, live: true } : args);
      fs.writeFileSync(path.join(tmp, lesson.page), html);
      fs.copyFileSync(path.join(inDir, files[i]), path.join(tmp, lesson.notebook));
      const liveBytes = withLive ? liveAddedBytes(r.bodyHtml, withLive.bodyHtml, withLive.toc) : 0;
      pages.push({ page: lesson.page, bytes: Buffer.byteLength(html), plots: r.plotCount, math: r.mathCount, liveBytes });
    });
    const index = indexPage(title, lessons);
    fs.writeFileSync(path.join(tmp, "index.html"), index);
    pages.unshift({ page: "index.html", bytes: Buffer.byteLength(index), plots: 0, math: 0 });
    for (const l of lib) {
      const ref = libRef(l.path);
      const builtIn = lessons.filter((x) => l.lessons.includes(x.info.number));
      const html = libPage({ course: title, file: ref, provenance: l.line, lessons: builtIn, codeHtml: highlight(l.source, "typescript") });
      fs.mkdirSync(path.dirname(path.join(tmp, ref.page)), { recursive: true });
      fs.writeFileSync(path.join(tmp, ref.page), html.replace(/href="\.\.\//g, `href="${"../".repeat(ref.page.split("/").length - 1)}`));
    }
    const z = courseZip(root);
    fs.writeFileSync(path.join(tmp, COURSE_ZIP), z.zip);
    const liveAssets = writeLiveAssets(tmp, live.assets);
    const assets = await writeAssets(tmp, { traceTypes, withPlotly: anyPlots, cacheDir: opts.cacheDir || path.join(root, "build", ".cache") });
    // --- issue 12, exercises solved on the page: assets/exercises.js + assets/exercise-runtime.js ---
    // Only when a page has an exercise. The check runtime is this course's lib/ and notebooks/course/,
    // as the preludes made in notebook.ts are, whatever project `root` names for the lib pages and zip.
    const exerciseAssets = anyExercises ? await writeExerciseAssets(path.join(tmp, "assets")) : null;
    fs.writeFileSync(path.join(tmp, SITE_MARKER), MARKER_TEXT);
    swapIntoPlace(tmp, outDir, inDir, root);
    const report: BuildReport = {
      seconds: (Date.now() - t0) / 1000,
      pages,
      assetBytes: folderBytes(path.join(outDir, "assets")),
      plotlyBundle: assets.plotlyBundle,
      plotlyMinified: assets.plotlyMinified,
      zipBytes: z.zip.length,
      zipFiles: z.files,
      libPages: lib.length,
      solutions,
      live: { lessons: live.experiments.map((e) => e.lesson), assets: liveAssets },
      exerciseAssets,
    };
    if (!opts.quiet) printReport(report, outDir, assets.plotlyNote);
    return report;
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true }); // made by mkdtemp above: ours
    throw e;
  }
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function printReport(r: BuildReport, outDir: string, plotlyNote: string): void {
  console.log(`site: ${r.pages.length - 1} lessons -> ${path.relative(process.cwd(), outDir) || "."}/ in ${r.seconds.toFixed(1)} s`);
  for (const p of r.pages) {
    const flag = p.bytes > 300 * 1024 ? "  (over the 300 KB target)" : "";
    const liveNote = p.liveBytes ? `, live experiment +${kb(p.liveBytes)}` : "";
    console.log(`  ${p.page.padEnd(28)} ${kb(p.bytes).padStart(10)}  ${p.plots} plots, ${p.math} formulas${liveNote}${flag}`);
  }
  const liveAssets = r.live.assets.map((a) => `${a.name} ${kb(a.bytes)}`).join(", ");
  console.log(`  live experiments: ${r.live.lessons.length} (${r.live.lessons.join(", ") || "none"})${liveAssets ? `; shared: ${liveAssets}` : ""}`);
  if (r.exerciseAssets) console.log(`  exercises (shared, on pages with exercises): exercises.js ${kb(r.exerciseAssets.pageBytes)}, exercise-runtime.js ${kb(r.exerciseAssets.runtimeBytes)}`);
  console.log(`  shared assets: ${kb(r.assetBytes)} (${r.plotlyBundle}: ${plotlyNote}); ${r.libPages} library pages; course download ${COURSE_ZIP}: ${kb(r.zipBytes)}, ${r.zipFiles} files`);
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
