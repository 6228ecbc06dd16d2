// The training loop, for any registered cell kind.
//
// batchSize 1 is the original note's per-sample SGD: forward, loss, backward,
// update, one sequence at a time. batchSize B > 1 averages the per-sample
// gradients of B sequences and takes one step with that mean. The last batch
// of an epoch may be smaller; its gradient is the mean over its own size.
// The plain RNN takes every batch (of 1 or of B) through fast.ts, which gives
// the same numbers, bit for bit, as the general loop that the other cells use.
// trainAsync is train() for notebooks: it lets the event loop run after each
// epoch, so a live plot updated by onEpoch is redrawn while training goes on.
import type { BaseParams } from "./params";
import { zerosLike, paramArrays } from "./params";
import type { Dataset } from "./data";
import { validateDataset } from "./data";
import type { RnnParams } from "./params";
import { checkCount, checkPositive, describe } from "./checks";
import { cellOps, validateParams } from "./cells";
import type { CellOps, CellWorkspace } from "./cells";
import { makeRng, shuffledIndices } from "./random";
import type { Rng } from "./random";
import { sgdStep, gradNorm, clipGradNorm, scaleGradsDown, zeroGrads } from "./optim";
import { makeRnnWorkspace, rnnBatchForwardBackwardFast, rnnBatchAddGradsFast, rnnBatchSgdStepFast } from "./fast";
import type { RnnWorkspace } from "./fast";

/** Figures for one finished epoch, passed to onEpoch and returned by train(). */
export interface EpochStats {
  /** 1-based epoch number */
  epoch: number;
  /** total number of epochs */
  epochs: number;
  /**
   * Mean of the per-sample losses computed during the epoch's pass, each with
   * the parameters as they were when that sample was seen (as the original note).
   */
  meanLoss: number;
  /**
   * Fraction of the same pass's samples whose logit had the label's sign
   * (logit > 0 predicts 1), from the same forward pass as the loss.
   */
  accuracy: number;
  /** wall-clock seconds the epoch took */
  seconds: number;
}

/** How to train. */
export interface TrainOptions {
  /** learning rate, > 0 */
  lr: number;
  /** number of passes over the data, >= 1 */
  epochs: number;
  /** 1 (default) = per-sample SGD; B = mean gradient of B samples per step */
  batchSize?: number;
  /** visit the samples in a new random order every epoch (default false: data order) */
  shuffle?: boolean;
  /** seed of the shuffling order; required when shuffle is true */
  seed?: string | number;
  /** clip each step's gradient to this global norm (default: no clipping) */
  clipNorm?: number;
  /**
   * Stop as diverged when one sample's loss exceeds this (default 1000). A
   * binary cross-entropy above 1000 means the model gives the true label a
   * probability below e^-1000; no healthy run gets near that, but with a huge
   * lr the stable loss and the saturating tanh can keep every number finite
   * while the weights grow without bound. Infinity: stop only on NaN/Infinity.
   */
  maxLoss?: number;
  /** called after every epoch, e.g. to print a progress line or update a plot */
  onEpoch?: (s: EpochStats) => void;
}

const clock = (globalThis as { performance?: { now(): number } }).performance;
const nowSeconds = (): number => (clock ? clock.now() : Date.now()) / 1000;

/** Everything one training run needs between epochs: checked options, workspace, gradients, shuffler. */
interface TrainRun {
  fn: string;
  p: BaseParams;
  data: Dataset;
  lr: number;
  epochs: number;
  batchSize: number;
  clipNorm: number | undefined;
  maxLoss: number;
  onEpoch: ((s: EpochStats) => void) | undefined;
  ops: CellOps<any, any>;
  ws: CellWorkspace;
  grads: BaseParams;
  rng: Rng | undefined;
  order: Uint32Array;
}

/** Check the arguments of train/trainAsync (errors name fn) and set up the run. */
function startRun(fn: string, p: BaseParams, data: Dataset, opts: TrainOptions): TrainRun {
  validateParams(p, fn);
  validateDataset(data, `${fn}: data`);
  if (typeof opts !== "object" || opts === null) throw new Error(`${fn}: opts is ${describe(opts)}, expected { lr, epochs, ... }`);
  const lr = checkPositive(fn, "opts.lr", opts.lr);
  const epochs = checkCount(fn, "opts.epochs", opts.epochs);
  const batchSize = checkCount(fn, "opts.batchSize", opts.batchSize ?? 1);
  const clipNorm = opts.clipNorm === undefined ? undefined : checkPositive(fn, "opts.clipNorm", opts.clipNorm);
  const maxLoss = opts.maxLoss ?? 1000;
  if (typeof maxLoss !== "number" || !(maxLoss > 0)) throw new Error(`${fn}: opts.maxLoss is ${describe(maxLoss)}, expected a number > 0 (Infinity allowed)`);
  const shuffle = opts.shuffle ?? false;
  if (typeof shuffle !== "boolean") throw new Error(`${fn}: opts.shuffle is ${describe(shuffle)}, expected true or false`);
  if (shuffle && opts.seed === undefined) throw new Error(`${fn}: opts.seed is undefined, expected a seed (string or number) because opts.shuffle is true`);
  if (opts.onEpoch !== undefined && typeof opts.onEpoch !== "function") {
    throw new Error(`${fn}: opts.onEpoch is ${describe(opts.onEpoch)}, expected a function`);
  }
  if (data.I !== p.I) throw new Error(`${fn}: data.I is ${data.I}, expected p.I = ${p.I} (input size of the model)`);
  if (p.O !== 1) throw new Error(`${fn}: p.O is ${p.O}, expected 1 (one logit for binary cross-entropy)`);

  const ops = cellOps(p, fn);
  const n = data.n;
  // The plain RNN runs a whole mini-batch through fast.ts at once, so its workspace holds one.
  const ws = p.kind === "rnn" ? makeRnnWorkspace(p as RnnParams, data.T, Math.min(batchSize, n)) : ops.makeWorkspace(p, data.T);
  const order = new Uint32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  return {
    fn, p, data, lr, epochs, batchSize, clipNorm, maxLoss,
    onEpoch: opts.onEpoch,
    ops, ws,
    grads: zerosLike(p),
    rng: shuffle ? makeRng(opts.seed as string | number) : undefined,
    order,
  };
}

/** One pass over the data (epoch is 1-based): updates run.p in place; throws as soon as training diverges. */
function runEpoch(run: TrainRun, epoch: number): EpochStats {
  const { fn, p, lr, batchSize, clipNorm, maxLoss, ops, ws, grads } = run;
  const { n, T, I, xs, ys } = run.data;
  const L = T * I;
  const start = nowSeconds();
  if (run.rng) run.order = shuffledIndices(n, run.rng);
  const order = run.order;

  const diverged = (s: number, what: string): Error =>
    new Error(
      `${fn}: training diverged at epoch ${epoch}, sample ${s + 1} of ${n} (data index ${order[s]}): ${what}. ` +
        `Try a smaller lr (now ${lr})${clipNorm === undefined ? " or set clipNorm" : ""}.`,
    );
  const lossProblem = (loss: number): string =>
    !Number.isFinite(loss)
      ? `the loss is ${loss}`
      : loss > maxLoss
        ? `the loss is ${loss}, above opts.maxLoss = ${maxLoss}`
        : `the loss is ${loss} and the epoch's sum of losses overflowed`;
  const firstBadParam = (): string => {
    for (const [name, v] of paramArrays(p)) {
      for (let k = 0; k < v.length; k++) if (!Number.isFinite(v[k])) return `after the update ${name}[${k}] is ${v[k]}`;
    }
    return "a parameter is not finite";
  };

  let lossSum = 0;
  let correct = 0;
  const isRnn = p.kind === "rnn";
  for (let b = 0; b < n; b += batchSize) {
    const end = Math.min(b + batchSize, n);
    if (isRnn) {
      // fast.ts: the whole batch at once, the same numbers as the general loop below
      const rws = ws as RnnWorkspace;
      rnnBatchForwardBackwardFast(p as RnnParams, xs, ys, order, b, end, T, rws);
      for (let s = b; s < end; s++) {
        const loss = rws.losses[s - b];
        lossSum += loss;
        if (!(loss <= maxLoss) || !Number.isFinite(lossSum)) throw diverged(s, lossProblem(loss));
        if ((rws.zs[s - b] > 0 ? 1 : 0) === ys[order[s]]) correct++;
      }
    } else {
      for (let s = b; s < end; s++) {
        const k = order[s];
        const y = ys[k];
        const loss = ops.lossAndGrads(p, xs.subarray(k * L, k * L + L), T, y, grads, ws);
        lossSum += loss;
        if (!(loss <= maxLoss) || !Number.isFinite(lossSum)) throw diverged(s, lossProblem(loss));
        if ((ws.logits[0] > 0 ? 1 : 0) === y) correct++;
      }
    }
    if (isRnn) {
      if (clipNorm === undefined) {
        // gradient sum, mean and step fused, without storing the gradient (same arithmetic as below)
        if (rnnBatchSgdStepFast(p as RnnParams, grads as RnnParams, lr, ws as RnnWorkspace) !== 0) throw diverged(end - 1, firstBadParam());
        continue;
      }
      rnnBatchAddGradsFast(p as RnnParams, grads as RnnParams, ws as RnnWorkspace);
    }
    if (end - b > 1) scaleGradsDown(grads, end - b); // sum → mean
    if (clipNorm !== undefined) {
      const norm = gradNorm(grads);
      if (!Number.isFinite(norm)) throw diverged(end - 1, `the gradient norm of the batch is ${norm}`);
      clipGradNorm(grads, clipNorm);
    }
    sgdStep(p, grads, lr);
    for (const [, v] of paramArrays(p)) {
      let bad = 0;
      for (let q = 0; q < v.length; q++) bad += v[q] * 0;
      if (bad !== 0) throw diverged(end - 1, firstBadParam());
    }
    zeroGrads(grads);
  }
  return { epoch, epochs: run.epochs, meanLoss: lossSum / n, accuracy: correct / n, seconds: nowSeconds() - start };
}

/**
 * Train p on data in place with SGD and return one EpochStats per epoch.
 * Throws, naming the epoch and sample, as soon as training diverges: a loss
 * or a parameter becomes NaN or ±Infinity, or a loss exceeds opts.maxLoss.
 */
export function train(p: BaseParams, data: Dataset, opts: TrainOptions): EpochStats[] {
  const run = startRun("train", p, data, opts);
  const history: EpochStats[] = [];
  for (let epoch = 1; epoch <= run.epochs; epoch++) {
    const stats = runEpoch(run, epoch);
    history.push(stats);
    if (run.onEpoch) run.onEpoch(stats);
  }
  return history;
}

/**
 * train(), but after each epoch's onEpoch it lets the event loop run (one
 * macrotask). In a browser page a synchronous loop blocks drawing until it
 * ends; this lets a chart redraw between epochs. (A tslab kernel does not need
 * it: ZeroMQ sends display updates from its own thread even while train()
 * runs.) Same numbers as train(), bit for bit.
 * Use it as `await trainAsync(p, data, opts)`; errors reject the promise.
 */
export async function trainAsync(p: BaseParams, data: Dataset, opts: TrainOptions): Promise<EpochStats[]> {
  const run = startRun("trainAsync", p, data, opts);
  const history: EpochStats[] = [];
  for (let epoch = 1; epoch <= run.epochs; epoch++) {
    const stats = runEpoch(run, epoch);
    history.push(stats);
    if (run.onEpoch) run.onEpoch(stats);
    await nextMacrotask();
  }
  return history;
}

/** Resolves after the event loop has run once (pending I/O, such as a kernel's messages, goes out). */
function nextMacrotask(): Promise<void> {
  return new Promise<void>((resolve) => setTimeout(resolve, 0));
}

/**
 * Mean loss and mean gradient over all samples of data, through the same code
 * as one mini-batch of train() (used to check mini-batch gradients).
 */
export function meanLossAndGrads<P extends BaseParams>(p: P, data: Dataset): { loss: number; grads: P } {
  const fn = "meanLossAndGrads";
  validateParams(p, fn);
  validateDataset(data, `${fn}: data`);
  if (data.I !== p.I) throw new Error(`${fn}: data.I is ${data.I}, expected p.I = ${p.I}`);
  const ops = cellOps(p, fn);
  const { n, T, I, xs, ys } = data;
  const L = T * I;
  const ws = ops.makeWorkspace(p, T);
  const grads = zerosLike(p);
  let lossSum = 0;
  for (let k = 0; k < n; k++) lossSum += ops.lossAndGrads(p, xs.subarray(k * L, k * L + L), T, ys[k], grads, ws);
  if (n > 1) scaleGradsDown(grads, n);
  return { loss: lossSum / n, grads };
}
