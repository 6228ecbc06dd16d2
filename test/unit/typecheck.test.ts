// lib/ must compile under the project's strict tsc AND under the TypeScript
// that tslab bundles (5.0, with the options tslab's converter uses), because
// notebooks import lib/ files through tslab.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");

test("npx tsc --noEmit -p . (strict, TypeScript 5.9) reports no errors", () => {
  let out = "";
  try {
    out = execFileSync(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", ROOT], { cwd: ROOT, encoding: "utf8" });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    assert.fail(`tsc reported errors:\n${err.stdout ?? ""}${err.stderr ?? ""}`);
  }
  assert.equal(out.trim(), "");
});

test("lib/*.ts compiles with tslab's own TypeScript (5.0) and tslab-like options", () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const ts = require(path.join(ROOT, "node_modules", "@tslab", "typescript-for-tslab")) as typeof import("typescript");
  assert.match(ts.version, /^5\.0\./);
  const libDir = path.join(ROOT, "lib");
  const files = fs
    .readdirSync(libDir)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => path.join(libDir, f));
  assert.ok(files.some((f) => f.endsWith("index.ts")) && files.some((f) => f.endsWith("train.ts")));
  // As tslab's converter (node_modules/tslab/dist/converter.js) sets them for Node 20: not strict,
  // ESNext modules resolved the Node10 way, ES2022 with only the es2022 lib (no DOM), declarations on.
  const options: import("typescript").CompilerOptions = {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts"],
    declaration: true,
    experimentalDecorators: true,
    resolveJsonModule: true,
    skipLibCheck: true,
    typeRoots: [path.join(ROOT, "node_modules", "@types")],
    outDir: path.join(ROOT, "build", "tslab-typecheck"), // nothing is written: see writeFile below
  };
  for (const variant of [options, { ...options, module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2019, lib: ["lib.es2019.d.ts"] }]) {
    const program = ts.createProgram(files, variant);
    const emitted = program.emit(undefined, () => undefined); // declaration errors appear only when emitting
    const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
    const text = ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => ROOT,
      getNewLine: () => "\n",
    });
    assert.equal(diagnostics.length, 0, `tslab's TypeScript ${ts.version} (module ${ts.ModuleKind[variant.module as number]}, target ${ts.ScriptTarget[variant.target as number]}):\n${text}`);
  }
});
