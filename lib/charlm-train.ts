// Built in lesson 10 (10-char-lm).
// Training the character model: truncated BPTT over the text, one chunk of
// seqLength characters per iteration, the hidden state carried from chunk to
// chunk, an update rule (Adam, Adagrad or SGD) after every chunk, with
// optional clipping of the gradient's global norm.
import type { RnnParams } from "./params";
import { zerosLike, paramArrays } from "./params";
import { checkCount, checkPositive, describe } from "./checks";
import { clipGradNorm, gradNorm, sgdStep, zeroGrads } from "./optim";
import { makeAdamState, adamStep } from "./adam";
import { makeAdagradState, adagradStep } from "./adagrad";
import type { TextReader } from "./charlm";
import { makeCharRnnWorkspace, makeTextReader, readerStep } from "./charlm";

/** Which update rule to use after each chunk (plain data). */
export type CharUpdateSpec =
  | { rule: "sgd" }
  | { rule: "adam"; beta1?: number; beta2?: number; eps?: number }
  | { rule: "adagrad"; eps?: number };

/** Progress after every `every` iterations. */
export interface CharLmProgress {
  /** iterations done so far (1-based count) */
  iteration: number;
  /** total iterations of the run */
  iterations: number;
  /** mean chunk loss (nats per character) over the iterations since the last report */
  loss: number;
  /** characters read so far (iteration · seqLength) */
  chars: number;
  /** wall-clock seconds since the run started */
  seconds: number;
}

/** How to train a character model. */
export interface CharLmTrainOptions {
  /** characters per chunk (the truncation length), 1 .. text length − 1 */
  seqLength: number;
  /** number of chunks (= parameter updates), >= 1 */
  iterations: number;
  /** learning rate, > 0 */
  lr: number;
  /** update rule (default Adam) */
  update?: CharUpdateSpec;
  /** clip each chunk's gradient to this global norm (default: no clipping) */
  clipNorm?: number;
  /** report progress every this many iterations (default 100) */
  every?: number;
  /** called with the progress every `every` iterations and after the last one */
  onProgress?: (s: CharLmProgress) => void;
  /** where to start (default: a fresh reader at the text's start with h = 0); it is advanced in place */
  reader?: TextReader;
}

const clock = (globalThis as { performance?: { now(): number } }).performance;
const nowSeconds = (): number => (clock ? clock.now() : Date.now()) / 1000;

/**
 * Train p in place on the encoded text ids and return the progress reports.
 * Throws, naming the iteration, as soon as the loss or a parameter stops being finite.
 */
export function trainCharLm(p: RnnParams, ids: Int32Array, opts: CharLmTrainOptions): CharLmProgress[] {
  const fn = "trainCharLm";
  if (typeof opts !== "object" || opts === null) throw new Error(`${fn}: opts is ${describe(opts)}, expected { seqLength, iterations, lr, ... }`);
  const reader = opts.reader ?? makeTextReader(ids, opts.seqLength, p.H);
  if (reader.ids !== ids || reader.seqLength !== opts.seqLength) throw new Error(`${fn}: opts.reader reads another text or seqLength (${reader.seqLength}) than this call (${opts.seqLength})`);
  const iterations = checkCount(fn, "opts.iterations", opts.iterations);
  const lr = checkPositive(fn, "opts.lr", opts.lr);
  const every = checkCount(fn, "opts.every", opts.every ?? 100);
  const clipNorm = opts.clipNorm === undefined ? undefined : checkPositive(fn, "opts.clipNorm", opts.clipNorm);
  const update = opts.update ?? { rule: "adam" };
  const step = makeUpdate(fn, p, update, lr);
  const ws = makeCharRnnWorkspace(p, opts.seqLength);
  const grads = zerosLike(p);
  const history: CharLmProgress[] = [];
  const start = nowSeconds();
  let lossSum = 0;
  let count = 0;
  for (let it = 1; it <= iterations; it++) {
    const loss = readerStep(p, reader, grads, ws);
    if (!Number.isFinite(loss)) throw new Error(`${fn}: training diverged at iteration ${it}: the loss is ${loss}. Try a smaller lr (now ${lr})${clipNorm === undefined ? " or set clipNorm" : ""}.`);
    lossSum += loss;
    count++;
    if (clipNorm !== undefined) {
      const norm = gradNorm(grads);
      if (!Number.isFinite(norm)) throw new Error(`${fn}: training diverged at iteration ${it}: the gradient norm is ${norm}`);
      clipGradNorm(grads, clipNorm);
    }
    step(grads);
    zeroGrads(grads);
    if (it % every === 0 || it === iterations) {
      for (const [name, v] of paramArrays(p)) {
        for (let k = 0; k < v.length; k++) if (!Number.isFinite(v[k])) throw new Error(`${fn}: training diverged by iteration ${it}: ${name}[${k}] is ${v[k]}`);
      }
      const s: CharLmProgress = { iteration: it, iterations, loss: lossSum / count, chars: it * opts.seqLength, seconds: nowSeconds() - start };
      history.push(s);
      lossSum = 0;
      count = 0;
      if (opts.onProgress) opts.onProgress(s);
    }
  }
  return history;
}

/** The update rule as a function of the gradient, with its state inside. */
function makeUpdate(fn: string, p: RnnParams, update: CharUpdateSpec, lr: number): (grads: RnnParams) => void {
  if (typeof update !== "object" || update === null) throw new Error(`${fn}: opts.update is ${describe(update)}, expected { rule: "adam" | "adagrad" | "sgd" }`);
  switch (update.rule) {
    case "sgd":
      return (g) => sgdStep(p, g, lr);
    case "adam": {
      const state = makeAdamState(p);
      const o = { lr, beta1: update.beta1, beta2: update.beta2, eps: update.eps };
      return (g) => adamStep(p, g, state, o);
    }
    case "adagrad": {
      const state = makeAdagradState(p);
      const o = { lr, eps: update.eps };
      return (g) => adagradStep(p, g, state, o);
    }
    default:
      throw new Error(`${fn}: opts.update.rule is ${describe((update as { rule: unknown }).rule)}, expected "adam", "adagrad" or "sgd"`);
  }
}
