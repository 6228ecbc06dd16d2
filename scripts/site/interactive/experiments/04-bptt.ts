// Lesson 04's live experiment: step through backpropagation through time on the lesson's tiny RNN
// (H = 3, T = 4, weights from seed "bptt-small", input from seed "bptt-x", label y = 1), one step at
// a time: the forward pass, the output layer, then back through time, with the equation of the
// current step highlighted and its numbers shown. The backward loop is the lesson's own (section 4),
// and its final gradients are compared with the library's rnnBackward.
import type { Experiment, LiveHost } from "../experiment";
import { makeRng, normalArray } from "../../../../lib/random";
import { initRnnParams, zerosLike, paramArrays } from "../../../../lib/params";
import type { RnnParams } from "../../../../lib/params";
import { rnnForward } from "../../../../lib/forward";
import { sigmoid, bceWithLogits } from "../../../../lib/loss";
import { rnnBackward } from "../../../../lib/bptt";
import { paramsObject, intIn, seedOf, labelOf, vec, num, table, element, button } from "./_helpers";
import { textField, choice, status, row, note, runButtons, runner } from "../ui";

export interface BpttParams {
  H: number;
  T: number;
  /** seed of the weights (initRnnParams) */
  seed: string | number;
  /** seed of the input sequence (normalArray, T values) */
  xSeed: string | number;
  y: 0 | 1;
}

/** The equations a step can highlight (EQUATIONS below holds their text). */
export type EquationKey = "forward" | "output" | "dz" | "da" | "accumulate" | "dhPrev";

/** One step of the walk: which equation, at which time step, and the numbers it produced. */
export interface BpttStep {
  phase: "forward" | "output" | "backward";
  /** the time step t (1..T) this step is about; 0 for the output layer */
  t: number;
  equation: EquationKey;
  /** what the step says, in words */
  caption: string;
  /** name and values of every quantity the step computes or reads, for the table */
  values: Array<{ name: string; values: number[] }>;
}

export interface BpttResult {
  steps: BpttStep[];
  /** the gradients accumulated by the walk (the lesson's loop) */
  grads: Array<{ name: string; values: Float64Array }>;
  /** max |walk − rnnBackward| over every gradient entry (the lesson found exactly 0) */
  maxDiffFromLibrary: number;
  loss: number;
}

export const EQUATIONS: Record<EquationKey, string> = {
  forward: "a_t = W_xh·x_t + W_hh·h_{t−1} + b_h,   h_t = tanh(a_t)",
  output: "z = W_hy·h_T + b_y,   p = σ(z),   L = −[y·log p + (1 − y)·log(1 − p)]",
  dz: "dz = p − y,   dW_hy = dz·h_Tᵀ,   db_y = dz,   dh_T = W_hyᵀ·dz",
  da: "da_t = (1 − h_t²) ⊙ dh_t      (this step's h_t)",
  accumulate: "dW_xh += da_t·x_tᵀ,   dW_hh += da_t·h_{t−1}ᵀ   (the previous state),   db_h += da_t",
  dhPrev: "dh_{t−1} = W_hhᵀ·da_t      (the only way back)",
};

const FN = "04-bptt";
const arr = (a: ArrayLike<number>) => Array.from(a);

/** a_t = b_h + W_xh x_t + W_hh h_{t−1}, summed in rnnStep's order (bias first), so tanh(a_t) is exactly h_t. */
function preActivation(p: RnnParams, xt: Float64Array, hPrev: Float64Array): Float64Array {
  const { I, H } = p;
  const a = new Float64Array(H);
  for (let r = 0; r < H; r++) {
    let s = p.bh[r];
    for (let i = 0; i < I; i++) s += p.Wxh[r * I + i] * xt[i];
    for (let j = 0; j < H; j++) s += p.Whh[r * H + j] * hPrev[j];
    a[r] = s;
  }
  return a;
}

function compute(params: BpttParams): BpttResult {
  const o = paramsObject(FN, params);
  const H = intIn(FN, "H", o.H, 1, 6);
  const T = intIn(FN, "T", o.T, 1, 8);
  const seed = seedOf(FN, "seed", o.seed);
  const xSeed = seedOf(FN, "xSeed", o.xSeed);
  const y = labelOf(FN, "y", o.y);
  const I = 1;
  const p = initRnnParams({ I, H, seed });
  const x = normalArray(makeRng(xSeed), T * I);
  const cache = rnnForward(p, x, T);
  const row = (k: number) => cache.hs.subarray(k * H, (k + 1) * H); // h_k, row k (row 0 is h_0)
  const steps: BpttStep[] = [];

  // forward, t = 1..T
  for (let t = 1; t <= T; t++) {
    const xt = x.subarray((t - 1) * I, t * I);
    steps.push({
      phase: "forward", t, equation: "forward",
      caption: `Forward, step t = ${t} of ${T}: mix the input x_${t} with the previous state h_${t - 1}.`,
      values: [
        { name: `x_${t}`, values: arr(xt) },
        { name: `h_${t - 1}`, values: arr(row(t - 1)) },
        { name: `a_${t}`, values: arr(preActivation(p, xt, row(t - 1))) },
        { name: `h_${t}`, values: arr(row(t)) },
      ],
    });
  }
  const z = cache.logits[0];
  const prob = sigmoid(z);
  const loss = bceWithLogits(z, y);
  steps.push({
    phase: "output", t: 0, equation: "output",
    caption: `The output: only h_${T} is read. The loss is computed from the logit (lesson 03).`,
    values: [{ name: `h_${T}`, values: arr(row(T)) }, { name: "z", values: [z] }, { name: "p", values: [prob] }, { name: "y", values: [y] }, { name: "L", values: [loss] }],
  });

  // backward: the lesson's loop (section 4), one equation at a time
  const g = zerosLike(p);
  const dz = sigmoid(z) - y;
  g.Why.set(row(T).map((h) => dz * h));
  g.by[0] = dz;
  let dh = p.Why.map((w) => w * dz); // dh_T = Whyᵀ·dz
  steps.push({
    phase: "backward", t: T, equation: "dz",
    caption: `Backward starts at the loss: dz = p − y enters the recurrence at h_${T} only.`,
    values: [{ name: "dz", values: [dz] }, { name: "dW_hy", values: arr(g.Why) }, { name: "db_y", values: [dz] }, { name: `dh_${T}`, values: arr(dh) }],
  });
  for (let t = T; t >= 1; t--) {
    const h = row(t), hPrev = row(t - 1), xt = x.subarray((t - 1) * I, t * I);
    const da = h.map((hj, j) => (1 - hj * hj) * dh[j]);
    steps.push({
      phase: "backward", t, equation: "da",
      caption: `Step t = ${t}: back through the tanh, with this step's h_${t}.`,
      values: [{ name: `h_${t}`, values: arr(h) }, { name: `dh_${t}`, values: arr(dh) }, { name: `da_${t}`, values: arr(da) }],
    });
    for (let r = 0; r < H; r++) {
      for (let i = 0; i < I; i++) g.Wxh[r * I + i] += da[r] * xt[i];
      for (let j = 0; j < H; j++) g.Whh[r * H + j] += da[r] * hPrev[j];
      g.bh[r] += da[r];
    }
    steps.push({
      phase: "backward", t, equation: "accumulate",
      caption: `Step t = ${t}: add this step's share to the shared weights' gradients (sums over time so far).`,
      values: [
        { name: `x_${t}`, values: arr(xt) }, { name: `h_${t - 1}`, values: arr(hPrev) },
        { name: "dW_xh (so far)", values: arr(g.Wxh) }, { name: "dW_hh (so far)", values: arr(g.Whh) }, { name: "db_h (so far)", values: arr(g.bh) },
      ],
    });
    const dhPrev = new Float64Array(H); // Whhᵀ·da: row k of Whhᵀ is column k of Whh
    for (let r = 0; r < H; r++) for (let c = 0; c < H; c++) dhPrev[c] += p.Whh[r * H + c] * da[r];
    dh = dhPrev;
    steps.push({
      phase: "backward", t, equation: "dhPrev",
      caption: t > 1 ? `Step t = ${t}: pass the gradient back to h_${t - 1}; the next step down starts from it.` : `Step t = 1: dh_0 would go to the start state h_0 = 0, which has no weights: done.`,
      values: [{ name: `da_${t}`, values: arr(da) }, { name: `dh_${t - 1}`, values: arr(dh) }],
    });
  }
  const lib = new Map(paramArrays(rnnBackward(p, x, cache, Float64Array.of(dz))));
  let maxDiffFromLibrary = 0;
  for (const [name, a] of paramArrays(g)) {
    const b = lib.get(name) as Float64Array;
    for (let k = 0; k < a.length; k++) maxDiffFromLibrary = Math.max(maxDiffFromLibrary, Math.abs(a[k] - b[k]));
  }
  return { steps, grads: paramArrays(g).map(([name, values]) => ({ name, values })), maxDiffFromLibrary, loss };
}

function mount(root: HTMLElement, host: LiveHost<BpttParams, never, BpttResult>): void {
  const d = experiment.defaults;
  note(root, "The lesson's tiny RNN, one step at a time: first the forward pass, then back through time. " +
    "The highlighted line is the equation of the current step; the table shows its numbers. Use <b>Next</b> and " +
    "<b>Back</b> (or change the seeds or the label and press <b>Compute</b>). At the end, the walk's gradients are " +
    "compared with the library's <code>rnnBackward</code>.");
  const controls = row(root);
  const seedField = textField(controls, { label: "seed of the weights", value: String(d.seed) });
  const xSeedField = textField(controls, { label: "seed of the input x", value: String(d.xSeed) });
  const yChoice = choice(controls, { label: "label y", value: String(d.y) as "1", options: [{ value: "1", label: "y = 1" }, { value: "0", label: "y = 0" }] });
  const st = status(root);
  const nav = row(root, "live-stepper");
  const back = button(nav, "◀ Back", () => show(index - 1));
  const next = button(nav, "Next ▶", () => show(index + 1));
  const where = element(nav, "span", "live-step-count");
  const eqList = element(root, "ol", "live-equations");
  eqList.setAttribute("aria-label", "The equations of BPTT");
  const eqItems = new Map<EquationKey, HTMLLIElement>();
  for (const key of Object.keys(EQUATIONS) as EquationKey[]) {
    const li = element(eqList, "li");
    // authored constants only (EQUATIONS above): subscripts x_t, h_{t−1} become <sub>
    li.innerHTML = EQUATIONS[key].replace(/_\{([^}]*)\}/g, "<sub>$1</sub>").replace(/_([A-Za-z0-9]+)/g, "<sub>$1</sub>");
    eqItems.set(key, li);
  }
  const caption = element(root, "p", "live-caption");
  const numbers = table(root, "The numbers of this step", ["quantity", "values"]);
  let steps: BpttStep[] = [];
  let index = 0;
  let finalLine = "";
  const show = (k: number) => {
    if (steps.length === 0) return;
    index = Math.max(0, Math.min(steps.length - 1, k));
    const s = steps[index];
    for (const [key, li] of eqItems) {
      const current = key === s.equation;
      li.classList.toggle("live-current", current);
      if (current) li.setAttribute("aria-current", "step");
      else li.removeAttribute("aria-current");
    }
    caption.textContent = s.caption;
    numbers.set(s.values.map((v) => [v.name, v.values.length === 1 ? num(v.values[0]) : vec(v.values)]));
    where.textContent = `step ${index + 1} of ${steps.length} (${s.phase})`;
    back.disabled = index === 0;
    next.disabled = index === steps.length - 1;
    st.set(index === steps.length - 1 ? finalLine : `Step ${index + 1} of ${steps.length}.`);
  };
  const buttons = runButtons(controls, { runLabel: "Compute", onRun: () => go(), onStop: () => r.stop() });
  const r = runner(host, st, buttons, { running: "Computing…" });
  const go = () => {
    const params: BpttParams = { H: d.H, T: d.T, seed: seedField.value(), xSeed: xSeedField.value(), y: yChoice.value() === "1" ? 1 : 0 };
    if (params.seed === "" || params.xSeed === "") {
      st.set("Type both seeds (any text).");
      return;
    }
    r.start(params, () => undefined, (res) => {
      steps = res.steps;
      finalLine = `Done. Loss ${num(res.loss)}; the walk's gradients differ from rnnBackward's by at most ${res.maxDiffFromLibrary} ` +
        `(${res.grads.map((g) => `${g.name} ${vec(g.values, 3)}`).join("; ")}).`;
      show(0);
    });
  };
  go();
}

const experiment: Experiment<BpttParams, never, BpttResult> = {
  lesson: "04-bptt",
  title: "step through BPTT",
  defaults: { H: 3, T: 4, seed: "bptt-small", xSeed: "bptt-x", y: 1 },
  compute: (params) => compute(params),
  mount,
};
export default experiment;
