// npm run nb:clean [-- [--check] [files...]]
//
// Normalises committed notebooks (default: notebooks/*.ipynb): no outputs, execution_count null,
// notebook metadata exactly the course kernelspec + language_info, cell metadata reduced to `tags`
// and `jupyter.source_hidden`, stable cell ids, nbformat 4.5, Jupyter's own JSON layout.
// Idempotent. With --check nothing is written: it lists what would change and exits 1 if anything would.
import * as fs from "fs";
import * as path from "path";
import { cleanNotebook } from "./runner/clean";
import { PROJECT_ROOT } from "./runner/kernelspec";
import { writeFileAtomic } from "../lib/files";
import { parseNotebook, serializeNotebook } from "./common/nbformat";

export interface CleanFileResult { file: string; changed: boolean; problems: string[] }

/** Clean one file (or, with check, only report). */
export function cleanFile(file: string, check: boolean): CleanFileResult {
  const text = fs.readFileSync(file, "utf8");
  const { notebook, problems } = cleanNotebook(parseNotebook(text, file));
  const clean = serializeNotebook(notebook);
  const changed = clean !== text;
  if (changed && problems.length === 0) problems.push("JSON layout differs from Jupyter's (key order, indent, line splitting or final newline)");
  if (changed && !check) writeFileAtomic(file, clean);
  return { file, changed, problems };
}

export function defaultNotebooks(root: string = PROJECT_ROOT): string[] {
  const dir = path.join(root, "notebooks");
  return fs.existsSync(dir)
    ? fs.readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort().map((f) => path.join(dir, f))
    : [];
}

function main(): number {
  const args = process.argv.slice(2);
  const check = args.includes("--check");
  const unknown = args.filter((a) => a.startsWith("-") && a !== "--check");
  if (unknown.length > 0) {
    console.error(`nb:clean: unknown option ${unknown.join(" ")}\nusage: npm run nb:clean -- [--check] [files...]`);
    return 1;
  }
  const files = args.filter((a) => !a.startsWith("-"));
  const targets = files.length > 0 ? files : defaultNotebooks();
  if (targets.length === 0) {
    console.error("nb:clean: no notebooks found in notebooks/");
    return 1;
  }
  let bad = 0;
  let errors = 0;
  for (const file of targets) {
    let res: CleanFileResult;
    try {
      res = cleanFile(file, check);
    } catch (e) {
      console.error(`nb:clean: ${(e as Error).message}`);
      errors++;
      continue;
    }
    const rel = path.relative(process.cwd(), file) || file;
    if (!res.changed) continue;
    bad++;
    console.log(`${rel}: ${check ? "not clean" : "cleaned"}`);
    for (const p of res.problems) console.log(`  - ${p}`);
  }
  if (check && bad > 0) {
    console.error(`nb:clean --check: ${bad} of ${targets.length} notebook(s) need \`npm run nb:clean\``);
    return 1;
  }
  if (!check) console.log(`nb:clean: ${bad} of ${targets.length} notebook(s) changed`);
  else if (errors === 0) console.log(`nb:clean --check: ${targets.length} notebook(s) clean`);
  return errors > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main();
