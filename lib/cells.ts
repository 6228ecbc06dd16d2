// The registry of cell kinds. train(), evaluate(), gradCheck(), the optimiser
// and save/load work for ANY cell listed here: they look up its CellOps by
// p.kind and never touch a cell's internals.
//
// HOW TO ADD A CELL (e.g. an LSTM in lib/lstm.ts):
//   1. In lib/lstm.ts define the parameter type, with `kind` as a literal:
//        export interface LstmParams extends BaseParams { kind: "lstm"; Wx: Float64Array; ... }
//      (import type { BaseParams, Shape } from "./params"; every array is a
//      row-major Float64Array; I, H, O as in RnnParams; O is 1 for the course.)
//   2. In the same file export its operations, typed with CellOps:
//        import type { CellOps } from "./cells";      // `import type`: no runtime cycle
//        export const lstmOps: CellOps<LstmParams> = {
//          kind: "lstm",
//          paramNames: ["Wx", ...],                    // canonical order = the order init creates them
//          shapes: (I, H, O) => ({ Wx: [4 * H, I], ... }),   // same keys, same order
//          init: (opts) => ...,                        // seeded; create fields in paramNames order
//          forwardLogits: (p, x, T, ws) => ...,        // returns the O logits (may be ws's array)
//          lossAndGrads: (p, x, T, y, grads, ws) => ..., // BCE loss; ADD dLoss/dparam into grads
//          makeWorkspace: (p, T) => ...,               // scratch memory made once per run; must
//        };                                            // have `logits: Float64Array` (O values), which
//                                                      // forwardLogits returns and lossAndGrads fills
//      lossAndGrads must add (+=), not overwrite: mini-batches sum into one grads object.
//      Inputs are already validated by the caller (train/evaluate/gradCheck call
//      validateParams + validateDataset once), so the ops need no per-call checks.
//   3. In THIS file add the import and one entry to CELLS, and extend Params:
//        import { lstmOps } from "./lstm";  import type { LstmParams } from "./lstm";
//        export type Params = RnnParams | LstmParams;
//        export const CELLS = { rnn: rnnOps, lstm: lstmOps } ...
//   That is all: train(p, data, opts), evaluate, predictProba, gradCheck,
//   sgdStep, clipGradNorm, modelToJSON/modelFromJSON, saveModel/loadModel then
//   accept LstmParams. test/unit/cells.test.ts checks every registered cell's
//   gradients against finite differences and its save/load round trip.
import type { BaseParams, Shape, RnnParams } from "./params";
import { rnnShapes, initRnnParams, checkParamShapes, paramArrays } from "./params";
import { describe } from "./checks";
import type { RnnWorkspace } from "./fast";
import { makeRnnWorkspace, rnnForwardFast, rnnLossAndGradsFast } from "./fast";
import { lstmOps } from "./lstm";
import type { LstmParams } from "./lstm";
import { gruOps } from "./gru";
import type { GruParams } from "./gru";

/** The parameters of any registered cell kind. Extend this union when adding a cell. */
export type Params = RnnParams | LstmParams | GruParams;

/** A cell's scratch memory; it must expose the logits of its latest forward pass. */
export interface CellWorkspace {
  /** O values, overwritten by every forwardLogits / lossAndGrads call */
  logits: Float64Array;
}

/** What the generic code (train, evaluate, gradCheck, serialize) needs from a cell kind. */
export interface CellOps<P extends BaseParams = BaseParams, W extends CellWorkspace = CellWorkspace> {
  /** the value of p.kind for this cell */
  kind: string;
  /** the parameter arrays' names in canonical order (the order init creates them) */
  paramNames: readonly string[];
  /** each array's [rows, cols] for sizes I, H, O (vectors are [n, 1]); keys in paramNames order */
  shapes(I: number, H: number, O: number): Record<string, Shape>;
  /** fresh parameters from a seed */
  init(opts: { I: number; H: number; O?: number; seed: string | number }): P;
  /** the O logits after reading x (T·I values); returns ws.logits */
  forwardLogits(p: P, x: Float64Array, T: number, ws: W): Float64Array;
  /** BCE loss of x against y ∈ {0,1}; ADDS the gradient of that loss into grads; leaves the logits in ws.logits */
  lossAndGrads(p: P, x: Float64Array, T: number, y: number, grads: P, ws: W): number;
  /** scratch memory for sequences of up to T steps, made once per run and passed back in */
  makeWorkspace(p: P, T: number): W;
}

/** The plain RNN: readable code in forward.ts/bptt.ts, the same numbers faster in fast.ts. */
export const rnnOps: CellOps<RnnParams, RnnWorkspace> = {
  kind: "rnn",
  paramNames: ["Wxh", "Whh", "Why", "bh", "by"],
  shapes: rnnShapes,
  init: initRnnParams,
  forwardLogits: (p, x, T, ws) => rnnForwardFast(p, x, T, ws).logits,
  lossAndGrads: rnnLossAndGradsFast,
  makeWorkspace: makeRnnWorkspace,
};

/** Every cell kind by name. Add one line per new cell. */
export const CELLS: Record<string, CellOps<any, any>> = {
  rnn: rnnOps,
  lstm: lstmOps,
  gru: gruOps,
};

/** The ops of p's cell kind (p may be a parameter object or a kind name); throws for an unknown kind. */
export function cellOps(p: BaseParams | string, fn = "cellOps"): CellOps<any, any> {
  const kind = typeof p === "string" ? p : typeof p === "object" && p !== null ? p.kind : undefined;
  const ops = typeof kind === "string" && Object.prototype.hasOwnProperty.call(CELLS, kind) ? CELLS[kind] : undefined;
  if (!ops) {
    throw new Error(`${fn}: cell kind is ${describe(kind)}, expected one of ${Object.keys(CELLS).map((k) => `"${k}"`).join(", ")}`);
  }
  return ops;
}

/**
 * Check that p is a complete, finite parameter object of a registered kind:
 * sizes, every array's type and length, and every value finite. `name` is how
 * the error refers to p (e.g. "p" or "grads").
 */
export function validateParams(p: unknown, fn: string, name = "p"): Params {
  const ops = cellOps(p as BaseParams, fn);
  checkParamShapes(fn, p, ops.kind, ops.shapes, name);
  for (const [field, v] of paramArrays(p as BaseParams)) {
    for (let k = 0; k < v.length; k++) {
      if (!Number.isFinite(v[k])) throw new Error(`${fn}: ${name}.${field}[${k}] is ${v[k]}, expected a finite number`);
    }
  }
  return p as Params;
}

/** Check that a and b have the same kind and sizes (e.g. parameters and their gradients). */
export function checkSameShape(fn: string, a: BaseParams, aName: string, b: BaseParams, bName: string): void {
  if (a.kind !== b.kind || a.I !== b.I || a.H !== b.H || a.O !== b.O) {
    throw new Error(
      `${fn}: ${bName} is ${b.kind} with I=${b.I}, H=${b.H}, O=${b.O}, expected the same as ${aName} (${a.kind} with I=${a.I}, H=${a.H}, O=${a.O})`,
    );
  }
}
