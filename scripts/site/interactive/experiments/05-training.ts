// Lesson 05's live experiment: train the note's RNN in the page with lib's train(), choosing the hidden
// size, learning rate, epochs, batch size and the seed of the initial weights; loss and accuracy
// curves grow epoch by epoch (train()'s onEpoch); then the reader types a sequence and the trained
// weights classify it. The defaults are the lesson's seed configuration (I = 1, H = 32, T = 10, the
// 1000 training sequences of data/sign-of-sum/train.json, 10 epochs, lr 0.01, per-sample SGD,
// weights from seed "lesson-05"), so a run with them reproduces the lesson's numbers bit for bit.
import type { Experiment } from "../experiment";
import { makeSignOfSumData, type Dataset } from "../../../../lib/data";
import { initRnnParams, cloneParams, type RnnParams } from "../../../../lib/params";
import { train } from "../../../../lib/train";
import { evaluate, predictProba } from "../../../../lib/evaluate";
import * as ui from "../ui";

export interface TrainParams {
  /** hidden size H */
  H: number;
  lr: number;
  epochs: number;
  /** 1 = per-sample SGD (the note's); B > 1 = mini-batches of B */
  batchSize: number;
  /** seed of the initial weights */
  seed: string;
}

/** One finished epoch, as the page receives it. */
export interface EpochMessage {
  epoch: number;
  epochs: number;
  meanLoss: number;
  accuracy: number;
  /** the weights at the end of this epoch (a copy): what "Classify" uses if the run is stopped later */
  params: RnnParams;
  /** samples trained so far and the wall-clock seconds train() spent on them (for the speed figure) */
  samples: number;
  trainSeconds: number;
}

export interface TrainResult {
  history: { epoch: number; meanLoss: number; accuracy: number }[];
  params: RnnParams;
  test: { meanLoss: number; accuracy: number };
}

/** The lesson's data sets: data/make.ts draws data/sign-of-sum/{train,test}.json with these seeds. */
export const TRAIN_DATA = { n: 1000, T: 10, I: 1, seed: "sign-of-sum/train" };
export const TEST_DATA = { n: 1000, T: 10, I: 1, seed: "sign-of-sum/test" };

let dataCache: { train: Dataset; test: Dataset } | undefined;
function lessonData(): { train: Dataset; test: Dataset } {
  return (dataCache = dataCache || { train: makeSignOfSumData(TRAIN_DATA), test: makeSignOfSumData(TEST_DATA) });
}

/** "0.5, -1.2, 3" -> [0.5, -1.2, 3]; commas and/or spaces separate; throws naming a bad item. */
export function parseSequence(text: string): Float64Array {
  const items = text.split(/[\s,]+/).filter((s) => s !== "");
  if (!items.length) throw new Error("type at least one number (e.g. 0.5, -1.2, 0.3)");
  return Float64Array.from(items, (s, k) => {
    const v = Number(s);
    if (!Number.isFinite(v)) throw new Error(`item ${k + 1}, "${s}", is not a number`);
    return v;
  });
}

const experiment: Experiment<TrainParams, EpochMessage, TrainResult> = {
  lesson: "05-training",
  title: "train the RNN in your browser",
  defaults: { H: 32, lr: 0.01, epochs: 10, batchSize: 1, seed: "lesson-05" },

  compute(params, emit) {
    const { train: trainSet, test } = lessonData();
    const p = initRnnParams({ I: 1, H: params.H, seed: params.seed });
    let samples = 0;
    let trainSeconds = 0;
    const stats = train(p, trainSet, {
      lr: params.lr,
      epochs: params.epochs,
      batchSize: params.batchSize,
      onEpoch: (s) => {
        samples += trainSet.n;
        trainSeconds += s.seconds;
        emit({ epoch: s.epoch, epochs: s.epochs, meanLoss: s.meanLoss, accuracy: s.accuracy, params: cloneParams(p), samples, trainSeconds });
      },
    });
    return {
      history: stats.map((s) => ({ epoch: s.epoch, meanLoss: s.meanLoss, accuracy: s.accuracy })),
      params: p,
      test: evaluate(p, test),
    };
  },

  mount(root, host) {
    const d = experiment.defaults;
    ui.note(root,
      "Train the lesson's RNN here, in a Web Worker of this page, with the library's own <code>train()</code>: " +
      "the same 1000 training sequences (T = 10, seed <code>sign-of-sum/train</code>) and, by default, the lesson's settings " +
      "(H = 32, lr 0.01, 10 epochs, per-sample SGD, initial weights from seed <code>lesson-05</code>), so the curves are the lesson's numbers, bit for bit. " +
      "Change a setting and run again; Stop ends a run at once.");
    const controls = ui.row(root);
    const H = ui.numberField(controls, { label: "Hidden size H", min: 1, max: 256, step: 1, value: d.H });
    const lr = ui.numberField(controls, { label: "Learning rate", min: 1e-6, max: 10, value: d.lr });
    const epochs = ui.numberField(controls, { label: "Epochs", min: 1, max: 100, step: 1, value: d.epochs });
    const batch = ui.numberField(controls, { label: "Batch size", min: 1, max: 1000, step: 1, value: d.batchSize });
    const seed = ui.textField(controls, { label: "Seed of the initial weights", value: d.seed });
    const buttons = ui.runButtons(root, { runLabel: "Train", onRun: () => start(), onStop: () => r.stop() });
    const state = ui.status(root);
    const plots = ui.row(root, "live-plots");
    const lossPlot = ui.livePlot(plots, { title: "Mean training loss per epoch", xTitle: "epoch", yTitle: "loss", traces: [{ name: "loss", mode: "lines+markers" }] });
    const accPlot = ui.livePlot(plots, { title: "Training accuracy per epoch", xTitle: "epoch", yTitle: "accuracy", traces: [{ name: "accuracy", mode: "lines+markers" }] });

    ui.note(root, "Then type a sequence (any length; training used 10 numbers) and let the trained weights classify it: label 1 means its sum is positive.");
    const classifyRow = ui.row(root);
    const seqField = ui.textField(classifyRow, { label: "Sequence (numbers separated by commas)", value: "0.5, -1.2, 0.3, 0.8, -0.1, 0.4, -0.6, 1.1, -0.2, 0.1" });
    const classifyButton = ui.button(classifyRow, { label: "Classify", disabled: true, onClick: () => classify() });
    const verdict = ui.status(root);
    verdict.set("Train first: the classifier uses the weights of the last finished epoch.");

    let weights: { p: RnnParams; epoch: number } | undefined;
    const r = ui.runner(host, state, buttons, {
      running: (params) => `Training: H = ${params.H}, lr ${params.lr}, ${params.epochs} epochs, batch size ${params.batchSize}, seed "${params.seed}"…`,
      onEnd: () => {
        lossPlot.flush();
        accPlot.flush();
      },
      stopped: () => `Stopped${weights ? ` (the classifier keeps the weights after epoch ${weights.epoch})` : ""}.`,
      errorPrefix: "Training failed: ",
    });

    const classify = () => {
      if (!weights) return;
      let x: Float64Array;
      try {
        x = parseSequence(seqField.value());
      } catch (e) {
        verdict.set(`Cannot classify: ${(e as Error).message}.`);
        return;
      }
      const sum = x.reduce((a, b) => a + b, 0);
      const prob = predictProba(weights.p, x, x.length);
      verdict.set(`${x.length} numbers, sum ${sum.toFixed(3)} (true label ${sum > 0 ? 1 : 0}); the weights after epoch ${weights.epoch} say ` +
        `P(label = 1) = ${prob.toFixed(4)}, so label ${prob > 0.5 ? 1 : 0}${(prob > 0.5) === (sum > 0) ? "" : " (wrong)"}.`);
    };
    seqField.input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") classify();
    });

    const start = () => {
      let params: TrainParams;
      try {
        params = { H: H.value(), lr: lr.value(), epochs: epochs.value(), batchSize: batch.value(), seed: seed.value() };
      } catch (e) {
        state.set(`Cannot train: ${(e as Error).message}.`);
        return;
      }
      lossPlot.clear();
      accPlot.clear();
      r.start(params, (m) => {
        lossPlot.push(0, m.epoch, m.meanLoss);
        accPlot.push(0, m.epoch, m.accuracy);
        weights = { p: m.params, epoch: m.epoch };
        classifyButton.disabled = false;
        state.set(`Epoch ${m.epoch} of ${m.epochs}: mean loss ${m.meanLoss.toFixed(4)}, accuracy ${m.accuracy.toFixed(3)} ` +
          `(${Math.round(m.samples / m.trainSeconds).toLocaleString("en-US")} samples/s).`);
      }, (result) => {
        const last = result.history[result.history.length - 1];
        weights = { p: result.params, epoch: last.epoch };
        state.set(`Done: epoch ${last.epoch} mean loss ${last.meanLoss.toFixed(4)}, training accuracy ${last.accuracy.toFixed(3)}; ` +
          `on the 1000 test sequences: loss ${result.test.meanLoss.toFixed(4)}, accuracy ${result.test.accuracy.toFixed(3)}.`);
        classify();
      });
    };
  },
};

export default experiment;
