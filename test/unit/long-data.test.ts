// The long-dependency task (lib/long-data.ts) and its committed sample (data/make-long.ts).
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { makeFirstSignData, LONG_TASK } from "../../lib/long-data";
import { validateDataset } from "../../lib/data";
import { loadDataset } from "../../lib/io";
import { makeLongData, LONG_SAMPLE } from "../../data/make-long";
import { assertBitsEqual, assertThrowsMsg } from "./helpers";

test("makeFirstSignData: shapes, the signal and marker at step 0 only, labels from the signal, noise of the given size", () => {
  const ds = makeFirstSignData({ n: 400, T: 30, seed: "ld", noise: 2 });
  validateDataset(ds, "test");
  assert.deepEqual([ds.n, ds.T, ds.I, ds.xs.length], [400, 30, 2, 400 * 30 * 2]);
  let ones = 0, sumSq = 0, count = 0;
  for (let k = 0; k < ds.n; k++) {
    const x = ds.xs.subarray(k * 60, (k + 1) * 60);
    assert.ok(x[0] === 1 || x[0] === -1, "signal is ±1");
    assert.equal(ds.ys[k], x[0] === 1 ? 1 : 0, "label is the signal's sign");
    assert.equal(x[1], 1, "marker at step 0");
    for (let t = 1; t < 30; t++) { assert.equal(x[2 * t + 1], 0, "no marker later"); sumSq += x[2 * t] ** 2; count++; }
    ones += ds.ys[k];
  }
  assert.ok(ones > 150 && ones < 250, `roughly balanced: ${ones} of 400`);
  const std = Math.sqrt(sumSq / count);
  assert.ok(Math.abs(std - 2) < 0.1, `noise std ${std}`);
});

test("makeFirstSignData is deterministic and seeds matter; bad options get clear errors", () => {
  const a = makeFirstSignData({ n: 5, T: 7, seed: 3 }), b = makeFirstSignData({ n: 5, T: 7, seed: 3 });
  assertBitsEqual(a.xs, b.xs, "xs");
  assertBitsEqual(a.ys, b.ys, "ys");
  assert.notDeepEqual(Array.from(makeFirstSignData({ n: 5, T: 7, seed: 4 }).xs), Array.from(a.xs));
  assertThrowsMsg(() => makeFirstSignData({ n: 0, T: 3, seed: 1 }), "makeFirstSignData", "opts.n");
  assertThrowsMsg(() => makeFirstSignData({ n: 2, T: 1.5, seed: 1 }), "makeFirstSignData", "opts.T");
  assertThrowsMsg(() => makeFirstSignData({ n: 2, T: 3, seed: 1, noise: -1 }), "makeFirstSignData", "opts.noise");
  assert.deepEqual([...LONG_TASK.lengths], [5, 10, 20, 40]);
  assert.notEqual(LONG_TASK.trainSeed(20), LONG_TASK.testSeed(20));
});

test("the committed sample equals the generator, and data/make-long.ts rewrites it byte for byte", () => {
  const committed = path.join(__dirname, "..", "..", "data", LONG_SAMPLE.file);
  const loaded = loadDataset(committed);
  const regenerated = makeFirstSignData(LONG_SAMPLE.opts);
  assertBitsEqual(loaded.xs, regenerated.xs, "xs");
  assertBitsEqual(loaded.ys, regenerated.ys, "ys");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "make-long-"));
  try {
    const [written] = makeLongData(dir);
    assert.ok(fs.readFileSync(written).equals(fs.readFileSync(committed)), "same bytes");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
