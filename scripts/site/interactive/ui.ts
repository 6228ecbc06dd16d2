// The page-side UI kit of the live experiments (issue 12): small DOM helpers that every experiment's
// mount() builds its controls and plots with, so that all of them look and behave alike.
//
// Accessibility rules every helper keeps: each control has a visible <label> tied to it (for/id), so it
// has a name in the accessibility tree; everything is a native element (input, select, button), so it
// works by keyboard with no extra code; status text lives in a role=status region that screen readers
// announce. Plots are small SVG charts (svg-plot.ts; not Plotly, which was far too slow per redraw
// for live curves: see there) with an accessible name, redrawn at most every PLOT_INTERVAL_MS, each in
// a task of its own, so a fast stream of points never makes a long main-thread task.
//
// DOM is touched only when a helper is called (inside an experiment's mount()), never at import time:
// experiment modules must import in Node, where the tests run their compute().

import type { LiveHost, Run } from "./experiment";
import { heatmapSvg, lineChartSvg } from "./svg-plot";

let nextId = 0;
/** A page-unique id for tying a label to its control. */
function uid(prefix: string): string {
  nextId += 1;
  return `live-${prefix}-${nextId}`;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, parent?: HTMLElement): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (parent) parent.appendChild(e);
  return e;
}

/** A labelled field: <div class="live-field"><label for=id>text</label>control</div>. */
function field(parent: HTMLElement, label: string, control: HTMLElement, kind: string): { wrap: HTMLElement; labelEl: HTMLLabelElement } {
  const wrap = el("div", `live-field live-${kind}`, parent);
  const labelEl = el("label", undefined, wrap);
  const id = uid(kind);
  control.id = id;
  labelEl.htmlFor = id;
  labelEl.textContent = label;
  wrap.appendChild(control);
  return { wrap, labelEl };
}

/** A flex row of controls (wraps on narrow screens). */
export function row(parent: HTMLElement, className?: string): HTMLElement {
  return el("div", className ? `live-row ${className}` : "live-row", parent);
}

/** Static text. `html` must be authored HTML from an experiment's source, never user input. */
export function note(parent: HTMLElement, html: string): HTMLElement {
  const p = el("p", "live-note", parent);
  p.innerHTML = html;
  return p;
}

/**
 * A range slider with its current value shown beside the label (an <output>, which screen readers
 * read with the label). `format` turns the value into that text (default: the number as typed).
 */
export function slider(
  parent: HTMLElement,
  o: { label: string; min: number; max: number; step: number; value: number; format?: (v: number) => string; onInput?: (v: number) => void },
): { input: HTMLInputElement; value(): number } {
  const input = document.createElement("input");
  input.type = "range";
  input.min = String(o.min);
  input.max = String(o.max);
  input.step = String(o.step);
  input.value = String(o.value);
  const { labelEl } = field(parent, o.label, input, "slider");
  const out = el("output", "live-value", labelEl);
  out.htmlFor.add(input.id);
  const format = o.format ?? ((v: number) => String(v));
  const show = () => {
    const text = format(Number(input.value));
    out.textContent = ` ${text}`;
    input.setAttribute("aria-valuetext", text);
  };
  show();
  input.addEventListener("input", () => {
    show();
    o.onInput?.(Number(input.value));
  });
  return { input, value: () => Number(input.value) };
}

/**
 * A number field. Invalid input (not a number, out of range, not on the step) marks the field
 * aria-invalid, says why under it, and makes value() throw an Error with the same sentence, so a run
 * is never started with a silent NaN.
 */
export function numberField(
  parent: HTMLElement,
  o: { label: string; min?: number; max?: number; step?: number; value: number; onChange?: (v: number) => void },
): { input: HTMLInputElement; value(): number } {
  const input = document.createElement("input");
  input.type = "number";
  input.inputMode = "decimal";
  if (o.min !== undefined) input.min = String(o.min);
  if (o.max !== undefined) input.max = String(o.max);
  input.step = o.step !== undefined ? String(o.step) : "any";
  input.value = String(o.value);
  const { wrap } = field(parent, o.label, input, "number");
  const msg = el("span", "live-invalid", wrap);
  msg.id = uid("why");
  msg.setAttribute("aria-live", "polite");
  const problem = (): string | null => {
    const raw = input.value.trim();
    const v = Number(raw);
    if (raw === "" || !Number.isFinite(v)) return `${o.label}: "${input.value}" is not a number`;
    if (o.min !== undefined && v < o.min) return `${o.label}: ${v} is below the minimum ${o.min}`;
    if (o.max !== undefined && v > o.max) return `${o.label}: ${v} is above the maximum ${o.max}`;
    if (o.step !== undefined && Number.isInteger(o.step) && (o.min === undefined || Number.isInteger(o.min)) && !Number.isInteger(v)) {
      return `${o.label}: ${v} must be a whole number`;
    }
    return null;
  };
  const check = (): string | null => {
    const why = problem();
    msg.textContent = why ?? "";
    if (why) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", msg.id);
    } else {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    }
    return why;
  };
  input.addEventListener("input", () => void check());
  input.addEventListener("change", () => {
    if (!check()) o.onChange?.(Number(input.value));
  });
  return {
    input,
    value: () => {
      const why = check();
      if (why) throw new Error(why);
      return Number(input.value);
    },
  };
}

/** A drop-down choice among fixed options. */
export function choice<T extends string>(
  parent: HTMLElement,
  o: { label: string; options: { value: T; label: string }[]; value: T; onChange?: (v: T) => void },
): { select: HTMLSelectElement; value(): T } {
  const select = document.createElement("select");
  for (const opt of o.options) {
    const e = el("option", undefined, select);
    e.value = opt.value;
    e.textContent = opt.label;
  }
  select.value = o.value;
  field(parent, o.label, select, "choice");
  select.addEventListener("change", () => o.onChange?.(select.value as T));
  return { select, value: () => select.value as T };
}

/** A one-line text field (onChange on every edit). */
export function textField(parent: HTMLElement, o: { label: string; value: string; onChange?: (v: string) => void }): { input: HTMLInputElement; value(): string } {
  const input = document.createElement("input");
  input.type = "text";
  input.value = o.value;
  input.spellcheck = false;
  input.autocomplete = "off";
  field(parent, o.label, input, "text");
  input.addEventListener("input", () => o.onChange?.(input.value));
  return { input, value: () => input.value };
}

/** A checkbox, its label after it. */
export function checkbox(parent: HTMLElement, o: { label: string; checked: boolean; onChange?: (v: boolean) => void }): { input: HTMLInputElement; value(): boolean } {
  const input = document.createElement("input");
  input.type = "checkbox";
  input.checked = o.checked;
  const { wrap, labelEl } = field(parent, o.label, input, "check");
  wrap.insertBefore(input, labelEl); // box first, as checkboxes are read
  input.addEventListener("change", () => o.onChange?.(input.checked));
  return { input, value: () => input.checked };
}

/**
 * Run and Stop. setRunning(true) disables Run and enables Stop (and back); focus moves to the button
 * that is enabled when the focused one gets disabled, so a keyboard user is never left on nothing.
 */
export function runButtons(parent: HTMLElement, o: { runLabel?: string; onRun: () => void; onStop: () => void }): {
  setRunning(running: boolean): void;
  run: HTMLButtonElement;
  stop: HTMLButtonElement;
} {
  const wrap = el("div", "live-buttons", parent);
  const run = el("button", "live-run", wrap);
  run.type = "button";
  run.textContent = o.runLabel ?? "Run";
  const stop = el("button", "live-stop", wrap);
  stop.type = "button";
  stop.textContent = "Stop";
  stop.disabled = true;
  run.addEventListener("click", () => o.onRun());
  stop.addEventListener("click", () => o.onStop());
  return {
    run,
    stop,
    setRunning(running: boolean) {
      const moveFocus = document.activeElement === (running ? run : stop);
      run.disabled = running;
      stop.disabled = !running;
      if (moveFocus) (running ? stop : run).focus();
    },
  };
}

/** What a page needs from a run controller: start a run (stopping the one before), stop it. */
export interface Runner<P, M, R> {
  start(params: P, onMessage: (m: M) => void, onDone: (result: R) => void): void;
  stop(): void;
  running(): boolean;
}

/** How a runner words a run on the status line, and what it does when a run ends. */
export interface RunnerOptions<P> {
  /** while a run goes: a fixed text, or one made from the run's params (default "Running…") */
  running?: string | ((params: P) => string);
  /** when the reader stops a run (default "Stopped.") */
  stopped?: () => string;
  /** before an error's message (default "Error: ") */
  errorPrefix?: string;
  /** called when a run ends, however it ends, before the status line says how (e.g. flush the plots) */
  onEnd?: () => void;
}

/**
 * One run at a time through the host: a new start() stops the run before it (whose late outcome is
 * then ignored); the status line says what RunnerOptions say, "Stopped." or the error; the Run/Stop
 * buttons follow. onDone gets the result of a run that finished.
 */
export function runner<P, M, R>(
  host: LiveHost<P, M, R>,
  st: { set(text: string): void },
  buttons?: { setRunning(running: boolean): void },
  o: RunnerOptions<P> = {},
): Runner<P, M, R> {
  let current: Run<R> | undefined;
  return {
    start(params, onMessage, onDone) {
      current?.stop();
      const run = host.run(params, onMessage);
      current = run;
      buttons?.setRunning(true);
      st.set(typeof o.running === "function" ? o.running(params) : o.running ?? "Running…");
      void run.done.then((outcome) => {
        if (current !== run) return;
        current = undefined;
        buttons?.setRunning(false);
        o.onEnd?.();
        if (outcome.status === "done") onDone(outcome.result);
        else if (outcome.status === "stopped") st.set(o.stopped ? o.stopped() : "Stopped.");
        else st.set(`${o.errorPrefix ?? "Error: "}${outcome.message}`);
      });
    },
    stop() {
      current?.stop();
    },
    running: () => current !== undefined,
  };
}

/**
 * The parameters of a run, read from the page's fields by read() (a field's value() throws a sentence
 * naming the field when its text is not valid), with an empty seed refused; undefined, and the reason
 * on the status line, when any of that fails, so no run starts.
 */
export function readParams<P extends { seed: string | number }>(st: { set(text: string): void }, read: () => P): P | undefined {
  try {
    const params = read();
    if (params.seed === "") throw new Error("Type a seed (any text).");
    return params;
  } catch (e) {
    st.set((e as Error).message);
    return undefined;
  }
}

/** A plain button (its text is its name). */
export function button(parent: HTMLElement, o: { label: string; onClick: () => void; disabled?: boolean }): HTMLButtonElement {
  const b = el("button", "live-button", parent);
  b.type = "button";
  b.textContent = o.label;
  b.disabled = !!o.disabled;
  b.addEventListener("click", () => o.onClick());
  return b;
}

/** A status line (role=status, aria-live=polite): "Training… epoch 3 of 10", "Stopped.", errors. */
export function status(parent: HTMLElement): { set(text: string): void; el: HTMLElement } {
  const p = el("p", "live-status", parent);
  p.setAttribute("role", "status");
  p.setAttribute("aria-live", "polite");
  return { el: p, set: (text: string) => void (p.textContent = text) };
}

/** Smallest time between two redraws of one plot (10 redraws per second at most). */
export const PLOT_INTERVAL_MS = 100;

/**
 * A plot box with an accessible name (role=img + aria-label; the numbers themselves are in the status
 * text). It redraws when its width changes.
 */
function plotBox(parent: HTMLElement, title: string, height: number, redraw: () => void): HTMLElement {
  const box = el("div", "live-plot", parent);
  box.setAttribute("role", "img");
  box.setAttribute("aria-label", title);
  box.style.height = `${height}px`;
  let width = 0;
  if (typeof ResizeObserver !== "undefined") {
    new ResizeObserver(() => {
      if (box.clientWidth !== width) {
        width = box.clientWidth;
        redraw();
      }
    }).observe(box);
  }
  return box;
}

/** The box's width for drawing (at least 200 px, so a hidden box still draws something sensible). */
const widthOf = (box: HTMLElement) => Math.max(200, box.clientWidth || 0);

/**
 * Schedules draw() at most once per PLOT_INTERVAL_MS, always in a task of its own (never inside the
 * caller's task): two plots updated by one message then draw in two short tasks, not one long one.
 */
function throttled(draw: () => void): { request(): void; flush(): void } {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());
  const fire = () => {
    timer = undefined;
    last = now();
    draw();
  };
  return {
    request() {
      if (timer === undefined) timer = setTimeout(fire, Math.max(0, last + PLOT_INTERVAL_MS - now()));
    },
    flush() {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(fire, 0);
    },
  };
}

/**
 * A line/marker plot fed point by point (push) or whole traces at a time (set). Redraws are throttled;
 * flush() draws what is pending at once, without waiting for the interval (call it when a run ends).
 */
export function livePlot(
  parent: HTMLElement,
  o: { title: string; xTitle: string; yTitle: string; logY?: boolean; height?: number; traces: { name: string; mode?: "lines" | "markers" | "lines+markers" }[] },
): { push(traceIndex: number, x: number, y: number): void; set(traceIndex: number, xs: ArrayLike<number>, ys: ArrayLike<number>): void; clear(): void; flush(): void } {
  const height = o.height ?? 300;
  let xs: number[][] = o.traces.map(() => []);
  let ys: number[][] = o.traces.map(() => []);
  const draw = () => {
    box.innerHTML = lineChartSvg({
      width: widthOf(box), height, title: o.title, xTitle: o.xTitle, yTitle: o.yTitle, logY: o.logY,
      series: o.traces.map((tr, i) => ({ name: tr.name, mode: tr.mode ?? "lines", xs: xs[i], ys: ys[i] })),
    });
  };
  const box = plotBox(parent, o.title, height, () => t.request());
  const t = throttled(draw);
  const check = (i: number) => {
    if (!Number.isInteger(i) || i < 0 || i >= o.traces.length) throw new Error(`livePlot "${o.title}": trace index ${i} is not in 0..${o.traces.length - 1}`);
  };
  t.flush();
  return {
    push(i, x, y) {
      check(i);
      xs[i].push(x);
      ys[i].push(y);
      t.request();
    },
    set(i, newXs, newYs) {
      check(i);
      if (newXs.length !== newYs.length) throw new Error(`livePlot "${o.title}": ${newXs.length} x values but ${newYs.length} y values`);
      xs[i] = Array.from(newXs);
      ys[i] = Array.from(newYs);
      t.request();
    },
    clear() {
      xs = o.traces.map(() => []);
      ys = o.traces.map(() => []);
      t.request();
    },
    flush: () => t.flush(),
  };
}

/** A heatmap (z[row][column]); x labels the columns, y the rows. Redraws throttled like livePlot. */
export function heatmap(parent: HTMLElement, o: { title: string; xTitle: string; yTitle: string; height?: number }): {
  set(z: number[][], x?: (number | string)[], y?: (number | string)[]): void;
} {
  const height = o.height ?? 300;
  let data: { z: number[][]; x?: (number | string)[]; y?: (number | string)[] } = { z: [] };
  const draw = () => {
    box.innerHTML = heatmapSvg({ width: widthOf(box), height, title: o.title, xTitle: o.xTitle, yTitle: o.yTitle, ...data });
  };
  const box = plotBox(parent, o.title, height, () => t.request());
  const t = throttled(draw);
  t.flush();
  return {
    set(z, x, y) {
      data = { z: z.map((r) => r.slice()), x: x?.slice(), y: y?.slice() };
      t.request();
    },
  };
}
