// Build time: the two shared assets of the exercises, made with esbuild's JS API.
//   assets/exercises.js          the page side (page.ts): CodeMirror 6, sucrase, the worker host
//   assets/exercise-runtime.js   the worker side as TEXT: `self.__rnnExerciseRuntime = "…"`. A file://
//                                page cannot fetch a file, and Chromium refuses new Worker(file:…), so the
//                                page builds the worker from a Blob of this text + prelude + the code.
// The runtime bundles runtime.ts with every browser-safe lib/ module (the files lib/index.ts
// re-exports: the one list of them), lib/io's stand-in (browser-io.ts) and every notebooks/course/
// module, keyed as the notebooks import them (modules.ts). One runtime serves every lesson: the course
// modules are small next to lib/, and the browser caches one file for all pages.
import * as fs from "fs";
import * as path from "path";
import { build } from "esbuild";
import { DATASETS } from "../../../../data/make";

const ROOT = path.resolve(__dirname, "../../../..");

/** The module keys the worker provides (see modules.ts): what a prelude may require(). */
export function availableModules(root: string = ROOT): string[] {
  const index = fs.readFileSync(path.join(root, "lib", "index.ts"), "utf8");
  const lib = [...index.matchAll(/^export \* from "\.\/([\w-]+)";/gm)].map((m) => `lib/${m[1]}`);
  if (!lib.length) throw new Error("exercises: lib/index.ts re-exports no module (expected lines `export * from \"./name\";`)");
  const course = fs.readdirSync(path.join(root, "notebooks", "course")).filter((f) => f.endsWith(".ts")).sort().map((f) => `course/${f.replace(/\.ts$/, "")}`);
  return [...lib, "lib/index", "lib/io", ...course];
}

/** The one output file of a build with write: false. */
const textOf = (r: { outputFiles?: { text: string }[] }): string => {
  if (!r.outputFiles || r.outputFiles.length !== 1) throw new Error("exercises: esbuild gave no single output file");
  return r.outputFiles[0].text;
};

const OPTIONS = { bundle: true, format: "iife" as const, target: "es2020", minify: true, charset: "ascii" as const, legalComments: "none" as const, write: false, logLevel: "silent" as const };

/** The worker runtime's source text (an IIFE that installs self.__rnnExercise). */
export async function runtimeSource(root: string = ROOT): Promise<string> {
  const keys = availableModules(root);
  const file = (key: string) =>
    key === "lib/io" ? null : JSON.stringify(path.join(root, key.startsWith("course/") ? "notebooks" : "", `${key}.ts`));
  const lines = [
    `import { startRuntime } from ${JSON.stringify(path.join(__dirname, "runtime.ts"))};`,
    `import { browserIo } from ${JSON.stringify(path.join(__dirname, "browser-io.ts"))};`,
    ...keys.filter((k) => k !== "lib/io").map((k, i) => `import * as m${i} from ${file(k)};`),
    `startRuntime({`,
    ...keys.filter((k) => k !== "lib/io").map((k, i) => `  ${JSON.stringify(k)}: m${i},`),
    `  "lib/io": browserIo(${JSON.stringify(DATASETS)}),`,
    `});`,
  ];
  const r = await build({ ...OPTIONS, platform: "browser", stdin: { contents: lines.join("\n"), resolveDir: root, sourcefile: "exercise-runtime-entry.ts", loader: "ts" } });
  return textOf(r);
}

export interface ExerciseAssets { pageBytes: number; runtimeBytes: number; runtimeTextBytes: number }

/** Writes assets/exercises.js and assets/exercise-runtime.js into assetsDir; returns their sizes. */
export async function writeExerciseAssets(assetsDir: string, root: string = ROOT): Promise<ExerciseAssets> {
  const [page, runtime] = await Promise.all([
    build({ ...OPTIONS, platform: "browser", entryPoints: [path.join(__dirname, "page.ts")] }).then(textOf),
    runtimeSource(root),
  ]);
  const runtimeJs = `self.__rnnExerciseRuntime=${JSON.stringify(runtime)};\n`;
  fs.mkdirSync(assetsDir, { recursive: true });
  fs.writeFileSync(path.join(assetsDir, "exercises.js"), page);
  fs.writeFileSync(path.join(assetsDir, "exercise-runtime.js"), runtimeJs);
  return { pageBytes: Buffer.byteLength(page), runtimeBytes: Buffer.byteLength(runtimeJs), runtimeTextBytes: Buffer.byteLength(runtime) };
}
