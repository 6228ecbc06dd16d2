// Built in lesson 02 (02-forward).
// Model parameters. A parameter object is plain data: its cell `kind`, its
// sizes I (input), H (hidden), O (output), and one Float64Array per weight
// matrix or bias vector, stored row-major (W[r * cols + c]). Every cell kind
// (rnn here; lstm and gru in their own files) follows this pattern, so the
// generic helpers below — and the optimiser, training loop and serializer —
// work for all of them.
import { makeRng, normalArray } from "./random";
import { checkArraySize, checkCount, checkObject, describe } from "./checks";

/** What every parameter object has, whatever its cell kind. */
export interface BaseParams {
  kind: string;
  I: number;
  H: number;
  O: number;
}

/** The plain (Elman) RNN: h_t = tanh(Wxh x_t + Whh h_{t-1} + bh), logit = Why h_T + by. */
export interface RnnParams extends BaseParams {
  kind: "rnn";
  /** H×I, input to hidden */
  Wxh: Float64Array;
  /** H×H, hidden to hidden (the recurrence) */
  Whh: Float64Array;
  /** O×H, hidden to output */
  Why: Float64Array;
  /** H, hidden bias */
  bh: Float64Array;
  /** O, output bias */
  by: Float64Array;
}

/** A matrix shape [rows, cols]; a vector of length n is [n, 1]. */
export type Shape = [number, number];

/** The plain RNN's arrays in canonical order, with their shapes. */
export function rnnShapes(I: number, H: number, O: number): Record<string, Shape> {
  return { Wxh: [H, I], Whh: [H, H], Why: [O, H], bh: [H, 1], by: [O, 1] };
}

/** Every array of shapes within MAX_ARRAY_LENGTH (checked before anything is allocated). */
export function checkShapeSizes(fn: string, shapes: Record<string, Shape>, I: number, H: number, O: number): void {
  for (const [name, [rows, cols]] of Object.entries(shapes)) checkArraySize(fn, `${name} (${rows}×${cols} for I=${I}, H=${H}, O=${O})`, rows * cols);
}

/** The sizes of an init's options ({ I, H, O?, seed }): checked counts, and every array within the maximum. */
export function checkInitSizes(fn: string, opts: unknown, shapesOf: (I: number, H: number, O: number) => Record<string, Shape>): { I: number; H: number; O: number } {
  const o = checkObject(fn, "opts", opts, "{ I, H, O?, seed }");
  const I = checkCount(fn, "I", o.I);
  const H = checkCount(fn, "H", o.H);
  const O = checkCount(fn, "O", o.O ?? 1);
  checkShapeSizes(fn, shapesOf(I, H, O), I, H, O);
  return { I, H, O };
}

/**
 * Fresh RNN parameters from a seed, as the original note initialises them:
 * each weight matrix is standard normal × sqrt(1 / fan_in) (fan_in = its
 * number of columns), biases are zero. Drawn in the order Wxh, Whh, Why.
 */
export function initRnnParams(opts: { I: number; H: number; O?: number; seed: string | number }): RnnParams {
  const { I, H, O } = checkInitSizes("initRnnParams", opts, rnnShapes);
  const rng = makeRng(opts.seed);
  return {
    kind: "rnn",
    I,
    H,
    O,
    Wxh: normalArray(rng, H * I, Math.sqrt(1 / I)),
    Whh: normalArray(rng, H * H, Math.sqrt(1 / H)),
    Why: normalArray(rng, O * H, Math.sqrt(1 / H)),
    bh: new Float64Array(H),
    by: new Float64Array(O),
  };
}

/** Nested rows (number[][]), a flat list (number[]) or a Float64Array. */
export type ArrayInput = number[][] | number[] | Float64Array;

/**
 * Turn user-given arrays into validated, owned Float64Arrays of the given
 * shapes (row-major). paramsFrom (every cell's `...ParamsFrom`) uses this; errors name the
 * function, the array and the expected shape.
 */
function arraysFrom(fn: string, shapes: Record<string, Shape>, given: Record<string, unknown>): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const name of Object.keys(shapes)) {
    const [rows, cols] = shapes[name];
    const v = given[name];
    const shapeText = cols === 1 ? `length ${rows}` : `${rows}×${cols} (${rows * cols} values)`;
    const a = new Float64Array(rows * cols);
    if (v instanceof Float64Array || (Array.isArray(v) && (v.length === 0 || !Array.isArray(v[0])))) {
      // flat: a Float64Array or number[]
      const flat = v as ArrayLike<unknown>;
      if (flat.length !== rows * cols) throw new Error(`${fn}: ${name} has length ${flat.length}, expected ${shapeText}`);
      for (let k = 0; k < flat.length; k++) a[k] = finiteAt(fn, `${name}[${k}]`, flat[k]);
    } else if (Array.isArray(v)) {
      // nested rows: number[][]
      if (v.length !== rows) throw new Error(`${fn}: ${name} has ${v.length} rows, expected ${rows} (shape ${rows}×${cols})`);
      for (let r = 0; r < rows; r++) {
        const row = v[r];
        if (!Array.isArray(row)) throw new Error(`${fn}: ${name}[${r}] is ${describe(row)}, expected a row of ${cols} numbers`);
        if (row.length !== cols) throw new Error(`${fn}: ${name}[${r}] has length ${row.length}, expected ${cols} (shape ${rows}×${cols})`);
        for (let c = 0; c < cols; c++) a[r * cols + c] = finiteAt(fn, `${name}[${r}][${c}]`, row[c]);
      }
    } else {
      throw new Error(`${fn}: ${name} is ${describe(v)}, expected ${shapeText} as number[][], number[] or Float64Array`);
    }
    out[name] = a;
  }
  return out;
}

function finiteAt(fn: string, where: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`${fn}: ${where} is ${describe(v)}, expected a finite number`);
  return v;
}

/** Rows of a nested or flat array input (for inferring sizes); undefined for flat input. */
function rowCount(v: unknown): number | undefined {
  return Array.isArray(v) && v.length > 0 && Array.isArray(v[0]) ? v.length : undefined;
}

/** What a `...ParamsFrom` caller may pass: the arrays by name, and optionally the sizes. */
export type GivenArrays = Record<string, unknown> & { I?: number; H?: number; O?: number };

/**
 * Parameters of any cell kind from given arrays (number[][], number[] or
 * Float64Array). Sizes come from I/H/O when given, else H from the bias named
 * `sizes.hFrom` (or the rows of `sizes.hRowsFrom`), O from by, and I from the
 * input weight `sizes.iFrom`. Every shape and value is checked; the arrays are
 * copied, in the cell's canonical order. Each cell's `...ParamsFrom` is this.
 */
export function paramsFrom(
  fn: string,
  kind: string,
  shapesOf: (I: number, H: number, O: number) => Record<string, Shape>,
  arrays: GivenArrays,
  sizes: { hFrom: string; iFrom: string; hRowsFrom?: string },
): BaseParams {
  if (typeof arrays !== "object" || arrays === null) throw new Error(`${fn}: arrays is ${describe(arrays)}, expected an object`);
  const lengthOf = (v: unknown): number | undefined =>
    v instanceof Float64Array || Array.isArray(v) ? (v as ArrayLike<unknown>).length : undefined;
  const H = checkCount(fn, "H", arrays.H ?? lengthOf(arrays[sizes.hFrom]) ?? (sizes.hRowsFrom ? rowCount(arrays[sizes.hRowsFrom]) : undefined));
  const O = checkCount(fn, "O", arrays.O ?? lengthOf(arrays.by) ?? 1);
  const w = arrays[sizes.iFrom];
  const I = checkCount(
    fn,
    "I",
    arrays.I ?? (Array.isArray(w) && Array.isArray(w[0]) ? (w[0] as unknown[]).length : (lengthOf(w) ?? 0) / H),
  );
  const shapes = shapesOf(I, H, O);
  checkShapeSizes(fn, shapes, I, H, O);
  const a = arraysFrom(fn, shapes, arrays);
  const p: Record<string, unknown> = { kind, I, H, O };
  for (const name of Object.keys(shapes)) p[name] = a[name];
  return p as unknown as BaseParams;
}

/**
 * Build RNN parameters from given weights (e.g. to reproduce a worked example).
 * Sizes are taken from I/H/O when given, else from the arrays: H from bh (or the
 * rows of Whh), O from by, I from Wxh. Every shape and value is checked; the
 * arrays are copied.
 */
export function rnnParamsFrom(arrays: {
  Wxh: ArrayInput;
  Whh: ArrayInput;
  Why: ArrayInput;
  bh: number[] | Float64Array;
  by: number[] | Float64Array;
  I?: number;
  H?: number;
  O?: number;
}): RnnParams {
  return paramsFrom("rnnParamsFrom", "rnn", rnnShapes, arrays as unknown as GivenArrays, { hFrom: "bh", hRowsFrom: "Whh", iFrom: "Wxh" }) as RnnParams;
}

/**
 * Check that p is a well-formed parameter object of the given kind and shapes
 * (sizes, array types and lengths; not the values, which cost a full pass).
 */
export function checkParamShapes(
  fn: string,
  p: unknown,
  kind: string,
  shapesOf: (I: number, H: number, O: number) => Record<string, Shape>,
  name = "p",
): void {
  if (typeof p !== "object" || p === null) throw new Error(`${fn}: ${name} is ${describe(p)}, expected ${kind} parameters`);
  const q = p as Record<string, unknown>;
  if (q.kind !== kind) throw new Error(`${fn}: ${name}.kind is ${describe(q.kind)}, expected "${kind}"`);
  const I = checkCount(fn, `${name}.I`, q.I);
  const H = checkCount(fn, `${name}.H`, q.H);
  const O = checkCount(fn, `${name}.O`, q.O);
  const shapes = shapesOf(I, H, O);
  for (const field of Object.keys(shapes)) {
    const [rows, cols] = shapes[field];
    const v = q[field];
    if (!(v instanceof Float64Array) || v.length !== rows * cols) {
      const got = v instanceof Float64Array ? `has length ${v.length}` : `is ${describe(v)}`;
      throw new Error(
        `${fn}: ${name}.${field} ${got}, expected a Float64Array of ${rows}·${cols} = ${rows * cols} values (shape ${rows}×${cols}, I=${I}, H=${H}, O=${O})`,
      );
    }
  }
}

/**
 * The parameter arrays of any cell kind as [name, values] pairs, in the order
 * the cell's constructor created them (its canonical order). The values are
 * the live arrays, not copies.
 */
export function paramArrays(p: BaseParams): Array<[string, Float64Array]> {
  const out: Array<[string, Float64Array]> = [];
  const q = p as unknown as Record<string, unknown>;
  for (const name of Object.keys(q)) {
    const v = q[name];
    if (v instanceof Float64Array) out.push([name, v]);
  }
  return out;
}

/**
 * Same kind, sizes and field order as p, every array filled with zeros (e.g. for gradients). `alloc`
 * makes each zeroed array (default: a new Float64Array; lib/charlm-train.ts asks for views of WebAssembly memory).
 */
export function zerosLike<P extends BaseParams>(p: P, alloc: (n: number) => Float64Array = (n) => new Float64Array(n)): P {
  const q = p as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(q)) {
    const v = q[name];
    out[name] = v instanceof Float64Array ? alloc(v.length) : v;
  }
  return out as unknown as P;
}

/** Copy every parameter array of src into the same-named array of dst (same kind and sizes). */
export function copyParamsInto<P extends BaseParams>(dst: P, src: P): void {
  const to = dst as unknown as Record<string, Float64Array>;
  for (const [name, v] of paramArrays(src)) to[name].set(v);
}

/** A deep copy of p: same values, new arrays. */
export function cloneParams<P extends BaseParams>(p: P): P {
  const q = p as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(q)) {
    const v = q[name];
    out[name] = v instanceof Float64Array ? v.slice() : v;
  }
  return out as unknown as P;
}

/** Total number of trainable values. */
export function countParams(p: BaseParams): number {
  let n = 0;
  for (const [, v] of paramArrays(p)) n += v.length;
  return n;
}
