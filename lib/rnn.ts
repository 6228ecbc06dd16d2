// Not built in a lesson: the plain RNN's entry in the cell registry. Lessons 02 and 04 build the
// readable forward pass and BPTT (forward.ts, bptt.ts); this entry runs the same arithmetic through
// fast.ts, bit for bit, and gives train() fast.ts's mini-batch path.
import type { RnnParams } from "./params";
import { rnnShapes, initRnnParams } from "./params";
import type { CellOps } from "./cell-types";
import type { RnnWorkspace } from "./fast";
import {
  makeRnnWorkspace,
  rnnForwardFast,
  rnnLossAndGradsFast,
  rnnBatchForwardBackwardFast,
  rnnBatchAddGradsFast,
  rnnBatchSgdStepFast,
} from "./fast";

/** The plain RNN: readable code in forward.ts/bptt.ts, the same numbers faster in fast.ts. */
export const rnnOps: CellOps<RnnParams, RnnWorkspace, RnnWorkspace> = {
  kind: "rnn",
  shapes: rnnShapes,
  init: initRnnParams,
  forwardLogits: (p, x, T, ws) => rnnForwardFast(p, x, T, ws).logits,
  lossAndGrads: rnnLossAndGradsFast,
  makeWorkspace: (p, T) => makeRnnWorkspace(p, T),
  batch: {
    makeWorkspace: makeRnnWorkspace,
    forwardBackward: rnnBatchForwardBackwardFast,
    addGrads: rnnBatchAddGradsFast,
    sgdStep: rnnBatchSgdStepFast,
  },
};
