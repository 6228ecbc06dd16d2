// Lesson 08's live experiment: the plain RNN, the LSTM and the GRU trained on "remember the first
// sign" at a length T the reader chooses, exactly as the lesson's comparison does: H = 16, Adam with
// learning rate 0.01, batches of 16 in a shuffled order, 8 epochs, 300 training and 500 held-out
// sequences (LONG_TASK's data seeds), the LSTM with forget bias 3 and the GRU with update bias 3.
// Weights from seed "<seed>-<kind>-T<T>", the order from "<seed>-order-T<T>"; with the default seed
// "lesson-08" and T = 5, 10, 20 or 40 the numbers are the lesson's.
import type { Experiment, LiveHost } from "../experiment";
import { initRnnParams, countParams } from "../../../../lib/params";
import type { BaseParams } from "../../../../lib/params";
import { initLstmParams } from "../../../../lib/lstm";
import { initGruParams } from "../../../../lib/gru";
import { train } from "../../../../lib/train";
import type { TrainOptions } from "../../../../lib/train";
import { evaluate } from "../../../../lib/evaluate";
import { makeFirstSignData, LONG_TASK } from "../../../../lib/long-data";
import { paramsObject, intIn, seedOf, table } from "./_helpers";
import { numberField, textField, status, livePlot, row, note, runButtons, runner, readParams } from "../ui";

export const KINDS = ["rnn", "lstm", "gru"] as const;
export type Kind = (typeof KINDS)[number];

export interface CellsParams {
  /** sequence length */
  T: number;
  /** hidden size of every cell */
  H: number;
  epochs: number;
  /** prefix of the weight and order seeds */
  seed: string;
}

/** One finished epoch of one cell. */
export interface CellsMessage {
  kind: Kind;
  epoch: number;
  meanLoss: number;
  accuracy: number;
}

export interface CellsResult {
  T: number;
  cells: Array<{ kind: Kind; parameters: number; meanLosses: Float64Array; testLoss: number; testAccuracy: number }>;
}

const FN = "08-lstm-gru";

/** The lesson's cell for a kind: H units, the LSTM's forget bias and the GRU's update bias at 3. */
export function makeCell(kind: Kind, H: number, T: number, seed: string): BaseParams {
  const s = `${seed}-${kind}-T${T}`;
  return kind === "rnn" ? initRnnParams({ I: 2, H, seed: s })
    : kind === "lstm" ? initLstmParams({ I: 2, H, seed: s, forgetBias: 3 })
    : initGruParams({ I: 2, H, seed: s, updateBias: 3 });
}

/** The lesson's training options (adamOptions), for a number of epochs. */
export function trainOptions(T: number, epochs: number, seed: string): TrainOptions {
  return { lr: 0.01, epochs, batchSize: 16, shuffle: true, seed: `${seed}-order-T${T}`, update: { rule: "adam" } };
}

function compute(params: CellsParams, emit: (m: CellsMessage) => void): CellsResult {
  const o = paramsObject(FN, params);
  const T = intIn(FN, "T", o.T, 2, 200);
  const H = intIn(FN, "H", o.H, 1, 64);
  const epochs = intIn(FN, "epochs", o.epochs, 1, 100);
  const seed = String(seedOf(FN, "seed", o.seed));
  const trainSet = makeFirstSignData({ n: LONG_TASK.nTrain, T, seed: LONG_TASK.trainSeed(T), noise: LONG_TASK.noise });
  const testSet = makeFirstSignData({ n: LONG_TASK.nTest, T, seed: LONG_TASK.testSeed(T), noise: LONG_TASK.noise });
  const cells: CellsResult["cells"] = [];
  for (const kind of KINDS) {
    const p = makeCell(kind, H, T, seed);
    const parameters = countParams(p);
    const history = train(p, trainSet, {
      ...trainOptions(T, epochs, seed),
      onEpoch: (s) => emit({ kind, epoch: s.epoch, meanLoss: s.meanLoss, accuracy: s.accuracy }),
    });
    const test = evaluate(p, testSet);
    cells.push({ kind, parameters, meanLosses: Float64Array.from(history, (s) => s.meanLoss), testLoss: test.meanLoss, testAccuracy: test.accuracy });
  }
  return { T, cells };
}

function mount(root: HTMLElement, host: LiveHost<CellsParams, CellsMessage, CellsResult>): void {
  const d = experiment.defaults;
  note(root, "Train the three cells on the first-sign task at a length of your choice, as in section 4 of the lesson " +
    "(<i>H</i> = 16, Adam, learning rate 0.01, batches of 16, 300 training and 500 held-out sequences, noise of standard deviation 2). " +
    "With the seed <code>\"lesson-08\"</code> and <i>T</i> = 5, 10, 20 or 40 you get the lesson's numbers. The three run one after another in your browser.");
  const controls = row(root);
  const tField = numberField(controls, { label: "length T", min: 2, max: 200, step: 1, value: d.T });
  const hField = numberField(controls, { label: "hidden size H", min: 1, max: 64, step: 1, value: d.H });
  const eField = numberField(controls, { label: "epochs", min: 1, max: 100, step: 1, value: d.epochs });
  const seedField = textField(controls, { label: "seed", value: d.seed });
  const st = status(root);
  const plot = livePlot(root, {
    title: "Training loss per epoch", xTitle: "epoch", yTitle: "mean training loss",
    traces: [{ name: "RNN", mode: "lines+markers" }, { name: "LSTM", mode: "lines+markers" }, { name: "GRU", mode: "lines+markers" }],
  });
  const results = table(root, "Held-out accuracy (500 sequences)", ["cell", "parameters", "held-out loss", "held-out accuracy"]);
  const buttons = runButtons(controls, { runLabel: "Train", onRun: () => go(), onStop: () => r.stop() });
  const r = runner(host, st, buttons, { running: "Training…" });
  const go = () => {
    const params = readParams<CellsParams>(st, () => ({ T: tField.value(), H: hField.value(), epochs: eField.value(), seed: seedField.value() }));
    if (!params) return;
    plot.clear();
    results.set([]);
    r.start(params, (m) => {
      plot.push(KINDS.indexOf(m.kind), m.epoch, m.meanLoss);
      st.set(`Training the ${m.kind.toUpperCase()}: epoch ${m.epoch} of ${params.epochs}, mean loss ${m.meanLoss.toFixed(4)}.`);
    }, (res) => {
      plot.flush();
      results.set(res.cells.map((c) => [c.kind.toUpperCase(), String(c.parameters), c.testLoss.toFixed(4), `${(100 * c.testAccuracy).toFixed(1)} %`]));
      st.set(`Done, T = ${res.T}: held-out accuracy ` + res.cells.map((c) => `${c.kind.toUpperCase()} ${(100 * c.testAccuracy).toFixed(1)} %`).join(", ") + ".");
    });
  };
  st.set("Press Train to start: the defaults take a few seconds, and Stop ends a run at once.");
}

const experiment: Experiment<CellsParams, CellsMessage, CellsResult> = {
  lesson: "08-lstm-gru",
  title: "RNN, LSTM and GRU at the length you choose",
  defaults: { T: 20, H: 16, epochs: 8, seed: "lesson-08" },
  compute,
  mount,
};
export default experiment;
