// Built in lesson 05 (05-training).
// Using a trained model: the probability that a sequence's label is 1, and
// the mean loss and accuracy over a whole data set. Works for any cell kind.
import type { BaseParams } from "./params";
import type { Dataset } from "./data";
import { validateDataset } from "./data";
import { checkCount, checkLength, checkFinite } from "./checks";
import { cellOps, validateParams } from "./cells";
import { sigmoid, bceWithLogits } from "./loss";

/** The model's logit for one sequence x (T·I values). */
export function predictLogit(p: BaseParams, x: Float64Array, T: number): number {
  return logitOf("predictLogit", p, x, T);
}

/** predictLogit, with errors naming fn (the public function called). */
function logitOf(fn: string, p: BaseParams, x: Float64Array, T: number): number {
  validateParams(p, fn);
  checkCount(fn, "T", T);
  checkLength(fn, "x", x, T * p.I, `T·I = ${T * p.I} (T=${T}, I=${p.I})`);
  checkFinite(fn, "x", x);
  const ops = cellOps(p, fn);
  const z = ops.forwardLogits(p, x, T, ops.makeWorkspace(p, T))[0];
  if (!Number.isFinite(z)) throw new Error(`${fn}: the logit is ${z}; the parameters overflow on this input`);
  return z;
}

/** P(label = 1 | x) = σ(logit) for one sequence x (T·I values). */
export function predictProba(p: BaseParams, x: Float64Array, T: number): number {
  return sigmoid(logitOf("predictProba", p, x, T));
}

/** The predicted label for one sequence: 1 when the logit is > 0 (probability > 0.5), else 0. */
export function predictLabel(p: BaseParams, x: Float64Array, T: number): 0 | 1 {
  return logitOf("predictLabel", p, x, T) > 0 ? 1 : 0;
}

/** Mean binary cross-entropy and accuracy (logit > 0 predicts 1) of p over every sample of data. */
export function evaluate(p: BaseParams, data: Dataset): { meanLoss: number; accuracy: number } {
  const fn = "evaluate";
  validateParams(p, fn);
  validateDataset(data, `${fn}: data`);
  if (data.I !== p.I) throw new Error(`${fn}: data.I is ${data.I}, expected p.I = ${p.I} (input size of the model)`);
  const ops = cellOps(p, fn);
  const { n, T, I, xs, ys } = data;
  const L = T * I;
  const ws = ops.makeWorkspace(p, T);
  let lossSum = 0;
  let correct = 0;
  for (let k = 0; k < n; k++) {
    const z = ops.forwardLogits(p, xs.subarray(k * L, k * L + L), T, ws)[0];
    if (!Number.isFinite(z)) throw new Error(`${fn}: the logit of sample ${k} is ${z}; the parameters overflow on this input`);
    lossSum += bceWithLogits(z, ys[k]);
    if ((z > 0 ? 1 : 0) === ys[k]) correct++;
  }
  return { meanLoss: lossSum / n, accuracy: correct / n };
}
