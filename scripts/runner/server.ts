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
import { venvExecutable } from "../python-env";

export class JupyterNotFoundError extends Error {
  constructor(what: string) {
    super(
      `${what} is not installed (not found on PATH).\n` +
        `Install Jupyter, then run this again:\n` +
        `  Debian/Ubuntu:  sudo apt-get install jupyter-server python3-notebook\n` +
        `  with pip:       pip install jupyterlab   (or: pip install jupyter-server notebook)`,
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
  pid: number;
  runtimeDir: string;
  startSeconds: number;
  /** Shut down kernels and the server (SIGTERM, then SIGKILL after graceMs), then kill stray kernels. */
  stop(graceMs?: number): Promise<void>;
  /** Synchronous last resort for process 'exit': kill the server and its kernels now. */
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

/** Pids of processes whose command line mentions `needle` (Linux /proc; empty elsewhere). */
export function pidsMentioning(needle: string): number[] {
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return pids;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (cmd.includes(needle)) pids.push(Number(entry));
    } catch {
      // process ended
    }
  }
  return pids;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startJupyterServer(opts: StartServerOptions = {}): Promise<RunningServer> {
  const root = opts.root ?? PROJECT_ROOT;
  const baseEnv = opts.env ?? process.env;
  // The project's pinned Jupyter (.venv/, made by scripts/python-env.ts) first, else one on PATH.
  const exe = venvExecutable("jupyter-server") ?? findOnPath("jupyter-server", baseEnv.PATH);
  if (!exe) throw new JupyterNotFoundError("Jupyter Server (the `jupyter server` command)");
  // The kernelspec always comes from this checkout, whatever folder the server serves.
  const jupyterPath = writeLocalKernelspec();
  const runtimeDir = fs.mkdtempSync(path.join(os.tmpdir(), "rnn-jupyter-runtime-"));
  const token = crypto.randomBytes(24).toString("hex");
  const env = envWithLocalKernel(jupyterPath, {
    ...baseEnv,
    // Everything this server writes (connection files, cookie secret, server info) goes here.
    JUPYTER_RUNTIME_DIR: runtimeDir,
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
  });
  const started = Date.now();
  const startTimeoutMs = opts.startTimeoutMs ?? 60_000;

  let lastError = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const args = [
      "--no-browser",
      "--ip=127.0.0.1",
      `--port=${port}`,
      "--port-retries=0",
      `--ServerApp.token=${token}`,
      `--ServerApp.root_dir=${root}`,
      // A kernel stuck in a busy loop ignores shutdown_request: kill it after 2 s, not 5.
      "--KernelManager.shutdown_wait_time=2",
      // A kernel that dies stays dead: the runner reports it (it watches the kernel's process)
      // instead of running the next cells in a fresh kernel.
      "--KernelManager.autorestart=False",
      "--ServerApp.log_level=WARN",
    ];
    if (typeof process.getuid === "function" && process.getuid() === 0) args.push("--allow-root");
    const child: ChildProcess = spawn(exe, args, {
      cwd: root,
      env,
      // Its own process group: a Ctrl-C in the terminal reaches only us, and we shut it down in order.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let exited: number | string | null = null;
    const onData = (b: Buffer) => {
      output += b.toString();
      if (output.length > 20000) output = output.slice(-20000);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
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
      (child.stdout as unknown as { unref?: () => void }).unref?.();
      (child.stderr as unknown as { unref?: () => void }).unref?.();
      return makeHandle(child, url, token, runtimeDir, (Date.now() - started) / 1000);
    }
    killGroup(child.pid!, "SIGKILL");
    lastError = exited !== null
      ? `jupyter server exited (${exited}) before it was ready:\n${output.trim()}`
      : `jupyter server did not answer on ${url} within ${startTimeoutMs / 1000} s:\n${output.trim()}`;
    // A port taken between freePort() and the server's bind is worth another try; anything else is not.
    if (!/address already in use|Errno 98/i.test(output)) break;
  }
  fs.rmSync(runtimeDir, { recursive: true, force: true });
  throw new Error(lastError);
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

function makeHandle(child: ChildProcess, url: string, token: string, runtimeDir: string, startSeconds: number): RunningServer {
  const pid = child.pid!;
  // stop() may be cut short by the process exiting: killNow() then still does its work.
  let stopping = false;
  let stopped = false;
  const killStrays = () => {
    // Kernels run in their own sessions; any still alive has its connection file in our runtime dir.
    for (const p of pidsMentioning(runtimeDir)) {
      if (p !== process.pid) killGroup(p, "SIGKILL");
    }
  };
  return {
    url,
    token,
    pid,
    runtimeDir,
    startSeconds,
    async stop(graceMs = 8000) {
      if (stopping || stopped) return;
      stopping = true;
      // SIGTERM makes jupyter_server shut down all its kernels and exit.
      killGroup(pid, "SIGTERM");
      const deadline = Date.now() + graceMs;
      while (isAlive(pid) && Date.now() < deadline) await sleep(50);
      if (isAlive(pid)) killGroup(pid, "SIGKILL");
      killStrays();
      // Give the killed processes a moment so that /proc no longer lists them.
      for (let i = 0; i < 20 && pidsMentioning(runtimeDir).filter((p) => p !== process.pid).length > 0; i++) await sleep(50);
      fs.rmSync(runtimeDir, { recursive: true, force: true });
      stopped = true;
    },
    killNow() {
      if (stopped) return;
      stopped = true;
      killGroup(pid, "SIGKILL");
      killStrays();
      try {
        fs.rmSync(runtimeDir, { recursive: true, force: true });
      } catch {
        // best effort during exit
      }
    },
  };
}
