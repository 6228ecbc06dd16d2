// Built in lesson 01 (01-data).
// The original note's task: random sequences, labelled 1 when their sum is
// positive. A data set keeps all n sequences back to back in one Float64Array
// (sample-major), so sample k is xs[k·T·I .. (k+1)·T·I).
import { makeRng, normalArray } from "./random";
import { checkArraySize, checkCount, checkObject, describe } from "./checks";

/** n sequences of T steps with I features each, and one 0/1 label per sequence. */
export interface Dataset {
  n: number;
  T: number;
  I: number;
  /** length n·T·I: xs[(k·T + t)·I + i] is feature i at step t of sample k */
  xs: Float64Array;
  /** length n: each exactly 0 or 1 */
  ys: Float64Array;
}

/** Draw n sequences from a standard normal; label 1 when the sum of all T·I values is > 0. */
export function makeSignOfSumData(opts: { n: number; T: number; I: number; seed: string | number }): Dataset {
  const fn = "makeSignOfSumData";
  const o = checkObject(fn, "opts", opts, "{ n, T, I, seed }");
  const n = checkCount(fn, "n", o.n);
  const T = checkCount(fn, "T", o.T);
  const I = checkCount(fn, "I", o.I);
  checkArraySize(fn, `xs (n·T·I for n=${n}, T=${T}, I=${I})`, n * T * I);
  const rng = makeRng(opts.seed);
  const L = T * I;
  const xs = normalArray(rng, n * L);
  const ys = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sum = 0;
    for (let j = 0; j < L; j++) sum += xs[k * L + j];
    ys[k] = sum > 0 ? 1 : 0;
  }
  return { n, T, I, xs, ys };
}

/** The first nTrain samples become `train`, the rest `test` (copies, not views). */
export function splitDataset(ds: Dataset, nTrain: number): { train: Dataset; test: Dataset } {
  validateDataset(ds, "splitDataset: ds");
  checkCount("splitDataset", "nTrain", nTrain);
  if (nTrain >= ds.n) {
    throw new Error(`splitDataset: nTrain is ${nTrain}, expected less than ds.n = ${ds.n} so the test part is not empty`);
  }
  const L = ds.T * ds.I;
  const part = (from: number, to: number): Dataset => ({
    n: to - from,
    T: ds.T,
    I: ds.I,
    xs: ds.xs.slice(from * L, to * L),
    ys: ds.ys.slice(from, to),
  });
  return { train: part(0, nTrain), test: part(nTrain, ds.n) };
}

/**
 * A view (no copy) of sample k: its T·I values. Checks the data set's sizes and the length of xs
 * (cheap), not its values (validateDataset does that, in one pass over all of them).
 */
export function sequence(ds: Dataset, k: number): Float64Array {
  checkDatasetShape(ds, "sequence: ds");
  if (!Number.isInteger(k) || k < 0 || k >= ds.n) {
    throw new Error(`sequence: k is ${describe(k)}, expected an integer in [0, ${ds.n - 1}]`);
  }
  const L = ds.T * ds.I;
  return ds.xs.subarray(k * L, (k + 1) * L);
}

/** The sizes n, T, I and the lengths of xs and ys (not the values); throws naming `source`. */
function checkDatasetShape(ds: unknown, source: string): Dataset {
  if (typeof ds !== "object" || ds === null) throw new Error(`${source}: expected a data set { n, T, I, xs, ys }, got ${describe(ds)}`);
  const d = ds as Record<string, unknown>;
  for (const field of ["n", "T", "I"]) {
    const v = d[field];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
      throw new Error(`${source}: field "${field}" is ${describe(v)}, expected an integer >= 1`);
    }
  }
  const n = d.n as number;
  const T = d.T as number;
  const I = d.I as number;
  const xs = d.xs;
  const ys = d.ys;
  if (!(xs instanceof Float64Array)) throw new Error(`${source}: field "xs" is ${describe(xs)}, expected a Float64Array`);
  if (!(ys instanceof Float64Array)) throw new Error(`${source}: field "ys" is ${describe(ys)}, expected a Float64Array`);
  if (xs.length !== n * T * I) {
    throw new Error(`${source}: field "xs" has length ${xs.length}, expected n·T·I = ${n * T * I} (n=${n}, T=${T}, I=${I})`);
  }
  if (ys.length !== n) throw new Error(`${source}: field "ys" has length ${ys.length}, expected n = ${n}`);
  return ds as Dataset;
}

/**
 * Check that `ds` is a well-formed Dataset: positive integer sizes, xs of
 * length n·T·I with finite values, ys of length n with values 0 or 1.
 * Throws naming `source` (a file or an argument) and the bad field.
 */
export function validateDataset(ds: unknown, source = "dataset"): Dataset {
  const { n, xs, ys } = checkDatasetShape(ds, source);
  for (let k = 0; k < xs.length; k++) {
    if (!Number.isFinite(xs[k])) throw new Error(`${source}: field "xs"[${k}] is ${describe(xs[k])}, expected a finite number`);
  }
  for (let k = 0; k < n; k++) {
    if (ys[k] !== 0 && ys[k] !== 1) throw new Error(`${source}: field "ys"[${k}] is ${describe(ys[k])}, expected 0 or 1`);
  }
  return ds as Dataset;
}
