// lib/index.ts is a plain list of re-exports: it exports everything the browser-safe lib files
// export (same values), every lib file is either re-exported or listed below with the reason it is
// not, and no Node-only module is reachable from index.ts.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as lib from "../../lib/index";
import * as io from "../../lib/io";
import * as modelIo from "../../lib/model-io";

const LIB = path.join(__dirname, "..", "..", "lib");
const INDEX = fs.readFileSync(path.join(LIB, "index.ts"), "utf8");

/** lib files deliberately not re-exported by index.ts, and why. */
const NOT_IN_INDEX: Record<string, string> = {
  "index.ts": "the index itself",
  "files.ts": "Node-only (fs)",
  "io.ts": "Node-only (data set files)",
  "model-io.ts": "Node-only (model files)",
  "charlm-io.ts": "Node-only (the training text and character-model files)",
  "plot.ts": "notebook display (tslab); imported by notebooks directly",
  "checks.ts": "internal argument checks",
  "json.ts": "internal number formatting for the file formats",
  "fast.ts": "internal hot path behind rnnOps (tests and the bench import it directly)",
  "math.ts": "internal: exp, log, tanh, sin... with the same bits in every JavaScript engine (lib code calls them instead of Math's)",
  "simd.ts": "internal: WebAssembly SIMD kernels with the same bits as the TypeScript they stand in for (setSimdEnabled is for tests and the bench)",
  "charlm-simd.ts": "internal: the character model's chunk on simd.ts's kernel, chosen by charlm.ts",
  "simd-wat.ts": "build-time only: the kernels' WebAssembly text, compiled into simd.ts by npm run wasm",
};

const reExported = (): string[] => [...INDEX.matchAll(/^export \* from "\.\/([\w-]+)";$/gm)].map((m) => `${m[1]}.ts`);

test("index.ts is a plain list of `export * from` lines (plus comments)", () => {
  for (const line of INDEX.split("\n")) {
    assert.ok(line === "" || line.startsWith("//") || /^export \* from "\.\/[\w-]+";$/.test(line), `index.ts line is not a plain re-export: ${line}`);
  }
  assert.ok(reExported().length >= 15);
});

test("index.ts exports every runtime export of each re-exported file, with the same value", async () => {
  const exported = lib as unknown as Record<string, unknown>;
  let names = 0;
  for (const file of reExported()) {
    const mod = (await import(path.join(LIB, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      if (name === "default" || name === "__esModule") continue;
      assert.equal(exported[name], value, `index.ts should export ${name} from ${file}`);
      names++;
    }
  }
  console.log(`index.ts: ${reExported().length} files, ${names} runtime exports`);
  for (const name of ["train", "trainAsync", "trainLoop", "UPDATE_RULES", "CELLS", "cellOps", "rnnOps", "evaluate", "gradCheck", "modelFromJSON"]) {
    assert.equal(typeof exported[name] === "function" || typeof exported[name] === "object", true, `index.ts should export ${name}`);
  }
});

test("every lib file is re-exported by index.ts or listed with the reason it is not", () => {
  const files = fs.readdirSync(LIB).filter((f) => f.endsWith(".ts"));
  const inIndex = new Set(reExported());
  for (const file of files) {
    assert.ok(inIndex.has(file) !== (file in NOT_IN_INDEX), `${file}: ${inIndex.has(file) ? "re-exported AND listed as not re-exported" : "neither re-exported by index.ts nor listed in NOT_IN_INDEX"}`);
  }
  for (const file of Object.keys(NOT_IN_INDEX)) assert.ok(files.includes(file), `NOT_IN_INDEX names ${file}, which is not in lib/`);
});

test("no Node-only module is reachable from index.ts; the Node-only files export the file functions", () => {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const src = fs.readFileSync(path.join(LIB, file), "utf8").replace(/^\s*\/\/.*$/gm, "");
    // import/export statements only (a line that starts with the keyword), not text that mentions "import" (e.g. WebAssembly's)
    for (const m of src.matchAll(/^\s*(?:import|export)\b[^;"']*?\bfrom\s+["']([^"']+)["']|^\s*import\s+["']([^"']+)["']/gm)) {
      const spec = m[1] ?? m[2];
      if (spec.startsWith("./")) visit(spec.slice(2) + ".ts");
      else assert.equal(spec, "seedrandom", `${file} imports ${spec}: index.ts must reach no module but seedrandom and lib files`);
    }
  };
  visit("index.ts");
  for (const nodeOnly of ["files.ts", "io.ts", "model-io.ts"]) assert.ok(!seen.has(nodeOnly), `index.ts reaches ${nodeOnly}`);
  assert.ok(seen.has("fast.ts") && seen.has("loop.ts"), "the traversal follows imports (it reaches fast.ts and loop.ts)");
  assert.match(fs.readFileSync(path.join(LIB, "files.ts"), "utf8"), /from "fs"/, "files.ts is the Node-only one (the check above can fail)");
  const exported = lib as unknown as Record<string, unknown>;
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
