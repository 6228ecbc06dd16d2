// The contract between a lesson page's live experiment and the runtime that hosts it (issue 12).
//
// An experiment is one module, scripts/site/interactive/experiments/NN-name.ts, whose default export
// is an Experiment. It has two halves:
//   - compute: pure and deterministic (its params include the seed). It imports lib/ only and runs in
//     a Web Worker on the page, and in Node in the tests, which compare the two results bit for bit.
//   - mount: builds the controls and the plots inside the page's <section class="live"> and starts
//     runs through the LiveHost it is given. It never computes anything expensive itself.
// Stop is Worker.terminate(): a busy worker cannot read a message, and terminating it costs nothing
// because every result the page shows has already arrived through emit().

/** What compute() sends while it runs (a point of a curve, a sample of text, ...). Plain data. */
export type Emit<M> = (message: M) => void;

export interface Experiment<P = unknown, M = unknown, R = unknown> {
  /** The lesson's notebook name without .ipynb, e.g. "05-training": the page it goes on. */
  lesson: string;
  /** Heading of the section, e.g. "Train it live". */
  title: string;
  /** The parameters a fresh page starts with; tests run compute(defaults) in Node and in the page. */
  defaults: P;
  /** Runs in the worker (and in Node for the tests). Params and result are structured-cloneable. */
  compute(params: P, emit: Emit<M>): R;
  /** Runs on the page: controls, plots, and runs through host. */
  mount(root: HTMLElement, host: LiveHost<P, M, R>): void;
}

export type RunOutcome<R> =
  | { status: "done"; result: R }
  | { status: "stopped" }
  | { status: "error"; message: string };

export interface Run<R> {
  stop(): void;
  done: Promise<RunOutcome<R>>;
}

export interface LiveHost<P, M, R> {
  /** Starts compute(params) in a fresh worker; onMessage gets every emit() in order. */
  run(params: P, onMessage: (message: M) => void): Run<R>;
}
