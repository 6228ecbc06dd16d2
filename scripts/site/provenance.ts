// Provenance, as d2l marks it: each lib/ file's header names the lesson that builds it, in a line
// starting `// Built in lesson` followed by the lesson number(s) ("// Built in lesson 04 (04-bptt).",
// "// Built in lessons 02 and 05."), or `// Not built in a lesson: <why>`. The site links each lesson
// to the lib/ files naming it, and renders those files as pages.
import * as fs from "fs";
import * as path from "path";

export interface LibProvenance {
  /** Repository path, "/"-separated ("lib/bptt.ts"). */
  path: string;
  /** Lesson numbers the header names (empty: not built in a lesson, or no provenance line). */
  lessons: number[];
  /** The provenance line as written ("" when the header has none). */
  line: string;
  source: string;
}

/**
 * Reads the provenance line from a file's header: the comment lines before its first code line.
 * Numbers inside parentheses (file names like "04-bptt") are not lesson numbers.
 */
export function provenanceOf(source: string): { lessons: number[]; line: string } {
  for (const raw of source.split(/\r?\n/)) {
    const l = raw.trim();
    if (l === "" || l.startsWith("#!")) continue;
    if (!l.startsWith("//")) break; // the header ends at the first code line
    const body = l.replace(/^\/\/+\s*/, "");
    if (/^Not built in a lesson\b/i.test(body)) return { lessons: [], line: l };
    const m = /^Built in lessons?\b(.*)$/i.exec(body);
    if (!m) continue;
    const nums = [...m[1].replace(/\([^)]*\)/g, " ").matchAll(/\b(\d{1,3})\b/g)].map((x) => Number(x[1]));
    return { lessons: [...new Set(nums)].sort((a, b) => a - b), line: l };
  }
  return { lessons: [], line: "" };
}

/** Every .ts file under <root>/lib (recursively, sorted), with its provenance. */
export function libProvenance(root: string): LibProvenance[] {
  const out: LibProvenance[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith(".ts")) {
        const source = fs.readFileSync(p, "utf8");
        out.push({ path: path.relative(root, p).split(path.sep).join("/"), ...provenanceOf(source), source });
      }
    }
  };
  walk(path.join(root, "lib"));
  return out;
}
