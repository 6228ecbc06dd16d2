// The module names an exercise can import on a lesson page, shared by the build (prelude.ts, bundle.ts)
// and the worker (runtime.ts). A notebook imports "./lib/params" or "./course/05-training"; the
// solutions notebooks the same through their links; the course files "../lib/params". All of them
// name one module key: "lib/params", "course/05-training".

/**
 * lib/ files that read or write files, or draw through Jupyter: never bundled for the page. An exercise
 * cell that calls one of their functions gets a clear error instead (runtime.ts's unavailable()).
 * lib/io.ts is the exception the page needs: its loadDataset is served by browser-io.ts.
 */
export const NODE_ONLY: Record<string, string> = {
  "lib/files": "it reads and writes files",
  "lib/io": "it reads and writes files",
  "lib/model-io": "it reads and writes model files",
  "lib/charlm-io": "it reads the training text and model files",
  "lib/plot": "it draws through Jupyter",
  tslab: "it is the Jupyter kernel's own module",
};

/** The module key of an import specifier: "./lib/params.ts" -> "lib/params", "../course/04-bptt" -> "course/04-bptt". */
export function moduleKey(spec: string): string {
  return spec.replace(/^(?:\.\.?\/)+/, "").replace(/\.(?:ts|js)$/, "").replace(/^notebooks\//, "");
}
