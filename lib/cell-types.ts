// Not built in a lesson: the types that connect a cell kind to the generic code (registry, train, evaluate,
// gradCheck, save/load). Types only, so lstm.ts, gru.ts and rnn.ts import it without importing the registry.
import type { BaseParams, Shape } from "./params";

/** A cell's scratch memory; it must expose the logits of its latest forward pass. */
export interface CellWorkspace {
  /** O values, overwritten by every forwardLogits / lossAndGrads call */
  logits: Float64Array;
}

/** Scratch memory of a batch capability: per-sequence results of the latest forwardBackward. */
export interface BatchWorkspace {
  /** each sequence's loss, in batch order */
  losses: Float64Array;
  /** each sequence's logit (O = 1), in batch order */
  zs: Float64Array;
}

/**
 * An optional fast path over a whole mini-batch. It must give the same numbers, bit for bit, as
 * calling the cell's lossAndGrads on each sequence in batch order and adding into one grads object.
 */
export interface CellBatchOps<P extends BaseParams, BW extends BatchWorkspace = BatchWorkspace> {
  /** scratch memory for up to B sequences of up to T steps */
  makeWorkspace(p: P, T: number, B: number): BW;
  /** forward and backward pass of the sequences order[start..end) of a data set (xs, ys); results in ws */
  forwardBackward(p: P, xs: Float64Array, ys: Float64Array, order: Uint32Array, start: number, end: number, T: number, ws: BW): void;
  /** ADD the summed gradients of the batch that forwardBackward just ran into grads */
  addGrads(p: P, grads: P, ws: BW): void;
  /**
   * The gradient sum, mean and SGD step fused: p ← p − lr · (mean gradient of the batch), without
   * storing the gradient (zeroGrads must be all zero and stays so). Returns 0, or NaN when an updated
   * weight is not finite.
   */
  sgdStep(p: P, zeroGrads: P, lr: number, ws: BW): number;
}

/** What the generic code (train, evaluate, gradCheck, serialize) needs from a cell kind. */
export interface CellOps<P extends BaseParams = BaseParams, W extends CellWorkspace = CellWorkspace, BW extends BatchWorkspace = BatchWorkspace> {
  /** the value of p.kind for this cell */
  kind: P["kind"];
  /**
   * each array's [rows, cols] for sizes I, H, O (vectors are [n, 1]); the keys, in order, are the
   * parameter names in canonical order (the order init creates them; see paramNamesOf in cells.ts)
   */
  shapes(I: number, H: number, O: number): Record<string, Shape>;
  /** fresh parameters from a seed */
  init(opts: { I: number; H: number; O?: number; seed: string | number }): P;
  /** the O logits after reading x (T·I values); returns ws.logits */
  forwardLogits(p: P, x: Float64Array, T: number, ws: W): Float64Array;
  /** BCE loss of x against y ∈ {0,1}; ADDS the gradient of that loss into grads; leaves the logits in ws.logits */
  lossAndGrads(p: P, x: Float64Array, T: number, y: number, grads: P, ws: W): number;
  /** scratch memory for sequences of up to T steps, made once per run and passed back in */
  makeWorkspace(p: P, T: number): W;
  /** optional fast path over a mini-batch (train() uses it when present) */
  batch?: CellBatchOps<P, BW>;
}
