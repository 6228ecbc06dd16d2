// ⚠ DELIBERATELY WRONG CODE — for lesson 06 ("How BPTT goes wrong") only.
//
// This file reproduces, one at a time, the mistakes of the NumPy note the course
// grew from, so that a learner can watch a gradient check catch each of them.
// Nothing here is re-exported from lib/index.ts; never train a real model with it.
// The correct backward pass is lib/bptt.ts (rnnBackward / rnnLossAndGrads).
//
// Every variant is one readable BPTT loop (bpttWith) in which exactly one of
// four decisions is changed. The forward pass and the loss are always correct.
import type { RnnParams } from "../lib/params";
import { zerosLike } from "../lib/params";
import { rnnForward } from "../lib/forward";
import { bpttStep } from "./04-bptt";
import { bceWithLogits, sigmoid } from "../lib/loss";

/** A function with the shape of rnnLossAndGrads: loss and gradients for one sample. */
export type GradFn = (p: RnnParams, x: Float64Array, T: number, y: number) => { loss: number; grads: RnnParams };

/** The four decisions a hand-written BPTT for "classify from h_T" has to get right. */
export interface BpttChoices {
  /** dL/dz at the logit z, for label y. Correct: sigmoid(z) − y. */
  outputGrad(z: number, y: number): number;
  /** Does step t (1..T) receive the output gradient Whyᵀ·dz directly? Correct: only t = T. */
  outputReaches(t: number, T: number): boolean;
  /** Which hidden state h_k feeds the tanh derivative 1 − h_k² at step t? Correct: k = t. */
  tanhDerivState(t: number, T: number): number;
  /** Which hidden state h_k is paired with da_t in dWhh += da_t·h_kᵀ? Correct: k = t − 1. */
  dWhhState(t: number, T: number): number;
  /**
   * Does dh_{t−1} come from Whhᵀ·da_t? Correct: true (the default). Not one of the note's
   * mistakes: exercise 6.3's mystery gradient sets it to false.
   */
  throughTranspose?: boolean;
}

/** The right decisions (the same math as lib/bptt.ts, written as choices). */
export const correctChoices: BpttChoices = {
  outputGrad: (z, y) => sigmoid(z) - y,
  outputReaches: (t, T) => t === T,
  tanhDerivState: (t) => t,
  dWhhState: (t) => t - 1,
};

/**
 * One readable BPTT loop for the course's task (O = 1, loss read from h_T only),
 * parameterised by the four choices above. Hidden states are cache.hs rows:
 * row 0 is h_0 = 0, row t is h_t; input step t (1-based) is x[(t−1)·I ...].
 */
export function bpttWith(choices: BpttChoices): GradFn {
  return (p, x, T, y) => {
    if (p.O !== 1) throw new Error(`bpttWith: p.O is ${p.O}, expected 1 (these variants model a one-logit classifier)`);
    const { I, H } = p;
    const cache = rnnForward(p, x, T);
    const z = cache.logits[0];
    const loss = bceWithLogits(z, y);
    const g = zerosLike(p);
    const hRow = (k: number) => cache.hs.subarray(k * H, (k + 1) * H);

    const dz = choices.outputGrad(z, y); // dL/dz, a scalar since O = 1
    const hT = hRow(T);
    for (let j = 0; j < H; j++) g.Why[j] = dz * hT[j]; // (1×1)·(1×H) → (1×H)
    g.by[0] = dz;

    // Each step is the course's one backward step (04-bptt.ts), fed the states the choices pick.
    const WhhBack = choices.throughTranspose === false ? transpose({ rows: H, cols: H, data: p.Whh }).data : p.Whh;
    let dhNext: Float64Array = new Float64Array(H); // gradient reaching h_t from step t+1 (zero beyond T)
    for (let t = T; t >= 1; t--) {
      const direct = choices.outputReaches(t, T);
      const dh = dhNext.map((d, j) => d + (direct ? p.Why[j] * dz : 0)); // (H)
      const step = bpttStep({
        I, H, Whh: WhhBack, xt: x.subarray((t - 1) * I, t * I), dh,
        h: hRow(choices.tanhDerivState(t, T)), // the state whose tanh' is used
        hPrev: hRow(choices.dWhhState(t, T)), // the state paired with da_t in dWhh
      });
      addInto(g.Wxh, step.dWxh);
      addInto(g.Whh, step.dWhh);
      addInto(g.bh, step.dbh);
      dhNext = step.dhPrev;
    }
    return { loss, grads: g };
  };
}

function addInto(sum: Float64Array, part: Float64Array): void {
  for (let k = 0; k < sum.length; k++) sum[k] += part[k];
}

/** The correct gradient written with bpttWith (it must agree with lib/bptt.ts). */
export const correctGrads: GradFn = bpttWith(correctChoices);

/**
 * MISTAKE (b): the output gradient taken from the logit and multiplied by the
 * sigmoid's derivative, (z − y)·σ'(z), instead of p − y. It treats z as if it were
 * the prediction (a squared-error gradient on the logit) and then applies the
 * sigmoid's derivative that cross-entropy had already cancelled.
 */
export function logitTimesSigmoidDeriv(z: number, y: number): number {
  return (z - y) * sigmoid(z) * (1 - sigmoid(z)); // ✘ should be sigmoid(z) − y
}
export const logitTimesSigmoidDerivGrads: GradFn = bpttWith({
  ...correctChoices,
  outputGrad: logitTimesSigmoidDeriv,
});

/**
 * MISTAKE (c): the output gradient pushed into every time step. The loss reads
 * only h_T, so only step T receives Whyᵀ·dz; earlier steps get gradient only
 * through the recurrence (Whhᵀ·da).
 */
export const outputAtEveryStepGrads: GradFn = bpttWith({
  ...correctChoices,
  outputReaches: () => true, // ✘ should be t === T
});

/**
 * MISTAKE (d): the tanh derivative taken from the LAST hidden state at every
 * step, 1 − h_T², instead of 1 − h_t² at the step being differentiated.
 */
export const lastStateTanhDerivGrads: GradFn = bpttWith({
  ...correctChoices,
  tanhDerivState: (_t, T) => T, // ✘ should be t
});

/**
 * MISTAKE (e): dWhh paired with the wrong hidden state, the current h_t instead
 * of the previous h_{t−1} that Whh actually multiplied at step t (off by one in time).
 */
export const wrongStateDWhhGrads: GradFn = bpttWith({
  ...correctChoices,
  dWhhState: (t) => t, // ✘ should be t − 1
});

/** The note's backward with its shape errors repaired: mistakes (b), (c), (d) and (e) together. */
export const allNoteMistakesGrads: GradFn = bpttWith({
  outputGrad: logitTimesSigmoidDeriv,
  outputReaches: () => true,
  tanhDerivState: (_t, T) => T,
  dWhhState: (t) => t,
});

// ---------------------------------------------------------------------------
// MISTAKE (a): the shape error. NumPy arrays carry their shapes and np.dot checks
// them at run time; our Float64Arrays do not, so a wrong slice would silently
// read the wrong numbers. A tiny matrix type with a shape assertion brings the
// check back, and reproduces the crash the note hits on its very first sample.

/** A row-major matrix that knows its shape. */
export interface Mat { rows: number; cols: number; data: Float64Array }

/** A·B with a shape assertion that names both operands, as np.dot would refuse them. */
export function matmul(what: string, A: Mat, B: Mat): Mat {
  if (A.cols !== B.rows) {
    throw new Error(
      `${what}: shapes (${A.rows}×${A.cols}) and (${B.rows}×${B.cols}) do not align — ` +
        `inner sizes ${A.cols} ≠ ${B.rows}`,
    );
  }
  const out = new Float64Array(A.rows * B.cols);
  for (let r = 0; r < A.rows; r++)
    for (let k = 0; k < A.cols; k++)
      for (let c = 0; c < B.cols; c++) out[r * B.cols + c] += A.data[r * A.cols + k] * B.data[k * B.cols + c];
  return { rows: A.rows, cols: B.cols, data: out };
}

/** The transpose of a matrix (a new array). */
export function transpose(A: Mat): Mat {
  const out = new Float64Array(A.data.length);
  for (let r = 0; r < A.rows; r++) for (let c = 0; c < A.cols; c++) out[c * A.rows + r] = A.data[r * A.cols + c];
  return { rows: A.cols, cols: A.rows, data: out };
}

/**
 * MISTAKE (a): dWhy computed from the wrong slice of the stored hidden states.
 * The note keeps the states as an H×(T+1) matrix (one COLUMN per time step) and
 * takes its last ROW — hidden unit H at every time step, shape 1×(T+1) — where
 * it needed the last column h_T (H×1). With the shape check, dz·rowᵀ cannot
 * even be formed: (1×1)·((T+1)×1). This function always throws; that is its point.
 */
export function shapeErrorDWhy(p: RnnParams, x: Float64Array, T: number, y: number): Mat {
  const { H } = p;
  const cache = rnnForward(p, x, T);
  const z = cache.logits[0];
  const dz: Mat = { rows: 1, cols: 1, data: Float64Array.of(sigmoid(z) - y) };
  // The states as the note stores them: H rows, T+1 columns (column t is h_t).
  const hsCols = transpose({ rows: T + 1, cols: H, data: cache.hs });
  const lastRow: Mat = { rows: 1, cols: T + 1, data: hsCols.data.slice((H - 1) * (T + 1)) }; // ✘ hs[-1:, :]
  return matmul("dWhy = dz · hs[-1:, :]ᵀ", dz, transpose(lastRow));
}

/** The repaired line: the last COLUMN h_T (H×1), so dz·h_Tᵀ is (1×1)·(1×H) → (1×H). */
export function fixedDWhy(p: RnnParams, x: Float64Array, T: number, y: number): Mat {
  const { H } = p;
  const cache = rnnForward(p, x, T);
  const z = cache.logits[0];
  const dz: Mat = { rows: 1, cols: 1, data: Float64Array.of(sigmoid(z) - y) };
  const hT: Mat = { rows: H, cols: 1, data: cache.hs.slice(T * H, (T + 1) * H) }; // hs[:, -1:]
  return matmul("dWhy = dz · h_Tᵀ", dz, transpose(hT));
}
