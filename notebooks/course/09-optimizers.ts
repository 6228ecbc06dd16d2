// Checks for the exercises of lesson 09 (optimisers: SGD, momentum, Adam).
// Each check prints one line, "✔ …" or "✘ … not yet — hint", and returns { ok, message }.
// A wrong answer never throws: a hint is more useful than a stack trace.
import { makeRng, normalArray } from "../lib/random";
import { initRnnParams, paramArrays, zerosLike, cloneParams } from "../lib/params";
import { makeAdamState, adamStep } from "../lib/adam";
import { exercise, attempt, close } from "./report";
import type { CheckResult } from "./report";

export type { CheckResult };

// ---------------------------------------------------------------------------
// Exercise 9.1 — momentum's velocity under a constant gradient.

/** `velocity(beta, g)` should return the value v settles at when every step's gradient is g. */
export function checkSteadyVelocity(velocity: (beta: number, g: number) => number): CheckResult {
  const ex = exercise("9.1");
  const cases: Array<[number, number]> = [[0.9, 1], [0.5, 2], [0, 3], [0.99, -0.5]];
  for (const [beta, g] of cases) {
    const r = attempt(() => velocity(beta, g));
    if (r.error !== undefined) return ex.threw(r.error);
    const got = r.value;
    const want = g / (1 - beta);
    if (typeof got === "number" && close(got, want)) continue;
    if (typeof got === "number" && close(got, g)) return ex.hint(`that is the first step's velocity. Run v ← β·v + g many times: where does it stop changing?`);
    if (typeof got === "number" && close(got, g * (1 - beta))) return ex.hint(`solve v = β·v + g for v (a steady state does not change from one step to the next).`);
    return ex.hint(`for β = ${beta}, g = ${g} you return ${String(got)}. At the steady state, v = β·v + g.`);
  }
  return ex.pass(`v → g/(1−β): with β = 0.9 momentum moves 10× as far per step as SGD on a steady slope.`);
}

// ---------------------------------------------------------------------------
// Exercise 9.2 — the size of Adam's first step.

/** `firstStep(g, lr)` should return the change of a weight in Adam's FIRST step (defaults β1 = 0.9, β2 = 0.999, ε = 1e-8). */
export function checkFirstAdamStep(firstStep: (g: number, lr: number) => number): CheckResult {
  const ex = exercise("9.2");
  const cases: Array<[number, number]> = [[1, 0.01], [1e-4, 0.01], [250, 0.001], [-3, 0.1]];
  for (const [g, lr] of cases) {
    const r = attempt(() => firstStep(g, lr));
    if (r.error !== undefined) return ex.threw(r.error);
    const got = r.value;
    // m̂ = g, v̂ = g² after the bias correction, so Δw = −lr·g/(|g| + ε).
    const want = (-lr * g) / (Math.abs(g) + 1e-8);
    if (typeof got === "number" && close(got, want, 1e-6)) continue;
    if (typeof got === "number" && close(got, -lr * g, 1e-6)) return ex.hint(`that is SGD's step. Adam divides by √v̂; what are m̂ and v̂ after one step?`);
    if (typeof got === "number" && close(got, lr * g / (Math.abs(g) + 1e-8), 1e-6)) return ex.hint(`the sign: Adam steps DOWNHILL, against the gradient.`);
    const m = 0.1 * g, v = 0.001 * g * g;
    if (typeof got === "number" && close(got, (-lr * m) / (Math.sqrt(v) + 1e-8), 1e-6)) {
      return ex.hint(`you used m and v without the bias correction: divide m by 1−β1¹ and v by 1−β2¹ first.`);
    }
    return ex.hint(`for g = ${g}, lr = ${lr} you return ${String(got)}. Write m, v, m̂, v̂ after the first step (they start at 0).`);
  }
  return ex.pass(`the first step is −lr·sign(g), whatever the size of g: a gradient of 1e-4 moves a weight as far as one of 250.`);
}

// ---------------------------------------------------------------------------
// Exercise 9.3 — Adam on one array.

/** The learner's Adam update of ONE array, in place on w, m, v; t is the step number (1, 2, …). */
export type MyAdam = (w: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, t: number,
  opts: { lr: number; beta1: number; beta2: number; eps: number }) => void;

/** Runs the learner's update and lib's adamStep for 5 steps on the same parameters and gradients. */
export function checkMyAdam(myAdam: MyAdam): CheckResult {
  const ex = exercise("9.3");
  const opts = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
  const pLib = initRnnParams({ I: 2, H: 3, seed: "exercise-9.3" });
  const pMine = cloneParams(pLib);
  const state = makeAdamState(pLib);
  const mine = paramArrays(pMine).map(([name, w]) => ({ name, w, m: new Float64Array(w.length), v: new Float64Array(w.length) }));
  const rng = makeRng("exercise-9.3-grads");
  for (let t = 1; t <= 5; t++) {
    const grads = zerosLike(pLib);
    for (const [, g] of paramArrays(grads)) g.set(normalArray(rng, g.length, t === 3 ? 100 : 0.1));
    adamStep(pLib, grads, state, opts);
    const gArrays = paramArrays(grads);
    for (let a = 0; a < mine.length; a++) {
      const s = mine[a];
      const r = attempt(() => myAdam(s.w, gArrays[a][1].slice(), s.m, s.v, t, { ...opts }));
      if (r.error !== undefined) return ex.threw(r.error, "your function", ` at step ${t}`);
    }
    let err = 0;
    let where = "";
    const lib = paramArrays(pLib);
    for (let a = 0; a < mine.length; a++) {
      for (let k = 0; k < mine[a].w.length; k++) {
        const e = Math.abs(mine[a].w[k] - lib[a][1][k]);
        if (e > err) { err = e; where = `${mine[a].name}[${k}]`; }
      }
    }
    if (!(err < 1e-12)) {
      if (t === 1) return ex.hint(`after step 1 the weights differ from adamStep (max ${err.toExponential(1)} at ${where}). Update m and v first, then use the bias-corrected m̂ and v̂.`);
      return ex.hint(`step 1 matches, step ${t} does not (max difference ${err.toExponential(1)} at ${where}). Do m and v carry over between calls, and does the bias correction use this step's t?`);
    }
  }
  return ex.pass(`5 steps, identical to lib's adamStep on every parameter.`);
}
