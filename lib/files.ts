// Not built in a lesson: file plumbing under every writer and reader.
// Node-only: the file helpers under every writer and reader of the project (lib/io.ts,
// lib/model-io.ts, the notebook runner and the site builder), kept apart from any data format so
// that the scripts import them without the data set code.
// Writes are atomic: the text goes to a temporary file that is then renamed over the target, so a
// crash never leaves a half-written file.
import * as fs from "fs";
import * as path from "path";
import { describe } from "./checks";

/**
 * Write text to file atomically: a hidden temp file in the same folder, then a rename, so readers
 * never see half a file; creates the folder. (The scripts write notebooks with it too.)
 */
export function writeFileAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Read a text file; the error names the calling function and the file. */
export function readText(fn: string, file: string): string {
  if (typeof file !== "string" || file === "") throw new Error(`${fn}: path is ${describe(file)}, expected a file path`);
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`${fn}(${file}): cannot read the file (${(e as Error).message})`);
  }
}
