// The runner's watchdog: a tiny process between the runner and its `jupyter server`, so that the
// server and its kernels die with the runner however the runner dies (SIGKILL and crashes
// included: nothing can catch those, but the kernel closes the runner's end of a pipe).
//
//   node watchdog.js RUNTIME_DIR EXECUTABLE [ARGS...]
//
// Starts EXECUTABLE in its own process group, writes its pid to RUNTIME_DIR/server.pid, and
// waits. When stdin reaches end of file (the runner closed it, or died) it stops the server:
// SIGTERM to its group (jupyter_server then shuts its kernels down), SIGKILL after the grace
// period, SIGKILL to any kernel still holding a connection file in RUNTIME_DIR (kernels run in
// sessions of their own), and removes RUNTIME_DIR with the token-bearing files in it.
// Plain JavaScript (no tsx) so that it starts in a few milliseconds.
"use strict";
const { spawn } = require("child_process");
const fs = require("fs");
const path = require("path");
const { isAlive, killGroup, pidsMentioning } = require("./procfs");

const [runtimeDir, exe, ...args] = process.argv.slice(2);
const GRACE_MS = Number(process.env.RNN_WATCHDOG_GRACE_MS) || 8000;

/** Kernels started by this server: their command line names a connection file in runtimeDir. */
const kernelPids = () => pidsMentioning(runtimeDir + path.sep);

const server = spawn(exe, args, { detached: true, stdio: ["ignore", "inherit", "inherit"] });
let exitCode = null;
server.on("exit", (code, signal) => {
  exitCode = code ?? (signal ? 1 : 0);
  if (!stopping) stop(); // the server ended on its own: clean up after it all the same
});
server.on("error", (e) => {
  process.stderr.write(`watchdog: cannot start ${exe}: ${e.message}\n`);
  exitCode = 127;
  if (!stopping) stop();
});
if (server.pid) fs.writeFileSync(path.join(runtimeDir, "server.pid"), `${server.pid}\n`);

let stopping = false;
async function stop() {
  stopping = true;
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  if (server.pid && exitCode === null) {
    killGroup(server.pid, "SIGTERM");
    const deadline = Date.now() + GRACE_MS;
    while (exitCode === null && Date.now() < deadline) await sleep(50);
    if (exitCode === null) killGroup(server.pid, "SIGKILL");
  }
  for (let i = 0; i < 20; i++) {
    const left = kernelPids().filter(isAlive);
    if (left.length === 0) break;
    for (const pid of left) killGroup(pid, "SIGKILL");
    await sleep(50);
  }
  fs.rmSync(runtimeDir, { recursive: true, force: true });
  process.exit(exitCode ?? 0);
}

process.stdin.on("data", () => undefined);
process.stdin.on("end", () => stopping || stop());
process.stdin.on("error", () => stopping || stop());
for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(sig, () => stopping || stop());
