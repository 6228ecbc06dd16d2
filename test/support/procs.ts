// Finding the processes a test started, and only those: the test puts a unique marker variable in
// the environment of what it spawns; Jupyter servers pass their environment on to their kernels,
// so every server and kernel started for the test carries it (Linux /proc).
import { spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";

export const MARKER_VAR = "RNN_COURSE_TEST_MARKER";

export function newMarker(): string {
  return crypto.randomBytes(8).toString("hex");
}

export interface Proc { pid: number; cmd: string }

/** Live (non-zombie) processes whose environment has MARKER_VAR=marker. */
export function processesWithMarker(marker: string): Proc[] {
  const found: Proc[] = [];
  const needle = `${MARKER_VAR}=${marker}`;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const env = fs.readFileSync(`/proc/${entry}/environ`, "utf8").split("\0");
      if (!env.includes(needle)) continue;
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
      if (state === "Z" || state === "X") continue;
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ").trim();
      found.push({ pid: Number(entry), cmd });
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/** Wait (up to ms) until no marked process is left; returns those still alive. */
export async function waitForNoMarked(marker: string, ms = 3000): Promise<Proc[]> {
  const deadline = Date.now() + ms;
  let left = processesWithMarker(marker);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    left = processesWithMarker(marker);
  }
  return left;
}

/** Kill whatever a failed test left behind, so one failure does not leak into the next tests. */
export function killMarked(marker: string): void {
  for (const p of processesWithMarker(marker)) {
    try {
      process.kill(p.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

export interface RunResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; seconds: number }

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
  /** Called with each chunk of stdout; may send signals to the child. */
  onStdout?: (chunk: string, child: ReturnType<typeof spawn>) => void;
  /** Called with each chunk of stderr. */
  onStderr?: (chunk: string, child: ReturnType<typeof spawn>) => void;
  /** Run it in a process group of its own (to signal the whole group, as a terminal's Ctrl-C does). */
  detached?: boolean;
}

/** Run a command to the end and collect its output (killed after timeoutMs). */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"], detached: opts.detached });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => {
      stdout += b.toString();
      opts.onStdout?.(b.toString(), child);
    });
    child.stderr.on("data", (b: Buffer) => {
      stderr += b.toString();
      opts.onStderr?.(b.toString(), child);
    });
    const timer = setTimeout(() => (opts.detached ? process.kill(-child.pid!, "SIGKILL") : child.kill("SIGKILL")), opts.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, seconds: (Date.now() - t0) / 1000 });
    });
  });
}
