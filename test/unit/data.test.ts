// Data sets: generation, the committed files, the loader's validation, byte-stable writing.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { makeSignOfSumData, splitDataset, sequence, validateDataset } from "../../lib/data";
import { loadDataset, saveDataset, datasetToJSON } from "../../lib/io";
import { DATASETS, makeAll } from "../../data/make";
import { assertBitsEqual, assertThrowsMsg } from "./helpers";

const DATA_DIR = path.join(__dirname, "..", "..", "data");

test("makeSignOfSumData labels each sequence by the sign of its sum and is deterministic", () => {
  const d = makeSignOfSumData({ n: 500, T: 4, I: 3, seed: "labels" });
  assert.equal(d.xs.length, 500 * 12);
  for (let k = 0; k < d.n; k++) {
    const sum = sequence(d, k).reduce((a, b) => a + b, 0);
    assert.equal(d.ys[k], sum > 0 ? 1 : 0);
  }
  const ones = d.ys.reduce((a, b) => a + b, 0);
  assert.ok(ones > 200 && ones < 300, `about half the labels are 1 (got ${ones})`);
  assertBitsEqual(makeSignOfSumData({ n: 500, T: 4, I: 3, seed: "labels" }).xs, d.xs, "same seed");
  assert.notDeepEqual(makeSignOfSumData({ n: 500, T: 4, I: 3, seed: "other" }).xs, d.xs);
});

test("the committed data files hold exactly what data/make.ts generates, bit for bit", () => {
  assert.deepEqual(DATASETS.map((d) => d.file), ["sign-of-sum/train.json", "sign-of-sum/test.json"]);
  for (const d of DATASETS) {
    const loaded = loadDataset(path.join(DATA_DIR, d.file));
    const made = makeSignOfSumData(d.opts);
    assert.deepEqual([loaded.n, loaded.T, loaded.I], [1000, 10, 1]);
    assert.deepEqual(loaded.header, { name: d.name, seed: d.opts.seed, n: 1000, T: 10, I: 1, description: d.description });
    assertBitsEqual(loaded.xs, made.xs, `${d.file} xs`);
    assertBitsEqual(loaded.ys, made.ys, `${d.file} ys`);
  }
  const train = loadDataset(path.join(DATA_DIR, "sign-of-sum/train.json"));
  const held = loadDataset(path.join(DATA_DIR, "sign-of-sum/test.json"));
  assert.notDeepEqual(train.xs.subarray(0, 10), held.xs.subarray(0, 10), "train and test come from different seeds");
});

test("writing the data sets twice gives identical bytes, equal to the committed files", () => {
  const dirs = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), "rnn-data-")));
  try {
    const written = dirs.map((dir) => makeAll(dir));
    for (const d of DATASETS) {
      const a = fs.readFileSync(path.join(dirs[0], d.file));
      const b = fs.readFileSync(path.join(dirs[1], d.file));
      assert.ok(a.equals(b), `${d.file}: two writes differ`);
      assert.ok(a.equals(fs.readFileSync(path.join(DATA_DIR, d.file))), `${d.file}: differs from the committed file (run npm run data)`);
    }
    assert.equal(written[0].length, 2);
    for (const dir of dirs) assert.deepEqual(fs.readdirSync(path.join(dir, "sign-of-sum")).sort(), ["test.json", "train.json"], "no temp files left");
  } finally {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("saveDataset/loadDataset round-trip every bit, including -0 and extreme values", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rnn-data-"));
  try {
    const ds = { n: 2, T: 2, I: 2, xs: Float64Array.from([-0, 5e-324, 1.7976931348623157e308, 0.1 + 0.2, -1e-300, 1 / 3, Math.PI, -2]), ys: Float64Array.from([1, 0]) };
    const file = path.join(dir, "x.json");
    saveDataset(file, ds, { name: "x", seed: 1, description: "edge values" });
    const back = loadDataset(file);
    assertBitsEqual(back.xs, ds.xs, "xs");
    assertBitsEqual(back.ys, ds.ys, "ys");
    assert.ok(Object.is(back.xs[0], -0));
    assert.equal(datasetToJSON(back, back.header), fs.readFileSync(file, "utf8"));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("loadDataset names the file and the field on bad data", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rnn-data-"));
  const good = { header: { name: "x", seed: 1, n: 2, T: 3, I: 1, description: "d" }, xs: [[1, 2, 3], [4, 5, 6]], ys: [0, 1] };
  const write = (name: string, content: unknown): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    return file;
  };
  const mutate = (f: (o: any) => void): unknown => {
    const o = JSON.parse(JSON.stringify(good));
    f(o);
    return o;
  };
  try {
    assert.equal(loadDataset(write("good.json", good)).n, 2);
    let file = write("a.json", mutate((o) => (o.ys[1] = 2)));
    assertThrowsMsg(() => loadDataset(file), `loadDataset(${file}): field "ys"[1] is 2, expected 0 or 1`);
    file = write("b.json", mutate((o) => (o.xs[1][2] = "7")));
    assertThrowsMsg(() => loadDataset(file), `loadDataset(${file}): field "xs"[1][2] is "7", expected a finite number`);
    file = write("c.json", mutate((o) => (o.xs[0] = [1, 2])));
    assertThrowsMsg(() => loadDataset(file), `loadDataset(${file}): field "xs"[0] has length 2, expected T·I = 3 (T=3, I=1)`);
    file = write("d.json", mutate((o) => o.ys.push(1)));
    assertThrowsMsg(() => loadDataset(file), `loadDataset(${file}): field "ys" has length 3, expected n = 2`);
    file = write("e.json", mutate((o) => (o.header.T = 0)));
    assertThrowsMsg(() => loadDataset(file), `loadDataset(${file}): field "header.T" is 0, expected an integer >= 1`);
    file = write("f.json", mutate((o) => delete o.header));
    assertThrowsMsg(() => loadDataset(file), `loadDataset(${file}): field "header" is undefined, expected an object`);
    file = write("g.json", mutate((o) => (o.xs[0][0] = null))); // how JSON.stringify writes NaN
    assertThrowsMsg(() => loadDataset(file), `loadDataset(${file}): field "xs"[0][0] is null, expected a finite number`);
    file = write("h.json", '{"header": ');
    assertThrowsMsg(() => loadDataset(file), `loadDataset(${file}): not valid JSON`);
    file = write("i.json", mutate((o) => (o.xs = [[1, 2, 3]])));
    assertThrowsMsg(() => loadDataset(file), `loadDataset(${file}): field "xs" has 1 rows, expected n = 2`);
    file = write("j.json", mutate((o) => (o.xs[1][0] = 1e999))); // parses to Infinity
    const text = fs.readFileSync(file, "utf8").replace("[null,5,6]", "[1e999,5,6]");
    fs.writeFileSync(file, text);
    assertThrowsMsg(() => loadDataset(file), `loadDataset(${file}): field "xs"[1][0] is Infinity, expected a finite number`);
    const missing = path.join(dir, "nope.json");
    assertThrowsMsg(() => loadDataset(missing), `loadDataset(${missing}): cannot read the file`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("validateDataset and splitDataset check their arguments", () => {
  const d = makeSignOfSumData({ n: 10, T: 3, I: 2, seed: 1 });
  const { train, test: held } = splitDataset(d, 7);
  assert.equal(train.n, 7);
  assert.equal(held.n, 3);
  assertBitsEqual(held.xs, d.xs.subarray(7 * 6), "test part");
  assertThrowsMsg(() => splitDataset(d, 10), "splitDataset: nTrain is 10, expected less than ds.n = 10");
  assertThrowsMsg(() => validateDataset({ ...d, xs: d.xs.subarray(1) }, "ds"), 'ds: field "xs" has length 59, expected n·T·I = 60 (n=10, T=3, I=2)');
  assertThrowsMsg(() => validateDataset({ ...d, T: -1 }, "ds"), 'ds: field "T" is -1, expected an integer >= 1');
  const nan = d.xs.slice();
  nan[5] = NaN;
  assertThrowsMsg(() => validateDataset({ ...d, xs: nan }, "ds"), 'ds: field "xs"[5] is NaN, expected a finite number');
  assertThrowsMsg(() => makeSignOfSumData({ n: 0, T: 3, I: 1, seed: 1 }), "makeSignOfSumData: n is 0, expected an integer >= 1");
  assertThrowsMsg(() => sequence(d, 10), "sequence: k is 10, expected an integer in [0, 9]");
});
