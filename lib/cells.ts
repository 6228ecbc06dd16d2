// Not built in a lesson: the registry of cell kinds (lessons 05 and 08 use it). train(), evaluate(),
// gradCheck(), the optimisers and save/load work for ANY cell listed here: they look up its CellOps
// by p.kind and never touch a cell's internals.
//
// HOW TO ADD A CELL (e.g. a new cell in lib/mycell.ts):
//   1. In lib/mycell.ts define the parameter type, with `kind` as a literal:
//        export interface MyParams extends BaseParams { kind: "my"; Wx: Float64Array; ... }
//      (every array is a row-major Float64Array; I, H, O as in RnnParams; O is 1 for the course.)
//   2. In the same file export its operations, typed with CellOps (lib/cell-types.ts, types only):
//        export const myOps: CellOps<MyParams, MyWorkspace> = {
//          kind: "my",
//          shapes: (I, H, O) => ({ Wx: [H, I], ... }),   // keys in canonical order = the order init creates them
//          init, forwardLogits, lossAndGrads, makeWorkspace,
//          batch,                                        // optional: a fast mini-batch path (see CellBatchOps)
//        };
//      lossAndGrads must add (+=), not overwrite: mini-batches sum into one grads object.
//      Inputs are validated by the caller (train/evaluate/gradCheck call validateParams and
//      validateDataset once), so the ops need no per-call checks.
//   3. In THIS file add one import, one member of Params and one entry of CELLS.
//   train, evaluate, predictProba, gradCheck, the optimisers, modelToJSON/modelFromJSON and
//   saveModel/loadModel then accept MyParams; test/unit/cells.test.ts checks every registered
//   cell's gradients against finite differences and its save/load round trip.
import type { BaseParams, RnnParams } from "./params";
import { checkParamShapes, paramArrays } from "./params";
import { describe } from "./checks";
import type { CellOps } from "./cell-types";
import { rnnOps } from "./rnn";
import { lstmOps } from "./lstm";
import type { LstmParams } from "./lstm";
import { gruOps } from "./gru";
import type { GruParams } from "./gru";

/** The parameters of any registered cell kind. Extend this union when adding a cell. */
export type Params = RnnParams | LstmParams | GruParams;

/** Every cell kind by name, each entry typed with its own parameters. Add one line per new cell. */
export const CELLS: { readonly [K in Params["kind"]]: CellOps<Extract<Params, { kind: K }>> } = {
  rnn: rnnOps,
  lstm: lstmOps,
  gru: gruOps,
};

/** The ops of p's cell kind (p may be a parameter object or a kind name); throws for an unknown kind. */
export function cellOps(p: BaseParams | string, fn = "cellOps"): CellOps {
  const kind = typeof p === "string" ? p : typeof p === "object" && p !== null ? p.kind : undefined;
  const ops: CellOps | undefined =
    typeof kind === "string" && Object.prototype.hasOwnProperty.call(CELLS, kind) ? (CELLS as Record<string, CellOps>)[kind] : undefined;
  if (!ops) {
    throw new Error(`${fn}: cell kind is ${describe(kind)}, expected one of ${Object.keys(CELLS).map((k) => `"${k}"`).join(", ")}`);
  }
  return ops;
}

/** A cell's parameter names in canonical order: the keys of its shapes, which are listed once. */
export function paramNamesOf(ops: CellOps): string[] {
  return Object.keys(ops.shapes(1, 1, 1));
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
