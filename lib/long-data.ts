// Built in lesson 07 (07-long-sequences).
// A long-dependency task: "remember the first sign".
//
// Each sequence has T steps and I = 2 features per step:
//   feature 0 (value):  step 0 holds the signal s = +1 or −1; steps 1..T−1 hold noise ~ N(0, noise²)
//   feature 1 (marker): 1 at step 0, 0 everywhere else — it tells the cell "this is the one to keep"
// The label is 1 when s = +1, else 0. The answer was fixed at the FIRST step, but the model only
// speaks after the LAST step, so it must carry one bit across T−1 steps of distracting noise.
// Chance level is 50%; the longer T, the further the gradient has to travel back to step 0.
// (The marker matters: without it the first value looks like any other noisy value, and no cell
// could tell which one to keep.)
import type { Dataset } from "./data";
import { makeRng } from "./random";
import { checkArraySize, checkCount, describe } from "./checks";

/** Options of makeFirstSignData. */
export interface FirstSignOptions {
  /** number of sequences */
  n: number;
  /** steps per sequence (the signal is at step 0, the label is read after step T−1) */
  T: number;
  /** seed: same seed, same data set, bit for bit */
  seed: string | number;
  /** standard deviation of the noise steps (default 1) */
  noise?: number;
}

/** n sequences of the "remember the first sign" task (I = 2), balanced in expectation. */
export function makeFirstSignData(opts: FirstSignOptions): Dataset {
  const fn = "makeFirstSignData";
  if (typeof opts !== "object" || opts === null) throw new Error(`${fn}: opts is ${describe(opts)}, expected { n, T, seed, noise? }`);
  const n = checkCount(fn, "opts.n", opts.n);
  const T = checkCount(fn, "opts.T", opts.T);
  const noise = opts.noise ?? 1;
  if (typeof noise !== "number" || !Number.isFinite(noise) || noise < 0) {
    throw new Error(`${fn}: opts.noise is ${describe(noise)}, expected a finite number >= 0`);
  }
  const I = 2;
  checkArraySize(fn, `xs (n·T·I for n=${n}, T=${T}, I=2)`, n * T * I);
  const rng = makeRng(opts.seed);
  const xs = new Float64Array(n * T * I);
  const ys = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const base = k * T * I;
    const positive = rng.uniform() < 0.5;
    ys[k] = positive ? 1 : 0;
    xs[base] = positive ? 1 : -1; // the signal
    xs[base + 1] = 1; // the marker
    for (let t = 1; t < T; t++) xs[base + t * I] = noise * rng.normal(); // marker stays 0
  }
  return { n, T, I, xs, ys };
}

/**
 * The settings lessons 08 and 09 use. The data sets are generated in the notebooks from these seeds
 * (a few hundred sequences take milliseconds); only a small sample is committed under
 * data/long-dependency/ (written by data/make-long.ts) for looking at and for loadDataset.
 */
export const LONG_TASK = {
  /** sequence lengths of lesson 08's accuracy-against-length comparison */
  lengths: [5, 10, 20, 40] as readonly number[],
  /** standard deviation of the noise steps: twice the signal's size */
  noise: 2,
  /** training and held-out sequences per length */
  nTrain: 300,
  nTest: 500,
  trainSeed: (T: number): string => `first-sign/train-T${T}`,
  testSeed: (T: number): string => `first-sign/test-T${T}`,
};
