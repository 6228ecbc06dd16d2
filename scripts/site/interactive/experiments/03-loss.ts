// Lesson 03's live experiment: move the logit z and watch σ(z), the loss and its gradient, computed
// the textbook way (naive) and the library's stable way side by side, and see where the naive one
// breaks. No randomness: the numbers depend only on z and the label y.
import type { Experiment } from "../experiment";
import { sigmoid, bceWithLogits, dBceDLogit } from "../../../../lib/loss";
import { exp, log } from "../../../../lib/math";
import { paramsObject, numberIn, labelOf, num, table, element, debounce } from "./_helpers";
import { slider, numberField, choice, status, livePlot, row, note, runButtons, runner } from "../ui";

export interface LossParams {
  /** the logit */
  z: number;
  /** the label, 0 or 1 */
  y: 0 | 1;
}

/** One logit's numbers, naive and stable. */
export interface LossAt {
  z: number;
  sigmoidNaive: number;
  sigmoidStable: number;
  lossNaive: number;
  lossStable: number;
  /** σ(z) − y, the library's dBceDLogit */
  grad: number;
  /** the original note's (z − y)·σ'(z), for comparison */
  gradNote: number;
  /** central difference of the stable loss, ε = 1e-5 */
  gradNumeric: number;
}

/** Where the naive loss stops being right, for one label, scanning |z| upwards in steps of 0.01. */
export interface Breakdown {
  /** smallest z > 0 whose naive loss is Infinity or NaN (null if none up to 1000) */
  positiveFrom: number | null;
  /** largest z < 0 whose naive loss is Infinity or NaN (null if none down to −1000) */
  negativeFrom: number | null;
  /** smallest z > 0 whose naive loss differs from the stable one by more than 1e-6 relative */
  positiveInexactFrom: number | null;
}

export interface LossResult {
  at: LossAt;
  /** the plot's grid of logits around z, and the two losses and the gradient on it */
  grid: Float64Array;
  lossNaive: Float64Array;
  lossStable: Float64Array;
  grad: Float64Array;
  /** where the naive loss breaks, for the chosen label */
  breakdown: Breakdown;
}

const FN = "03-loss";
const EPS = 1e-5;
const GRID_POINTS = 321; // at most 400 points: the live chart draws dots only up to that many
const SCAN_STEP = 0.01;
const SCAN_MAX = 1000;

// The textbook formulas use lib/math's exp and log, which are Node's Math.exp and Math.log bit for bit
// (test/unit/math.test.ts) and give those same bits in the browser too, where Math.exp may not.
/** The textbook sigmoid, straight from the formula (lesson 03's sigmoidNaive). */
export const sigmoidNaive = (z: number): number => 1 / (1 + exp(-z));
/** The textbook binary cross-entropy through p (lesson 03's bceNaive). */
export function bceNaive(z: number, y: number): number {
  const p = sigmoidNaive(z);
  return -(y * log(p) + (1 - y) * log(1 - p));
}

function lossAt(z: number, y: 0 | 1): LossAt {
  const s = sigmoid(z);
  return {
    z,
    sigmoidNaive: sigmoidNaive(z),
    sigmoidStable: s,
    lossNaive: bceNaive(z, y),
    lossStable: bceWithLogits(z, y),
    grad: dBceDLogit(z, y),
    gradNote: (z - y) * s * (1 - s),
    gradNumeric: (bceWithLogits(z + EPS, y) - bceWithLogits(z - EPS, y)) / (2 * EPS),
  };
}

function breakdownOf(y: 0 | 1): Breakdown {
  const broken = (z: number) => !Number.isFinite(bceNaive(z, y));
  let positiveFrom: number | null = null;
  let negativeFrom: number | null = null;
  let positiveInexactFrom: number | null = null;
  // k·step rather than repeated addition, so that each z is the nearest double to k/100
  for (let k = 1; k * SCAN_STEP <= SCAN_MAX; k++) {
    const z = k * SCAN_STEP;
    if (positiveInexactFrom === null) {
      const n = bceNaive(z, y), s = bceWithLogits(z, y);
      if (!(Math.abs(n - s) <= 1e-6 * Math.abs(s))) positiveInexactFrom = z;
    }
    if (positiveFrom === null && broken(z)) positiveFrom = z;
    if (negativeFrom === null && broken(-z)) negativeFrom = -z;
    if (positiveFrom !== null && negativeFrom !== null && positiveInexactFrom !== null) break;
  }
  return { positiveFrom, negativeFrom, positiveInexactFrom };
}

function compute(params: LossParams): LossResult {
  const o = paramsObject(FN, params);
  const z = numberIn(FN, "z", o.z, -1e6, 1e6);
  const y = labelOf(FN, "y", o.y);
  // the plot shows the logits from −R to R, R at least 10 and a quarter beyond |z|
  const R = Math.max(10, Math.ceil(Math.abs(z) * 1.25));
  const grid = new Float64Array(GRID_POINTS);
  const lossNaive = new Float64Array(GRID_POINTS);
  const lossStable = new Float64Array(GRID_POINTS);
  const grad = new Float64Array(GRID_POINTS);
  for (let k = 0; k < GRID_POINTS; k++) {
    const g = -R + (2 * R * k) / (GRID_POINTS - 1);
    grid[k] = g;
    lossNaive[k] = bceNaive(g, y);
    lossStable[k] = bceWithLogits(g, y);
    grad[k] = dBceDLogit(g, y);
  }
  return { at: lossAt(z, y), grid, lossNaive, lossStable, grad, breakdown: breakdownOf(y) };
}

function mount(root: HTMLElement, host: Parameters<Experiment<LossParams, never, LossResult>["mount"]>[1]): void {
  note(root, "Move the logit <i>z</i> and choose the label <i>y</i>. Each number below is computed twice: " +
    "the textbook way, through <i>p</i> = σ(<i>z</i>) (naive), and the library's way from the logit " +
    "(<code>sigmoid</code>, <code>bceWithLogits</code>, <code>dBceDLogit</code> from <code>lib/loss.ts</code>). " +
    "No randomness here: the numbers depend on <i>z</i> and <i>y</i> only.");
  const controls = row(root);
  let z = experiment.defaults.z;
  let y: 0 | 1 = experiment.defaults.y;
  const st = status(root);
  const values = table(root, "At this logit: naive and stable side by side", ["quantity", "naive (through p)", "library (from z)"]);
  const breaks = element(root, "p", "live-note");
  const plot = livePlot(root, {
    title: "Loss, naive (dots) and stable", xTitle: "logit z", yTitle: "loss, slope",
    traces: [{ name: "stable" }, { name: "naive", mode: "markers" }, { name: "slope" }, { name: "z", mode: "markers" }],
  });
  let buttons: ReturnType<typeof runButtons> | undefined;
  const r = runner(host, st, { setRunning: (v) => buttons?.setRunning(v) }, { running: "Computing…" });
  const start = () => r.start({ z, y }, () => undefined, (res) => {
    const a = res.at;
    values.set([
      ["σ(z)", num(a.sigmoidNaive, 6), num(a.sigmoidStable, 6)],
      [`loss, y = ${y}`, num(a.lossNaive, 6), num(a.lossStable, 6)],
      ["dL/dz", `${num(a.gradNote, 6)} (the note's (z − y)·σ′(z))`, `${num(a.grad, 6)} (σ(z) − y; central difference ${num(a.gradNumeric, 6)})`],
    ]);
    const b = res.breakdown;
    const at = (v: number | null) => (v === null ? "nowhere within ±1000" : `z = ${v.toFixed(2).replace("-", "−")}`);
    breaks.textContent = `For y = ${y} the naive loss first becomes Infinity or NaN at ${at(b.positiveFrom)} on the positive side ` +
      `and at ${at(b.negativeFrom)} on the negative side (steps of 0.01); it is off by more than one part in a million from ${at(b.positiveInexactFrom)}. ` +
      `The stable loss is finite everywhere.`;
    // Plotly leaves a gap at a null: the naive loss where it is Infinity or NaN
    const naive = Array.from(res.lossNaive, (v) => (Number.isFinite(v) ? v : null)) as unknown as number[];
    plot.set(0, res.grid, res.lossStable);
    plot.set(1, res.grid, naive);
    plot.set(2, res.grid, res.grad);
    plot.set(3, [a.z], [a.lossStable]);
    plot.flush();
    st.set(`z = ${num(a.z, 2)}, y = ${y}: stable loss ${num(a.lossStable, 6)}, naive ${num(a.lossNaive, 6)}.`);
  });
  const go = debounce(start, 60); // while the slider moves: run when it pauses
  const zSlider = slider(controls, {
    label: "logit z", min: -60, max: 60, step: 0.1, value: z, format: (v) => v.toFixed(1),
    onInput: (v) => { z = v; zField.input.value = String(v); go(); },
  });
  const zField = numberField(controls, {
    label: "or type any logit", min: -1e6, max: 1e6, value: z,
    onChange: (v) => { z = v; zSlider.input.value = String(Math.max(-60, Math.min(60, v))); go(); },
  });
  choice(controls, {
    label: "label y", options: [{ value: "1", label: "y = 1" }, { value: "0", label: "y = 0" }], value: String(y) as "0" | "1",
    onChange: (v) => { y = v === "1" ? 1 : 0; go(); },
  });
  buttons = runButtons(controls, { onRun: () => start(), onStop: () => r.stop() });
  start();
}

const experiment: Experiment<LossParams, never, LossResult> = {
  lesson: "03-loss",
  title: "the loss at any logit, naive and stable",
  defaults: { z: 40, y: 1 },
  compute: (params) => compute(params),
  mount,
};
export default experiment;
