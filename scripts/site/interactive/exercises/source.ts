// The learner's TypeScript -> the worker's JavaScript, on the page's main thread (and in Node for the
// unit test). The transpiler is sucrase: it strips the types and turns imports into require() calls,
// keeps every line where it was (so an error's line is the learner's line), and needs no eval.
// Why sucrase (measured, this machine, under load): bundled and minified it is 201 KB of
// assets/exercises.js, and it transpiles a solution cell in about 3 ms in Node
// (test/unit/exercises-page.test.ts prints it); TypeScript's transpileModule is 3.5 MB bundled and 8-11x
// slower per cell; esbuild-wasm runs from a .wasm binary that a file:// page cannot fetch (it would have
// to be inlined, megabytes) and starts asynchronously. Sucrase does not check types; neither would the
// other two.
import { transform } from "sucrase";

/**
 * How long the worker may run before the page stops it. The slowest solution check (6.2, a gradient
 * check of the mystery gradients) took 0.8 s in Chromium under load, worker start included.
 */
export const TIME_LIMIT_S = 5;

export type Transpiled = { ok: true; js: string } | { ok: false; line: number; message: string };

/** Strips the types and turns imports into require(); a syntax error comes back with its line. */
export function transpile(code: string): Transpiled {
  try {
    return { ok: true, js: transform(code, { transforms: ["typescript", "imports"], disableESTransforms: true }).code };
  } catch (e) {
    const err = e as Error & { loc?: { line: number; column: number } };
    const line = err.loc ? err.loc.line : 1;
    return { ok: false, line, message: `Syntax error on line ${line}: ${err.message.replace(/\s*\(\d+:\d+\)$/, "")}` };
  }
}

/** An earlier exercise whose declarations this one uses: its id, the names and its transpiled code. */
export interface DepCode { id: string; names: string[]; js: string }

/**
 * The worker's whole source: the runtime (self.__rnnExercise), then one call of its run() with the
 * prelude in the outer scope, each dep run quietly in its own scope (only its `names` come out), and the
 * learner's code in an inner scope, so that it may declare a name the prelude has. `userStart` is the
 * first line of the learner's code in it (for the line of a thrown error).
 */
export function workerSource(runtime: string, prelude: string, deps: DepCode[], userJs: string): { source: string; userStart: number } {
  const head = [
    runtime,
    ";__rnnExercise.run(async (require, unavailable, exports) => {",
    prelude,
    ...deps.map((d) =>
      `const { ${d.names.join(", ")} } = await __rnnExercise.quietly(${JSON.stringify(d.id)}, ${JSON.stringify(d.names)}, async () => {\n${d.js}\n` +
      `return { ${d.names.map((n) => `${n}: typeof ${n} === "undefined" ? undefined : ${n}`).join(", ")} };\n});`),
    "await (async () => {",
  ].join("\n");
  const userStart = head.split("\n").length + 1;
  const userLines = userJs.split("\n").length;
  return { source: `${head}\n${userJs}\n})();\n}, ${userStart}, ${userLines});\n`, userStart };
}
