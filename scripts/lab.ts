// npm run lab [-- extra jupyter args]
//
// Opens the course in Jupyter: writes the project-local tslab kernelspec, then starts JupyterLab
// if it is installed, else the classic Notebook, on 127.0.0.1, with the project root as its root
// folder and notebooks/ opened. The kernelspec is found through JUPYTER_PATH for this process
// only: nothing in your own Jupyter configuration is written. Extra arguments go to Jupyter
// (e.g. `npm run lab -- --no-browser --port=9999`).
import { spawn } from "child_process";
import { envWithLocalKernel, PROJECT_ROOT, writeLocalKernelspec } from "./runner/kernelspec";
import { findOnPath, JupyterNotFoundError } from "./runner/server";

export interface LabCommand { command: string; args: string[]; app: "lab" | "notebook" }

/** The command that opens the course: jupyter-lab if installed, else jupyter-notebook. */
export function labCommand(extra: string[], envPath: string | undefined = process.env.PATH): LabCommand {
  const lab = findOnPath("jupyter-lab", envPath);
  const notebook = findOnPath("jupyter-notebook", envPath);
  const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const common = ["--ip=127.0.0.1", ...(asRoot ? ["--allow-root"] : [])];
  if (lab) {
    return {
      command: lab,
      app: "lab",
      args: [...common, `--ServerApp.root_dir=${PROJECT_ROOT}`, "--LabApp.default_url=/lab/tree/notebooks", ...extra],
    };
  }
  if (notebook) {
    return {
      command: notebook,
      app: "notebook",
      args: [...common, `--NotebookApp.notebook_dir=${PROJECT_ROOT}`, "--NotebookApp.default_url=/tree/notebooks", ...extra],
    };
  }
  throw new JupyterNotFoundError("JupyterLab or the Jupyter Notebook (`jupyter lab` / `jupyter notebook`)");
}

function main(): void {
  let cmd: LabCommand;
  let env: NodeJS.ProcessEnv;
  try {
    const jupyterPath = writeLocalKernelspec();
    env = envWithLocalKernel(jupyterPath);
    cmd = labCommand(process.argv.slice(2));
  } catch (e) {
    console.error(`lab: ${(e as Error).message}`);
    process.exitCode = e instanceof JupyterNotFoundError ? 2 : 1;
    return;
  }
  console.log(`lab: starting ${cmd.app === "lab" ? "JupyterLab" : "the Jupyter Notebook"} in ${PROJECT_ROOT} (kernel: tslab from ${env.JUPYTER_PATH!.split(":")[0]})`);
  const child = spawn(cmd.command, cmd.args, { cwd: PROJECT_ROOT, env, stdio: "inherit" });
  // Ctrl-C reaches Jupyter directly (same terminal): it asks to confirm and shuts its kernels down.
  // We only wait for it; other signals are passed on.
  process.on("SIGINT", () => undefined);
  for (const sig of ["SIGTERM", "SIGHUP"] as const) {
    process.on(sig, () => child.kill(sig));
  }
  child.on("error", (e) => {
    console.error(`lab: could not start ${cmd.command}: ${e.message}`);
    process.exitCode = 1;
  });
  child.on("exit", (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0);
  });
}

if (require.main === module) main();
