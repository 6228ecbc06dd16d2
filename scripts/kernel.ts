// The tslab kernelspec for this checkout.
//
//   tsx scripts/kernel.ts            write .jupyter-local/kernels/tslab/kernel.json (project-local;
//                                    `npm run execute` and `npm run lab` do this themselves)
//   npm run kernel:install           (= --global) also register it with your own Jupyter, through
//                                    `jupyter kernelspec install --user`, so that any Jupyter you
//                                    start can run the notebooks. Replaces a kernel named "tslab".
//   --print                          print kernel.json and exit
//
// Interrupts: kernel.json leaves interrupt_mode at Jupyter's default, "signal": Kernel → Interrupt
// sends SIGINT to the kernel's process group. The kernel is this Node process itself (tslab's bin
// runs in it, no child), and tslab runs every cell with vm's breakOnSigint, so a synchronous training
// loop stops at once with "Script execution was interrupted by `SIGINT`" and the kernel aborts the
// cells queued behind it (measured in test/ui/lab.test.ts). An async cell is only detached: its
// promise is abandoned while its loop goes on, so training loops in the lessons are synchronous.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { KERNEL_NAME, kernelSpec, writeKernelspecDir, writeLocalKernelspec } from "./runner/kernelspec";
import { findOnPath, JupyterNotFoundError } from "./runner/server";
import { venvExecutable } from "./python-env";

/**
 * Register the kernelspec in the user's Jupyter data folder (what `jupyter kernelspec install
 * --user` does). Uses `jupyter kernelspec` when it exists, else writes <jupyter --data-dir>/kernels/tslab.
 */
function installGlobal(): void {
  // Your own Jupyter on PATH first; else the course's (.venv): both read the same per-user data folder.
  const jupyter = findOnPath("jupyter") ?? venvExecutable("jupyter");
  if (!jupyter) throw new JupyterNotFoundError("Jupyter (the `jupyter` command)");
  if (fs.existsSync(path.join(path.dirname(jupyter), "jupyter-kernelspec"))) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tslab-kernelspec-"));
    try {
      const dir = path.join(tmp, KERNEL_NAME);
      writeKernelspecDir(dir);
      const res = spawnSync(jupyter, ["kernelspec", "install", "--user", "--replace", `--name=${KERNEL_NAME}`, dir], { encoding: "utf8" });
      if (res.status !== 0) {
        throw new Error(`jupyter kernelspec install failed (exit ${res.status}):\n${(res.stderr || res.stdout || String(res.error ?? "")).trim()}`);
      }
      console.log((res.stderr + res.stdout).trim());
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    return;
  }
  const res = spawnSync(jupyter, ["--data-dir"], { encoding: "utf8" });
  const dataDir = (res.stdout ?? "").trim();
  if (res.status !== 0 || !dataDir) {
    throw new Error(`\`jupyter --data-dir\` failed (exit ${res.status}): ${(res.stderr ?? "").trim()}`);
  }
  const file = writeKernelspecDir(path.join(dataDir, "kernels", KERNEL_NAME));
  console.log(`installed kernelspec ${KERNEL_NAME} in ${path.dirname(file)}`);
}

function main(): number {
  const args = process.argv.slice(2);
  for (const a of args) {
    if (!["--global", "--print", "--help", "-h"].includes(a)) {
      console.error(`kernel: unknown argument ${a}\nusage: tsx scripts/kernel.ts [--global] [--print]`);
      return 1;
    }
  }
  if (args.includes("--help") || args.includes("-h")) {
    console.log("usage: tsx scripts/kernel.ts [--global] [--print]");
    return 0;
  }
  if (args.includes("--print")) {
    console.log(JSON.stringify(kernelSpec(), null, 1));
    return 0;
  }
  const local = writeLocalKernelspec();
  console.log(`project-local kernelspec: ${path.join(local, "kernels", KERNEL_NAME, "kernel.json")}`);
  if (args.includes("--global")) installGlobal();
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main();
  } catch (e) {
    console.error(`kernel: ${(e as Error).message}`);
    process.exitCode = e instanceof JupyterNotFoundError ? 2 : 1;
  }
}
