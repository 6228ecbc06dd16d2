// Lesson 09's live experiment: an optimiser race. The same LSTM start, the same data and the same
// shuffled batches, trained with SGD, momentum and Adam (train()'s `update` option, lib/update.ts),
// each at a learning rate the reader picks. The lesson's setup: remember the first sign over T = 20
// steps, LSTM with H = 8 and forget bias 3 (seed "lesson-09"), batches of 16 in the order of seed
// "lesson-09-order", 10 epochs; the default rates are the middle ones of the lesson's three per rule.
import type { Experiment, LiveHost } from "../experiment";
import { cloneParams } from "../../../../lib/params";
import { initLstmParams } from "../../../../lib/lstm";
import { train } from "../../../../lib/train";
import type { UpdateSpec } from "../../../../lib/update";
import { evaluate } from "../../../../lib/evaluate";
import { makeFirstSignData, LONG_TASK } from "../../../../lib/long-data";
import { describe } from "../../../../lib/checks";
import { paramsObject, intIn, numberIn, seedOf, table } from "./_helpers";
import { numberField, textField, status, livePlot, row, note, runButtons, runner, readParams } from "../ui";

export const RULES = ["sgd", "momentum", "adam"] as const;
export type Rule = (typeof RULES)[number];
export const RULE_NAMES: Record<Rule, string> = { sgd: "SGD", momentum: "momentum (β = 0.9)", adam: "Adam" };

export interface RaceParams {
  T: number;
  H: number;
  epochs: number;
  /** learning rate of each rule */
  lr: Record<Rule, number>;
  /** seed of the LSTM's start; the batch order uses "<seed>-order" */
  seed: string;
}

export interface RaceMessage {
  rule: Rule;
  epoch: number;
  meanLoss: number;
}

export interface RaceResult {
  runs: Array<{ rule: Rule; lr: number; meanLosses: Float64Array; testAccuracy: number; testLoss: number }>;
}

const FN = "09-optimizers";

/** Each rule as train() takes it (momentum with β = 0.9, Adam with its defaults). */
export const UPDATES: Record<Rule, UpdateSpec> = { sgd: { rule: "sgd" }, momentum: { rule: "momentum", beta: 0.9 }, adam: { rule: "adam" } };

function compute(params: RaceParams, emit: (m: RaceMessage) => void): RaceResult {
  const o = paramsObject(FN, params);
  const T = intIn(FN, "T", o.T, 2, 200);
  const H = intIn(FN, "H", o.H, 1, 64);
  const epochs = intIn(FN, "epochs", o.epochs, 1, 100);
  const seed = String(seedOf(FN, "seed", o.seed));
  if (typeof o.lr !== "object" || o.lr === null || Array.isArray(o.lr)) {
    throw new Error(`${FN}: params.lr is ${describe(o.lr)}, expected an object of learning rates { sgd, momentum, adam }`);
  }
  const lrs = o.lr as Record<string, unknown>;
  const lr = {} as Record<Rule, number>;
  for (const rule of RULES) lr[rule] = numberIn(FN, `lr.${rule}`, lrs[rule], 1e-6, 100);
  const trainSet = makeFirstSignData({ n: LONG_TASK.nTrain, T, seed: LONG_TASK.trainSeed(T), noise: LONG_TASK.noise });
  const testSet = makeFirstSignData({ n: LONG_TASK.nTest, T, seed: LONG_TASK.testSeed(T), noise: LONG_TASK.noise });
  const p0 = initLstmParams({ I: 2, H, seed, forgetBias: 3 });
  const runs: RaceResult["runs"] = [];
  for (const rule of RULES) {
    const p = cloneParams(p0);
    const history = train(p, trainSet, {
      lr: lr[rule], epochs, batchSize: 16, shuffle: true, seed: `${seed}-order`, update: UPDATES[rule],
      onEpoch: (s) => emit({ rule, epoch: s.epoch, meanLoss: s.meanLoss }),
    });
    const test = evaluate(p, testSet);
    runs.push({ rule, lr: lr[rule], meanLosses: Float64Array.from(history, (s) => s.meanLoss), testAccuracy: test.accuracy, testLoss: test.meanLoss });
  }
  return { runs };
}

function mount(root: HTMLElement, host: LiveHost<RaceParams, RaceMessage, RaceResult>): void {
  const d = experiment.defaults;
  note(root, "Three update rules from the same LSTM start, on the same data in the same batches (the lesson's race: " +
    "first sign over <i>T</i> = 20 steps, <i>H</i> = 8, forget bias 3, seed <code>\"lesson-09\"</code>, batches of 16). " +
    "Pick a learning rate for each; the lesson tried SGD at 0.1, 0.5 and 2, momentum at 0.01, 0.05 and 0.2, Adam at 0.003, 0.01 and 0.03. " +
    "The runs go one after another in your browser.");
  const controls = row(root);
  const fields = {
    sgd: numberField(controls, { label: "SGD learning rate", min: 0.000001, max: 100, value: d.lr.sgd }),
    momentum: numberField(controls, { label: "momentum learning rate", min: 0.000001, max: 100, value: d.lr.momentum }),
    adam: numberField(controls, { label: "Adam learning rate", min: 0.000001, max: 100, value: d.lr.adam }),
  };
  const more = row(root);
  const tField = numberField(more, { label: "length T", min: 2, max: 200, step: 1, value: d.T });
  const eField = numberField(more, { label: "epochs", min: 1, max: 100, step: 1, value: d.epochs });
  const seedField = textField(more, { label: "seed", value: d.seed });
  const st = status(root);
  const plot = livePlot(root, {
    title: "Training loss per epoch", xTitle: "epoch", yTitle: "mean training loss",
    traces: [{ name: "SGD", mode: "lines+markers" }, { name: "momentum", mode: "lines+markers" }, { name: "Adam", mode: "lines+markers" }],
  });
  const results = table(root, "After training (500 held-out sequences)", ["rule", "learning rate", "final training loss", "held-out accuracy"]);
  const buttons = runButtons(more, { runLabel: "Race", onRun: () => go(), onStop: () => r.stop() });
  const r = runner(host, st, buttons, { running: "Training…" });
  const go = () => {
    const params = readParams<RaceParams>(st, () => ({
      T: tField.value(), H: d.H, epochs: eField.value(), seed: seedField.value(),
      lr: { sgd: fields.sgd.value(), momentum: fields.momentum.value(), adam: fields.adam.value() },
    }));
    if (!params) return;
    plot.clear();
    results.set([]);
    r.start(params, (m) => {
      plot.push(RULES.indexOf(m.rule), m.epoch, m.meanLoss);
      st.set(`${RULE_NAMES[m.rule]}: epoch ${m.epoch} of ${params.epochs}, mean loss ${m.meanLoss.toFixed(4)}.`);
    }, (res) => {
      plot.flush();
      results.set(res.runs.map((run) => [RULE_NAMES[run.rule], String(run.lr), run.meanLosses[run.meanLosses.length - 1].toFixed(4), `${(100 * run.testAccuracy).toFixed(1)} %`]));
      st.set("Done: held-out accuracy " + res.runs.map((run) => `${RULE_NAMES[run.rule]} ${(100 * run.testAccuracy).toFixed(1)} %`).join(", ") + ".");
    });
  };
  st.set("Press Race to start: the defaults take a few seconds, and Stop ends a run at once.");
}

const experiment: Experiment<RaceParams, RaceMessage, RaceResult> = {
  lesson: "09-optimizers",
  title: "an optimiser race",
  defaults: { T: 20, H: 8, epochs: 10, lr: { sgd: 0.5, momentum: 0.05, adam: 0.01 }, seed: "lesson-09" },
  compute,
  mount,
};
export default experiment;
