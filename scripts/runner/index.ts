// Run notebooks through a real Jupyter server, the way a learner's Jupyter would: one session and
// kernel per notebook, the cells in order, every output recorded as nbformat. Modelled on nbclient
// and papermill, but fail-fast: the first failing cell stops the notebook with a message naming
// notebook, cell, its first line and the kernel's error text, and nothing is written for it.
// The pieces, as nbclient's: session.ts (one kernel: start, death watch, iopub, shut down),
// cell.ts (execute one cell, return how it ended), and here the loop over cells and notebooks.
//
//   const result = await executeNotebooks(["notebooks/01-data.ipynb"], { timeoutSec: 60 });
//   if (!result.ok) console.error(result.failures[0].message);
import * as fs from "fs";
import * as path from "path";
import WebSocket from "ws";
import { KernelManager, ServerConnection, SessionManager } from "@jupyterlab/services";
import { type CellLimits, executeCell } from "./cell";
import { type CellFailure, failure, RunnerInputError } from "./errors";
import { PROJECT_ROOT } from "./kernelspec";
import { type Notebook, joinText, parseNotebook, writeNotebook } from "../common/nbformat";
import { validateNotebook } from "../common/nbformat-schema";
import { lockOutputDir, type OutputLock } from "./output-dir";
import { DEFAULT_MAX_OUTPUT_BYTES, OutputCollector, stripAnsi } from "./outputs";
import { type RunningServer, startJupyterServer } from "./server";
import { KernelSession } from "./session";
import { trustNotebooks } from "./trust";

export { JupyterNotFoundError } from "./server";
export { RunnerInputError } from "./errors";
export type { CellFailure } from "./errors";

export interface ExecuteOptions {
  /** Where executed notebooks go. Default <project>/build/executed. A notebook below `sourceDir`
   *  keeps its path relative to it (notebooks/solutions/x.ipynb -> solutions/x.ipynb); any other
   *  goes in by its file name. */
  outputDir?: string;
  /** Default <project>/notebooks. */
  sourceDir?: string;
  /** Write executed notebooks (default true). */
  write?: boolean;
  /** Per-cell time limit in seconds (default 120). */
  timeoutSec?: number;
  /** After a burst of at least 200 output lines, this long without a message from the kernel
   *  means tslab has stalled (default 30 s; see docs/ARCHITECTURE.md). */
  stallSec?: number;
  /** What one cell may print before its output is cut (default 20 MB). */
  maxOutputBytes?: number;
  /** Mark written notebooks trusted with `jupyter trust` (default true). */
  trust?: boolean;
  /** Time limit for a kernel to start, in seconds (default 60). */
  kernelStartTimeoutSec?: number;
  /** Use a running server instead of starting one (its root must be `rootDir`). */
  serverUrl?: string;
  token?: string;
  /** The server's root folder; session paths are relative to it. Default: the project root, or
   *  (for a server we start) the nearest folder holding all the notebooks if they lie outside it. */
  rootDir?: string;
  /** Kernel name; default: the notebook's metadata.kernelspec.name, else "tslab". */
  kernelName?: string;
  /** Run the remaining notebooks after one fails (default false: stop at the first failure). */
  keepGoing?: boolean;
  /** Abort the run (Ctrl-C): the running cell is interrupted and everything is shut down. */
  signal?: AbortSignal;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** Chatter from the Jupyter client library (default: dropped). */
  verboseLog?: (line: string) => void;
  /** Environment for the server we start and for `jupyter trust` (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface CellTiming { cell: number; firstLine: string; ms: number }

export interface NotebookResult {
  path: string;
  ok: boolean;
  /** The executed notebook (also when not written). Absent when the run failed. */
  notebook?: Notebook;
  outputPath?: string;
  kernelStartSeconds: number;
  seconds: number;
  cells: CellTiming[];
  failure?: CellFailure;
}

export interface ExecuteResult {
  ok: boolean;
  serverStartSeconds: number;
  serverUrl: string;
  notebooks: NotebookResult[];
  failures: CellFailure[];
  seconds: number;
}


const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The cell's first non-empty line, shortened for messages. */
export function firstLineOf(source: string): string {
  const line = (source.split("\n").find((l) => l.trim() !== "") ?? "").trim();
  return line.length > 80 ? line.slice(0, 77) + "..." : line;
}

/** A path relative to the working directory when it lies inside it, else absolute. */
function displayPath(p: string): string {
  const r = path.relative(process.cwd(), p);
  return r && !r.startsWith("..") ? r : p;
}

function commonDir(files: string[]): string {
  let dir = path.dirname(files[0]);
  while (!files.every((f) => f === dir || f.startsWith(dir + path.sep))) dir = path.dirname(dir);
  return dir;
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}

/** A promise that rejects when signal aborts, plus a way to stop listening. */
function abortPromise(signal: AbortSignal | undefined): { promise: Promise<never>; dispose: () => void } {
  if (!signal) return { promise: new Promise<never>(() => undefined), dispose: () => undefined };
  let onAbort: () => void = () => undefined;
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(new Error(String(signal.reason ?? "aborted")));
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  promise.catch(() => undefined);
  return { promise, dispose: () => signal.removeEventListener("abort", onAbort) };
}

/**
 * @jupyterlab/services was written for a browser console: it logs every WebSocket it opens and every
 * reconnect, and when its managers and connections are disposed it leaves promises rejected with
 * nobody to catch them ("Kernel connection disconnected", "Poll (...) is disposed"). While the
 * runner works, send those lines and rejections to `log`, and never crash on one; returns the
 * function that undoes this.
 */
function quietServices(log: (line: string) => void): () => void {
  const noisy = /^(Starting WebSocket|Connection lost, reconnecting|Kernel connection disconnected|Kernel: )/;
  const { debug, warn } = console;
  console.debug = (...args: unknown[]) => (noisy.test(String(args[0])) ? log(String(args[0])) : debug(...args));
  console.warn = (...args: unknown[]) => (noisy.test(String(args[0])) ? log(String(args[0])) : warn(...args));
  const onRejection = (reason: unknown) => {
    const message = reason instanceof Error ? reason.message : String(reason);
    // Every promise the runner itself awaits has a handler: an unhandled one comes from the client
    // library's internals, which the runner has already stopped using.
    log(`unhandled rejection in the Jupyter client library (ignored): ${message}`);
  };
  process.on("unhandledRejection", onRejection);
  return () => {
    console.debug = debug;
    console.warn = warn;
    // Late rejections from connections disposed at the very end still need the guard for a moment.
    setTimeout(() => process.removeListener("unhandledRejection", onRejection), 1000).unref();
  };
}

function kernelNameOf(nb: Notebook, options: ExecuteOptions): string {
  return options.kernelName ?? ((nb.metadata?.kernelspec as { name?: string } | undefined)?.name || "tslab");
}

/** Read and validate a notebook; a RunnerInputError names the file, cell and field. */
function loadNotebook(file: string, label: string): Notebook {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new RunnerInputError(`cannot read notebook ${label}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    const nb = parseNotebook(text, label);
    validateNotebook(nb, label);
    return nb;
  } catch (e) {
    throw new RunnerInputError((e as Error).message);
  }
}

/** A notebook to run: where it is, what to call it, where its executed copy goes. */
interface Job { file: string; label: string; source: Notebook; outputPath: string }

/** Check everything that can be checked before a server starts; throws RunnerInputError. */
function planJobs(paths: string[], options: ExecuteOptions, outputDir: string): Job[] {
  if (paths.length === 0) throw new RunnerInputError("executeNotebooks: no notebooks given");
  const sourceDir = path.resolve(options.sourceDir ?? path.join(PROJECT_ROOT, "notebooks"));
  const byOutput = new Map<string, string>();
  const jobs = paths.map((label) => {
    const file = path.resolve(label);
    if (!fs.existsSync(file)) throw new RunnerInputError(`notebook ${label} does not exist`);
    const outputPath = path.join(outputDir, isInside(file, sourceDir) ? path.relative(sourceDir, file) : path.basename(file));
    const other = byOutput.get(outputPath);
    if (other && other !== file) throw new RunnerInputError(`${other} and ${file} would both be written to ${displayPath(outputPath)}`);
    byOutput.set(outputPath, file);
    return { file, label, source: {} as Notebook, outputPath };
  });
  // Every notebook is read and validated first: a malformed one fails before any server starts.
  for (const job of jobs) job.source = loadNotebook(job.file, job.label);
  return jobs;
}

export async function executeNotebooks(paths: string[], options: ExecuteOptions = {}): Promise<ExecuteResult> {
  const t0 = Date.now();
  const log = options.log ?? (() => undefined);
  const outputDir = path.resolve(options.outputDir ?? path.join(PROJECT_ROOT, "build", "executed"));
  const jobs = planJobs(paths, options, outputDir);
  const files = jobs.map((j) => j.file);

  let rootDir = path.resolve(options.rootDir ?? PROJECT_ROOT);
  if (!options.rootDir && !options.serverUrl && !files.every((f) => isInside(f, rootDir))) rootDir = commonDir(files);
  for (const f of files) {
    if (!isInside(f, rootDir)) throw new RunnerInputError(`${f} is outside the server's root folder ${rootDir}`);
  }
  const write = options.write !== false;
  const lock: OutputLock | null = write ? lockOutputDir(outputDir) : null;

  const restoreConsole = quietServices(options.verboseLog ?? (() => undefined));
  let server: RunningServer | null = null;
  const exitGuard = () => server?.killNow();
  process.on("exit", exitGuard);
  const result: ExecuteResult = { ok: false, serverStartSeconds: 0, serverUrl: "", notebooks: [], failures: [], seconds: 0 };
  let kernelManager: KernelManager | null = null;
  let sessionManager: SessionManager | null = null;
  try {
    let baseUrl: string;
    let token: string;
    if (options.serverUrl) {
      baseUrl = options.serverUrl.endsWith("/") ? options.serverUrl : options.serverUrl + "/";
      token = options.token ?? "";
      log(`using the Jupyter server at ${baseUrl}`);
    } else {
      server = await startJupyterServer({ root: rootDir, env: options.env, log: undefined });
      baseUrl = server.url;
      token = server.token;
      result.serverStartSeconds = server.startSeconds;
      log(`jupyter server ready in ${server.startSeconds.toFixed(2)} s at ${baseUrl} (root ${rootDir})`);
    }
    result.serverUrl = baseUrl;
    const serverSettings = ServerConnection.makeSettings({
      baseUrl,
      wsUrl: baseUrl.replace(/^http/, "ws"),
      token,
      appendToken: true,
      WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
      fetch: fetch as typeof globalThis.fetch,
      Request,
      Headers,
    } as Partial<ServerConnection.ISettings>);
    kernelManager = new KernelManager({ serverSettings });
    sessionManager = new SessionManager({ kernelManager, serverSettings });
    const kernelspecs = async () => {
      const res = await fetch(`${baseUrl}api/kernelspecs`, { headers: { Authorization: `token ${token}` } });
      return Object.keys(((await res.json()) as { kernelspecs?: object }).kernelspecs ?? {}).sort();
    };

    // Each notebook's kernel is started while the one before it runs: a tslab kernel takes about
    // 1.7 s to start (mostly warming its TypeScript compiler), and the cells of the running notebook
    // use one core of the machine while the next kernel warms up on another.
    const sessions = sessionManager;
    const start = (i: number) => new KernelSession(files[i], rootDir, kernelNameOf(jobs[i].source, options), sessions, server);
    let next: KernelSession | null = start(0);
    try {
      for (let i = 0; i < jobs.length; i++) {
        const current: KernelSession = next as KernelSession;
        next = null;
        if (options.signal?.aborted) {
          result.failures.push(failure({ kind: "interrupted", notebook: jobs[i].label, detail: `${String(options.signal.reason ?? "aborted")} before it started` }));
          await current.dispose();
          break;
        }
        if (i + 1 < jobs.length) next = start(i + 1);
        const nbResult = await runNotebook(jobs[i], current, options, kernelspecs, log);
        result.notebooks.push(nbResult);
        if (nbResult.failure) {
          result.failures.push(nbResult.failure);
          if (!options.keepGoing || nbResult.failure.kind === "interrupted") break;
        }
      }
    } finally {
      if (next) await next.dispose();
    }
    result.ok = result.failures.length === 0 && result.notebooks.length === jobs.length;
    if (write && options.trust !== false) {
      const written = result.notebooks.flatMap((n) => (n.outputPath ? [n.outputPath] : []));
      const problem = await trustNotebooks(written, options.env);
      if (problem) log(`warning: ${problem}`);
    }
  } finally {
    sessionManager?.dispose();
    kernelManager?.dispose();
    if (server) await server.stop();
    process.removeListener("exit", exitGuard);
    lock?.release();
    restoreConsole();
    result.seconds = (Date.now() - t0) / 1000;
  }
  return result;
}

/** The loop over one notebook's cells, in its own kernel session; writes the executed copy on success. */
async function runNotebook(
  job: Job,
  session: KernelSession,
  options: ExecuteOptions,
  kernelspecs: () => Promise<string[]>,
  log: (line: string) => void,
): Promise<NotebookResult> {
  const t0 = Date.now();
  const { label, outputPath } = job;
  const result: NotebookResult = { path: label, ok: false, kernelStartSeconds: 0, seconds: 0, cells: [] };
  const abort = abortPromise(options.signal);
  const fail = (f: Omit<CellFailure, "message" | "notebook">) => {
    result.failure = failure({ ...f, notebook: label });
  };
  try {
    const tk = Date.now();
    try {
      await session.ready((options.kernelStartTimeoutSec ?? 60) * 1000, abort.promise, kernelspecs);
    } catch (e) {
      if (options.signal?.aborted) fail({ kind: "interrupted", detail: "before the kernel was ready" });
      else fail({ kind: "kernel-start", detail: (e as Error).message });
      return result;
    }
    // Time from asking for this kernel to its first reply (it may have started while the notebook
    // before this one ran), and how long this notebook actually waited for it.
    result.kernelStartSeconds = (Date.now() - session.requestedAt) / 1000;
    const waited = (Date.now() - tk) / 1000;
    log(`${label}: kernel ${session.kernelName} ready in ${result.kernelStartSeconds.toFixed(2)} s` +
      (waited + 0.05 < result.kernelStartSeconds ? ` (started ahead; waited ${waited.toFixed(2)} s)` : ""));

    const nb: Notebook = JSON.parse(JSON.stringify(job.source));
    const collector = new OutputCollector([], options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES);
    const limits: CellLimits = {
      timeoutMs: (options.timeoutSec ?? 120) * 1000,
      stallMs: (options.stallSec ?? 30) * 1000,
      // tslab 1.0 stalls after 501 lines here (about 1,000 on other machines); no lesson prints 200.
      stallMinLines: 200,
      abort: abort.promise,
    };
    for (let c = 0; c < nb.cells.length && !result.failure; c++) {
      const cell = nb.cells[c];
      if (cell.cell_type !== "code") continue;
      const code = joinText(cell.source);
      if (code.trim() === "") {
        // As nbclient: empty cells are not sent.
        cell.outputs = [];
        cell.execution_count = null;
        continue;
      }
      const { outcome, ms } = await executeCell(session, cell, collector, limits);
      const where = { cell: c + 1, firstLine: firstLineOf(code) };
      result.cells.push({ ...where, ms });
      switch (outcome.kind) {
        case "reply": {
          const content = outcome.content;
          if (content.status === "ok") break;
          if (content.status === "error" && (cell.metadata.tags ?? []).includes("raises-exception")) {
            // An expected error (nbclient's convention): keep it as output and go on. tslab drops
            // requests that arrive within 200 ms of an error, so wait before the next cell.
            await sleep(250);
            break;
          }
          fail({ kind: "cell-error", ...where, detail: errorText(content, collector.stderr) });
          break;
        }
        case "timeout":
          fail({ kind: "timeout", ...where, detail: `no reply within ${limits.timeoutMs / 1000} s (the per-cell limit; raise it with --timeout SECONDS)` });
          await session.interrupt(); // so that the kernel can shut down quickly
          break;
        case "stalled":
          fail({ kind: "stalled", ...where, detail: `the kernel stopped sending output after ${outcome.lines.toLocaleString("en-US")} lines ` +
            `(nothing for ${outcome.silentSec} s). tslab stalls when one cell makes several hundred console.log calls: print less per cell ` +
            "(one console.log for many lines, or every n-th step)" });
          await session.interrupt();
          break;
        case "dead":
          fail({ kind: "kernel-died", ...where, detail: outcome.why + (collector.stderr.trim() ? `; its last stderr:\n${stripAnsi(collector.stderr).trim()}` : "") });
          if (options.serverUrl) await session.settleAfterDeath();
          break;
        case "aborted":
          fail({ kind: "interrupted", ...where, detail: outcome.why });
          await session.interrupt();
          break;
      }
    }
    if (!result.failure) {
      result.ok = true;
      result.notebook = nb;
      if (options.write !== false) {
        writeNotebook(outputPath, nb);
        result.outputPath = outputPath;
      }
    }
  } finally {
    abort.dispose();
    await session.dispose();
    if (!result.ok && options.write !== false) {
      // An output from an earlier run would now be a lie about this source: remove it (this run
      // holds the output folder's lock, so it is no other run's fresh output).
      fs.rmSync(outputPath, { force: true });
    }
    result.seconds = (Date.now() - t0) / 1000;
  }
  const total = result.cells.reduce((a, c) => a + c.ms, 0);
  if (result.ok) {
    log(`✔ ${label}: ${result.cells.length} cells in ${(total / 1000).toFixed(2)} s, kernel start ${result.kernelStartSeconds.toFixed(2)} s, total ${result.seconds.toFixed(2)} s` +
      (result.outputPath ? ` → ${displayPath(result.outputPath)}` : ""));
  } else if (result.failure) {
    log(`✘ ${label}: stopped after ${result.seconds.toFixed(2)} s`);
  }
  return result;
}

/** What a failed cell said: its stderr, else the reply's ename/evalue/traceback. */
function errorText(content: Record<string, any>, stderr: string): string {
  let detail = stripAnsi(stderr).trim();
  if (!detail && (content.ename || content.evalue)) {
    detail = [`${content.ename ?? "Error"}: ${content.evalue ?? ""}`, ...(content.traceback ?? []).map((l: string) => stripAnsi(l))].join("\n").trim();
  }
  if (content.status === "abort" || content.status === "aborted") {
    detail = detail || "the kernel aborted the request (it was still recovering from an earlier error)";
  }
  return detail;
}
