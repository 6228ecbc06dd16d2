// npm run lab [-- --notebook] [-- extra jupyter args]
//
// Opens the course in JupyterLab 4 (or Notebook 7 with --notebook) from the project's own pinned
// Jupyter in .venv/ (installed on first need by scripts/python-env.ts), at the start page
// notebooks/00-start-here.ipynb. The tslab kernelspec is project-local (.jupyter-local/, found
// through JUPYTER_PATH for this process only) and is the only kernel offered, so notebooks open with
// it without asking. The server listens on 127.0.0.1 with a random token passed in the environment
// (never on the command line) and keeps its runtime files in a private 0700 folder. One Ctrl-C stops
// it and its kernels. Extra arguments go to Jupyter (e.g. `npm run lab -- --no-browser --port=9999`).
import { spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { envWithLocalKernel, KERNEL_NAME, PROJECT_ROOT, writeLocalKernelspec } from "./runner/kernelspec";
import { freePort, pidsMentioning } from "./runner/server";
import { ensurePythonEnvOrExit, envWithVenv, venvExecutable } from "./python-env";

export const START_PAGE = "notebooks/00-start-here.ipynb";

export type LabApp = "lab" | "notebook";

export interface LabCommand { command: string; args: string[]; app: LabApp; urlPath: string }

/** The jupyter-lab (or jupyter-notebook) command line; the token is not in it (see main). */
export function labCommand(app: LabApp, port: number, extra: string[], exe: string | null = venvExecutable(app === "lab" ? "jupyter-lab" : "jupyter-notebook")): LabCommand {
  if (!exe) throw new Error(`jupyter-${app} is missing from .venv; run \`npm run setup\``);
  const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const urlPath = app === "lab" ? `/lab/tree/${START_PAGE}` : `/notebooks/${START_PAGE}`;
  return {
    command: exe,
    app,
    urlPath,
    args: [
      "--ip=127.0.0.1",
      // The caller's own --port (in extra) is the same number; Jupyter refuses the option twice.
      ...(portIn(extra) === null ? [`--port=${port}`] : []),
      "--port-retries=0",
      ...(asRoot ? ["--allow-root"] : []),
      `--ServerApp.root_dir=${PROJECT_ROOT}`,
      // One Ctrl-C stops the server (no "Shutdown this Jupyter server (y/[n])?" question).
      "--ServerApp.answer_yes=True",
      // Only the course's kernel: a notebook opens with it, and there is no kernel to pick.
      `--KernelSpecManager.allowed_kernelspecs=${KERNEL_NAME}`,
      `--MultiKernelManager.default_kernel_name=${KERNEL_NAME}`,
      app === "lab" ? `--LabApp.default_url=${urlPath}` : `--JupyterNotebookApp.default_url=${urlPath}`,
      ...extra,
    ],
  };
}

/** The port asked for in extra arguments (--port=N or --port N), if any. */
function portIn(extra: string[]): number | null {
  for (let i = 0; i < extra.length; i++) {
    const m = /^--(?:ServerApp\.)?port(?:=(\d+))?$/.exec(extra[i]);
    if (m) return Number(m[1] ?? extra[i + 1]);
  }
  return null;
}

async function main(): Promise<void> {
  let argv = process.argv.slice(2);
  const app: LabApp = argv.includes("--notebook") ? "notebook" : "lab";
  argv = argv.filter((a) => a !== "--notebook");
  ensurePythonEnvOrExit();
  const port = portIn(argv) ?? (await freePort());
  const cmd = labCommand(app, port, argv);
  const token = crypto.randomBytes(24).toString("hex");
  // Connection files and server info go to a private folder (mkdtemp makes it 0700), removed at the end.
  const runtimeDir = fs.mkdtempSync(path.join(os.tmpdir(), "rnn-lab-runtime-"));
  const env = envWithLocalKernel(writeLocalKernelspec(), {
    ...envWithVenv(process.env),
    JUPYTER_TOKEN: token,
    JUPYTER_RUNTIME_DIR: runtimeDir,
  });
  const name = app === "lab" ? "JupyterLab" : "Notebook 7";
  console.log(`lab: starting ${name} in ${PROJECT_ROOT} (kernel: tslab from ${env.JUPYTER_PATH!.split(path.delimiter)[0]})`);
  // Its own process group: a Ctrl-C reaches us only, and we stop Jupyter once, in order.
  const child = spawn(cmd.command, cmd.args, { cwd: PROJECT_ROOT, env, stdio: ["ignore", "inherit", "inherit"], detached: true });
  let exited = false;
  const cleanUp = () => {
    for (const p of pidsMentioning(runtimeDir)) if (p !== process.pid) try { process.kill(p, "SIGKILL"); } catch { /* gone */ }
    fs.rmSync(runtimeDir, { recursive: true, force: true });
  };
  let signals = 0;
  const stop = () => {
    signals++;
    if (exited) return;
    // SIGTERM makes jupyter_server shut its kernels down and exit; a second Ctrl-C forces it.
    try { process.kill(child.pid!, signals === 1 ? "SIGTERM" : "SIGKILL"); } catch { /* gone */ }
    if (signals === 1) console.log(`\nlab: stopping ${name} and its kernels… (Ctrl-C again to force)`);
  };
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(sig, stop);
  child.on("error", (e) => {
    console.error(`lab: could not start ${cmd.command}: ${e.message}`);
    process.exitCode = 1;
  });
  child.on("exit", (code, signal) => {
    exited = true;
    cleanUp();
    process.exitCode = signals > 0 ? 0 : code ?? (signal ? 1 : 0);
    if (signals > 0) console.log("lab: stopped.");
  });
  // Print the address once the server answers.
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600 && !exited; i++) {
    try {
      const res = await fetch(`${base}/api/status`, { headers: { Authorization: `token ${token}` } });
      if (res.ok) {
        console.log(`\nlab: ${name} is running. Open this address (it holds the access token):\n\n    ${base}${cmd.urlPath}?token=${token}\n\nlab: press Ctrl-C to stop it.`);
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

if (require.main === module) {
  main().catch((e: Error) => {
    console.error(`lab: ${e.message}`);
    process.exit(1);
  });
}
