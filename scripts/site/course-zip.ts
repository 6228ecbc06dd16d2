// The course as one download (site/rnn-from-scratch.zip): what a learner needs to run the lessons
// (notebooks, course material, solutions, lib/, data/, scripts, tests, package files, README), i.e.
// the repository's tracked files as they are in the working tree. A lone executed .ipynb cannot run:
// it imports ./lib. Deterministic: sorted names, fixed times (zip.ts).
import * as fs from "fs";
import * as path from "path";
import { execFileSync } from "child_process";
import { zip, type ZipEntry } from "./zip";

/** The folder every entry sits in, so unzipping makes one folder. */
export const ZIP_FOLDER = "rnn-from-scratch";

// Without git (e.g. inside an unzipped download): everything except what .gitignore leaves out.
const NOT_COURSE = new Set(["node_modules", "build", "site", "artifacts", ".git", ".venv", ".jupyter-local", ".ipynb_checkpoints"]);

/** Repository-relative paths of the course's files, sorted. */
export function courseFiles(root: string): string[] {
  let files: string[] | null = null;
  try {
    const out = execFileSync("git", ["ls-files", "-z", "--cached"], { cwd: root, stdio: ["ignore", "pipe", "ignore"], maxBuffer: 64 << 20 });
    files = out.toString("utf8").split("\0").filter((f) => f);
  } catch {
    files = null;
  }
  if (!files || !files.length) {
    files = [];
    const walk = (rel: string) => {
      for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
        if (NOT_COURSE.has(e.name) || e.name.endsWith(".tmp")) continue;
        const p = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) walk(p);
        else files!.push(p);
      }
    };
    walk("");
  }
  return files.filter((f) => fs.existsSync(path.join(root, f)) || isLink(path.join(root, f))).sort();
}

function isLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The zip of courseFiles(root), every entry under ZIP_FOLDER/. */
export function courseZip(root: string): { zip: Buffer; files: number } {
  const entries: ZipEntry[] = [];
  for (const f of courseFiles(root)) {
    const p = path.join(root, f);
    const st = fs.lstatSync(p);
    const name = `${ZIP_FOLDER}/${f}`;
    if (st.isSymbolicLink()) entries.push({ name, data: Buffer.from(fs.readlinkSync(p), "utf8"), mode: 0o120777 });
    else if (st.isFile()) entries.push({ name, data: fs.readFileSync(p), mode: st.mode & 0o111 ? 0o100755 : 0o100644 });
  }
  return { zip: zip(entries), files: entries.length };
}
