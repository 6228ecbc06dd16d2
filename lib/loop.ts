// Not built in a lesson: the one training loop under train() (lesson 05) and any other model, such
// as a character-level language model trained on chunks of text. It knows no model: a LoopTask says
// how many samples an epoch has and gives each sample's loss and gradient; the loop does the rest:
// visiting order (shuffled or not), mini-batches (gradient sum → mean), clipping, the update rule,
// the divergence check, progress per epoch, sync (trainLoop) and async (trainLoopAsync) from one body.
import type { BaseParams } from "./params";
import { paramArrays, zerosLike } from "./params";
import { checkCount, checkPositive, describe } from "./checks";
import { makeRng, shuffledIndices } from "./random";
import type { Rng } from "./random";
import { globalNorm, scaleGradsDown, zeroGrads } from "./optim";
import type { UpdateSpec, UpdateStep } from "./update";
import { makeUpdate, checkKnownKeys } from "./update";

/** Figures for one finished epoch. */
export interface LoopStats {
  /** 1-based epoch number */
  epoch: number;
  /** total number of epochs */
  epochs: number;
  /** mean of the per-sample losses of the epoch's pass, each with the parameters as they were when that sample was seen */
  meanLoss: number;
  /** mean of the samples' `correct` values (present only when the task reports them) */
  accuracy?: number;
  /** wall-clock seconds the epoch took */
  seconds: number;
}

/** How to train (the loop's options; train() takes the same). */
export interface LoopOptions<S extends LoopStats = LoopStats> {
  /** learning rate, > 0 */
  lr: number;
  /** number of passes over the samples, >= 1 */
  epochs: number;
  /** 1 (default) = one update per sample; B = one update with the mean gradient of B samples */
  batchSize?: number;
  /** visit the samples in a new random order every epoch (default false: sample order 0, 1, …) */
  shuffle?: boolean;
  /** seed of the shuffling order; required when shuffle is true */
  seed?: string | number;
  /** clip each step's gradient to this global norm (default: no clipping) */
  clipNorm?: number;
  /**
   * Stop as diverged when one sample's loss exceeds this (default 1000). With a huge lr a stable loss
   * and saturating units can keep every number finite while the weights grow without bound, so
   * NaN alone is not enough. Infinity: stop only on NaN/Infinity.
   */
  maxLoss?: number;
  /** the update rule (default { rule: "sgd" }); plain data, see lib/update.ts */
  update?: UpdateSpec;
  /** called after every epoch, e.g. to print a progress line or update a plot */
  onEpoch?: (s: S) => void;
}

/** The option names LoopOptions knows; anything else is refused with a "did you mean". */
export const LOOP_OPTION_KEYS: readonly string[] = ["lr", "epochs", "batchSize", "shuffle", "seed", "clipNorm", "maxLoss", "update", "onEpoch"];

/**
 * What the loop needs from a model. A "sample" is whatever one loss is computed on: a labelled
 * sequence, or a chunk of text. The loop calls lossAndGrads(k) for the samples of a mini-batch in
 * visiting order, then updates p with the mean of what they added to grads.
 */
export interface LoopTask<P extends BaseParams> {
  /** samples per epoch; the loop visits k = 0..n−1 (in order, or shuffled) */
  n: number;
  /** loss of sample k; ADDS dLoss/dp into grads (same layout as p). Called in visiting order. */
  lossAndGrads(k: number, grads: P): number;
  /** right after lossAndGrads(k): how much of sample k the model got right, in [0, 1]. Omit for no accuracy. */
  correct?(k: number): number;
  /** called before each epoch's first sample (1-based epoch), e.g. to reset a hidden state carried from chunk to chunk */
  startEpoch?(epoch: number): void;
  /** optional fast path over a whole mini-batch; must give the same numbers as lossAndGrads sample by sample */
  batch?: LoopBatch<P>;
  /**
   * Optional: the gradient arrays the loop adds into and the update reads (same layout as p; zeroed
   * before training). Default: zerosLike(p). lib/charlm-train.ts gives views of the WebAssembly memory
   * its kernels work in, so that nothing is copied between the chunk, the loop and the update.
   */
  grads?: P;
}

/** A fast path over one mini-batch: the samples order[start..end) at once. */
export interface LoopBatch<P extends BaseParams> {
  /** forward and backward pass of the samples order[start..end); grads are not touched yet */
  run(order: Uint32Array, start: number, end: number): void;
  /** loss of the j-th sample of the batch just run */
  loss(j: number): number;
  /** how much of the j-th sample the model got right, in [0, 1] */
  correct?(j: number): number;
  /** ADD the batch's summed gradients into grads */
  addGrads(grads: P): void;
  /** optional: gradient mean and SGD step fused (grads all zero, and left so); returns 0, or NaN when a weight is not finite */
  sgdStep?(zeroGrads: P, lr: number): number;
}

/** A checked, set-up run: what the epochs share. */
interface Run<P extends BaseParams> {
  fn: string;
  p: P;
  task: LoopTask<P>;
  lr: number;
  epochs: number;
  batchSize: number;
  clipNorm: number | undefined;
  maxLoss: number;
  fusedSgd: boolean;
  step: UpdateStep;
  grads: P;
  rng: Rng | undefined;
  order: Uint32Array;
}

const clock = (globalThis as { performance?: { now(): number } }).performance;
const nowSeconds = (): number => (clock ? clock.now() : Date.now()) / 1000;

/** Check opts (errors name fn; unknown keys are refused with a "did you mean") and set up the run. */
function startRun<P extends BaseParams>(fn: string, p: P, task: LoopTask<P>, opts: LoopOptions<never>): Run<P> {
  if (typeof opts !== "object" || opts === null) throw new Error(`${fn}: opts is ${describe(opts)}, expected { lr, epochs, ... }`);
  checkKnownKeys(fn, "opts", opts as unknown as Record<string, unknown>, LOOP_OPTION_KEYS);
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
  if (typeof task !== "object" || task === null || typeof task.lossAndGrads !== "function") {
    throw new Error(`${fn}: task is ${describe(task)}, expected { n, lossAndGrads(k, grads), ... }`);
  }
  const n = checkCount(fn, "task.n", task.n);
  const grads = task.grads ?? zerosLike(p);
  const gradsByName = new Map(paramArrays(grads));
  for (const [name, w] of paramArrays(p)) {
    const g = gradsByName.get(name);
    if (g === undefined || g.length !== w.length) throw new Error(`${fn}: task.grads.${name} is ${describe(g)}, expected ${w.length} values like p.${name}`);
    g.fill(0);
  }
  const pairs = paramArrays(p).map(([name, w]): [Float64Array, Float64Array] => [w, gradsByName.get(name) as Float64Array]);
  const update = opts.update ?? { rule: "sgd" };
  const order = new Uint32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  return {
    fn, p, task, lr, epochs, batchSize, clipNorm, maxLoss,
    // the batch path's fused step is SGD's arithmetic, bit for bit; used when nothing comes between gradient and step
    fusedSgd: update.rule === "sgd" && clipNorm === undefined && task.batch?.sgdStep !== undefined,
    step: makeUpdate(fn, update, pairs),
    grads,
    rng: shuffle ? makeRng(opts.seed as string | number) : undefined,
    order,
  };
}

/** One pass over the samples (epoch is 1-based): updates run.p in place; throws as soon as training diverges. */
function runEpoch<P extends BaseParams>(run: Run<P>, epoch: number): LoopStats {
  const { fn, p, task, lr, batchSize, clipNorm, maxLoss, grads } = run;
  const n = task.n;
  const start = nowSeconds();
  if (run.rng) run.order = shuffledIndices(n, run.rng);
  const order = run.order;
  if (task.startEpoch) task.startEpoch(epoch);

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
  let correctSum = 0;
  const batch = task.batch;
  for (let b = 0; b < n; b += batchSize) {
    const end = Math.min(b + batchSize, n);
    if (batch) {
      batch.run(order, b, end);
      for (let s = b; s < end; s++) {
        const loss = batch.loss(s - b);
        lossSum += loss;
        if (!(loss <= maxLoss) || !Number.isFinite(lossSum)) throw diverged(s, lossProblem(loss));
        if (batch.correct) correctSum += batch.correct(s - b);
      }
      if (run.fusedSgd) {
        if ((batch.sgdStep as NonNullable<LoopBatch<P>["sgdStep"]>)(grads, lr) !== 0) throw diverged(end - 1, firstBadParam());
        continue;
      }
      batch.addGrads(grads);
    } else {
      for (let s = b; s < end; s++) {
        const k = order[s];
        const loss = task.lossAndGrads(k, grads);
        lossSum += loss;
        if (!(loss <= maxLoss) || !Number.isFinite(lossSum)) throw diverged(s, lossProblem(loss));
        if (task.correct) correctSum += task.correct(k);
      }
    }
    if (end - b > 1) scaleGradsDown(grads, end - b); // sum → mean
    let gradScale: number | undefined; // clipping: the step counts every gradient times clipNorm/norm
    if (clipNorm !== undefined) {
      const norm = globalNorm(grads); // computed once: for the check and for the clipping
      if (!Number.isFinite(norm)) throw diverged(end - 1, `the gradient norm of the batch is ${norm}`);
      if (norm > clipNorm) gradScale = clipNorm / norm; // lib/optim.ts's clipKnownNorm, applied by the step
    }
    if (!run.step(lr, gradScale)) throw diverged(end - 1, firstBadParam());
    zeroGrads(grads);
  }
  const hasAccuracy = batch ? batch.correct !== undefined : task.correct !== undefined;
  const stats: LoopStats = { epoch, epochs: run.epochs, meanLoss: lossSum / n, seconds: 0 };
  if (hasAccuracy) stats.accuracy = correctSum / n;
  stats.seconds = nowSeconds() - start;
  return stats;
}

/** The one body of trainLoop and trainLoopAsync: yields each epoch's stats after onEpoch has seen them. */
function* epochsOf<P extends BaseParams>(run: Run<P>, onEpoch: ((s: LoopStats) => void) | undefined): Generator<LoopStats, void, void> {
  for (let epoch = 1; epoch <= run.epochs; epoch++) {
    const stats = runEpoch(run, epoch);
    if (onEpoch) onEpoch(stats);
    yield stats;
  }
}

/**
 * Train p in place on a task and return one LoopStats per epoch. Throws, naming fn, the epoch and
 * the sample, as soon as training diverges: a loss or a parameter becomes NaN or ±Infinity, or a
 * loss exceeds opts.maxLoss. p's own values are not checked here (check them before, e.g. with
 * validateParams for a registered cell). `fn` is the name errors start with.
 */
export function trainLoop<P extends BaseParams>(fn: string, p: P, task: LoopTask<P>, opts: LoopOptions): LoopStats[] {
  const run = startRun(fn, p, task, opts);
  const history: LoopStats[] = [];
  for (const stats of epochsOf(run, opts.onEpoch)) history.push(stats);
  return history;
}

/**
 * trainLoop(), but after each epoch's onEpoch it lets the event loop run once (a macrotask), so a
 * browser page can redraw a chart between epochs. Same numbers, bit for bit; errors reject.
 */
export async function trainLoopAsync<P extends BaseParams>(fn: string, p: P, task: LoopTask<P>, opts: LoopOptions): Promise<LoopStats[]> {
  const run = startRun(fn, p, task, opts);
  const history: LoopStats[] = [];
  for (const stats of epochsOf(run, opts.onEpoch)) {
    history.push(stats);
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
  return history;
}
