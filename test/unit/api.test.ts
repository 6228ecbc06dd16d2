// lib/index.ts exports every name that docs/ARCHITECTURE.md promises; lib/io.ts and lib/model-io.ts the Node-only ones.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as lib from "../../lib/index";
import * as io from "../../lib/io";
import * as modelIo from "../../lib/model-io";

test("index.ts exports the documented API; io.ts and model-io.ts the file functions", () => {
  const names = [
    "makeRng", "normalArray", "shuffledIndices",
    "makeSignOfSumData", "splitDataset", "sequence", "validateDataset",
    "initRnnParams", "rnnParamsFrom", "zerosLike", "cloneParams", "paramArrays",
    "rnnStep", "rnnForward", "sigmoid", "bceWithLogits", "dBceDLogit",
    "rnnBackward", "rnnLossAndGrads", "gradCheck", "sgdStep", "gradNorm", "clipGradNorm",
    "train", "predictProba", "evaluate", "modelToJSON", "modelFromJSON", "CELLS", "cellOps",
  ];
  const exported = lib as unknown as Record<string, unknown>;
  for (const name of names) assert.ok(exported[name] !== undefined, `lib/index.ts should export ${name}`);
  const files: Array<[string, Record<string, unknown>, string[]]> = [
    ["lib/io.ts", io as unknown as Record<string, unknown>, ["loadDataset", "saveDataset"]],
    ["lib/model-io.ts", modelIo as unknown as Record<string, unknown>, ["loadModel", "saveModel"]],
  ];
  for (const [file, mod, fns] of files) for (const name of fns) {
    assert.equal(typeof mod[name], "function", `${file} should export ${name}`);
    assert.equal(exported[name], undefined, `${name} is Node-only and must not be re-exported by index.ts`);
  }
});

test("saveDataset without a header fills in defaults that loadDataset accepts", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rnn-api-"));
  try {
    const file = path.join(dir, "tiny.json");
    io.saveDataset(file, lib.makeSignOfSumData({ n: 3, T: 2, I: 1, seed: 1 }));
    assert.deepEqual(io.loadDataset(file).header, { name: "tiny", seed: "(not recorded)", n: 3, T: 2, I: 1, description: "" });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
