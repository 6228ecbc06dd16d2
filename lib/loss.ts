// Built in lesson 03 (03-loss).
// The sigmoid and binary cross-entropy, computed from the logit z so that
// they stay finite for any finite z (try z = ±1000: the textbook formula
// 1/(1+exp(-z)) then log(p) gives log(0) = -Infinity).
//
// Contract: these three are UNCHECKED scalar hot paths (the LSTM and GRU call sigmoid for every
// unit at every step, and they are lesson 03's code verbatim). The caller passes a number z and a
// label y that is exactly 0 or 1; then the result is finite for every finite z. Outside that
// contract a NaN z gives NaN and another y gives a meaningless number. Every library caller
// checks first: train, evaluate, meanLossAndGrads and loadDataset validate labels and parameters,
// rnnLossAndGrads checks y, and predictLogit and evaluate refuse a non-finite logit.
import { exp, log1p } from "./math"; // the same bits in every JavaScript engine (lib/math.ts)

/** σ(z) = 1 / (1 + e^(−z)), without overflow for large |z|. Unchecked: see the contract above (NaN in, NaN out). */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + exp(-z));
  const e = exp(z); // z < 0, so e is in (0, 1): no overflow
  return e / (1 + e);
}

/**
 * Binary cross-entropy −(y log p + (1−y) log(1−p)) with p = σ(z), rewritten as
 * max(z, 0) − z·y + log(1 + e^(−|z|)) so no step can overflow or take log(0).
 * Unchecked: y must be exactly 0 or 1 and z a number (see the contract above).
 */
export function bceWithLogits(z: number, y: number): number {
  return Math.max(z, 0) - z * y + log1p(exp(-Math.abs(z)));
}

/** dLoss/dz of bceWithLogits: simply σ(z) − y. Unchecked: y must be exactly 0 or 1 (see the contract above). */
export function dBceDLogit(z: number, y: number): number {
  return sigmoid(z) - y;
}
