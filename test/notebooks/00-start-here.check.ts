// Checks the executed start page (notebooks/00-start-here.ipynb, opened by `npm run lab`): its set-up
// cell reports the kernel and the library and draws its five-point plot, and its lesson list names
// every lesson notebook in the folder with the title from that notebook's first cell.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { TestContext } from "node:test";
import type { Notebook } from "../support/nb";
import { cellOutput, errorOutputs, joinText, notebookStderr, plotsOf, readNotebook, ROOT } from "../support/nb";

export default function check(nb: Notebook, _t: TestContext): void {
  assert.equal(notebookStderr(nb), "", "nothing on stderr");
  assert.deepEqual(errorOutputs(nb), [], "no error outputs");

  const setup = cellOutput(nb, "initRnnParams");
  assert.match(setup, new RegExp(`^kernel: tslab, running TypeScript on Node\\.js ${process.versions.node.split(".")[0]}$`, "m"));
  // I=1, H=4, O=1: Wxh 4 + Whh 16 + bh 4 + Why 4 + by 1 = 29 parameters; four finite hidden values.
  const lib = /^library: loaded; a network with (\d+) parameters read a 3-step sequence, last hidden state \[(.*)\]$/m.exec(setup);
  assert.ok(lib, `the set-up cell did not report the library:\n${setup}`);
  assert.equal(Number(lib[1]), 29);
  const h = lib[2].split(", ").map(Number);
  assert.equal(h.length, 4);
  for (const v of h) assert.ok(Number.isFinite(v) && Math.abs(v) < 1, `tanh hidden value ${v}`);

  const figs = plotsOf(nb);
  assert.equal(figs.length, 1, "one plot: the set-up check");
  assert.deepEqual((figs[0].data[0] as { y: number[] }).y, [1, 4, 9, 16, 25]);

  // The printed lesson list is exactly the lesson notebooks beside it, with their titles.
  const dir = path.join(ROOT, "notebooks");
  const lessons = fs.readdirSync(dir).filter((f) => /^\d\d-.*\.ipynb$/.test(f) && !f.startsWith("00-")).sort();
  assert.ok(lessons.length >= 9, `${lessons.length} lessons in notebooks/`);
  const expected = lessons.map((f) => {
    const title = joinText(readNotebook(path.join(dir, f)).cells[0].source).split("\n")[0].replace(/^#\s*/, "");
    return `${f.padEnd(28)} ${title}`;
  });
  assert.deepEqual(cellOutput(nb, "readdirSync").trimEnd().split("\n"), expected);
}
