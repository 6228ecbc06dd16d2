// The page entry of the live experiments (issue 12): finds the lesson's <section class="live"> (written
// by scripts/site/live.ts), replaces its "needs JavaScript" sentence with the experiment's controls, and
// gives the experiment a host (host.ts) that runs it in workers. bundle.ts generates the entry that
// imports every experiment and calls startPage() with them; the worker's source is a global string
// set by the worker asset (assets/live-worker.js), loaded just before this one.
import type { Experiment } from "./experiment";
import { makeHost } from "./host";
import { errorText } from "./worker";

/** The global the worker asset defines (see bundle.ts). */
export const WORKER_SOURCE_GLOBAL = "__rnnLiveWorkerSource";

function fail(body: HTMLElement, message: string): void {
  body.textContent = "";
  const p = document.createElement("p");
  p.className = "live-error";
  p.setAttribute("role", "alert");
  p.textContent = message;
  body.appendChild(p);
  console.error(message);
}

export function startPage(experiments: Experiment[]): void {
  const sections = document.querySelectorAll<HTMLElement>("section.live[data-experiment]");
  sections.forEach((section) => {
    const lesson = section.dataset.experiment || "";
    const body = section.querySelector<HTMLElement>(".live-body");
    if (!body) return;
    const exp = experiments.find((e) => e.lesson === lesson);
    const source = (globalThis as unknown as Record<string, unknown>)[WORKER_SOURCE_GLOBAL];
    if (!exp) return fail(body, `This live experiment cannot start: assets/live.js has no experiment "${lesson}" (rebuild the site).`);
    if (typeof source !== "string") return fail(body, "This live experiment cannot start: assets/live-worker.js did not load.");
    body.textContent = "";
    try {
      exp.mount(body, makeHost(lesson, source));
    } catch (e) {
      fail(body, `This live experiment failed to start: ${errorText(e)}`);
    }
  });
}
