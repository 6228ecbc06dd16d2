// Lesson 01's live experiment: generate the sign-of-sum data set with your own seed, size and length
// (makeSignOfSumData), and see the class balance, the running sums of the first sequences and the
// distribution of the sums. The defaults are the course's training file: n = 1000, T = 10, seed
// "sign-of-sum/train".
import type { Experiment, LiveHost } from "../experiment";
import { makeSignOfSumData, sequence } from "../../../../lib/data";
import { paramsObject, intIn, seedOf, num, table } from "./_helpers";
import { numberField, textField, status, livePlot, row, note, runButtons, runner, readParams } from "../ui";

export interface DataParams {
  /** number of sequences */
  n: number;
  /** steps per sequence (I = 1) */
  T: number;
  seed: string | number;
}

export interface DataResult {
  n: number;
  T: number;
  /** sequences with label 1 */
  positives: number;
  /** mean and standard deviation of the n sums (theory: 0 and √T) */
  mean: number;
  std: number;
  /** sequences whose sum lies within 0.5 of zero: the hard ones */
  nearZero: number;
  /** the histogram of the sums: bin k covers [binStart + k·binWidth, binStart + (k+1)·binWidth) */
  binStart: number;
  binWidth: number;
  countsLabel0: Float64Array;
  countsLabel1: Float64Array;
  /** the running sums s_1 … s_T of the first `shown` sequences, back to back (shown·T values) */
  shown: number;
  runningSums: Float64Array;
  /** their labels */
  shownLabels: Float64Array;
}

const FN = "01-data";
const SHOWN = 12;
const BINS = 48;

function compute(params: DataParams): DataResult {
  const o = paramsObject(FN, params);
  const n = intIn(FN, "n", o.n, 1, 100000);
  const T = intIn(FN, "T", o.T, 1, 100);
  const seed = seedOf(FN, "seed", o.seed);
  const data = makeSignOfSumData({ n, T, I: 1, seed });
  const sums = new Float64Array(n);
  let positives = 0;
  for (let k = 0; k < n; k++) {
    sums[k] = sequence(data, k).reduce((s, v) => s + v, 0); // lesson 01's sum, in the same order
    positives += data.ys[k];
  }
  const mean = sums.reduce((s, v) => s + v, 0) / n;
  const std = Math.sqrt(sums.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
  const nearZero = sums.filter((v) => Math.abs(v) < 0.5).length;
  // bins of width √T/8 over ±3√T (the sum has standard deviation √T); the outermost bins take the tails
  const binWidth = Math.sqrt(T) / 8;
  const binStart = -(BINS / 2) * binWidth;
  const countsLabel0 = new Float64Array(BINS);
  const countsLabel1 = new Float64Array(BINS);
  for (let k = 0; k < n; k++) {
    const b = Math.min(BINS - 1, Math.max(0, Math.floor((sums[k] - binStart) / binWidth)));
    (data.ys[k] === 1 ? countsLabel1 : countsLabel0)[b] += 1;
  }
  const shown = Math.min(SHOWN, n);
  const runningSums = new Float64Array(shown * T);
  for (let k = 0; k < shown; k++) {
    const x = sequence(data, k);
    let s = 0;
    for (let t = 0; t < T; t++) runningSums[k * T + t] = s += x[t];
  }
  return { n, T, positives, mean, std, nearZero, binStart, binWidth, countsLabel0, countsLabel1, shown, runningSums, shownLabels: data.ys.slice(0, shown) };
}

function mount(root: HTMLElement, host: LiveHost<DataParams, never, DataResult>): void {
  const d = experiment.defaults;
  note(root, "Draw your own data set with <code>makeSignOfSumData({ n, T, I: 1, seed })</code>. The defaults are the " +
    "course's training file (seed <code>\"sign-of-sum/train\"</code>), so the first run shows the lesson's numbers; " +
    "change the seed and everything changes, the same seed gives the same numbers again.");
  const controls = row(root);
  const nField = numberField(controls, { label: "sequences n", min: 1, max: 100000, step: 1, value: d.n });
  const tField = numberField(controls, { label: "length T", min: 1, max: 100, step: 1, value: d.T });
  const seedField = textField(controls, { label: "seed", value: String(d.seed) });
  const st = status(root);
  const figures = table(root, "The data set", ["figure", "value"]);
  const paths = livePlot(root, {
    title: "Running sums, first sequences", xTitle: "step t", yTitle: "running sum s_t",
    traces: [{ name: "label 1", mode: "lines+markers" }, { name: "label 0", mode: "lines+markers" }],
  });
  const hist = livePlot(root, {
    title: "The sums, by label", xTitle: "sum of the T values", yTitle: "number of sequences",
    traces: [{ name: "label 1", mode: "lines+markers" }, { name: "label 0", mode: "lines+markers" }],
  });
  const buttons = runButtons(controls, { runLabel: "Generate", onRun: () => go(), onStop: () => r.stop() });
  const r = runner(host, st, buttons, { running: "Generating…" });
  const go = () => {
    const params = readParams<DataParams>(st, () => ({ n: nField.value(), T: tField.value(), seed: seedField.value() }));
    if (!params) return;
    r.start(params, () => undefined, (res) => {
      const { n, T } = res;
      const majority = Math.max(res.positives, n - res.positives);
      figures.set([
        ["label 1 / label 0", `${res.positives} / ${n - res.positives}`],
        ["always answering the majority label", `${((100 * majority) / n).toFixed(1)} % accurate`],
        ["mean of the sums", `${num(res.mean, 3)} (theory 0)`],
        ["standard deviation of the sums", `${num(res.std, 3)} (theory √${T} = ${Math.sqrt(T).toFixed(3)})`],
        ["sums within 0.5 of zero (the hard ones)", `${res.nearZero} of ${n}`],
      ]);
      // one trace per label; null between two sequences breaks the line
      for (const label of [1, 0]) {
        const xs: Array<number | null> = [];
        const ys: Array<number | null> = [];
        for (let k = 0; k < res.shown; k++) {
          if (res.shownLabels[k] !== label) continue;
          for (let t = 0; t < T; t++) {
            xs.push(t + 1);
            ys.push(res.runningSums[k * T + t]);
          }
          xs.push(null);
          ys.push(null);
        }
        paths.set(label === 1 ? 0 : 1, xs as number[], ys as number[]);
      }
      const centres = Array.from(res.countsLabel0, (_, b) => res.binStart + (b + 0.5) * res.binWidth);
      // an empty bin is left out (null), so each label's line covers only its own side of 0
      const shown = (counts: Float64Array) => Array.from(counts, (c) => (c > 0 ? c : null)) as unknown as number[];
      hist.set(0, centres, shown(res.countsLabel1));
      hist.set(1, centres, shown(res.countsLabel0));
      paths.flush();
      hist.flush();
      st.set(`Generated ${n} sequences of ${T} steps from seed "${params.seed}": ${res.positives} with label 1, ${n - res.positives} with label 0.`);
    });
  };
  go();
}

const experiment: Experiment<DataParams, never, DataResult> = {
  lesson: "01-data",
  title: "draw the data set from a seed",
  defaults: { n: 1000, T: 10, seed: "sign-of-sum/train" },
  compute: (params) => compute(params),
  mount,
};
export default experiment;
