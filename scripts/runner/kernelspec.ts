// The tslab kernelspec, generated for this checkout. Project-local by default: it lives in
// <root>/.jupyter-local/kernels/tslab/ (git-ignored) and the Jupyter processes we start find it
// through JUPYTER_PATH, so nothing in the user's own Jupyter setup is touched.
import * as fs from "fs";
import * as path from "path";
import { writeFileAtomic } from "../../lib/files";

/** The project root: the folder holding package.json, two levels above this file. */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

export const KERNEL_NAME = "tslab";

export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
}

/** kernel.json for this checkout: this Node binary running this checkout's tslab. */
export function kernelSpec(root: string = PROJECT_ROOT): KernelSpec {
  const tslab = path.join(root, "node_modules", "tslab", "bin", "tslab");
  if (!fs.existsSync(tslab)) {
    throw new Error(`tslab is not installed: ${tslab} does not exist. Run \`npm install\` in ${root} first.`);
  }
  return {
    argv: [process.execPath, tslab, "kernel", "--config-path", "{connection_file}"],
    display_name: "TypeScript",
    language: "typescript",
  };
}

/** The JUPYTER_PATH entry holding the project-local kernelspec. */
export function localJupyterPath(root: string = PROJECT_ROOT): string {
  return path.join(root, ".jupyter-local");
}

/**
 * Write <root>/.jupyter-local/kernels/tslab/kernel.json (only when its content changes) and return
 * the folder to put on JUPYTER_PATH.
 */
export function writeLocalKernelspec(root: string = PROJECT_ROOT): string {
  const jupyterPath = localJupyterPath(root);
  writeKernelspecDir(path.join(jupyterPath, "kernels", KERNEL_NAME), root);
  return jupyterPath;
}

/** Write kernel.json into dir (created if needed); returns the file's path. */
export function writeKernelspecDir(dir: string, root: string = PROJECT_ROOT): string {
  const file = path.join(dir, "kernel.json");
  const text = JSON.stringify(kernelSpec(root), null, 1) + "\n";
  let old: string | null = null;
  try {
    old = fs.readFileSync(file, "utf8");
  } catch {
    old = null;
  }
  if (old !== text) writeFileAtomic(file, text);
  return file;
}

/** A copy of env whose JUPYTER_PATH starts with the project-local folder (existing entries kept after it). */
export function envWithLocalKernel(jupyterPath: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const rest = (env.JUPYTER_PATH ?? "").split(path.delimiter).filter((p) => p !== "" && p !== jupyterPath);
  return { ...env, JUPYTER_PATH: [jupyterPath, ...rest].join(path.delimiter) };
}
