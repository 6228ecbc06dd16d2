// Lesson 07's live experiment: choose the spectral radius ρ of W_hh = ρ·Q (Q a random orthogonal
// matrix, so ρ is also its spectral norm) and the length T, and see ‖dh_t‖ at every step on a log
// axis, next to the bound ρ^(T−t)·‖dh_T‖. The lesson's seeds: Q from "lesson-07-Q", the other weights
// from "lesson-07" (initRnnParams, I = 1, H = 32), the inputs from "lesson-07-x" (times 0.1, or 1 for
// the saturated case of section 4), label y = 1.
import type { Experiment, LiveHost } from "../experiment";
import { makeRng, normalArray } from "../../../../lib/random";
import { initRnnParams } from "../../../../lib/params";
import type { RnnParams } from "../../../../lib/params";
import { rnnForward } from "../../../../lib/forward";
import { sigmoid } from "../../../../lib/loss";
import { paramsObject, intIn, numberIn, seedOf, num, debounce } from "./_helpers";
import { slider, choice, status, livePlot, row, note, runButtons, runner } from "../ui";

export interface LongParams {
  /** W_hh = rho·Q: spectral radius and spectral norm rho */
  rho: number;
  /** sequence length */
  T: number;
  /** standard deviation of the inputs (0.1: the lesson's small inputs; 1: section 4's saturation) */
  inputStd: number;
  /** seeds: the orthogonal Q, the other weights, the inputs */
  qSeed: string | number;
  seed: string | number;
  xSeed: string | number;
}

export interface LongResult {
  T: number;
  /** ‖dh_t‖ for t = 1..T at index t (index 0 unused, 0) */
  norms: Float64Array;
  /** the bound ρ^(T−t)·‖dh_T‖ at index t (index 0 unused, 0) */
  bound: Float64Array;
  /** mean tanh slope 1 − h_t² over all steps and units */
  meanSlope: number;
  /** steps where ‖dh_t‖ exceeds the bound ρ^(T−t)·‖dh_T‖ (the lesson found none) */
  boundViolations: number;
  /** the gradients the walk accumulates, for checking it against rnnBackward (H×H and H×I) */
  dWhh: Float64Array;
  dWxh: Float64Array;
}

const FN = "07-long-sequences";
const H = 32;

/** A random orthogonal H×H matrix: Gram–Schmidt on the rows of a Gaussian matrix (lesson 07's). */
export function orthogonal(n: number, seed: string | number): Float64Array {
  const Q = normalArray(makeRng(seed), n * n);
  for (let r = 0; r < n; r++) {
    for (let q = 0; q < r; q++) {
      let dot = 0;
      for (let c = 0; c < n; c++) dot += Q[r * n + c] * Q[q * n + c];
      for (let c = 0; c < n; c++) Q[r * n + c] -= dot * Q[q * n + c];
    }
    let norm = 0;
    for (let c = 0; c < n; c++) norm += Q[r * n + c] ** 2;
    norm = Math.sqrt(norm);
    for (let c = 0; c < n; c++) Q[r * n + c] /= norm;
  }
  return Q;
}

/**
 * ‖v‖ (the lesson's Math.hypot), scaled by the largest entry so that tiny and huge entries neither
 * underflow nor overflow, with only max, /, *, + and sqrt: the same bits in every engine.
 */
export function norm2(v: ArrayLike<number>): number {
  let m = 0;
  for (let k = 0; k < v.length; k++) m = Math.max(m, Math.abs(v[k]));
  if (m === 0 || !Number.isFinite(m)) return m;
  let s = 0;
  for (let k = 0; k < v.length; k++) {
    const q = v[k] / m;
    s += q * q;
  }
  return m * Math.sqrt(s);
}

/** The RNN of the lesson: I = 1, H = 32, W_hh = rho·Q. */
export function rnnWithRadius(rho: number, Q: Float64Array, seed: string | number): RnnParams {
  const p = initRnnParams({ I: 1, H, seed });
  for (let k = 0; k < H * H; k++) p.Whh[k] = rho * Q[k];
  return p;
}

function compute(params: LongParams): LongResult {
  const o = paramsObject(FN, params);
  const rho = numberIn(FN, "rho", o.rho, 0, 10);
  const T = intIn(FN, "T", o.T, 2, 20000);
  const inputStd = numberIn(FN, "inputStd", o.inputStd, 0, 10);
  const qSeed = seedOf(FN, "qSeed", o.qSeed);
  const seed = seedOf(FN, "seed", o.seed);
  const xSeed = seedOf(FN, "xSeed", o.xSeed);
  const p = rnnWithRadius(rho, orthogonal(H, qSeed), seed);
  const x = normalArray(makeRng(xSeed), T).map((v) => inputStd * v);
  // lesson 07's hiddenGradNorms: lesson 04's backward loop, recording ‖dh_t‖ before each step back
  const { I, Whh, Why } = p;
  const cache = rnnForward(p, x, T);
  const dz = sigmoid(cache.logits[0]) - 1; // y = 1
  let dh = Why.map((w) => w * dz);
  const norms = new Float64Array(T + 1);
  const dWhh = new Float64Array(H * H), dWxh = new Float64Array(H * I);
  for (let t = T; t >= 1; t--) {
    norms[t] = norm2(dh);
    const da = new Float64Array(H);
    for (let r = 0; r < H; r++) { const h = cache.hs[t * H + r]; da[r] = (1 - h * h) * dh[r]; }
    const dhPrev = new Float64Array(H);
    for (let r = 0; r < H; r++) {
      for (let i = 0; i < I; i++) dWxh[r * I + i] += da[r] * x[(t - 1) * I + i];
      for (let j = 0; j < H; j++) {
        dWhh[r * H + j] += da[r] * cache.hs[(t - 1) * H + j];
        dhPrev[j] += Whh[r * H + j] * da[r];
      }
    }
    dh = dhPrev;
  }
  let slope = 0;
  for (let k = H; k < cache.hs.length; k++) slope += 1 - cache.hs[k] ** 2;
  // the bound ρ^(T−t)·‖dh_T‖ by repeated multiplication (Math.pow may differ by a bit between engines)
  const bound = new Float64Array(T + 1);
  bound[T] = norms[T];
  for (let t = T - 1; t >= 1; t--) bound[t] = bound[t + 1] * rho;
  let boundViolations = 0;
  for (let t = 1; t <= T; t++) if (norms[t] > bound[t] * (1 + 1e-9)) boundViolations++;
  return { T, norms, bound, meanSlope: slope / (T * H), boundViolations, dWhh, dWxh };
}

function mount(root: HTMLElement, host: LiveHost<LongParams, never, LongResult>): void {
  const d = experiment.defaults;
  note(root, "An RNN with <i>H</i> = 32 whose recurrent matrix is <i>W<sub>hh</sub></i> = ρ<i>Q</i>, <i>Q</i> orthogonal, " +
    "reads a sequence of <i>T</i> random inputs (label <i>y</i> = 1). The plot shows ‖<i>dh<sub>t</sub></i>‖ at every step " +
    "(read it from right to left: the gradient travels back from the loss) and the bound ρ<sup><i>T</i>−<i>t</i></sup>‖<i>dh<sub>T</sub></i>‖. " +
    "Seeds as in the lesson: <code>\"lesson-07-Q\"</code> for <i>Q</i>, <code>\"lesson-07\"</code> for the other weights, " +
    "<code>\"lesson-07-x\"</code> for the inputs. A norm that underflows to 0 leaves the log axis.");
  const controls = row(root);
  const st = status(root);
  const plot = livePlot(root, {
    title: "‖dh_t‖ along the sequence", xTitle: "step t (the loss is read after step T)", yTitle: "‖dh_t‖", logY: true, height: 340,
    traces: [{ name: "‖dh_t‖" }, { name: "bound ρ^(T−t)‖dh_T‖" }],
  });
  let rho = d.rho, T = d.T, inputStd = d.inputStd;
  let buttons: ReturnType<typeof runButtons> | undefined;
  const r = runner(host, st, { setRunning: (v) => buttons?.setRunning(v) }, { running: "Computing…" });
  const start = () => {
    const params: LongParams = { ...d, rho, T, inputStd };
    r.start(params, () => undefined, (res) => {
      const ts = Array.from({ length: res.T }, (_, k) => k + 1);
      plot.set(0, ts, ts.map((t) => res.norms[t]));
      plot.set(1, ts, ts.map((t) => res.bound[t]));
      plot.flush();
      const ratio = res.norms[1] / res.norms[res.T];
      st.set(`ρ = ${rho.toFixed(2)}, T = ${res.T}, inputs × ${inputStd}: ‖dh_1‖ / ‖dh_T‖ = ${num(ratio, 3)} ` +
        `(ρ^${res.T - 1} = ${num(Math.pow(rho, res.T - 1), 3)}); factor per step ${num(Math.pow(ratio, 1 / (res.T - 1)), 3)}, ` +
        `mean tanh slope 1 − h² = ${res.meanSlope.toFixed(3)}; steps above the bound: ${res.boundViolations}.`);
    });
  };
  const go = debounce(start, 80); // while a slider moves: run when it pauses
  slider(controls, { label: "spectral radius ρ", min: 0.1, max: 2, step: 0.05, value: rho, format: (v) => v.toFixed(2), onInput: (v) => { rho = v; go(); } });
  slider(controls, { label: "length T", min: 10, max: 1000, step: 10, value: T, onInput: (v) => { T = v; go(); } });
  choice(controls, {
    label: "inputs", value: String(inputStd) as "0.1",
    options: [{ value: "0.1", label: "small (std 0.1)" }, { value: "1", label: "full size (std 1): saturation" }],
    onChange: (v) => { inputStd = Number(v); go(); },
  });
  buttons = runButtons(controls, { onRun: () => start(), onStop: () => r.stop() });
  start();
}

const experiment: Experiment<LongParams, never, LongResult> = {
  lesson: "07-long-sequences",
  title: "the gradient's norm along a long sequence",
  defaults: { rho: 1.1, T: 200, inputStd: 0.1, qSeed: "lesson-07-Q", seed: "lesson-07", xSeed: "lesson-07-x" },
  compute: (params) => compute(params),
  mount,
};
export default experiment;
