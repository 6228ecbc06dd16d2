// Built in lesson 02 (02-forward).
// The forward pass of a plain RNN, written to be read. For each step t:
//   h_t = tanh(Wxh x_t + Whh h_{t-1} + bh),   h_0 = 0
// and after the last step one logit per output:  logit = Why h_T + by.
// All hidden states are kept, because backpropagation through time needs them.
import type { RnnParams } from "./params";
import { rnnShapes, checkParamShapes } from "./params";
import { checkCount, checkLength, checkFinite } from "./checks";
import { tanh } from "./math"; // the same bits in every JavaScript engine (lib/math.ts)

/** What the forward pass keeps for the backward pass. */
export interface RnnCache {
  /** number of steps */
  T: number;
  /** (T+1)·H values: hs[t·H .. (t+1)·H) is h_t; h_0 = 0 */
  hs: Float64Array;
  /** O values: the logits computed from h_T */
  logits: Float64Array;
}

/**
 * One step of the recurrence: hOut = tanh(Wxh xt + Whh hPrev + bh).
 * xt has I values, hPrev and hOut H values each (they must not overlap).
 * Checked: p's shapes, the three lengths, and the result: a NaN anywhere in p, xt or hPrev makes
 * some hOut[r] NaN, which throws (an O(H) scan after the O(H·(I+H)) step).
 */
export function rnnStep(p: RnnParams, xt: Float64Array, hPrev: Float64Array, hOut: Float64Array): void {
  checkParamShapes("rnnStep", p, "rnn", rnnShapes);
  const { I, H, Wxh, Whh, bh } = p;
  checkLength("rnnStep", "xt", xt, I, `I = ${I}`);
  checkLength("rnnStep", "hPrev", hPrev, H, `H = ${H}`);
  checkLength("rnnStep", "hOut", hOut, H, `H = ${H}`);
  for (let r = 0; r < H; r++) {
    let a = bh[r];
    for (let i = 0; i < I; i++) a += Wxh[r * I + i] * xt[i];
    for (let j = 0; j < H; j++) a += Whh[r * H + j] * hPrev[j];
    hOut[r] = tanh(a);
  }
  notNaN("rnnStep", "hOut", hOut, "a NaN in p, xt or hPrev");
}

/**
 * The O logits from the last hidden state: logits = Why hLast + by.
 * Checked: p's shapes, the lengths of hLast (H) and logits (O), and that no logit is NaN or ±Infinity.
 */
export function rnnOutput(p: RnnParams, hLast: Float64Array, logits: Float64Array): void {
  checkParamShapes("rnnOutput", p, "rnn", rnnShapes);
  const { H, O } = p;
  checkLength("rnnOutput", "hLast", hLast, H, `H = ${H}`);
  checkLength("rnnOutput", "logits", logits, O, `O = ${O}`);
  outputInto(p, hLast, logits);
  for (let o = 0; o < O; o++) {
    if (!Number.isFinite(logits[o])) throw new Error(`rnnOutput: logits[${o}] is ${logits[o]}; p or hLast holds a non-finite or overflowing value`);
  }
}

/** logits = Why hLast + by, unchecked (rnnOutput and rnnForward check around it). */
function outputInto(p: RnnParams, hLast: Float64Array, logits: Float64Array): void {
  const { H, O, Why, by } = p;
  for (let o = 0; o < O; o++) {
    let z = by[o];
    for (let j = 0; j < H; j++) z += Why[o * H + j] * hLast[j];
    logits[o] = z;
  }
}

/** Throw if v holds a NaN (after a computation; `cause` says where it can come from). */
function notNaN(fn: string, name: string, v: Float64Array, cause: string): void {
  for (let k = 0; k < v.length; k++) {
    if (v[k] !== v[k]) throw new Error(`${fn}: ${name}[${k}] came out NaN: ${cause}`);
  }
}

/**
 * Run the RNN over one sequence x (T·I values, x[t·I + i] is feature i at
 * step t) and return every hidden state and the logits.
 */
export function rnnForward(p: RnnParams, x: Float64Array, T: number): RnnCache {
  const fn = "rnnForward";
  checkParamShapes(fn, p, "rnn", rnnShapes);
  checkCount(fn, "T", T);
  const { I, H, O } = p;
  checkLength(fn, "x", x, T * I, `T·I = ${T * I} (T=${T}, I=${I})`);
  checkFinite(fn, "x", x);
  const hs = new Float64Array((T + 1) * H); // h_0 is the first H zeros
  for (let t = 0; t < T; t++) {
    const xt = x.subarray(t * I, (t + 1) * I);
    const hPrev = hs.subarray(t * H, (t + 1) * H);
    const hOut = hs.subarray((t + 1) * H, (t + 2) * H);
    rnnStep(p, xt, hPrev, hOut);
  }
  const logits = new Float64Array(O);
  outputInto(p, hs.subarray(T * H), logits);
  for (let o = 0; o < O; o++) {
    if (!Number.isFinite(logits[o])) {
      throw new Error(`${fn}: logits[${o}] is ${logits[o]}; the parameters hold a non-finite or overflowing value`);
    }
  }
  return { T, hs, logits };
}
