// The public API of the course library, in one place. Everything here is
// plain TypeScript over Float64Array with no Node-only imports, so it runs in
// Node, a notebook or a browser. File access lives in ./io (loadDataset,
// saveDataset) and ./model-io (saveModel, loadModel): Node-only, deliberately
// not re-exported here.
// Each function's full documentation is on its definition.

// random.ts — seeded randomness
export type { Rng } from "./random";
export {
  /** A seeded generator { uniform(), normal() } from a string or number seed. */
  makeRng,
  /** n normal samples times a scale, drawn from an Rng. */
  normalArray,
  /** 0..n-1 in random order (Fisher–Yates), drawn from an Rng. */
  shuffledIndices,
} from "./random";

// data.ts — data sets
export type { Dataset } from "./data";
export {
  /** The note's task: standard-normal sequences, label 1 when their sum is > 0. */
  makeSignOfSumData,
  /** Split a data set into its first nTrain samples and the rest. */
  splitDataset,
  /** A view of sample k's T·I values. */
  sequence,
  /** Check a data set's sizes, finiteness and labels; errors name the source and field. */
  validateDataset,
} from "./data";

// params.ts — parameters
export type { BaseParams, RnnParams, Shape, ArrayInput } from "./params";
export {
  /** Seeded RNN parameters: normal × sqrt(1/fan_in) weights, zero biases. */
  initRnnParams,
  /** RNN parameters from given (nested or flat) arrays, validated and copied. */
  rnnParamsFrom,
  /** The RNN arrays' shapes for sizes I, H, O. */
  rnnShapes,
  /** A parameter-shaped object of zeros (e.g. for gradients). */
  zerosLike,
  /** A deep copy of a parameter object. */
  cloneParams,
  /** [name, array] pairs of any cell's parameters, in canonical order. */
  paramArrays,
  /** The total number of trainable values. */
  countParams,
} from "./params";

// forward.ts — the forward pass
export type { RnnCache } from "./forward";
export {
  /** One step: hOut = tanh(Wxh xt + Whh hPrev + bh). */
  rnnStep,
  /** logits = Why hLast + by. */
  rnnOutput,
  /** Run the RNN over a sequence; keeps every hidden state for BPTT. */
  rnnForward,
} from "./forward";

// loss.ts — numerically stable sigmoid and binary cross-entropy
export {
  /** σ(z), without overflow for any finite z. */
  sigmoid,
  /** Binary cross-entropy of σ(z) against y, computed from the logit z. */
  bceWithLogits,
  /** dLoss/dz of bceWithLogits = σ(z) − y. */
  dBceDLogit,
} from "./loss";

// bptt.ts — backpropagation through time
export {
  /** All parameter gradients of one sequence from its forward cache and dLoss/dLogits. */
  rnnBackward,
  /** Like rnnBackward but adds into an existing gradient object (for mini-batches). */
  rnnBackwardAdd,
  /** Forward + loss + backward for one labelled sequence. */
  rnnLossAndGrads,
} from "./bptt";

// cells.ts — the registry that makes training generic over cell kinds
export type { Params } from "./cells";
export type { CellOps, CellWorkspace, CellBatchOps, BatchWorkspace } from "./cell-types";
export {
  /** Every registered cell kind's operations, by kind name. */
  CELLS,
  /** The operations of a parameter object's (or a kind name's) cell. */
  cellOps,
  /** Check a parameter object completely (kind, shapes, finite values). */
  validateParams,
} from "./cells";

// gradcheck.ts — finite-difference gradient checking
export type { GradCheckOptions } from "./gradcheck";
export {
  /** Max relative error per parameter array between analytic and central-difference gradients. */
  gradCheck,
  /** Central-difference gradient estimates of a loss function. */
  numericalGrads,
  /** |a − n| / max(|a| + |n|, 1e-12). */
  relativeError,
} from "./gradcheck";

// optim.ts — gradient descent
export {
  /** p ← p − lr · grads, in place. */
  sgdStep,
  /** The global Euclidean norm of all gradients. */
  gradNorm,
  /** Scale gradients to global norm ≤ maxNorm; returns the norm before. */
  clipGradNorm,
} from "./optim";

// train.ts — the training loop
export type { EpochStats, TrainOptions } from "./train";
export {
  /** Train in place with per-sample or mini-batch SGD; returns per-epoch loss and accuracy. */
  train,
  /** train() that lets the event loop run after each epoch, so a browser page can redraw while training (await it). */
  trainAsync,
  /** Mean loss and mean gradient over a data set (one mini-batch's gradient). */
  meanLossAndGrads,
} from "./train";

// evaluate.ts — using a model
export {
  /** The logit for one sequence. */
  predictLogit,
  /** P(label = 1) for one sequence. */
  predictProba,
  /** The predicted 0/1 label for one sequence. */
  predictLabel,
  /** Mean loss and accuracy over a data set. */
  evaluate,
} from "./evaluate";

// serialize.ts — models as JSON text
export {
  /** A model as JSON text (bit-exact numbers). */
  modelToJSON,
  /** A model from JSON text, validated; errors name the source and field. */
  modelFromJSON,
} from "./serialize";

// lstm.ts, gru.ts — gated cells (registered in cells.ts, so train/evaluate/gradCheck/save work for them)
export type { LstmParams, LstmCache, LstmWorkspace } from "./lstm";
export { initLstmParams, lstmParamsFrom, lstmShapes, lstmStep, lstmForward, lstmBackward, lstmBackwardAdd, lstmLossAndGrads, lstmOps } from "./lstm";
export type { GruParams, GruCache, GruWorkspace } from "./gru";
export { initGruParams, gruParamsFrom, gruShapes, gruStep, gruForward, gruBackward, gruBackwardAdd, gruLossAndGrads, gruOps } from "./gru";

// long-data.ts, momentum.ts, adam.ts — the long-dependency task and optimisers beyond SGD
export type { FirstSignOptions } from "./long-data";
export { makeFirstSignData, LONG_TASK } from "./long-data";
export type { MomentumState, MomentumOptions } from "./momentum";
export { makeMomentumState, momentumStep } from "./momentum";
export type { AdamState, AdamOptions } from "./adam";
export { makeAdamState, adamStep } from "./adam";

// softmax.ts, text.ts, charlm.ts, charlm-train.ts — the character-level language model (lesson 10)
export { softmax, softmaxInto, softmaxCrossEntropy, dSoftmaxCrossEntropy } from "./softmax";
export type { Vocab } from "./text";
export { makeVocab, vocabFromChars, encodeText, decodeText } from "./text";
export type { CharRnnWorkspace, ChunkResult, TextReader, SampleOptions, CharLm } from "./charlm";
export {
  initCharRnn, makeCharRnnWorkspace, charRnnLossAndGrads, charRnnLoss, charRnnPredict, charRnnTextLoss, checkSeqLength,
  makeTextReader, readerStep, sampleText, charLmToJSON, charLmFromJSON,
} from "./charlm";
export type { CharLmProgress, CharLmTrainOptions } from "./charlm-train";
export { trainCharLm } from "./charlm-train";
