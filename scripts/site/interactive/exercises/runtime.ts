// Runs in the exercise worker (a Blob built by source.ts: this runtime, bundled with lib/ and the course
// checks by bundle.ts, then the exercise's prelude and the learner's code). It provides:
//   - require(spec): the bundled modules by module key (modules.ts), for the prelude and for the
//     learner's own imports (sucrase turns them into require calls);
//   - unavailable(module, name): what a Node-only import becomes (an error when it is used);
//   - console: every line goes to the page as a message, so the reporter's ✔/✘ line shows there;
//   - run(): awaits the code and every promise a check returned, then reports done or what was thrown;
//   - quietly(): runs an earlier exercise's code first, muted, for the names this one uses from it.
import { moduleKey, NODE_ONLY } from "./modules";

type Namespace = Record<string, unknown>;

/** Lines of output a check may send to the page. */
export const MAX_LINES = 1000;

/** What the worker posts to the page. */
export type WorkerMessage =
  | { type: "out"; stream: "stdout" | "stderr"; text: string }
  | { type: "done" }
  | { type: "error"; text: string };

/** An Error, also one from another realm (the unit test runs the code in a vm context). */
const isError = (v: unknown): v is Error =>
  v instanceof Error || (typeof v === "object" && v !== null && typeof (v as Error).name === "string" && typeof (v as Error).message === "string" && "stack" in v);

/** One value as console.log shows it (close to Node's for what the course prints). */
export function formatValue(v: unknown, depth = 0): string {
  if (typeof v === "string") return depth ? JSON.stringify(v) : v;
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (typeof v === "bigint") return `${v}n`;
  if (v === undefined || v === null || typeof v === "boolean" || typeof v === "symbol") return String(v);
  if (typeof v === "function") return `[Function: ${v.name || "(anonymous)"}]`;
  if (isError(v)) return `${v.name}: ${v.message}`;
  if (depth > 2) return "[Object]";
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const a = Array.from(v as unknown as ArrayLike<number>);
    return `${v.constructor.name}(${a.length}) [ ${a.slice(0, 100).map((x) => formatValue(x, depth + 1)).join(", ")}${a.length > 100 ? `, ... ${a.length - 100} more items` : ""} ]`;
  }
  if (Array.isArray(v)) return `[ ${v.slice(0, 100).map((x) => formatValue(x, depth + 1)).join(", ")}${v.length > 100 ? `, ... ${v.length - 100} more items` : ""} ]`;
  if (v instanceof Map) return `Map(${v.size}) { ${[...v].map(([k, x]) => `${formatValue(k, depth + 1)} => ${formatValue(x, depth + 1)}`).join(", ")} }`;
  if (v instanceof Set) return `Set(${v.size}) { ${[...v].map((x) => formatValue(x, depth + 1)).join(", ")} }`;
  const entries = Object.entries(v as object);
  return entries.length ? `{ ${entries.map(([k, x]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${formatValue(x, depth + 1)}`).join(", ")} }` : "{}";
}

/** "TypeError: x is not a function" (and the line of the learner's code, if the stack names one). */
export function describeThrown(e: unknown, userStart: number, userLines: number): string {
  if (!isError(e)) return `a value that is not an Error: ${formatValue(e, 1)}`;
  let where = "";
  for (const m of String(e.stack || "").matchAll(/blob:[^\s)]*?:(\d+):(\d+)/g)) {
    const line = Number(m[1]) - userStart + 1;
    if (line >= 1 && line <= userLines) {
      where = ` (line ${line} of your code)`;
      break;
    }
  }
  return `${e.name}: ${e.message}${where}`;
}

export interface Runtime {
  require(spec: string): Namespace;
  unavailable(module: string, name: string): unknown;
  run(body: (require: (spec: string) => Namespace, unavailable: (module: string, name: string) => unknown, exports: object) => Promise<void>, userStart: number, userLines: number): void;
  quietly<T>(id: string, names: string[], body: () => Promise<T>): Promise<T>;
}

/** What the runtime needs from its global scope (the worker's `self`; a stand-in in the unit test). */
export interface RuntimeHost {
  postMessage(m: WorkerMessage): void;
  addEventListener(type: "unhandledrejection", f: (ev: { reason: unknown }) => void): void;
  console: Pick<Console, "log" | "info" | "debug" | "warn" | "error">;
  __rnnExercise?: Runtime;
}

/** Installs the runtime as host.__rnnExercise (host: the worker's self), with the bundled modules by key. */
export function startRuntime(modules: Record<string, Namespace>, host: RuntimeHost = self as unknown as RuntimeHost): Runtime {
  const post = (m: WorkerMessage) => host.postMessage(m);
  const pending: unknown[] = [];
  let quiet = 0;
  // The checks of notebooks/course: a promise one returns is awaited before "done"; while an earlier
  // exercise's code runs quietly, its check is not run at all (it would print that exercise's verdict).
  const byKey: Record<string, Namespace> = {};
  for (const [key, ns] of Object.entries(modules)) {
    if (!key.startsWith("course/")) {
      byKey[key] = ns;
      continue;
    }
    const w: Namespace = {};
    for (const [name, v] of Object.entries(ns)) {
      if (typeof v !== "function" || !/^check[A-Z]/.test(name)) {
        w[name] = v;
        continue;
      }
      const f = v as (...a: unknown[]) => unknown;
      w[name] = function (this: unknown, ...args: unknown[]) {
        if (quiet) return { ok: false, message: "" };
        const r = f.apply(this, args);
        if (r && typeof (r as { then?: unknown }).then === "function") pending.push(r);
        return r;
      };
    }
    byKey[key] = w;
  }
  // A loop that prints without end must not bury the page in messages: the first MAX_LINES lines go out.
  let lines = 0;
  const send = (stream: "stdout" | "stderr") => (...args: unknown[]) => {
    if (quiet || lines > MAX_LINES) return;
    if (++lines > MAX_LINES) post({ type: "out", stream: "stderr", text: `[output cut after ${MAX_LINES} lines]` });
    else post({ type: "out", stream, text: args.map((a) => formatValue(a)).join(" ") });
  };
  host.console.log = host.console.info = host.console.debug = send("stdout");
  host.console.warn = host.console.error = send("stderr");
  const why = (key: string) => NODE_ONLY[key] || "it is not part of the course";
  const unavailable = (module: string, name: string): unknown => {
    const fail = (what: string) => () => {
      throw new Error(`${what} is not available on this page: ${module} ${why(module)}. Run the notebook in Jupyter for it.`);
    };
    if (name !== "*") return fail(name === "default" ? module : name);
    return new Proxy({}, { get: (_, p) => (typeof p === "string" ? fail(`${module}.${p}`) : undefined) });
  };
  const require = (spec: string): Namespace => {
    const key = moduleKey(spec);
    if (byKey[key]) return byKey[key];
    if (NODE_ONLY[key]) throw new Error(`import from "${spec}": not available on this page (${why(key)}); the exercises need only ./lib/… and ./course/…`);
    throw new Error(`import from "${spec}": no such module on this page (it has ${Object.keys(byKey).filter((k) => k !== "lib/index").map((k) => `./${k}`).join(", ")})`);
  };
  let userStart = 1, userLines = 0;
  let finished = false;
  const fail = (e: unknown) => {
    if (finished) return;
    finished = true;
    post({ type: "error", text: describeThrown(e, userStart, userLines) });
  };
  host.addEventListener("unhandledrejection", (ev) => fail(ev.reason));
  const runtime: Runtime = {
    require,
    unavailable,
    run(body, start, lines) {
      userStart = start;
      userLines = lines;
      (async () => {
        await body(require, unavailable, {});
        while (pending.length) await pending.shift();
        if (!finished) {
          finished = true;
          post({ type: "done" });
        }
      })().catch(fail);
    },
    async quietly(id, names, body) {
      quiet++;
      try {
        return await body();
      } catch (e) {
        const what = isError(e) ? `${e.name}: ${e.message}` : formatValue(e, 1);
        throw new Error(`exercise ${id} (above) threw ${what} — this exercise runs it first, for its ${names.join(", ")}`);
      } finally {
        quiet--;
      }
    },
  };
  host.__rnnExercise = runtime;
  return runtime;
}
