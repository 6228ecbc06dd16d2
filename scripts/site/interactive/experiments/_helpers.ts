// Shared by the live experiments of lessons 01–04 and 06–10 (issue 12); not an experiment itself
// (the bundler skips files whose name starts with "_").
//
// Two halves, like an experiment: parameter checks and formatting, used by compute() in the worker
// and in Node (no DOM here at import time), and a few page helpers used only inside mount().
import { describe } from "../../../../lib/checks";

/** The params object of compute(); anything else is refused with a message naming the experiment. */
export function paramsObject(fn: string, params: unknown): Record<string, unknown> {
  if (typeof params !== "object" || params === null || Array.isArray(params)) {
    throw new Error(`${fn}: params is ${describe(params)}, expected an object of the experiment's parameters`);
  }
  return params as Record<string, unknown>;
}

/** An integer in [min, max]. */
export function intIn(fn: string, name: string, v: unknown, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw new Error(`${fn}: params.${name} is ${describe(v)}, expected an integer from ${min} to ${max}`);
  }
  return v;
}

/** A finite number in [min, max]. */
export function numberIn(fn: string, name: string, v: unknown, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) {
    throw new Error(`${fn}: params.${name} is ${describe(v)}, expected a number from ${min} to ${max}`);
  }
  return v;
}

/** A seed: a non-empty string or a finite number (what makeRng accepts). */
export function seedOf(fn: string, name: string, v: unknown): string | number {
  if ((typeof v === "string" && v.length > 0) || (typeof v === "number" && Number.isFinite(v))) return v;
  throw new Error(`${fn}: params.${name} is ${describe(v)}, expected a seed (a non-empty string or a finite number)`);
}

/** A label, exactly 0 or 1. */
export function labelOf(fn: string, name: string, v: unknown): 0 | 1 {
  if (v !== 0 && v !== 1) throw new Error(`${fn}: params.${name} is ${describe(v)}, expected the label 0 or 1`);
  return v;
}

/** A boolean switch. */
export function boolOf(fn: string, name: string, v: unknown): boolean {
  if (typeof v !== "boolean") throw new Error(`${fn}: params.${name} is ${describe(v)}, expected true or false`);
  return v;
}

/** One of a fixed list of strings. */
export function oneOf<T extends string>(fn: string, name: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) {
    throw new Error(`${fn}: params.${name} is ${describe(v)}, expected one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`);
  }
  return v as T;
}

/** A number for the page: fixed digits, or exponent form when tiny or huge; Infinity and NaN as words. */
export function num(v: number, digits = 4): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "−Infinity";
  const a = Math.abs(v);
  if (a !== 0 && (a < 10 ** -(digits - 1) || a >= 1e6)) return v.toExponential(Math.max(1, digits - 2)).replace("-", "−");
  return v.toFixed(digits).replace("-", "−");
}

/** "[a, b, c]" with num() for each entry. */
export function vec(a: ArrayLike<number>, digits = 4): string {
  return "[" + Array.from(a, (v) => num(v, digits)).join(", ") + "]";
}

// ---------------------------------------------------------------------------------------------
// Page helpers (call only inside mount()).

/** An element with a class and optional text, appended to parent. */
export function element<K extends keyof HTMLElementTagNameMap>(parent: HTMLElement, tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  parent.appendChild(e);
  return e;
}

/**
 * A small table (header row + rows of text cells) with a caption, in a box that scrolls sideways on a
 * narrow screen. Returns set(rows) to replace the body. Cells are text, never HTML.
 */
export function table(parent: HTMLElement, caption: string, header: string[]): { set(rows: string[][]): void; el: HTMLTableElement } {
  const wrap = element(parent, "div", "live-table-wrap");
  const t = element(wrap, "table", "live-table");
  element(t, "caption", undefined, caption);
  const headRow = element(element(t, "thead"), "tr");
  for (const h of header) {
    const th = element(headRow, "th", undefined, h);
    th.scope = "col";
  }
  const body = element(t, "tbody");
  return {
    el: t,
    set(rows) {
      body.textContent = "";
      for (const r of rows) {
        const tr = element(body, "tr");
        r.forEach((cell, i) => {
          if (i === 0) {
            const th = element(tr, "th", undefined, cell);
            th.scope = "row";
          } else element(tr, "td", undefined, cell);
        });
      }
    },
  };
}

/** A plain button (keyboard-operable, named by its text). */
export function button(parent: HTMLElement, text: string, onClick: () => void, className = "live-step-button"): HTMLButtonElement {
  const b = element(parent, "button", className, text);
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

/** Runs fn at most once per `ms` while called repeatedly (slider drags), and once after the last call. */
export function debounce(fn: () => void, ms = 120): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      fn();
    }, ms);
  };
}
