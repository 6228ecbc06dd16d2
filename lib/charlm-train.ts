// Built in lesson 10 (10-char-lm).
// Training the character model (the plain RNN or the GRU, charlm.ts): truncated BPTT over the text, one chunk of
// seqLength characters per iteration, the hidden state carried from chunk to
// chunk, and an update (Adam, SGD or momentum: lib/update.ts) after every chunk, with
// optional clipping. The loop is lib/loop.ts's trainLoop, the same one under
// train(): here a "sample" is the next chunk of the text and an "epoch" is a
// block of `every` iterations, after which the progress callback runs.
import { checkCount, describe } from "./checks";
import { trainLoop } from "./loop";
import type { LoopOptions, LoopTask } from "./loop";
import type { UpdateSpec } from "./update";
import { checkKnownKeys } from "./update";
import type { TextReader, CharParams } from "./charlm";
import { makeCharRnnWorkspace, makeTextReader, readerStep } from "./charlm";
import { makeCharSimd, residentRnn } from "./charlm-simd";
import { copyParamsInto } from "./params";

/** Progress after every `every` iterations. */
export interface CharLmProgress {
  /** iterations done so far */
  iteration: number;
  /** total iterations of the run */
  iterations: number;
  /** mean chunk loss (nats per character) over the `every` iterations since the last report */
  loss: number;
  /** characters read so far in this run (iteration · seqLength) */
  chars: number;
  /** wall-clock seconds the last block of `every` iterations took */
  seconds: number;
}

/** How to train a character model. */
export interface CharLmTrainOptions {
  /** characters per chunk (the truncation length), 1 .. text length − 1 */
  seqLength: number;
  /** number of chunks (= parameter updates); a multiple of `every` */
  iterations: number;
  /** learning rate, > 0 */
  lr: number;
  /** update rule (default { rule: "adam" }) */
  update?: UpdateSpec;
  /** clip each chunk's gradient to this global norm (default: no clipping) */
  clipNorm?: number;
  /** report progress every this many iterations (default 100) */
  every?: number;
  /** called with the progress every `every` iterations */
  onProgress?: (s: CharLmProgress) => void;
  /** where to start reading (default: a fresh reader at the text's start, h = 0); advanced in place, so a second call continues */
  reader?: TextReader;
}

const OPTION_KEYS = ["seqLength", "iterations", "lr", "update", "clipNorm", "every", "onProgress", "reader"];

/**
 * Train p in place on the encoded text ids; returns one progress report per
 * block of `every` iterations. Throws, naming the block and chunk, as soon as
 * the loss or a parameter stops being finite.
 */
export function trainCharLm(p: CharParams, ids: Int32Array, opts: CharLmTrainOptions): CharLmProgress[] {
  const fn = "trainCharLm";
  if (typeof opts !== "object" || opts === null) throw new Error(`${fn}: opts is ${describe(opts)}, expected { seqLength, iterations, lr, ... }`);
  checkKnownKeys(fn, "opts", opts as unknown as Record<string, unknown>, OPTION_KEYS);
  const reader = opts.reader ?? makeTextReader(ids, opts.seqLength, p.H);
  if (reader.ids !== ids || reader.seqLength !== opts.seqLength) {
    throw new Error(`${fn}: opts.reader reads another text or another seqLength (${reader.seqLength}) than this call (${opts.seqLength})`);
  }
  const iterations = checkCount(fn, "opts.iterations", opts.iterations);
  const every = checkCount(fn, "opts.every", opts.every ?? Math.min(100, iterations));
  if (iterations % every !== 0) throw new Error(`${fn}: opts.iterations is ${iterations}, expected a multiple of opts.every = ${every}`);
  if (opts.onProgress !== undefined && typeof opts.onProgress !== "function") throw new Error(`${fn}: opts.onProgress is ${describe(opts.onProgress)}, expected a function`);
  const ws = makeCharRnnWorkspace(p, opts.seqLength);
  // The plain RNN trains where lib/simd.ts's kernels work: a copy of its weights and their gradients in the
  // kernels' memory (residentRnn), so that no chunk and no update copies anything. p gets the trained values
  // back after every block of `every` iterations (before onProgress sees it) and at the end, even on an error.
  if (p.kind === "rnn") ws.simd = makeCharSimd(p.H, p.O, ws.T, true);
  const resident = p.kind === "rnn" && ws.simd ? residentRnn(p, ws.simd) : null;
  const model: CharParams = resident ? resident.params : p;
  const history: CharLmProgress[] = [];
  const loopOpts: LoopOptions = {
    lr: opts.lr,
    epochs: iterations / every,
    update: opts.update ?? { rule: "adam" },
    maxLoss: Infinity, // a chunk's loss is in nats per character; only NaN/Infinity mean divergence
    onEpoch: (s) => {
      const report = { iteration: s.epoch * every, iterations, loss: s.meanLoss, chars: s.epoch * every * opts.seqLength, seconds: s.seconds };
      history.push(report);
      if (resident) copyParamsInto(p, resident.params);
      if (opts.onProgress) opts.onProgress(report);
      if (resident) copyParamsInto(resident.params, p); // whatever the callback did to p is what training goes on from
    },
  };
  if (opts.clipNorm !== undefined) loopOpts.clipNorm = opts.clipNorm;
  // the reader, not the loop's sample index, says which chunk comes next: chunks are read in text order
  const task: LoopTask<CharParams> = { n: every, lossAndGrads: (_k, grads) => readerStep(model, reader, grads, ws) };
  if (resident) task.grads = resident.grads;
  try {
    trainLoop(fn, model, task, loopOpts);
  } finally {
    if (resident) copyParamsInto(p, resident.params);
  }
  return history;
}

