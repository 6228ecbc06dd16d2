// The worker half of the live experiments (issue 12): the code that runs inside each run's Web Worker.
// bundle.ts makes the worker's source from an entry that imports every experiment and calls
// serveExperiments(); host.ts starts that source from a Blob URL, posts one WorkerRequest, and reads
// WorkerReply messages until "done" or "error" (or terminates the worker: Stop).
import type { Experiment } from "./experiment";

/** The one message a worker gets: which experiment to compute, with which params. */
export interface WorkerRequest { lesson: string; params: unknown }

/** What a worker posts back, in order: any number of "emit", then one "done" or "error". */
export type WorkerReply =
  | { type: "emit"; message: unknown }
  | { type: "done"; result: unknown }
  | { type: "error"; message: string };

/** The error's own message, or what was thrown when it is not an Error ("a string", a number...). */
export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  try {
    return `${typeof e === "string" ? e : JSON.stringify(e)} (thrown, not an Error)`;
  } catch {
    return `${String(e)} (thrown, not an Error)`;
  }
}

interface WorkerScope {
  onmessage: ((ev: { data: WorkerRequest }) => void) | null;
  postMessage(reply: WorkerReply): void;
}

/** Installs the worker's message handler: compute the requested experiment once, reply, and stay idle. */
export function serveExperiments(experiments: Experiment[]): void {
  const scope = globalThis as unknown as WorkerScope;
  const byLesson = new Map(experiments.map((e) => [e.lesson, e] as [string, Experiment]));
  scope.onmessage = (ev) => {
    const { lesson, params } = ev.data;
    const exp = byLesson.get(lesson);
    if (!exp) {
      scope.postMessage({ type: "error", message: `no live experiment "${lesson}" in this site's worker (it has: ${[...byLesson.keys()].join(", ")})` });
      return;
    }
    try {
      const result = exp.compute(params, (message) => scope.postMessage({ type: "emit", message }));
      scope.postMessage({ type: "done", result });
    } catch (e) {
      scope.postMessage({ type: "error", message: errorText(e) });
    }
  };
}
