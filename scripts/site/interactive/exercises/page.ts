// The page side of the exercises (bundled into assets/exercises.js; loaded only by pages that have an
// exercise). Each exercise cell of a lesson page carries its spec as JSON (notebook.ts); this turns the
// cell into: a CodeMirror 6 editor holding the stub (in place of the static code, which a page without
// JavaScript keeps showing with the stub's notebook output), a Check button (Ctrl/Cmd+Enter in the
// editor too; while a check runs it reads Stop), "Reset to the stub", and an output area (role=status)
// where the worker's console lines arrive: the same ✔/✘ line and hint as the notebook prints.
//
// A check: sucrase transpiles the code here (a syntax error is shown with its line, no worker is
// started), then a fresh Worker runs, from a Blob, the runtime text (assets/exercise-runtime.js) + the
// exercise's prelude + the code (source.ts). No eval: the code is the Blob's source, allowed by the
// CSP's worker-src blob:. After TIME_LIMIT_S the worker is terminated. The answer is kept in
// localStorage per lesson and exercise; Reset restores the stub and forgets it.
import { minimalSetup } from "codemirror";
import { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter } from "@codemirror/view";
import { EditorState, Prec } from "@codemirror/state";
import { javascript } from "@codemirror/lang-javascript";
import { TIME_LIMIT_S, transpile, workerSource, type DepCode } from "./source";
import type { ExerciseSpec } from "./prelude";
import type { WorkerMessage } from "./runtime";

/** The outcome of the last check of an exercise (also the result area's data-state). */
type State = "idle" | "running" | "done" | "error" | "syntax" | "stopped";

interface Mounted {
  spec: ExerciseSpec;
  code(): string;
  setCode(code: string): void;
  check(): void;
  state(): State;
}

declare global {
  interface Window {
    /** The worker runtime's source, set by assets/exercise-runtime.js. */
    __rnnExerciseRuntime?: string;
    /** The page's exercises by id ("5.3"), for tests and the browser console. */
    __rnnExercises?: Record<string, Mounted>;
  }
}

const storageKey = (s: ExerciseSpec) => `rnn-from-scratch/exercise/${s.lesson}/${s.id}`;
const store = {
  get(key: string): string | null {
    try {
      return window.localStorage.getItem(key);
    } catch {
      return null; // storage off (private mode, policy): the page still works, it just forgets
    }
  },
  set(key: string, value: string | null): void {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, value);
    } catch {
      // as above
    }
  },
};

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, text?: string): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};

function mount(script: HTMLScriptElement, all: Record<string, Mounted>): void {
  const spec = JSON.parse(script.textContent || "") as ExerciseSpec;
  const cell = script.closest(".cell") as HTMLElement;
  const staticCode = cell.querySelector<HTMLElement>("pre.source");
  const key = storageKey(spec);

  const box = el("div", "exercise-live");
  box.setAttribute("role", "group");
  box.setAttribute("aria-label", `Exercise ${spec.id}: solve it on the page`);
  box.append(el("p", "exercise-help", "Edit the code and press Check (or Ctrl+Enter in the editor): it runs in your browser with the notebook's own check. Types are stripped, not checked."));
  const editorHost = el("div", "exercise-editor");
  const buttons = el("div", "exercise-buttons");
  const checkBtn = el("button", "exercise-check", "Check");
  const resetBtn = el("button", "exercise-reset", "Reset to the stub");
  checkBtn.type = resetBtn.type = "button";
  buttons.append(checkBtn, resetBtn);
  const result = el("div", "exercise-result");
  result.setAttribute("role", "status");
  result.setAttribute("aria-live", "polite");
  result.setAttribute("aria-label", `Result of exercise ${spec.id}`);
  result.dataset.state = "idle";
  box.append(editorHost, buttons, result);
  if (staticCode) {
    staticCode.hidden = true; // the editor holds the same code
    staticCode.after(box);
  } else cell.prepend(box);
  const outputs = cell.querySelector(".outputs");
  if (outputs) outputs.before(el("p", "exercise-note", "In the executed notebook, the stub printed:"));

  const view = new EditorView({
    parent: editorHost,
    state: EditorState.create({
      doc: store.get(key) ?? spec.stub,
      extensions: [
        // minimalSetup (history, keymap, highlighting) + line numbers: basicSetup's autocompletion, search
        // and lint have no language service to work with here, and cost ~60 KB
        minimalSetup, lineNumbers(), highlightActiveLineGutter(), highlightActiveLine(),
        javascript({ typescript: true }),
        EditorView.contentAttributes.of({ "aria-label": `Code of exercise ${spec.id}` }),
        Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => (run(), true) }])),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) {
            const code = u.state.doc.toString();
            store.set(key, code === spec.stub ? null : code);
          }
        }),
      ],
    }),
  });
  const code = () => view.state.doc.toString();
  const setCode = (text: string) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });

  let state: State = "idle";
  let current: { stop(message: string): void } | null = null;
  const lines = el("pre", "exercise-out");
  const show = (next: State, message?: string) => {
    state = next;
    result.dataset.state = next;
    if (message) lines.append(el("span", `exercise-line ${next === "done" || next === "idle" ? "info" : "problem"}`, message + "\n"));
    if (!result.contains(lines)) result.replaceChildren(lines);
    checkBtn.textContent = next === "running" ? "Stop" : "Check";
  };
  const out = (text: string, stream: "stdout" | "stderr") => {
    const cls = /^✔/.test(text) ? "pass" : /^✘/.test(text) ? "fail" : stream;
    lines.append(el("span", `exercise-line ${cls}`, text + "\n"));
  };

  function run(): void {
    if (current) {
      current.stop("Stopped.");
      return;
    }
    lines.replaceChildren();
    const runtime = window.__rnnExerciseRuntime;
    if (typeof runtime !== "string") return show("error", "The exercise runtime (assets/exercise-runtime.js) did not load, so the code cannot run here.");
    const t = transpile(code());
    if (!t.ok) return show("syntax", t.message);
    const deps: DepCode[] = [];
    for (const d of spec.deps) {
      const other = all[d.id];
      const dt = other ? transpile(other.code()) : null;
      if (!dt || !dt.ok) {
        return show("syntax", `This exercise runs exercise ${d.id}'s code first (for its ${d.names.join(", ")}), and ${dt ? `that has a syntax error: ${dt.message}` : "it is not on this page"}.`);
      }
      deps.push({ id: d.id, names: d.names, js: dt.js });
    }
    const { source } = workerSource(runtime, spec.prelude, deps, t.js);
    const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    const worker = new Worker(url);
    const finish = (next: State, message?: string) => {
      if (current !== run_) return;
      current = null;
      clearTimeout(timer);
      worker.terminate();
      URL.revokeObjectURL(url);
      show(next, message);
    };
    const run_ = { stop: (message: string) => finish("stopped", message) };
    current = run_;
    show("running");
    const timer = setTimeout(() => finish("stopped", `Stopped after ${TIME_LIMIT_S} s: the code did not finish — an infinite loop?`), TIME_LIMIT_S * 1000);
    worker.onmessage = (ev: MessageEvent<WorkerMessage>) => {
      const m = ev.data;
      if (m.type === "out") out(m.text, m.stream);
      else if (m.type === "done") finish("done", lines.childElementCount ? undefined : "(The code printed nothing: is the `void check…(…)` line still there?)");
      else finish("error", `Your code threw ${m.text}`);
    };
    worker.onerror = (ev) => {
      ev.preventDefault();
      finish("error", `The page could not run the code: ${ev.message}`);
    };
  }

  checkBtn.addEventListener("click", run);
  resetBtn.addEventListener("click", () => {
    if (current) current.stop("Stopped.");
    setCode(spec.stub);
    store.set(key, null);
    lines.replaceChildren();
    show("idle", "Reset to the stub.");
  });
  all[spec.id] = { spec, code, setCode, check: run, state: () => state };
}

function start(): void {
  const all: Record<string, Mounted> = {};
  window.__rnnExercises = all;
  document.querySelectorAll<HTMLScriptElement>("script.rnn-exercise").forEach((s) => mount(s, all));
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
