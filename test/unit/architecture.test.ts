// docs/ARCHITECTURE.md's layout matches the tree: every path its Layout block names exists.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");

/** The paths the Layout block names: column-0 lines from the root, indented lines inside the folder above. */
export function layoutPaths(markdown: string): string[] {
  const section = markdown.split(/^## /m).find((s) => s.startsWith("Layout"));
  if (!section) throw new Error("docs/ARCHITECTURE.md has no ## Layout section");
  const block = /```\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error("the Layout section has no fenced block");
  const out: string[] = [];
  let folder = "";
  for (const line of block[1].split("\n")) {
    if (line.trim() === "") continue;
    const name = line.trim().split(/\s+/)[0];
    if (/^\S/.test(line)) {
      folder = name.endsWith("/") ? name : "";
      out.push(name);
    } else {
      out.push(folder + name);
    }
  }
  return out;
}

test("every path in ARCHITECTURE.md's layout exists, and every lib file is in the layout", () => {
  const paths = layoutPaths(fs.readFileSync(path.join(ROOT, "docs", "ARCHITECTURE.md"), "utf8"));
  console.log(`ARCHITECTURE.md layout names ${paths.length} paths`);
  assert.ok(paths.length > 20);
  for (const p of paths) {
    const full = path.join(ROOT, p);
    assert.ok(fs.existsSync(full), `ARCHITECTURE.md names ${p}, which does not exist`);
    if (p.endsWith("/")) assert.ok(fs.statSync(full).isDirectory(), `${p} should be a folder`);
  }
  const libFiles = fs.readdirSync(path.join(ROOT, "lib")).filter((f) => f.endsWith(".ts"));
  for (const f of libFiles) assert.ok(paths.includes(`lib/${f}`), `lib/${f} is missing from ARCHITECTURE.md's layout`);
});

test("the layout parser reads column-0 and indented lines (so the check above can fail)", () => {
  const md = "# x\n\n## Layout\n\n```\nlib/   the lib\n  a.ts   a file\ndocs/\n  b.md\nREADME.md  top\n```\n\n## Next\n";
  assert.deepEqual(layoutPaths(md), ["lib/", "lib/a.ts", "docs/", "docs/b.md", "README.md"]);
});

test("every lib file's header names the lesson that builds it (`// Built in lesson NN`) or says why none does", () => {
  const lessons = new Set(fs.readdirSync(path.join(ROOT, "notebooks")).map((f) => /^(\d\d)-.*\.ipynb$/.exec(f)?.[1]).filter((n): n is string => !!n));
  let counted = 0;
  for (const f of fs.readdirSync(path.join(ROOT, "lib")).filter((n) => n.endsWith(".ts"))) {
    const header = fs.readFileSync(path.join(ROOT, "lib", f), "utf8").split("\n").filter((l) => l.startsWith("//"));
    const line = header.find((l) => /^\/\/ (Built in lessons? |Not built in a lesson: )/.test(l));
    assert.ok(line, `lib/${f} has no "// Built in lesson NN" or "// Not built in a lesson: <why>" line in its header`);
    if (line.startsWith("// Built")) {
      const nums = (/^\/\/ Built in lessons? ([\d, and]+)/.exec(line)?.[1] ?? "").match(/\d\d/g) ?? [];
      assert.ok(nums.length > 0, `lib/${f}: "${line}" names no two-digit lesson number`);
      for (const n of nums) assert.ok(lessons.has(n), `lib/${f} names lesson ${n}, which has no notebook`);
    }
    counted++;
  }
  assert.ok(counted > 20);
});
