// Built in lesson 05 (05-training): the training loop for any registered cell kind, one label per
// sequence. (Lessons 08 and 09 train LSTMs and GRUs with it and choose the update rule.)
//
// batchSize 1 is the original note's per-sample SGD: forward, loss, backward, update, one sequence
// at a time. batchSize B > 1 averages the per-sample gradients of B sequences and takes one step
// with that mean. The last batch of an epoch may be smaller; its gradient is the mean over its own
// size. The loop itself is lib/loop.ts; this file turns a data set and a cell into its task. A cell
// with a batch capability (the plain RNN, through fast.ts) runs each mini-batch at once, with the
// same numbers, bit for bit, as the sample-by-sample path.
import type { BaseParams } from "./params";
import { zerosLike } from "./params";
import type { Dataset } from "./data";
import { validateDataset } from "./data";
import { cellOps, validateParams } from "./cells";
import type { CellOps, CellWorkspace, BatchWorkspace } from "./cell-types";
import { scaleGradsDown } from "./optim";
import { trainLoop, trainLoopAsync } from "./loop";
import type { LoopOptions, LoopStats, LoopTask } from "./loop";

/** Figures for one finished epoch, passed to onEpoch and returned by train(). */
export interface EpochStats extends LoopStats {
  /**
   * Fraction of the epoch's samples whose logit had the label's sign (logit > 0 predicts 1), from
   * the same forward pass as the loss.
   */
  accuracy: number;
}

/**
 * How to train: lr, epochs, batchSize, shuffle, seed, clipNorm, maxLoss, update (the rule, default
 * { rule: "sgd" }) and onEpoch; see LoopOptions in lib/loop.ts. Unknown keys are refused.
 */
export type TrainOptions = LoopOptions<EpochStats>;

/** The data set as the loop's task: sample k is sequence k, its loss the cell's BCE against ys[k]. */
function sequenceTask(p: BaseParams, ops: CellOps, data: Dataset): LoopTask<BaseParams> {
  const { n, T, I, xs, ys } = data;
  const L = T * I;
  let ws: CellWorkspace | undefined;
  const task: LoopTask<BaseParams> = {
    n,
    lossAndGrads: (k, grads) => {
      if (!ws) ws = ops.makeWorkspace(p, T);
      return ops.lossAndGrads(p, xs.subarray(k * L, k * L + L), T, ys[k], grads, ws);
    },
    correct: (k) => ((ws as CellWorkspace).logits[0] > 0 ? 1 : 0) === ys[k] ? 1 : 0,
  };
  const batchOps = ops.batch;
  if (batchOps) {
    let bws: BatchWorkspace | undefined;
    let first = 0;
    let orderNow: Uint32Array = new Uint32Array(0);
    task.batch = {
      run: (order, start, end) => {
        // the first batch of an epoch is the largest, so the workspace made for it fits them all
        if (!bws) bws = batchOps.makeWorkspace(p, T, end - start);
        batchOps.forwardBackward(p, xs, ys, order, start, end, T, bws);
        first = start;
        orderNow = order;
      },
      loss: (j) => (bws as BatchWorkspace).losses[j],
      correct: (j) => (((bws as BatchWorkspace).zs[j] > 0 ? 1 : 0) === ys[orderNow[first + j]] ? 1 : 0),
      addGrads: (grads) => batchOps.addGrads(p, grads, bws as BatchWorkspace),
      sgdStep: (zeroGrads, lr) => batchOps.sgdStep(p, zeroGrads, lr, bws as BatchWorkspace),
    };
  }
  return task;
}

/** Check train's arguments (errors name fn) and make the task. */
function setUp(fn: string, p: BaseParams, data: Dataset): LoopTask<BaseParams> {
  validateParams(p, fn);
  validateDataset(data, `${fn}: data`);
  if (data.I !== p.I) throw new Error(`${fn}: data.I is ${data.I}, expected p.I = ${p.I} (input size of the model)`);
  if (p.O !== 1) throw new Error(`${fn}: p.O is ${p.O}, expected 1 (one logit for binary cross-entropy)`);
  return sequenceTask(p, cellOps(p, fn), data);
}

/** opts for the loop: the same, with onEpoch seeing EpochStats (a sequence task always reports accuracy). */
function loopOptions(opts: TrainOptions): LoopOptions {
  if (typeof opts !== "object" || opts === null || typeof opts.onEpoch !== "function") return opts as LoopOptions;
  const onEpoch = opts.onEpoch;
  return { ...opts, onEpoch: (s) => onEpoch(s as EpochStats) };
}

/**
 * Train p on data in place and return one EpochStats per epoch. The update rule is opts.update
 * (default SGD; momentum and Adam as in lesson 09). Throws, naming the epoch and sample, as soon as
 * training diverges: a loss or a parameter becomes NaN or ±Infinity, or a loss exceeds opts.maxLoss.
 * Unknown option keys are refused with a "did you mean".
 */
export function train(p: BaseParams, data: Dataset, opts: TrainOptions): EpochStats[] {
  return trainLoop("train", p, setUp("train", p, data), loopOptions(opts)) as EpochStats[];
}

/**
 * train(), but after each epoch's onEpoch it lets the event loop run (one macrotask). In a browser
 * page a synchronous loop blocks drawing until it ends; this lets a chart redraw between epochs.
 * (A tslab kernel does not need it: ZeroMQ sends display updates from its own thread even while
 * train() runs.) Same numbers as train(), bit for bit. Use it as `await trainAsync(p, data, opts)`;
 * errors reject the promise.
 */
export async function trainAsync(p: BaseParams, data: Dataset, opts: TrainOptions): Promise<EpochStats[]> {
  return (await trainLoopAsync("trainAsync", p, setUp("trainAsync", p, data), loopOptions(opts))) as EpochStats[];
}

/**
 * Mean loss and mean gradient over all samples of data, through the same code as one mini-batch of
 * train() (used to check mini-batch gradients).
 */
export function meanLossAndGrads<P extends BaseParams>(p: P, data: Dataset): { loss: number; grads: P } {
  const fn = "meanLossAndGrads";
  validateParams(p, fn);
  validateDataset(data, `${fn}: data`);
  if (data.I !== p.I) throw new Error(`${fn}: data.I is ${data.I}, expected p.I = ${p.I}`);
  const task = sequenceTask(p, cellOps(p, fn), data);
  const grads = zerosLike(p);
  let lossSum = 0;
  for (let k = 0; k < data.n; k++) lossSum += task.lossAndGrads(k, grads);
  if (data.n > 1) scaleGradsDown(grads, data.n);
  return { loss: lossSum / data.n, grads };
}
