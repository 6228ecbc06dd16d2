// The page half of a run (issue 12): the LiveHost an experiment's mount() gets. Every run is a fresh
// Web Worker started from a Blob URL of the worker's source (Chromium refuses `new Worker(file://...)`,
// and a page opened from file:// cannot fetch a file, so the source arrives as a string: see
// bundle.ts). Messages reach onMessage in the order compute() emitted them. Stop is terminate(): a
// busy worker cannot read a message. Nothing a run does can leave the page dead: a throwing compute,
// a worker that fails to start and a throwing onMessage all end the run with status "error" and the
// error's message.
//
// For the tests, every run's outcome is recorded on window.__rnnLive[lesson] (LiveRecord).
import type { LiveHost, Run, RunOutcome } from "./experiment";
import { errorText, type WorkerReply, type WorkerRequest } from "./worker";

/** What the page records about the last run of an experiment (read by test/ui/live.test.ts). */
export interface LiveRecord {
  status: "running" | "done" | "stopped" | "error";
  params: unknown;
  /** how many messages compute() emitted (and onMessage received) so far */
  messages: number;
  /** the last message received (e.g. lesson 05's running totals of training time) */
  last?: unknown;
  result?: unknown;
  error?: string;
  /** milliseconds from the start of the run to its end, as the page saw it */
  ms?: number;
}

declare global {
  interface Window { __rnnLive?: Record<string, LiveRecord> }
}

function record(lesson: string, r: LiveRecord): LiveRecord {
  const all = (window.__rnnLive = window.__rnnLive || {});
  all[lesson] = r;
  return r;
}

/**
 * The host for one experiment of the page. `workerSource` is the worker bundle's JavaScript. Starting
 * a run stops the one before it, if any, so at most one worker per experiment is ever alive.
 */
export function makeHost<P, M, R>(lesson: string, workerSource: string): LiveHost<P, M, R> {
  // One Blob URL for the page's lifetime, made now (not on the first Run, to keep that click's task short)
  // and reused by every run's worker.
  let url: string | undefined;
  try {
    url = URL.createObjectURL(new Blob([workerSource], { type: "text/javascript" }));
  } catch {
    url = undefined; // reported by the first run
  }
  let current: Run<R> | undefined;
  return {
    run(params: P, onMessage: (message: M) => void): Run<R> {
      current?.stop();
      const rec = record(lesson, { status: "running", params, messages: 0 });
      const t0 = performance.now();
      let finish!: (o: RunOutcome<R>) => void;
      const done = new Promise<RunOutcome<R>>((resolve) => (finish = resolve));
      let worker: Worker | undefined;
      let over = false;
      const end = (o: RunOutcome<R>) => {
        if (over) return;
        over = true;
        worker?.terminate();
        rec.status = o.status;
        rec.ms = performance.now() - t0;
        if (o.status === "done") rec.result = o.result;
        if (o.status === "error") rec.error = o.message;
        finish(o);
      };
      try {
        url = url || URL.createObjectURL(new Blob([workerSource], { type: "text/javascript" }));
        worker = new Worker(url);
      } catch (e) {
        end({ status: "error", message: `the experiment's worker could not start: ${errorText(e)}` });
        return { stop: () => undefined, done };
      }
      worker.onmessage = (ev: MessageEvent<WorkerReply>) => {
        if (over) return;
        const reply = ev.data;
        if (reply.type === "emit") {
          rec.messages += 1;
          rec.last = reply.message;
          try {
            onMessage(reply.message as M);
          } catch (e) {
            end({ status: "error", message: `showing a message of the run failed: ${errorText(e)}` });
          }
        } else if (reply.type === "done") end({ status: "done", result: reply.result as R });
        else end({ status: "error", message: reply.message });
      };
      worker.onerror = (ev: ErrorEvent) => {
        ev.preventDefault(); // reported on the page (status "error"), not as an uncaught error
        end({ status: "error", message: `the experiment's worker failed: ${ev.message || "unknown error (its source did not load?)"}` });
      };
      worker.onmessageerror = () => end({ status: "error", message: "a message from the experiment's worker could not be read" });
      const request: WorkerRequest = { lesson, params };
      try {
        worker.postMessage(request);
      } catch (e) {
        end({ status: "error", message: `the parameters cannot be sent to the worker: ${errorText(e)}` });
      }
      const run: Run<R> = {
        stop: () => end({ status: "stopped" }),
        done,
      };
      current = run;
      return run;
    },
  };
}
