// Bundles the live experiments for the site (issue 12), with esbuild's JS API at site build time.
//
// The experiments are found, not listed: every experiments/*.ts except _*.ts (helpers) is one, and
// its default export is an Experiment whose `lesson` is the file's name. Two assets come out:
//   assets/live.js         the page runtime (page.ts, host.ts, ui.ts) + every experiment (mount and
//                          compute) + the lib code they use: loaded by every page with an experiment.
//   assets/live-worker.js  `window.__rnnLiveWorkerSource = "..."`: the worker's bundle (worker.ts +
//                          every experiment + lib, no page code) as ONE STRING, which host.ts turns
//                          into a Blob URL for `new Worker`.
// Why a string in a second asset: a worker cannot be started from a file:// URL in Chromium, and a
// page opened from file:// cannot fetch() or XHR a file, so the worker's code must already be in the
// page's memory as text. Of the two ways to get it there, a string literal says plainly what it is;
// the other (one bundle wrapped in a function whose toString() is re-run in the worker) would make the
// worker parse and run the page code too, and depends on toString() returning the exact source.
// Both bundles are ES2020, IIFE, minified, ASCII-only (the page's charset cannot garble them).
import * as fs from "fs";
import * as path from "path";
import type { Experiment } from "./experiment";
import { WORKER_SOURCE_GLOBAL } from "./page";

export const INTERACTIVE_DIR = __dirname;
export const EXPERIMENTS_DIR = path.join(__dirname, "experiments");

export interface LiveExperimentInfo {
  /** the lesson's notebook name, e.g. "05-training" (= the module's file name) */
  lesson: string;
  /** the section heading's title */
  title: string;
  /** the module's path */
  file: string;
}

/** The experiment modules of a folder: *.ts, not _*.ts, sorted by name. */
export function experimentFiles(dir: string = EXPERIMENTS_DIR): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.startsWith("_") && !f.endsWith(".d.ts")).sort().map((f) => path.join(dir, f));
}

/** Imports an experiment module in Node (the tests do too: DOM is touched only inside mount()). */
export function loadExperiment(file: string): Experiment {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const mod = require(file) as { default?: Experiment };
  const exp = mod.default;
  const name = path.basename(file, ".ts");
  const where = `live experiment ${path.relative(process.cwd(), file)}`;
  if (!exp || typeof exp !== "object") throw new Error(`${where}: its default export must be an Experiment, got ${typeof exp}`);
  if (exp.lesson !== name) throw new Error(`${where}: lesson is ${JSON.stringify(exp.lesson)}, expected "${name}" (the file's name)`);
  if (typeof exp.title !== "string" || !exp.title.trim()) throw new Error(`${where}: title must be a non-empty string`);
  if (typeof exp.compute !== "function" || typeof exp.mount !== "function") throw new Error(`${where}: compute and mount must be functions`);
  return exp;
}

/** Every experiment of the folder, checked, with its lesson and title. */
export function findExperiments(dir: string = EXPERIMENTS_DIR): LiveExperimentInfo[] {
  return experimentFiles(dir).map((file) => {
    const e = loadExperiment(file);
    return { lesson: e.lesson, title: e.title, file };
  });
}

export interface LiveAsset { name: string; code: string }
export interface LiveBundle { experiments: LiveExperimentInfo[]; assets: LiveAsset[] }

/** An entry module importing every experiment and handing them to `start` of `runtime`. */
function entry(runtime: string, start: string, files: string[]): string {
  const rel = (f: string) => "./" + path.relative(INTERACTIVE_DIR, f).split(path.sep).join("/").replace(/\.ts$/, "");
  return [
    `import { ${start} } from ${JSON.stringify(rel(runtime))};`,
    ...files.map((f, i) => `import e${i} from ${JSON.stringify(rel(f))};`),
    `${start}([${files.map((_f, i) => `e${i}`).join(", ")}]);`,
  ].join("\n");
}

async function build(contents: string, name: string): Promise<string> {
  const esbuild: typeof import("esbuild") = require("esbuild");
  try {
    const out = await esbuild.build({
      stdin: { contents, resolveDir: INTERACTIVE_DIR, sourcefile: name, loader: "ts" },
      bundle: true, format: "iife", target: "es2020", platform: "browser", minify: true,
      charset: "ascii", legalComments: "eof", write: false, logLevel: "silent",
    });
    return out.outputFiles[0].text;
  } catch (e) {
    const errors = (e as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors;
    const why = errors?.length ? errors.map((m) => `${m.location ? `${m.location.file}:${m.location.line}: ` : ""}${m.text}`).join("; ") : (e as Error).message;
    throw new Error(`site: bundling the live experiments (${name}) failed: ${why}`);
  }
}

/** The two live assets, or none when there is no experiment. */
export async function bundleLive(dir: string = EXPERIMENTS_DIR): Promise<LiveBundle> {
  const experiments = findExperiments(dir);
  if (!experiments.length) return { experiments, assets: [] };
  const files = experiments.map((e) => e.file);
  const [page, worker] = await Promise.all([
    build(entry(path.join(INTERACTIVE_DIR, "page.ts"), "startPage", files), "live-page-entry.ts"),
    build(entry(path.join(INTERACTIVE_DIR, "worker.ts"), "serveExperiments", files), "live-worker-entry.ts"),
  ]);
  return {
    experiments,
    assets: [
      { name: "live-worker.js", code: `window.${WORKER_SOURCE_GLOBAL}=${JSON.stringify(worker)};\n` },
      { name: "live.js", code: page },
    ],
  };
}
