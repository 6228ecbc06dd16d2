// Built in lesson 09 (09-optimizers).
// SGD with momentum: keep a running "velocity" per parameter and step along it.
//
//   v ← β·v + g          (velocity: a decaying sum of past gradients)
//   w ← w − lr·v
//
// Gradients that keep pointing the same way add up (up to 1/(1−β) times: 10× for β = 0.9),
// while gradients that flip sign from step to step cancel. On a long, narrow valley of the
// loss this moves fast along the valley and damps the zig-zag across it.
// The state is one Float64Array per parameter array, in the canonical order of paramArrays(p),
// so the rule works for every cell kind in the registry (rnn, lstm, gru).
import type { BaseParams } from "./params";
import { paramArrays } from "./params";
import { checkDecay, checkObject, checkPositive, describe } from "./checks";
import { cellOps } from "./cells";
import { checkPair } from "./optim";

/** The velocity of every parameter array, by name, in canonical order. */
export interface MomentumState {
  kind: "momentum";
  velocity: Array<[string, Float64Array]>;
}

/** Options of momentumStep. */
export interface MomentumOptions {
  /** learning rate, > 0 */
  lr: number;
  /** how much velocity survives each step, in [0, 1) (default 0.9; 0 gives plain SGD) */
  beta?: number;
}

/** Zero velocity for parameters shaped like p. */
export function makeMomentumState(p: BaseParams): MomentumState {
  cellOps(p, "makeMomentumState");
  return { kind: "momentum", velocity: paramArrays(p).map(([name, w]): [string, Float64Array] => [name, new Float64Array(w.length)]) };
}

/** Check that p, grads and a state array list line up, array by array; returns the triples. */
export function alignState(fn: string, p: BaseParams, grads: BaseParams, state: Array<[string, Float64Array]>, stateName: string): Array<[Float64Array, Float64Array, Float64Array]> {
  checkPair(fn, p, grads);
  const ws = paramArrays(p);
  const gs = paramArrays(grads);
  if (!Array.isArray(state) || state.length !== ws.length) {
    throw new Error(`${fn}: ${stateName} has ${Array.isArray(state) ? state.length : describe(state)} arrays, expected ${ws.length} (one per parameter array of p; make it from the same p)`);
  }
  return ws.map(([name, w], k): [Float64Array, Float64Array, Float64Array] => {
    const [gName, g] = gs[k];
    const [sName, s] = state[k];
    if (gName !== name || g.length !== w.length) throw new Error(`${fn}: grads.${gName} does not match p.${name}`);
    if (sName !== name || !(s instanceof Float64Array) || s.length !== w.length) {
      throw new Error(`${fn}: ${stateName}[${k}] is ${sName} with ${s instanceof Float64Array ? s.length : describe(s)} values, expected ${name} with ${w.length} (was the state made for another model?)`);
    }
    return [w, g, s];
  });
}

/** One step of SGD with momentum, in place on p and state.velocity. */
export function momentumStep(p: BaseParams, grads: BaseParams, state: MomentumState, opts: MomentumOptions): void {
  const fn = "momentumStep";
  checkObject(fn, "state", state, "makeMomentumState(p)'s { kind, velocity }");
  checkObject(fn, "opts", opts, "{ lr, beta? }");
  const lr = checkPositive(fn, "opts.lr", opts.lr);
  const beta = checkDecay(fn, "opts.beta", opts.beta ?? 0.9);
  for (const [w, g, v] of alignState(fn, p, grads, state.velocity, "state.velocity")) momentumUpdate(w, g, v, lr, beta);
}

/** The momentum arithmetic on one parameter array w, its gradient g and velocity v; unchecked (hot path). */
export function momentumUpdate(w: Float64Array, g: Float64Array, v: Float64Array, lr: number, beta: number): void {
  for (let k = 0; k < w.length; k++) {
    v[k] = beta * v[k] + g[k];
    w[k] -= lr * v[k];
  }
}
