// Starting and stopping a private `jupyter server`: 127.0.0.1, a free port, a random token, its own
// runtime folder (so its kernels can be found and killed if anything goes wrong), and the
// project-local kernelspec on JUPYTER_PATH.
import { spawn, type ChildProcess } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { envWithLocalKernel, PROJECT_ROOT, writeLocalKernelspec } from "./kernelspec";
import { isAlive } from "./procfs";
import { venvExecutable } from "../python-env";

export class JupyterNotFoundError extends Error {
  constructor(what: string) {
    super(
      `${what} is not installed (not in the project's .venv, not on PATH).\n` +
        `Run \`npm run setup\` to install the course's pinned JupyterLab into .venv (needs Python 3.10+ with venv;\n` +
        `on Debian/Ubuntu: sudo apt-get install python3-venv), then run this again.`,
    );
    this.name = "JupyterNotFoundError";
  }
}

/** Full path of an executable found on PATH, or null. */
export function findOnPath(name: string, envPath: string | undefined = process.env.PATH): string | null {
  for (const dir of (envPath ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  url: string; // http://127.0.0.1:PORT/
  token: string;
  /** The jupyter server's own pid (the watchdog between us and it has another). */
  pid: number;
  runtimeDir: string;
  startSeconds: number;
  /** Stop the server and its kernels (through the watchdog) and wait until they are gone. */
  stop(graceMs?: number): Promise<void>;
  /** Synchronous last resort for process 'exit': let the watchdog stop everything. */
  killNow(): void;
}

export interface StartServerOptions {
  root?: string;
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the server to answer, in ms. */
  startTimeoutMs?: number;
  log?: (line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export { isAlive, pidsMentioning } from "./procfs";

/**
 * The `jupyter-server` executable to run, or null. The one place that decides which Jupyter
 * installation the runner uses (`jupyter trust` is taken from the same folder).
 */
export function findJupyterServer(env: NodeJS.ProcessEnv = process.env): string | null {
  // The project's pinned Jupyter (.venv/, made by scripts/python-env.ts) first, else one on PATH.
  return venvExecutable("jupyter-server") ?? findOnPath("jupyter-server", env.PATH);
}

const WATCHDOG = path.join(__dirname, "watchdog.js");

export async function startJupyterServer(opts: StartServerOptions = {}): Promise<RunningServer> {
  const root = opts.root ?? PROJECT_ROOT;
  const baseEnv = opts.env ?? process.env;
  const exe = findJupyterServer(baseEnv);
  if (!exe) throw new JupyterNotFoundError("Jupyter Server (the `jupyter server` command)");
  // The kernelspec always comes from this checkout, whatever folder the server serves.
  const jupyterPath = writeLocalKernelspec();
  const token = crypto.randomBytes(24).toString("hex");
  const started = Date.now();
  const startTimeoutMs = opts.startTimeoutMs ?? 60_000;

  let lastError = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    // Everything this server writes (connection files, cookie secret, server info) goes in a
    // private 0700 folder that the watchdog removes when the server stops.
    const runtimeDir = fs.mkdtempSync(path.join(os.tmpdir(), "rnn-jupyter-runtime-"));
    const env = envWithLocalKernel(jupyterPath, {
      ...baseEnv,
      JUPYTER_RUNTIME_DIR: runtimeDir,
      // The token goes through the environment, never argv: /proc/PID/cmdline is readable by every
      // local user, /proc/PID/environ only by us.
      JUPYTER_TOKEN: token,
      PYDEVD_DISABLE_FILE_VALIDATION: "1",
    });
    const port = await freePort();
    const args = [
      "--no-browser",
      "--ip=127.0.0.1",
      `--port=${port}`,
      "--port-retries=0",
      `--ServerApp.root_dir=${root}`,
      // A kernel stuck in a busy loop ignores shutdown_request: kill it after 2 s, not 5.
      "--KernelManager.shutdown_wait_time=2",
      // A kernel that dies stays dead: the runner reports it (it watches the kernel's process)
      // instead of running the next cells in a fresh kernel.
      "--KernelManager.autorestart=False",
      "--ServerApp.log_level=WARN",
    ];
    if (typeof process.getuid === "function" && process.getuid() === 0) args.push("--allow-root");
    // The watchdog runs the server and stops it when our end of its stdin closes, which the
    // operating system does for us however we die. It leads a session of its own: a Ctrl-C in
    // the terminal reaches only us, and we shut everything down in order.
    const child: ChildProcess = spawn(process.execPath, [WATCHDOG, runtimeDir, exe, ...args], {
      cwd: root,
      env,
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    let exited: number | string | null = null;
    const onData = (b: Buffer) => {
      output += b.toString();
      if (output.length > 20000) output = output.slice(-20000);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.stdin!.on("error", () => undefined); // EPIPE once the watchdog is gone
    child.on("exit", (code, signal) => {
      exited = code ?? signal ?? "unknown";
    });
    child.on("error", (e) => {
      exited = e.message;
    });
    const url = `http://127.0.0.1:${port}/`;
    let ready = false;
    while (Date.now() - started < startTimeoutMs && exited === null) {
      try {
        const res = await fetch(`${url}api/status`, { headers: { Authorization: `token ${token}` } });
        if (res.ok) {
          ready = true;
          break;
        }
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    if (ready) {
      // Keep draining its output so the pipes never fill; show it if asked.
      child.stdout!.removeListener("data", onData);
      child.stderr!.removeListener("data", onData);
      const log = opts.log;
      const forward = (b: Buffer) => {
        if (log) for (const line of b.toString().split("\n")) if (line.trim()) log(`[jupyter] ${line}`);
      };
      child.stdout!.on("data", forward);
      child.stderr!.on("data", forward);
      child.unref();
      for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();
      const serverPid = Number(fs.readFileSync(path.join(runtimeDir, "server.pid"), "utf8"));
      return makeHandle(child, serverPid, url, token, runtimeDir, (Date.now() - started) / 1000);
    }
    await stopWatchdog(child, 2000);
    fs.rmSync(runtimeDir, { recursive: true, force: true });
    lastError = exited !== null
      ? `jupyter server exited (${exited}) before it was ready:\n${output.trim()}`
      : `jupyter server did not answer on ${url} within ${startTimeoutMs / 1000} s:\n${output.trim()}`;
    // A port taken between freePort() and the server's bind is worth another try; anything else is not.
    if (!/address already in use|Errno 98/i.test(output)) break;
  }
  throw new Error(lastError);
}

/** Close the watchdog's stdin (it then stops the server and kernels); wait until it has exited. */
async function stopWatchdog(child: ChildProcess, graceMs: number): Promise<void> {
  const pid = child.pid!;
  child.stdin?.destroy();
  const deadline = Date.now() + graceMs + 3000;
  while (isAlive(pid) && Date.now() < deadline) await sleep(50);
  if (isAlive(pid)) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // gone
    }
  }
}

function makeHandle(child: ChildProcess, pid: number, url: string, token: string, runtimeDir: string, startSeconds: number): RunningServer {
  let stopped = false;
  return {
    url,
    token,
    pid,
    runtimeDir,
    startSeconds,
    async stop(graceMs = 8000) {
      if (stopped) return;
      stopped = true;
      await stopWatchdog(child, graceMs);
      fs.rmSync(runtimeDir, { recursive: true, force: true });
    },
    killNow() {
      // At exit: closing our end of the pipe is all it takes; the watchdog does the rest.
      stopped = true;
      child.stdin?.destroy();
    },
  };
}
