// Run notebooks through a real Jupyter server, the way a learner's Jupyter would: one session and
// kernel per notebook, the cells in order, every output recorded as nbformat. Modelled on nbclient
// and papermill, but fail-fast: the first failing cell stops the notebook with a message naming
// notebook, cell, its first line and the kernel's error text, and nothing is written for it.
//
//   const result = await executeNotebooks(["notebooks/01-data.ipynb"], { timeoutSec: 60 });
//   if (!result.ok) console.error(result.failures[0].message);
import * as fs from "fs";
import * as path from "path";
import WebSocket from "ws";
import { KernelManager, ServerConnection, SessionManager, type Session } from "@jupyterlab/services";
import { type CellFailure, failure } from "./errors";
import { PROJECT_ROOT } from "./kernelspec";
import { type CodeCell, type Notebook, joinText, readNotebook, writeNotebook } from "../common/nbformat";
import { finishOutputs, OutputCollector, stripAnsi } from "./outputs";
import { pidsMentioning, type RunningServer, startJupyterServer } from "./server";

export { JupyterNotFoundError } from "./server";
export type { CellFailure } from "./errors";

export interface ExecuteOptions {
  /** Where executed notebooks go (same file names). Default <project>/build/executed. */
  outputDir?: string;
  /** Write executed notebooks (default true). */
  write?: boolean;
  /** Per-cell time limit in seconds (default 120). */
  timeoutSec?: number;
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
  /** Environment for the server we start (default process.env). */
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
 * reconnect, and a dead kernel leaves one of its reconnect promises rejected with nobody to catch
 * it. While the runner works, send those lines to `log` and swallow that one rejection; returns the
 * function that undoes this.
 */
function quietServices(log: (line: string) => void): () => void {
  const noisy = /^(Starting WebSocket|Connection lost, reconnecting|Kernel connection disconnected|Kernel: )/;
  const { debug, warn } = console;
  console.debug = (...args: unknown[]) => (noisy.test(String(args[0])) ? log(String(args[0])) : debug(...args));
  console.warn = (...args: unknown[]) => (noisy.test(String(args[0])) ? log(String(args[0])) : warn(...args));
  const onRejection = (reason: unknown) => {
    if (reason instanceof Error && reason.message === "Kernel connection disconnected") return;
    throw reason;
  };
  process.on("unhandledRejection", onRejection);
  return () => {
    console.debug = debug;
    console.warn = warn;
    // Late rejections from connections disposed at the very end still need the guard for a moment.
    setTimeout(() => process.removeListener("unhandledRejection", onRejection), 1000).unref();
  };
}

/** A kernel being started for a notebook: started ahead, while the previous notebook still runs. */
interface KernelStart {
  /** resolves when the kernel has answered kernel_info (it is ready) */
  ready: Promise<Session.ISessionConnection>;
  /** the session as soon as the server created it (to shut it down even if it never became ready) */
  session: () => Session.ISessionConnection | null;
  requestedAt: number;
}

function kernelNameOf(nb: Notebook, options: ExecuteOptions): string {
  return options.kernelName ?? ((nb.metadata?.kernelspec as { name?: string } | undefined)?.name || "tslab");
}

function startKernel(file: string, rootDir: string, kernelName: string, sessions: SessionManager): KernelStart {
  const relPath = path.relative(rootDir, file).split(path.sep).join("/");
  let session: Session.ISessionConnection | null = null;
  const ready = (async () => {
    const s = await sessions.startNew({ path: relPath, type: "notebook", name: path.basename(file), kernel: { name: kernelName } });
    session = s;
    if (!s.kernel) throw new Error("the server returned a session without a kernel");
    await s.kernel.info; // resolves on the kernel's first kernel_info_reply: it is ready
    return s;
  })();
  ready.catch(() => undefined);
  return { ready, session: () => session, requestedAt: Date.now() };
}

/** Shut down a kernel that was started ahead but will not be used (a run stopped before it). */
async function discardKernel(start: KernelStart): Promise<void> {
  await Promise.race([start.ready.catch(() => undefined), sleep(10_000)]);
  const s = start.session();
  if (!s) return;
  await Promise.race([s.shutdown().catch(() => undefined), sleep(10_000)]);
  s.dispose();
}

/** Why a race ended. */
type Outcome =
  | { kind: "reply"; content: Record<string, any> }
  | { kind: "timeout" }
  | { kind: "dead"; why: string }
  | { kind: "aborted"; why: string };

export async function executeNotebooks(paths: string[], options: ExecuteOptions = {}): Promise<ExecuteResult> {
  const t0 = Date.now();
  const log = options.log ?? (() => undefined);
  const files = paths.map((p) => path.resolve(p));
  if (files.length === 0) throw new Error("executeNotebooks: no notebooks given");
  for (const f of files) {
    if (!fs.existsSync(f)) throw new Error(`executeNotebooks: notebook ${f} does not exist`);
  }
  const outputDir = path.resolve(options.outputDir ?? path.join(PROJECT_ROOT, "build", "executed"));
  const names = new Map<string, string>();
  for (const f of files) {
    const other = names.get(path.basename(f));
    if (other && other !== f) throw new Error(`executeNotebooks: ${other} and ${f} would both be written to ${path.basename(f)}`);
    names.set(path.basename(f), f);
  }
  // Read every notebook first: a malformed file fails before any server starts.
  const sources = files.map((f) => readNotebook(f));

  let rootDir = path.resolve(options.rootDir ?? PROJECT_ROOT);
  if (!options.rootDir && !options.serverUrl && !files.every((f) => isInside(f, rootDir))) rootDir = commonDir(files);
  for (const f of files) {
    if (!isInside(f, rootDir)) throw new Error(`executeNotebooks: ${f} is outside the server's root folder ${rootDir}`);
  }

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

    // Each notebook's kernel is started while the one before it runs: a tslab kernel takes about
    // 1.7 s to start (mostly warming its TypeScript compiler), and the cells of the running notebook
    // use one core of the machine while the next kernel warms up on another.
    const sessions = sessionManager;
    const start = (i: number) => startKernel(files[i], rootDir, kernelNameOf(sources[i], options), sessions);
    let next: KernelStart | null = start(0);
    try {
      for (let i = 0; i < files.length; i++) {
        const current: KernelStart = next as KernelStart;
        next = null;
        if (options.signal?.aborted) {
          result.failures.push(failure({ kind: "interrupted", notebook: paths[i], detail: `${String(options.signal.reason ?? "aborted")} before it started` }));
          await discardKernel(current);
          break;
        }
        if (i + 1 < files.length) next = start(i + 1);
        const nbResult = await runOne(files[i], paths[i], sources[i], current, outputDir, server, options, log);
        result.notebooks.push(nbResult);
        if (nbResult.failure) {
          result.failures.push(nbResult.failure);
          if (!options.keepGoing || nbResult.failure.kind === "interrupted") break;
        }
      }
    } finally {
      if (next) await discardKernel(next);
    }
    result.ok = result.failures.length === 0 && result.notebooks.length === files.length;
  } finally {
    sessionManager?.dispose();
    kernelManager?.dispose();
    if (server) await server.stop();
    process.removeListener("exit", exitGuard);
    restoreConsole();
    result.seconds = (Date.now() - t0) / 1000;
  }
  return result;
}

async function runOne(
  file: string,
  label: string,
  source: Notebook,
  kernelStart: KernelStart,
  outputDir: string,
  server: RunningServer | null,
  options: ExecuteOptions,
  log: (line: string) => void,
): Promise<NotebookResult> {
  const t0 = Date.now();
  const outputPath = path.join(outputDir, path.basename(file));
  const result: NotebookResult = { path: label, ok: false, kernelStartSeconds: 0, seconds: 0, cells: [] };
  const timeoutMs = (options.timeoutSec ?? 120) * 1000;
  const abort = abortPromise(options.signal);
  const nb: Notebook = JSON.parse(JSON.stringify(source));
  const kernelName = kernelNameOf(nb, options);
  let session: Session.ISessionConnection | null = null;
  const fail = (f: Omit<CellFailure, "message" | "notebook">) => {
    result.failure = failure({ ...f, notebook: label });
  };

  try {
    // --- kernel start ---------------------------------------------------------------------------
    const tk = Date.now();
    try {
      const started = kernelStart.ready.then((s) => (session = s));
      started.catch(() => undefined);
      const startLimit = (options.kernelStartTimeoutSec ?? 60) * 1000;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        started,
        abort.promise,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer from kernel "${kernelName}" within ${startLimit / 1000} s`)), startLimit);
        }),
      ]).finally(() => clearTimeout(timer));
    } catch (e) {
      session = kernelStart.session();
      const msg = (e as Error).message;
      if (options.signal?.aborted) fail({ kind: "interrupted", detail: "before the kernel was ready" });
      else fail({ kind: "kernel-start", detail: /No such kernel|not found/i.test(msg)
        ? `${msg} (is the "${kernelName}" kernelspec on JUPYTER_PATH? \`npm run kernel:install\` registers it)` : msg });
      return result;
    }
    // Time from asking for this kernel to its first reply (it may have started while the notebook
    // before this one ran), and how long this notebook actually waited for it.
    result.kernelStartSeconds = (Date.now() - kernelStart.requestedAt) / 1000;
    const waited = (Date.now() - tk) / 1000;
    log(`${label}: kernel ${kernelName} ready in ${result.kernelStartSeconds.toFixed(2)} s` +
      (waited + 0.05 < result.kernelStartSeconds ? ` (started ahead; waited ${waited.toFixed(2)} s)` : ""));
    const kernel = session!.kernel!;

    // A dead kernel never answers: watch its status and the connection.
    let onDead: (why: string) => void = () => undefined;
    const dead = new Promise<string>((resolve) => (onDead = resolve));
    const statusSlot = (_: unknown, status: string) => {
      if (status === "dead" || status === "restarting" || status === "autorestarting") {
        onDead(status === "dead" ? "kernel status: dead" : "the kernel process exited and Jupyter is restarting it");
      }
    };
    const connSlot = (_: unknown, status: string) => {
      if (status === "disconnected") onDead("lost the connection to the kernel");
    };
    kernel.statusChanged.connect(statusSlot);
    kernel.connectionStatusChanged.connect(connSlot);
    // Our own server does not restart kernels (so it never reports a death): watch the process.
    let watch: NodeJS.Timeout | undefined;
    if (server) {
      const connectionFile = path.join(server.runtimeDir, `kernel-${kernel.id}.json`);
      if (pidsMentioning(connectionFile).length > 0) {
        watch = setInterval(() => {
          if (pidsMentioning(connectionFile).length === 0) onDead("the kernel process exited");
        }, 250);
      }
    }

    // Outputs come from the kernel's iopub signal rather than the request's future: the services
    // library routes an update_display_data to the future of the cell that first showed the
    // display, which is long gone when a later cell updates it.
    const collector = new OutputCollector();
    let kernelDied = false;
    let currentMsgId = "";
    const iopubSlot = (_: unknown, msg: { header: { msg_type: string }; parent_header: unknown; content: unknown }) => {
      const type = msg.header.msg_type;
      const parent = (msg.parent_header as { msg_id?: string } | undefined)?.msg_id;
      if (type === "update_display_data" || parent === currentMsgId) {
        collector.handle(type, msg.content as Record<string, any>);
      }
    };
    kernel.iopubMessage.connect(iopubSlot);
    for (let c = 0; c < nb.cells.length; c++) {
      const cell = nb.cells[c];
      if (cell.cell_type !== "code") continue;
      const code = joinText(cell.source);
      const code_cell = cell as CodeCell;
      code_cell.outputs = [];
      code_cell.execution_count = null;
      if (code.trim() === "") continue; // as nbclient: empty cells are not sent
      const firstLine = firstLineOf(code);
      collector.nextCell(code_cell.outputs);
      const tc = Date.now();
      const startedAt = new Date(tc).toISOString();
      const future = kernel.requestExecute(
        { code, silent: false, store_history: true, allow_stdin: false, stop_on_error: true },
        true,
      );
      currentMsgId = future.msg.header.msg_id;
      let timer: NodeJS.Timeout | undefined;
      const outcome: Outcome = await Promise.race<Outcome>([
        future.done.then(
          (reply) => ({ kind: "reply", content: reply.content as Record<string, any> }) as Outcome,
          (e: Error) => ({ kind: "dead", why: e.message }) as Outcome,
        ),
        new Promise<Outcome>((resolve) => (timer = setTimeout(() => resolve({ kind: "timeout" }), timeoutMs))),
        dead.then((why) => ({ kind: "dead", why }) as Outcome),
        abort.promise.catch((e: Error) => ({ kind: "aborted", why: e.message }) as Outcome),
      ]);
      clearTimeout(timer);
      const ms = Date.now() - tc;
      result.cells.push({ cell: c + 1, firstLine, ms });
      const where = { cell: c + 1, firstLine };

      if (outcome.kind === "reply") {
        const content = outcome.content;
        code_cell.execution_count = typeof content.execution_count === "number" ? content.execution_count : null;
        for (const out of code_cell.outputs) {
          if (out.output_type === "execute_result") out.execution_count = code_cell.execution_count;
        }
        finishOutputs(code_cell.outputs);
        // nbformat's standard timestamps (strings, as the schema requires) and our duration.
        code_cell.metadata = {
          ...(code_cell.metadata ?? {}),
          execution: { "iopub.status.busy": startedAt, "shell.execute_reply": new Date(tc + ms).toISOString() },
          runner: { duration_ms: ms },
        };
        if (content.status === "ok") continue;
        if (content.status === "error" && (code_cell.metadata.tags ?? []).includes("raises-exception")) {
          // An expected error (nbclient's convention): keep it as output and go on. tslab drops
          // requests that arrive within 200 ms of an error, so wait before the next cell.
          await sleep(250);
          continue;
        }
        let detail = stripAnsi(collector.stderr).trim();
        if (!detail && (content.ename || content.evalue)) {
          detail = [`${content.ename ?? "Error"}: ${content.evalue ?? ""}`, ...(content.traceback ?? []).map((l: string) => stripAnsi(l))].join("\n").trim();
        }
        if (content.status === "abort" || content.status === "aborted") {
          detail = detail || "the kernel aborted the request (it was still recovering from an earlier error)";
        }
        fail({ kind: "cell-error", ...where, detail });
      } else if (outcome.kind === "timeout") {
        fail({ kind: "timeout", ...where, detail: `no reply within ${timeoutMs / 1000} s (the per-cell limit; raise it with --timeout SECONDS)` });
        // Break a busy loop (tslab runs cells with breakOnSigint) so the kernel can shut down quickly.
        await Promise.race([kernel.interrupt().catch(() => undefined), sleep(2000)]);
      } else if (outcome.kind === "dead") {
        kernelDied = true;
        fail({ kind: "kernel-died", ...where, detail: outcome.why + (collector.stderr.trim() ? `; its last stderr:\n${stripAnsi(collector.stderr).trim()}` : "") });
      } else {
        fail({ kind: "interrupted", ...where, detail: outcome.why });
        await Promise.race([kernel.interrupt().catch(() => undefined), sleep(2000)]);
      }
      future.dispose();
      break;
    }
    clearInterval(watch);
    if (kernelDied && options.serverUrl) {
      // Jupyter is restarting the dead kernel; a shutdown request in the middle of a restart fails
      // on jupyter_server 1.x, so wait (a few seconds at most) until the new kernel is up.
      const settled = new Promise<void>((resolve) => {
        const slot = (_: unknown, status: string) => {
          if (status === "idle" || status === "dead") {
            kernel.statusChanged.disconnect(slot);
            resolve();
          }
        };
        kernel.statusChanged.connect(slot);
      });
      await Promise.race([settled, sleep(5000)]);
    }
    kernel.iopubMessage.disconnect(iopubSlot);
    kernel.statusChanged.disconnect(statusSlot);
    kernel.connectionStatusChanged.disconnect(connSlot);
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
    if (session) {
      // Shut the kernel down through the server (it kills it if it does not answer).
      const s = session as Session.ISessionConnection;
      await Promise.race([s.shutdown().catch(() => undefined), sleep(10_000)]);
      s.dispose();
    }
    if (!result.ok && options.write !== false) {
      // An output from an earlier run would now be a lie about this source: remove it.
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
