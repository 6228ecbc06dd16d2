// Lesson 06's live experiment: switch each of the note's backward-pass mistakes on or off and watch
// the gradient check and the training curve respond. The backward pass is the lesson's own
// bpttWith(choices) from notebooks/course/06-buggy-bptt.ts (course material, deliberately wrong
// when a switch is on); the forward pass, the loss, gradCheck, sgdStep and evaluate are the library's.
// The lesson's setup: H = 32, weights from seed "lesson-06", the course's training and test sets
// (makeSignOfSumData with seeds "sign-of-sum/train" and "sign-of-sum/test", the very data of the
// files), per-sample SGD at learning rate 0.01 in data order, the loss averaged over every 100 samples.
import type { Experiment, LiveHost } from "../experiment";
import { initRnnParams } from "../../../../lib/params";
import type { RnnParams } from "../../../../lib/params";
import { makeSignOfSumData, sequence } from "../../../../lib/data";
import type { Dataset } from "../../../../lib/data";
import { rnnForward } from "../../../../lib/forward";
import { bceWithLogits } from "../../../../lib/loss";
import { gradCheck } from "../../../../lib/gradcheck";
import { sgdStep } from "../../../../lib/optim";
import { evaluate } from "../../../../lib/evaluate";
import { bpttWith, correctChoices, logitTimesSigmoidDeriv, shapeErrorDWhy } from "../../../../notebooks/course/06-buggy-bptt";
import type { BpttChoices, GradFn } from "../../../../notebooks/course/06-buggy-bptt";
import { describe } from "../../../../lib/checks";
import { paramsObject, intIn, numberIn, seedOf, boolOf, table } from "./_helpers";
import { checkbox, numberField, status, livePlot, row, note, runButtons, runner } from "../ui";

/** The note's mistakes, by the lesson's letters. */
export const BUGS = ["a", "b", "c", "d", "e"] as const;
export type Bug = (typeof BUGS)[number];
export const BUG_LABELS: Record<Bug, string> = {
  a: "(a) the shape error: dW_hy from the last row of the states",
  b: "(b) (z − y)·σ′(z) at the output instead of p − y",
  c: "(c) the output gradient at every step",
  d: "(d) tanh′ from h_T at every step",
  e: "(e) dW_hh paired with h_t instead of h_{t−1}",
};

export interface BugsParams {
  bugs: Record<Bug, boolean>;
  epochs: number;
  lr: number;
  /** seed of the initial weights */
  seed: string | number;
}

/** The loss averaged over the last 100 samples, during the variant's run or the correct reference run. */
export interface BugsMessage {
  run: "variant" | "correct";
  samples: number;
  meanLoss: number;
}

export interface TrainedRun {
  /** mean loss of every 100 consecutive samples */
  curve: Float64Array;
  testLoss: number;
  testAccuracy: number;
}

export interface BugsResult {
  /** when (a) is on: the error the backward pass stops with on the first sample (nothing else is run) */
  crash: string | null;
  /** the variant's gradient check on the first training sequence: max relative error per array (eps 1e-6) */
  check: Record<string, number> | null;
  variant: TrainedRun | null;
  /** the correct gradient trained the same way (null when every switch is off: the variant is the correct one) */
  correct: TrainedRun | null;
}

const FN = "06-debugging-bptt";
const WINDOW = 100;

/** The lesson's four decisions with the chosen mistakes switched on (each changes one decision, as in 06-buggy-bptt.ts). */
export function choicesFor(bugs: Record<Bug, boolean>): BpttChoices {
  return {
    outputGrad: bugs.b ? logitTimesSigmoidDeriv : correctChoices.outputGrad,
    outputReaches: bugs.c ? () => true : correctChoices.outputReaches,
    tanhDerivState: bugs.d ? (_t, T) => T : correctChoices.tanhDerivState,
    dWhhState: bugs.e ? (t) => t : correctChoices.dWhhState,
  };
}

/** Lesson 06's trainWith: per-sample SGD in data order, the mean loss of every `WINDOW` samples. */
function trainWith(gradFn: GradFn, data: Dataset, test: Dataset, seed: string | number, epochs: number, lr: number, onWindow: (samples: number, meanLoss: number) => void): TrainedRun {
  const q = initRnnParams({ I: 1, H: 32, seed });
  const curve: number[] = [];
  let windowSum = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    for (let k = 0; k < data.n; k++) {
      const { loss, grads } = gradFn(q, sequence(data, k), data.T, data.ys[k]);
      windowSum += loss;
      if ((k + 1) % WINDOW === 0) {
        curve.push(windowSum / WINDOW);
        onWindow((epoch - 1) * data.n + k + 1, windowSum / WINDOW);
        windowSum = 0;
      }
      sgdStep(q, grads, lr);
    }
  }
  const t = evaluate(q, test);
  return { curve: Float64Array.from(curve), testLoss: t.meanLoss, testAccuracy: t.accuracy };
}

/** The course's data: exactly the contents of data/sign-of-sum/train.json and test.json. */
export function courseData(): { train: Dataset; test: Dataset } {
  return {
    train: makeSignOfSumData({ n: 1000, T: 10, I: 1, seed: "sign-of-sum/train" }),
    test: makeSignOfSumData({ n: 1000, T: 10, I: 1, seed: "sign-of-sum/test" }),
  };
}

function compute(params: BugsParams, emit: (m: BugsMessage) => void): BugsResult {
  const o = paramsObject(FN, params);
  if (typeof o.bugs !== "object" || o.bugs === null || Array.isArray(o.bugs)) {
    throw new Error(`${FN}: params.bugs is ${describe(o.bugs)}, expected an object of switches { a, b, c, d, e }`);
  }
  const b = o.bugs as Record<string, unknown>;
  const bugs = {} as Record<Bug, boolean>;
  for (const k of BUGS) bugs[k] = boolOf(FN, `bugs.${k}`, b[k]);
  const epochs = intIn(FN, "epochs", o.epochs, 1, 10);
  const lr = numberIn(FN, "lr", o.lr, 1e-6, 10);
  const seed = seedOf(FN, "seed", o.seed);
  const { train, test } = courseData();
  const p = initRnnParams({ I: 1, H: 32, seed });
  const x = sequence(train, 0), y = train.ys[0], T = train.T;
  if (bugs.a) {
    try {
      shapeErrorDWhy(p, x, T, y);
      throw new Error(`${FN}: shapeErrorDWhy did not throw`); // it always throws: that is mistake (a)
    } catch (e) {
      return { crash: (e as Error).message, check: null, variant: null, correct: null };
    }
  }
  const gradFn = bpttWith(choicesFor(bugs));
  const lossOf = (q: RnnParams) => bceWithLogits(rnnForward(q, x, T).logits[0], y);
  const check = gradCheck(p, lossOf, gradFn(p, x, T, y).grads, { eps: 1e-6 });
  const variant = trainWith(gradFn, train, test, seed, epochs, lr, (samples, meanLoss) => emit({ run: "variant", samples, meanLoss }));
  const anyBug = BUGS.some((k) => bugs[k]);
  const correct = anyBug
    ? trainWith(bpttWith(correctChoices), train, test, seed, epochs, lr, (samples, meanLoss) => emit({ run: "correct", samples, meanLoss }))
    : null;
  return { crash: null, check, variant, correct };
}

function mount(root: HTMLElement, host: LiveHost<BugsParams, BugsMessage, BugsResult>): void {
  const d = experiment.defaults;
  note(root, "Switch the note's mistakes on or off, then press <b>Check and train</b>. The backward pass is the lesson's " +
    "<code>bpttWith(choices)</code>: each switch changes one decision. First the gradient check on the first training " +
    "sequence, then per-sample SGD (learning rate 0.01, weights from seed <code>\"lesson-06\"</code>) — and, when a switch is on, " +
    "the correct gradient from the same start for comparison.");
  const switches = row(root, "live-switches");
  const boxes = {} as Record<Bug, { value(): boolean }>;
  for (const k of BUGS) boxes[k] = checkbox(switches, { label: BUG_LABELS[k], checked: d.bugs[k] });
  const controls = row(root);
  const eField = numberField(controls, { label: "epochs", min: 1, max: 10, step: 1, value: d.epochs });
  const st = status(root);
  const checkTable = table(root, "Gradient check on the first training sequence: max relative error per array (below 1e-6 passes)", ["array", "max relative error", "verdict"]);
  const plot = livePlot(root, {
    title: "Training loss per 100 samples", xTitle: "samples seen (1000 per epoch)", yTitle: "mean training loss",
    traces: [{ name: "as switched" }, { name: "correct" }],
  });
  const testTable = table(root, "On the 1000 test sequences", ["gradient", "test loss", "test accuracy"]);
  const buttons = runButtons(controls, { runLabel: "Check and train", onRun: () => go(), onStop: () => r.stop() });
  const r = runner(host, st, buttons, { running: "Checking the gradient…" });
  const go = () => {
    let params: BugsParams;
    try {
      const bugs = {} as Record<Bug, boolean>;
      for (const k of BUGS) bugs[k] = boxes[k].value();
      params = { bugs, epochs: eField.value(), lr: d.lr, seed: d.seed };
    } catch (e) {
      st.set((e as Error).message);
      return;
    }
    plot.clear();
    checkTable.set([]);
    testTable.set([]);
    r.start(params, (m) => {
      plot.push(m.run === "variant" ? 0 : 1, m.samples, m.meanLoss);
      st.set(`Training (${m.run === "variant" ? "switches as set" : "correct gradient"}): ${m.samples} samples, mean loss of the last 100 ${m.meanLoss.toFixed(4)}.`);
    }, (res) => {
      plot.flush();
      if (res.crash !== null) {
        st.set(`The backward pass stops on the first sample, as the note's did: ${res.crash}`);
        return;
      }
      const check = res.check as Record<string, number>;
      checkTable.set(Object.keys(check).map((name) => [name, check[name].toExponential(1), check[name] < 1e-6 ? "passes" : "FAILS"]));
      const rows: string[][] = [];
      const line = (label: string, run: TrainedRun) => rows.push([label, run.testLoss.toFixed(4), run.testAccuracy.toFixed(3)]);
      if (res.variant) line(res.correct ? "with the switches as set" : "correct (no switch on)", res.variant);
      if (res.correct) line("correct gradient", res.correct);
      testTable.set(rows);
      const failing = Object.keys(check).filter((name) => !(check[name] < 1e-6));
      const verdict = failing.length === 0 ? "The gradient check passes on every array." : `The gradient check flags ${failing.join(", ")}.`;
      const accuracy = res.variant ? ` Test accuracy ${res.variant.testAccuracy.toFixed(3)}` + (res.correct ? ` (correct gradient: ${res.correct.testAccuracy.toFixed(3)}).` : ".") : "";
      st.set(verdict + accuracy);
    });
  };
  st.set("Press Check and train to start: the defaults take a few seconds, and Stop ends a run at once.");
}

const experiment: Experiment<BugsParams, BugsMessage, BugsResult> = {
  lesson: "06-debugging-bptt",
  title: "switch the note's mistakes on and off",
  defaults: { bugs: { a: false, b: false, c: false, d: true, e: false }, epochs: 3, lr: 0.01, seed: "lesson-06" },
  compute,
  mount,
};
export default experiment;
