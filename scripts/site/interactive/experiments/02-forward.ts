// Lesson 02's live experiment: type a short input sequence and watch the untrained RNN read it —
// the hidden states h_0 … h_T as a heatmap, and the answer σ(z) it would give if the sequence
// ended at each step. The weights are initRnnParams({ I: 1, H, seed }), the lesson's seed "lesson-02".
import type { Experiment, LiveHost } from "../experiment";
import { initRnnParams } from "../../../../lib/params";
import { rnnForward, rnnOutput } from "../../../../lib/forward";
import { sigmoid } from "../../../../lib/loss";
import { paramsObject, intIn, seedOf, num, debounce } from "./_helpers";
import { textField, choice, status, livePlot, heatmap, row, note, runButtons, runner, readParams } from "../ui";
import { describe } from "../../../../lib/checks";

export interface ForwardParams {
  /** the input sequence x_1 … x_T (I = 1: one number per step) */
  x: number[];
  /** hidden size */
  H: number;
  /** seed of the weights (initRnnParams) */
  seed: string | number;
}

export interface ForwardResult {
  T: number;
  H: number;
  /** (T+1)·H values, h_t at hs[t·H .. (t+1)·H), h_0 = 0: rnnForward's cache */
  hs: Float64Array;
  /** z_t = W_hy h_t + b_y for t = 1..T: the logit if the sequence ended after step t (T values) */
  logits: Float64Array;
  /** σ(z_t) for t = 1..T */
  probs: Float64Array;
}

const FN = "02-forward";
export const MAX_STEPS = 100;
const MAX_ABS_INPUT = 100;

function compute(params: ForwardParams): ForwardResult {
  const o = paramsObject(FN, params);
  const H = intIn(FN, "H", o.H, 1, 64);
  const seed = seedOf(FN, "seed", o.seed);
  if (!Array.isArray(o.x) || o.x.length < 1 || o.x.length > MAX_STEPS) {
    throw new Error(`${FN}: params.x is ${describe(o.x)}, expected an array of 1 to ${MAX_STEPS} numbers`);
  }
  const xs = o.x as unknown[];
  xs.forEach((v, t) => {
    if (typeof v !== "number" || !Number.isFinite(v) || Math.abs(v) > MAX_ABS_INPUT) {
      throw new Error(`${FN}: params.x[${t}] is ${describe(v)}, expected a number from −${MAX_ABS_INPUT} to ${MAX_ABS_INPUT}`);
    }
  });
  const T = xs.length;
  const x = Float64Array.from(xs as number[]);
  const p = initRnnParams({ I: 1, H, seed });
  const cache = rnnForward(p, x, T);
  const logits = new Float64Array(T);
  const probs = new Float64Array(T);
  const z = new Float64Array(1);
  for (let t = 1; t <= T; t++) {
    rnnOutput(p, cache.hs.subarray(t * H, (t + 1) * H), z); // the readout, as if h_t were the last state
    logits[t - 1] = z[0];
    probs[t - 1] = sigmoid(z[0]);
  }
  return { T, H, hs: cache.hs, logits, probs };
}

/** "1, -0.5 2" → [1, -0.5, 2]; a clear message for anything that is not a list of numbers. */
export function parseSequence(text: string): number[] {
  const parts = text.split(/[\s,;]+/).filter((s) => s.length > 0);
  if (parts.length === 0) throw new Error("Type at least one number, e.g. 1, -0.5, 2");
  if (parts.length > MAX_STEPS) throw new Error(`At most ${MAX_STEPS} numbers (you typed ${parts.length})`);
  return parts.map((s, t) => {
    const v = Number(s.replace("−", "-"));
    if (!Number.isFinite(v)) throw new Error(`"${s}" (number ${t + 1}) is not a number`);
    if (Math.abs(v) > MAX_ABS_INPUT) throw new Error(`${s} (number ${t + 1}) is outside −${MAX_ABS_INPUT} … ${MAX_ABS_INPUT}`);
    return v;
  });
}

function mount(root: HTMLElement, host: LiveHost<ForwardParams, never, ForwardResult>): void {
  const d = experiment.defaults;
  note(root, "Type a sequence (numbers separated by commas or spaces). The untrained RNN of this lesson, " +
    "<code>initRnnParams({ I: 1, H, seed })</code>, reads it with <code>rnnForward</code>: each column of the heatmap is " +
    "one hidden state <i>h<sub>t</sub></i> (blue negative, red positive; the first column is <i>h</i><sub>0</sub> = 0). " +
    "The plot shows the inputs and σ(<i>z<sub>t</sub></i>), the answer the network would give if the sequence ended after step <i>t</i>.");
  const controls = row(root);
  const st = status(root);
  const map = heatmap(root, { title: "Hidden states h_t", xTitle: "step t", yTitle: "hidden unit", height: 360 });
  const plot = livePlot(root, {
    title: "Inputs x_t and σ(z_t)", xTitle: "step t", yTitle: "x_t, σ(z_t)",
    traces: [{ name: "input x_t", mode: "lines+markers" }, { name: "σ(z_t)", mode: "lines+markers" }],
  });
  let buttons: ReturnType<typeof runButtons> | undefined;
  const r = runner(host, st, { setRunning: (v) => buttons?.setRunning(v) }, { running: "Computing…" });
  let text = d.x.join(", ");
  let H = d.H;
  let seed: string = String(d.seed);
  const start = () => {
    const params = readParams<ForwardParams>(st, () => ({ x: parseSequence(text), H, seed }));
    if (!params) return;
    const { x } = params;
    r.start(params, () => undefined, (res) => {
      const steps = Array.from({ length: res.T + 1 }, (_, t) => t);
      const z: number[][] = [];
      for (let j = 0; j < res.H; j++) z.push(steps.map((t) => res.hs[t * res.H + j]));
      map.set(z, steps, Array.from({ length: res.H }, (_, j) => j));
      const ts = steps.slice(1);
      plot.set(0, ts, x);
      plot.set(1, ts, res.probs);
      plot.flush();
      const zT = res.logits[res.T - 1];
      st.set(`T = ${res.T}, H = ${res.H}, seed "${params.seed}": final logit z = ${num(zT)}, σ(z) = ${num(res.probs[res.T - 1])} ` +
        `(answer ${zT > 0 ? 1 : 0}; the true label, the sign of the sum, is ${x.reduce((s, v) => s + v, 0) > 0 ? 1 : 0}).`);
    });
  };
  const go = debounce(start, 150); // while typing: run once the typing pauses
  textField(controls, { label: "input sequence x_1 … x_T", value: text, onChange: (v) => { text = v; go(); } });
  choice(controls, {
    label: "hidden size H", value: String(H) as "32",
    options: ["4", "8", "16", "32", "64"].map((v) => ({ value: v as "32", label: v })),
    onChange: (v) => { H = Number(v); go(); },
  });
  textField(controls, { label: "seed of the weights", value: seed, onChange: (v) => { seed = v; go(); } });
  buttons = runButtons(controls, { onRun: () => start(), onStop: () => r.stop() });
  start();
}

const experiment: Experiment<ForwardParams, never, ForwardResult> = {
  lesson: "02-forward",
  title: "an untrained RNN reads your sequence",
  defaults: { x: [1, 0.5, -2, 0.3, 0.8, -0.4, 1.5, -1, 0.2, 0.6], H: 32, seed: "lesson-02" },
  compute: (params) => compute(params),
  mount,
};
export default experiment;
