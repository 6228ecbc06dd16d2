// The training loop, for any registered cell kind.
//
// batchSize 1 is the original note's per-sample SGD: forward, loss, backward,
// update, one sequence at a time. batchSize B > 1 averages the per-sample
// gradients of B sequences and takes one step with that mean. The last batch
// of an epoch may be smaller; its gradient is the mean over its own size.
import type { BaseParams } from "./params";
import { zerosLike, paramArrays } from "./params";
import type { Dataset } from "./data";
import { validateDataset } from "./data";
import type { RnnParams } from "./params";
import { checkCount, checkPositive, describe } from "./checks";
import { cellOps, validateParams } from "./cells";
import { makeRng, shuffledIndices } from "./random";
import { sgdStep, gradNorm, clipGradNorm, scaleGradsDown, zeroGrads } from "./optim";
import { rnnLossAndGradsFast, sgdStepAndZero } from "./fast";
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

/**
 * Train p on data in place with SGD and return one EpochStats per epoch.
 * Throws, naming the epoch and sample, as soon as training diverges: a loss
 * or a parameter becomes NaN or ±Infinity, or a loss exceeds opts.maxLoss.
 */
export function train(p: BaseParams, data: Dataset, opts: TrainOptions): EpochStats[] {
  const fn = "train";
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
  const { n, T, I, xs, ys } = data;
  const L = T * I;
  const ws = ops.makeWorkspace(p, T);
  const grads = zerosLike(p);
  const rng = shuffle ? makeRng(opts.seed as string | number) : undefined;
  let order: Uint32Array = new Uint32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  const fastPerSample = p.kind === "rnn" && batchSize === 1 && clipNorm === undefined;

  const diverged = (epoch: number, s: number, what: string): Error =>
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

  const history: EpochStats[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const start = nowSeconds();
    if (rng) order = shuffledIndices(n, rng);
    let lossSum = 0;
    let correct = 0;
    if (fastPerSample) {
      // The note's per-sample SGD on the fused fast path (same numbers as the general loop below).
      const rp = p as RnnParams;
      const rg = grads as RnnParams;
      const rws = ws as RnnWorkspace;
      for (let s = 0; s < n; s++) {
        const k = order[s];
        const y = ys[k];
        const loss = rnnLossAndGradsFast(rp, xs.subarray(k * L, k * L + L), T, y, rg, rws);
        lossSum += loss;
        if (!(loss <= maxLoss) || !Number.isFinite(lossSum)) throw diverged(epoch, s, lossProblem(loss));
        if ((rws.logits[0] > 0 ? 1 : 0) === y) correct++;
        if (sgdStepAndZero(rp, rg, lr) !== 0) throw diverged(epoch, s, firstBadParam());
      }
    } else {
      for (let b = 0; b < n; b += batchSize) {
        const end = Math.min(b + batchSize, n);
        for (let s = b; s < end; s++) {
          const k = order[s];
          const y = ys[k];
          const loss = ops.lossAndGrads(p, xs.subarray(k * L, k * L + L), T, y, grads, ws);
          lossSum += loss;
          if (!(loss <= maxLoss) || !Number.isFinite(lossSum)) throw diverged(epoch, s, lossProblem(loss));
          if ((ws.logits[0] > 0 ? 1 : 0) === y) correct++;
        }
        if (end - b > 1) scaleGradsDown(grads, end - b); // sum → mean
        if (clipNorm !== undefined) {
          const norm = gradNorm(grads);
          if (!Number.isFinite(norm)) throw diverged(epoch, end - 1, `the gradient norm of the batch is ${norm}`);
          clipGradNorm(grads, clipNorm);
        }
        sgdStep(p, grads, lr);
        for (const [, v] of paramArrays(p)) {
          let bad = 0;
          for (let q = 0; q < v.length; q++) bad += v[q] * 0;
          if (bad !== 0) throw diverged(epoch, end - 1, firstBadParam());
        }
        zeroGrads(grads);
      }
    }
    const stats: EpochStats = { epoch, epochs, meanLoss: lossSum / n, accuracy: correct / n, seconds: nowSeconds() - start };
    history.push(stats);
    if (opts.onEpoch) opts.onEpoch(stats);
  }
  return history;
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
