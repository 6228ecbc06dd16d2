// Shared helpers for the unit tests (not a test file itself).
import * as assert from "node:assert/strict";
import { paramArrays, zerosLike } from "../../lib/params";
import type { BaseParams } from "../../lib/params";
import { makeRng, normalArray } from "../../lib/random";
import type { Rng } from "../../lib/random";
import { gradCheckDetails, numericalGrads } from "../../lib/gradcheck";
import { bceWithLogits } from "../../lib/loss";
import { cellOps } from "../../lib/cells";
import type { CellOps, CellWorkspace } from "../../lib/cell-types";
import { train } from "../../lib/train";
import { evaluate } from "../../lib/evaluate";
import { modelToJSON, modelFromJSON } from "../../lib/serialize";
import { makeFirstSignData } from "../../lib/long-data";

/** The raw bytes of every parameter array, concatenated: equal Buffers mean bit-identical weights. */
export function paramBytes(p: BaseParams): Buffer {
  return Buffer.concat(paramArrays(p).map(([, v]) => Buffer.from(v.buffer, v.byteOffset, v.byteLength)));
}

/** Assert two Float64Arrays are bit-identical, naming the first differing index. */
export function assertBitsEqual(a: Float64Array, b: Float64Array, what: string): void {
  assert.equal(a.length, b.length, `${what}: lengths differ`);
  const ba = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const bb = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (!ba.equals(bb)) {
    let k = 0;
    while (k < a.length && Object.is(a[k], b[k])) k++;
    assert.fail(`${what}: differs at [${k}]: ${a[k]} vs ${b[k]}`);
  }
}

/** Assert that fn throws an Error whose message matches every pattern. */
export function assertThrowsMsg(fn: () => unknown, ...patterns: Array<RegExp | string>): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown instanceof Error, `expected an Error to be thrown, got ${String(thrown)}`);
  for (const pat of patterns) {
    if (typeof pat === "string") assert.ok(thrown.message.includes(pat), `message ${JSON.stringify(thrown.message)} should contain ${JSON.stringify(pat)}`);
    else assert.match(thrown.message, pat);
  }
}

// ---------------------------------------------------------------------------------------------
// Tests shared by the gated cells (test/unit/gru.test.ts, test/unit/lstm.test.ts): each file describes
// its cell once and runs the same gradient check, fast-path comparison and training round trip.

/** What the shared tests need to know about a gated cell (GRU, LSTM). */
export interface GatedCellUnderTest<P extends BaseParams> {
  /** the cell's name in messages: "GRU", "LSTM" */
  name: string;
  /** p.kind, also the prefix of every seed: "gru", "lstm" */
  kind: string;
  /** the cell's entry in the registry */
  ops: CellOps<P, CellWorkspace>;
  init(opts: { I: number; H: number; seed: string | number }): P;
  forward(p: P, x: Float64Array, T: number): { logits: Float64Array };
  lossAndGrads(p: P, x: Float64Array, T: number, y: number): { loss: number; grads: P };
  /** parameters for gradient-check configuration c (seeded by seed), with biases made non-zero from rng */
  gradCheckParams(c: number, I: number, H: number, seed: string, rng: Rng): P;
}

/** BPTT matches central differences on 40 random configurations (I 1–3, H 1–8, T 1–20). */
export function assertGradientsMatchCentralDifferences<P extends BaseParams>(cell: GatedCellUnderTest<P>): void {
  const rng = makeRng(`${cell.kind}-gradcheck`);
  const pick = (lo: number, hi: number): number => lo + Math.floor(rng.uniform() * (hi - lo + 1));
  let worst = 0, worstAt = "", skipped = 0, arrays = 0;
  for (let c = 0; c < 40; c++) {
    const I = pick(1, 3), H = pick(1, 8), T = pick(1, 20);
    const p = cell.gradCheckParams(c, I, H, `${cell.kind}-gc-${c}`, rng);
    const x = normalArray(rng, T * I);
    const y = c % 2;
    const lossOf = (q: P): number => bceWithLogits(cell.forward(q, x, T).logits[0], y);
    const { grads } = cell.lossAndGrads(p, x, T, y);
    arrays += paramArrays(grads).length;
    // Array by array (relative to the array's largest entry, as gradCheck does). An array whose
    // whole gradient is below 1e-4 (e.g. Wh* when H = 1 and T = 2) cannot be confirmed to 1e-6 of
    // itself — a central difference carries ~1e-11 of rounding noise — so it is held to the
    // entry-by-entry bound below instead; `skipped` counts those arrays.
    for (const [name, d] of Object.entries(gradCheckDetails(p, lossOf, grads))) {
      if (d.scale < 1e-4) { skipped++; continue; }
      if (d.relError > worst) { worst = d.relError; worstAt = `${name} (I=${I}, H=${H}, T=${T})`; }
    }
    // entry by entry: |a − n| <= 1e-6·max(|a|,|n|) + 1e-9 (1e-9 ≈ 10× the rounding noise of a central difference)
    const numeric = numericalGrads(p, lossOf);
    for (const [name, a] of paramArrays(grads)) {
      for (let k = 0; k < a.length; k++) {
        const n = numeric[name][k];
        assert.ok(Math.abs(a[k] - n) <= 1e-6 * Math.max(Math.abs(a[k]), Math.abs(n)) + 1e-9, `${name}[${k}]: ${a[k]} vs ${n} (I=${I}, H=${H}, T=${T})`);
      }
    }
  }
  console.log(`${cell.name} gradient check: worst relative error ${worst.toExponential(2)} at ${worstAt}; ${skipped} of ${arrays} arrays had |gradient| < 1e-4 and met the entry-wise bound`);
  assert.ok(worst <= 1e-6, `worst relative error ${worst} at ${worstAt}`);
}

/** The registry's ops give bit-identical losses and gradients to the readable lossAndGrads, with a reused workspace. */
export function assertOpsMatchReadable<P extends BaseParams>(cell: GatedCellUnderTest<P>): void {
  const p = cell.init({ I: 2, H: 5, seed: `${cell.kind}-ops` });
  const rng = makeRng(`${cell.kind}-ops-x`);
  const ws = cell.ops.makeWorkspace(p, 3); // deliberately too small at first: it must grow
  for (const T of [7, 3, 12]) {
    const x = normalArray(rng, T * 2);
    const grads = zerosLike(p);
    const loss = cell.ops.lossAndGrads(p, x, T, 1, grads, ws);
    const ref = cell.lossAndGrads(p, x, T, 1);
    assert.equal(loss, ref.loss);
    assert.equal(ws.logits[0], cell.forward(p, x, T).logits[0], "the workspace holds the logits");
    assert.equal(cell.ops.forwardLogits(p, x, T, ws)[0], cell.forward(p, x, T).logits[0]);
    const refArrays = new Map(paramArrays(ref.grads));
    for (const [name, g] of paramArrays(grads)) assertBitsEqual(g, refArrays.get(name) as Float64Array, `T=${T} ${name}`);
    // and lossAndGrads ADDS: a second call doubles the gradient
    cell.ops.lossAndGrads(p, x, T, 1, grads, ws);
    for (const [name, g] of paramArrays(grads)) {
      const r = refArrays.get(name) as Float64Array;
      for (let k = 0; k < g.length; k++) assert.ok(Math.abs(g[k] - 2 * r[k]) <= 1e-12 * Math.abs(r[k]) + 1e-300, `T=${T} ${name}[${k}] doubled`);
    }
  }
  assert.equal(cellOps(cell.kind), cell.ops);
}

/** The cell trains with train() (SGD) and evaluates, deterministically; save/load is bit-exact. */
export function assertTrainsAndRoundTrips<P extends BaseParams>(cell: GatedCellUnderTest<P>): void {
  const data = makeFirstSignData({ n: 200, T: 5, seed: `${cell.kind}-train`, noise: 1 });
  const runOnce = (): P => {
    const p = cell.init({ I: 2, H: 6, seed: `${cell.kind}-train-init` });
    train(p, data, { lr: 0.5, epochs: 15, batchSize: 4, shuffle: true, seed: "o", clipNorm: 5 });
    return p;
  };
  const p0 = cell.init({ I: 2, H: 6, seed: `${cell.kind}-train-init` });
  const before = evaluate(p0, data);
  const p = runOnce();
  const after = evaluate(p, data);
  assert.ok(after.meanLoss < before.meanLoss * 0.5, `loss ${before.meanLoss} → ${after.meanLoss}`);
  assert.ok(after.accuracy >= 0.9, `accuracy ${after.accuracy}`);
  assert.ok(paramBytes(p).equals(paramBytes(runOnce())), "same seed, same weights");
  const q = modelFromJSON(modelToJSON(p), "round trip");
  assert.equal(q.kind, cell.kind);
  assert.ok(paramBytes(q).equals(paramBytes(p)));
  assert.equal(evaluate(q, data).meanLoss, after.meanLoss);
}
