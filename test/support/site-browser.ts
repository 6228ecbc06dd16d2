// A built site's pages in Chromium, offline, for the live-experiment tests (test/ui/live.test.ts).
//
// openOffline() opens a page from file:// with every other request aborted and counted, and records
// console errors and uncaught page errors. watchLongTasks() installs a Long Tasks observer
// (PerformanceObserver "longtask": main-thread tasks over 50 ms) so a test can read the longest one
// measured since. a11yProblems() reads a section's accessibility snapshot and lists its controls
// that have no accessible name.
import { pathToFileURL } from "url";
import type { Browser, Locator, Page } from "playwright-core";
import { launchBrowser } from "../ui/support";

export { launchBrowser };

export interface OfflinePage {
  page: Page;
  /** every request that was not file: or data: (all aborted) */
  blocked: string[];
  /** console.error() messages, uncaught errors ("uncaught: ...") and missing files */
  errors: string[];
  close(): Promise<void>;
}

/** Opens `file` in a new context of `browser` at the given viewport width, network blocked. */
export async function openOffline(browser: Browser, file: string, width = 1280): Promise<OfflinePage> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const blocked: string[] = [];
  const errors: string[] = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:") || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(`uncaught: ${e.message}`));
  page.on("requestfailed", (r) => { if (r.url().startsWith("file:")) errors.push(`missing file: ${r.url()}`); });
  page.on("worker", (w) => w.on("console", (m) => { if (m.type() === "error") errors.push(`worker: ${m.text()}`); }));
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  return { page, blocked, errors, close: () => context.close() };
}

/** Starts recording main-thread Long Tasks (from now on). */
export async function watchLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push(e.duration);
    }).observe({ type: "longtask" });
  });
}

/** Durations (ms) of the Long Tasks recorded since watchLongTasks(). */
export async function longTasks(page: Page): Promise<number[]> {
  return page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks.slice());
}

/** The controls of an aria snapshot (textbox, spinbutton, slider, button, combobox, checkbox) with no name. */
export async function a11yProblems(section: Locator): Promise<{ snapshot: string; controls: string[]; unnamed: string[] }> {
  const snapshot = await section.ariaSnapshot();
  const controls: string[] = [];
  const unnamed: string[] = [];
  for (const line of snapshot.split("\n")) {
    const m = /^\s*- (textbox|spinbutton|slider|button|combobox|checkbox|radio)\b(?: "([^"]*)")?/.exec(line);
    if (!m) continue;
    controls.push(line.trim());
    if (!m[2] || !m[2].trim()) unnamed.push(line.trim());
  }
  return { snapshot, controls, unnamed };
}
