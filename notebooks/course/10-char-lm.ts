// The exercise checks of lesson 10 (the character-level language model). Each check runs the
// learner's function inside attempt(), compares it with the library on fixed random cases, and
// prints one line through the reporter: a hint that names the mistake, or a pass.
import { exercise, attempt, maxAbsDiff } from "./report";
import type { CheckResult } from "./report";
import { makeRng, normalArray } from "../lib/random";
import { softmax, softmaxInto } from "../lib/softmax";
import type { RnnParams } from "../lib/params";
import { initCharRnn, charRnnPredict } from "../lib/charlm";

const isArray = (v: unknown, n: number): v is Float64Array | number[] =>
  (v instanceof Float64Array || Array.isArray(v)) && v.length === n && Array.from(v as ArrayLike<unknown>).every((x) => typeof x === "number");

/** Exercise 10.1: the gradient of softmax cross-entropy with respect to the logits. */
export function checkSoftmaxCrossEntropyGrad(f: (z: Float64Array, y: number) => Float64Array | number[]): CheckResult {
  const ex = exercise("10.1");
  const rng = makeRng("exercise-10.1");
  for (let c = 0; c < 5; c++) {
    const V = 3 + c;
    const z = normalArray(rng, V, 2);
    const y = c % V;
    const r = attempt(() => f(z.slice(), y));
    if (r.error !== undefined) return ex.threw(r.error, "dLossDLogits(z, y)");
    const got = r.value;
    if (!isArray(got, V)) return ex.hint(`dLossDLogits(z, y) should return V = ${V} numbers, one per logit`);
    const p = softmax(z);
    const want = p.slice();
    want[y] -= 1;
    if (maxAbsDiff(Array.from(got), Array.from(want)) <= 1e-12) continue;
    if (maxAbsDiff(Array.from(got), Array.from(p)) <= 1e-12) return ex.hint("close: that is the softmax itself. The loss is −log p_y: what does the true class's logit add?");
    const sum = Array.from(got).reduce((s, v) => s + v, 0);
    if (Math.abs(sum) > 1e-9) return ex.hint("the entries of the gradient should add up to 0 (the probabilities sum to 1, the one-hot vector too)");
    return ex.hint("differentiate log Σ_k e^{z_k} − z_y with respect to each z_k");
  }
  return ex.pass("p − onehot(y) on 5 random cases (V = 3 to 7)");
}

/**
 * Exercise 10.2 (the many-to-many counterpart of 06(c)): the gradient each step's own output
 * sends into its hidden state, row t = Whyᵀ (p_t − onehot(y_t)) / T, for the mean loss of a chunk.
 */
export function checkOutputGradients(f: (p: RnnParams, probs: Float64Array, targets: Int32Array) => Float64Array | number[]): CheckResult {
  const ex = exercise("10.2");
  const V = 5, H = 4, T = 6;
  const p = initCharRnn({ V, H, seed: "exercise-10.2" });
  const rng = makeRng("exercise-10.2-ids");
  const ids = new Int32Array(T + 1).map(() => Math.floor(rng.uniform() * V));
  const inputs = ids.subarray(0, T), targets = ids.subarray(1);
  const hPrev = normalArray(rng, H, 0.3);
  const { probs } = charRnnPredict(p, inputs, hPrev);
  const r = attempt(() => f(p, probs.slice(), targets.slice()));
  if (r.error !== undefined) return ex.threw(r.error, "outputGradients(p, probs, targets)");
  if (!isArray(r.value, T * H)) return ex.hint(`return T·H = ${T * H} numbers: row t (H values) is the gradient step t's output sends into h_t`);
  const got = Float64Array.from(r.value);
  const want = new Float64Array(T * H);
  for (let t = 0; t < T; t++) {
    for (let o = 0; o < V; o++) {
      const dz = (probs[t * V + o] - (o === targets[t] ? 1 : 0)) / T;
      for (let j = 0; j < H; j++) want[t * H + j] += p.Why[o * H + j] * dz;
    }
  }
  if (maxAbsDiff(Array.from(got), Array.from(want)) <= 1e-12) {
    return ex.pass("every step's output sends Whyᵀ dz_t into its own h_t — here that is right, because every step has a loss");
  }
  const rowsNonZero = Array.from({ length: T }, (_, t) => got.subarray(t * H, (t + 1) * H).some((v) => v !== 0));
  if (rowsNonZero.filter(Boolean).length === 1 && rowsNonZero[T - 1]) {
    return ex.hint("only the last step got an output gradient: that is many-to-one. Here EVERY step predicts a character, so every step has a loss of its own");
  }
  if (maxAbsDiff(Array.from(got), Array.from(want, (v) => v * T)) <= 1e-12) return ex.hint("the chunk's loss is the MEAN over its T characters: each step's share carries a factor 1/T");
  return ex.hint("for each step t: dz_t = p_t − onehot(y_t) (then the 1/T of the mean), and the state receives Whyᵀ dz_t");
}

/** Exercise 10.3: sampling probabilities at a temperature, softmax(z / τ), computed stably. */
export function checkTemperature(f: (z: Float64Array, temperature: number) => Float64Array | number[]): CheckResult {
  const ex = exercise("10.3");
  const cases: Array<[number[], number]> = [[[2, 1, 0, -1], 0.5], [[2, 1, 0, -1], 1.5], [[0.3, -0.2, 1.1], 1], [[1000, 0, -1000], 1], [[3, 2.5, 1], 0.1]];
  for (const [zs, tau] of cases) {
    const z = Float64Array.from(zs);
    const r = attempt(() => f(z.slice(), tau));
    if (r.error !== undefined) return ex.threw(r.error, `withTemperature([${zs}], ${tau})`);
    if (!isArray(r.value, z.length)) return ex.hint(`return one probability per logit (${z.length} numbers)`);
    const got = Array.from(r.value);
    const want = new Float64Array(z.length);
    softmaxInto(z, 0, z.length, want, 0, tau);
    if (maxAbsDiff(got, Array.from(want)) <= 1e-12) continue;
    if (got.some((v) => !Number.isFinite(v))) return ex.hint(`withTemperature([${zs}], ${tau}) gave a non-finite value: subtract the largest logit before exp()`);
    const times = new Float64Array(z.length);
    softmaxInto(z.map((v) => v * tau * tau), 0, z.length, times, 0, tau);
    if (maxAbsDiff(got, Array.from(times)) <= 1e-12) return ex.hint("the logits are DIVIDED by the temperature: a low temperature should sharpen the distribution");
    if (Math.abs(got.reduce((s, v) => s + v, 0) - 1) > 1e-9) return ex.hint("the probabilities should add up to 1");
    return ex.hint(`for τ = ${tau}, compare with softmax(z / τ)`);
  }
  return ex.pass("softmax(z / τ) for τ from 0.1 to 1.5, stable at logits of ±1000");
}
