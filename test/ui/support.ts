// The real JupyterLab 4 / Notebook 7 UI in Debian's Chromium, for test/ui/*.test.ts.
//
// The server is started exactly as a learner starts it: `npm run lab` (scripts/lab.ts, with
// --no-browser), whose printed address holds the token. Test-only settings go in a private
// JupyterLab settings folder (JUPYTERLAB_SETTINGS_DIR): no autosave (the committed notebooks are
// run in the browser but never written), no news pop-up, and every cell attached to the page
// (windowingMode "none") so the DOM can be read in full. Every process the test starts carries a
// marker variable, so the test can prove none is left at the end.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { MARKER_VAR, newMarker } from "../support/procs";
import { codeCells, readNotebook, sourceOf, type Notebook } from "../support/nb";

export const ROOT = path.resolve(__dirname, "..", "..");
export const ARTIFACTS = path.join(ROOT, "artifacts", "ui");
export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Lab {
  base: string; // http://127.0.0.1:PORT
  token: string;
  child: ChildProcess;
  marker: string;
  tmp: string;
  output: () => string;
  /** Ctrl-C as in a terminal (SIGINT to the process group); resolves with the exit code. */
  interrupt(timeoutMs?: number): Promise<number | null>;
}

function writeSettings(dir: string): void {
  const put = (plugin: string, value: object) => {
    const file = path.join(dir, `${plugin}.jupyterlab-settings`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(value));
  };
  put("@jupyterlab/docmanager-extension/plugin", { autosave: false });
  put("@jupyterlab/notebook-extension/tracker", { windowingMode: "none" });
  put("@jupyterlab/apputils-extension/notification", { fetchNews: "false", checkForUpdates: false });
}

/** `npm run lab -- --no-browser [--notebook]`, waiting for its printed address. */
export async function startLab(app: "lab" | "notebook" = "lab"): Promise<Lab> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rnn-ui-test-"));
  writeSettings(path.join(tmp, "settings"));
  const marker = newMarker();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "lab.ts"), "--no-browser", ...(app === "notebook" ? ["--notebook"] : [])], {
    cwd: ROOT,
    detached: true, // its own process group, like a terminal's foreground job
    env: {
      ...process.env,
      TMPDIR: tmp,
      JUPYTERLAB_SETTINGS_DIR: path.join(tmp, "settings"),
      JUPYTERLAB_WORKSPACES_DIR: path.join(tmp, "workspaces"),
      [MARKER_VAR]: marker,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (b) => (out += b));
  child.stderr!.on("data", (b) => (out += b));
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => { exitCode = code; resolve(code); }));
  const deadline = Date.now() + 180_000;
  let m: RegExpExecArray | null = null;
  while (!(m = /(http:\/\/127\.0\.0\.1:\d+)\/\S*\?token=([0-9a-f]+)/.exec(out))) {
    if (exitCode !== undefined || Date.now() > deadline) {
      try { process.kill(-child.pid!, "SIGKILL"); } catch { /* gone */ }
      throw new Error(`npm run lab did not print its address (exit ${exitCode}):\n${out}`);
    }
    await sleep(200);
  }
  return {
    base: m[1], token: m[2], child, marker, tmp, output: () => out,
    async interrupt(timeoutMs = 30_000) {
      if (exitCode !== undefined) return exitCode;
      process.kill(-child.pid!, "SIGINT");
      const t = setTimeout(() => { try { process.kill(-child.pid!, "SIGKILL"); } catch { /* gone */ } }, timeoutMs);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** Kernel states from the server's REST API. */
export async function kernelStates(lab: Lab): Promise<string[]> {
  const res = await fetch(`${lab.base}/api/kernels`, { headers: { Authorization: `token ${lab.token}` } });
  const kernels = (await res.json()) as Array<{ execution_state: string }>;
  return kernels.map((k) => k.execution_state);
}

/** Click a main-menu item: menu("Run", "Run All Cells"). */
export async function menu(page: Page, top: string, item: string): Promise<void> {
  await page.locator(".lm-MenuBar-itemLabel", { hasText: new RegExp(`^${top}$`) }).first().click();
  await page.locator(".lm-Menu-content .lm-Menu-itemLabel", { hasText: new RegExp(`^${item.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) }).first().click();
}

/** Prompts of the code cells, in order ("[3]:", "[*]:", "[ ]:"). */
export async function prompts(page: Page): Promise<string[]> {
  return page.locator(".jp-Notebook .jp-CodeCell .jp-InputPrompt").allTextContents();
}

/** Wait until no cell is queued or running and every kernel is idle (twice in a row, 500 ms apart). */
export async function waitIdle(page: Page, lab: Lab, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (Date.now() < deadline) {
    const p = await prompts(page);
    const states = await kernelStates(lab);
    const busy = p.some((x) => x.includes("*")) || states.some((s) => s !== "idle");
    quiet = busy ? 0 : quiet + 1;
    if (quiet >= 2) return;
    await sleep(500);
  }
  throw new Error(`still running after ${timeoutMs / 1000} s: prompts ${JSON.stringify(await prompts(page))}`);
}

/** Open a notebook (path from the project root) and wait for its kernel to be idle. */
export async function openNotebook(page: Page, lab: Lab, rel: string, app: "lab" | "notebook" = "lab"): Promise<void> {
  // ?reset: a fresh workspace, so the notebook of an earlier test is not reopened beside this one.
  const url = app === "lab" ? `${lab.base}/lab/tree/${rel}?reset&token=${lab.token}` : `${lab.base}/notebooks/${rel}?token=${lab.token}`;
  await page.goto(url);
  await page.locator(".jp-Notebook .jp-Cell").first().waitFor({ timeout: 120_000 });
  // The kernel starts with the notebook; wait until the server reports it idle.
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const s = await kernelStates(lab);
    if (s.length > 0 && s.every((x) => x === "idle")) break;
    await sleep(300);
  }
}

/** What a notebook file says the UI should show: stub cells, plot cells, code cell count. */
export interface Expect { codeCount: number; stubs: number[]; plotCells: number[]; liveCell: number | null; hidden: number[] }

export function expectations(nb: Notebook): Expect {
  const cells = codeCells(nb);
  const tags = (i: number) => (cells[i].metadata?.tags ?? []) as string[];
  const stubs: number[] = [];
  cells.forEach((_, i) => {
    // New layout: stubs tagged exercise-N.k. Old layout: the code cell right before a hidden solution.
    if (tags(i).some((t) => /^exercise-\d+\.\d+$/.test(t))) stubs.push(i);
    else if (i + 1 < cells.length && tags(i + 1).includes("solution") && !tags(i).includes("solution")) stubs.push(i);
  });
  const code = (i: number) => sourceOf(cells[i]).replace(/\/\/.*$/gm, "");
  const plotCells = cells.map((_, i) => i).filter((i) => /\b(showPlot|livePlot)\s*\(/.test(code(i)));
  const live = cells.map((_, i) => i).find((i) => /\blivePlot\s*\(/.test(code(i)));
  // Cells whose source is hidden (old layout's solutions) show no execution count in the UI.
  const hidden = cells.map((_, i) => i).filter((i) => (cells[i].metadata as { jupyter?: { source_hidden?: boolean } }).jupyter?.source_hidden === true);
  return { codeCount: cells.length, stubs, plotCells, liveCell: live ?? null, hidden };
}

export function lessonFiles(): string[] {
  const dir = path.join(ROOT, "notebooks");
  return fs.readdirSync(dir).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort();
}

export const readLesson = (file: string) => readNotebook(path.join(ROOT, "notebooks", file));

export interface PlotState { id: string; drawn: boolean; marks: number; error: string | null; text: string }

/** Every course plot on the page: drawn by plotly (an SVG with marks) or showing its message. */
export async function plotStates(page: Page): Promise<PlotState[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll(".rnn-plot")).map((el) => {
      const svg = el.querySelector("svg.main-svg");
      // Marks: scatter points and line paths with data, bars, heatmap images.
      const marks = el.querySelectorAll(".scatterlayer path.point, .barlayer path, .heatmaplayer image, .scatterlayer path.js-line[d]").length;
      return {
        id: el.id,
        drawn: !!svg,
        marks,
        error: el.classList.contains("rnn-plot-error") ? el.textContent : null,
        text: (el.textContent ?? "").slice(0, 300),
      };
    }),
  );
}

/** Per code cell (DOM order): stderr text, error output text, all output text, number of plots. */
export async function cellReports(page: Page): Promise<Array<{ stderr: string; text: string; plots: number }>> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll(".jp-Notebook .jp-CodeCell")).map((cell) => ({
      stderr: Array.from(cell.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')).map((e) => e.textContent ?? "").join("\n"),
      text: Array.from(cell.querySelectorAll(".jp-OutputArea-output")).map((e) => e.textContent ?? "").join("\n"),
      plots: cell.querySelectorAll(".rnn-plot").length,
    })),
  );
}

/** Wait until every plot on the page is drawn or shows its failure message. */
export async function waitPlots(page: Page, timeoutMs = 60_000): Promise<PlotState[]> {
  const deadline = Date.now() + timeoutMs;
  let states = await plotStates(page);
  while (Date.now() < deadline && states.some((s) => !s.drawn && !s.error)) {
    await sleep(250);
    states = await plotStates(page);
  }
  return states;
}

/** One rendered frame's view of the live plot (recorded only when something in it changed). */
export interface LiveFrame { t: number; running: boolean; points: number; plotly: boolean; text: string }

/**
 * Records, in the page, what the live plot of code cell `cell` looks like at every rendered frame: a
 * requestAnimationFrame callback runs just before the browser paints a frame, so each record is a
 * state a person could see. Kept: the time, whether the cell's prompt says it is queued or running
 * ([*]), the number of points drawn in the chart's first trace (its markers, or the vertices of its
 * line when it has none; 0 when not drawn), whether plotly.js
 * is loaded, and the box's text while it is not drawn. Read them with liveFrames().
 */
export async function recordLivePlot(page: Page, cell: number): Promise<void> {
  // A string, not a function: tsx would wrap a named inner function in a helper the page lacks.
  await page.evaluate(`(() => {
    const k = ${cell};
    const frames = (window.__liveFrames = []);
    const t0 = performance.now();
    let last = "";
    // A line trace without markers: count the vertices of its SVG path ("M x,y L x,y L …").
    function vertices(line) { return ((line && line.getAttribute("d")) || "").split(/[ML]/).length - 1; }
    function frame() {
      const code = document.querySelectorAll(".jp-Notebook .jp-CodeCell")[k];
      const prompt = (code && code.querySelector(".jp-InputPrompt")?.textContent) || "";
      const box = code && code.querySelector(".rnn-plot");
      const trace = box && box.querySelector(".scatterlayer .trace");
      const state = {
        running: prompt.includes("*"),
        points: trace ? Math.max(trace.querySelectorAll("path.point").length, vertices(trace.querySelector("path.js-line"))) : 0,
        plotly: !!window.Plotly,
        text: box && !box.querySelector("svg.main-svg") ? (box.textContent || "").slice(0, 40) : "",
      };
      const key = JSON.stringify(state);
      if (key !== last) frames.push({ t: Math.round(performance.now() - t0), ...state });
      last = key;
      requestAnimationFrame(frame);
    }
    requestAnimationFrame(frame);
  })()`);
}

export async function liveFrames(page: Page): Promise<LiveFrame[]> {
  return page.evaluate(() => (window as unknown as { __liveFrames?: LiveFrame[] }).__liveFrames ?? []);
}

/** One line for the test's diagnostics: when plotly.js arrived, each drawn state, when the cell ended. */
export function describeFrames(frames: LiveFrame[]): string {
  const plotly = frames.find((f) => f.plotly);
  const start = frames.find((f) => f.running);
  const end = frames.find((f, i) => i > 0 && !f.running && frames[i - 1].running);
  const drawn = frames.filter((f) => f.running && f.points > 0).map((f) => `${f.points} at ${f.t} ms`);
  return `frames from Run All: cell queued/running from ${start?.t ?? "?"} ms, finished at ${end?.t ?? "?"} ms; ` +
    `plotly.js ready at ${plotly?.t ?? "never"} ms; drawn while running (points in trace 1): ${drawn.join(", ") || "none"}`;
}
