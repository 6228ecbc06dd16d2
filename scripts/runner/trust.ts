// Marking executed notebooks as trusted (`jupyter trust`), so that JupyterLab shows their HTML and
// JavaScript outputs (the plots) when someone opens them, without re-running them. The signature
// goes into the notary database of the same Jupyter installation that executed them (the one
// findJupyterServer picks), which is the one `npm run lab` opens them with.
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { findJupyterServer } from "./server";

/** The `jupyter-trust` beside the `jupyter-server` the runner uses, or null. */
export function findJupyterTrust(env: NodeJS.ProcessEnv = process.env): string | null {
  const server = findJupyterServer(env);
  const trust = server && path.join(path.dirname(server), "jupyter-trust");
  return trust && fs.existsSync(trust) ? trust : null;
}

/** Sign `files` in one `jupyter trust` call; resolves to an error message, or null on success. */
export function trustNotebooks(files: string[], env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const exe = findJupyterTrust(env);
  if (files.length === 0) return Promise.resolve(null);
  if (!exe) return Promise.resolve("jupyter-trust was not found beside jupyter-server; the executed notebooks are not marked trusted");
  return new Promise((resolve) => {
    const child = spawn(exe, files, { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (b: Buffer) => (output += b.toString()));
    child.stderr.on("data", (b: Buffer) => (output += b.toString()));
    child.on("error", (e) => resolve(`jupyter trust could not start: ${e.message}`));
    child.on("close", (code) => resolve(code === 0 ? null : `jupyter trust exited with ${code}:\n${output.trim()}`));
  });
}
