// The GRU cell: gradients against central differences on randomized small configurations, the
// registry's fast path equal to the readable functions, training/evaluation/save-load through the
// generic machinery, and clear errors for bad input.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { makeRng, normalArray } from "../../lib/random";
import { paramArrays, zerosLike, cloneParams } from "../../lib/params";
import { initGruParams, gruParamsFrom, gruForward, gruBackward, gruLossAndGrads, gruOps, gruShapes } from "../../lib/gru";
import type { GruParams } from "../../lib/gru";
import { gradCheckDetails, numericalGrads } from "../../lib/gradcheck";
import { bceWithLogits } from "../../lib/loss";
import { cellOps } from "../../lib/cells";
import { train } from "../../lib/train";
import { evaluate } from "../../lib/evaluate";
import { modelToJSON, modelFromJSON } from "../../lib/serialize";
import { makeFirstSignData } from "../../lib/long-data";
import { assertBitsEqual, assertThrowsMsg, paramBytes } from "./helpers";

test("GRU BPTT matches central differences on 40 random configurations (I 1–3, H 1–8, T 1–20)", () => {
  const rng = makeRng("gru-gradcheck");
  const pick = (lo: number, hi: number): number => lo + Math.floor(rng.uniform() * (hi - lo + 1));
  let worst = 0, worstAt = "", skipped = 0, arrays = 0;
  for (let c = 0; c < 40; c++) {
    const I = pick(1, 3), H = pick(1, 8), T = pick(1, 20);
    const p = initGruParams({ I, H, seed: `gru-gc-${c}`, updateBias: c % 2 === 0 ? 0 : 2 });
    for (const b of [p.br, p.bn, p.by]) for (let k = 0; k < b.length; k++) b[k] = 0.3 * rng.normal(); // non-zero biases
    const x = normalArray(rng, T * I);
    const y = c % 2;
    const lossOf = (q: GruParams): number => bceWithLogits(gruForward(q, x, T).logits[0], y);
    const { grads } = gruLossAndGrads(p, x, T, y);
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
  console.log(`GRU gradient check: worst relative error ${worst.toExponential(2)} at ${worstAt}; ${skipped} of ${arrays} arrays had |gradient| < 1e-4 and met the entry-wise bound`);
  assert.ok(worst <= 1e-6, `worst relative error ${worst} at ${worstAt}`);
});

test("GRU: the registry's ops give bit-identical losses and gradients to gruLossAndGrads, with a reused workspace", () => {
  const p = initGruParams({ I: 2, H: 5, seed: "gru-ops" });
  const rng = makeRng("gru-ops-x");
  const ws = gruOps.makeWorkspace(p, 3); // deliberately too small at first: it must grow
  for (const T of [7, 3, 12]) {
    const x = normalArray(rng, T * 2);
    const grads = zerosLike(p);
    const loss = gruOps.lossAndGrads(p, x, T, 1, grads, ws);
    const ref = gruLossAndGrads(p, x, T, 1);
    assert.equal(loss, ref.loss);
    assert.equal(ws.logits[0], gruForward(p, x, T).logits[0], "the workspace holds the logits");
    assert.equal(gruOps.forwardLogits(p, x, T, ws)[0], gruForward(p, x, T).logits[0]);
    const refArrays = new Map(paramArrays(ref.grads));
    for (const [name, g] of paramArrays(grads)) assertBitsEqual(g, refArrays.get(name) as Float64Array, `T=${T} ${name}`);
    // and lossAndGrads ADDS: a second call doubles the gradient
    gruOps.lossAndGrads(p, x, T, 1, grads, ws);
    for (const [name, g] of paramArrays(grads)) {
      const r = refArrays.get(name) as Float64Array;
      for (let k = 0; k < g.length; k++) assert.ok(Math.abs(g[k] - 2 * r[k]) <= 1e-12 * Math.abs(r[k]) + 1e-300, `T=${T} ${name}[${k}] doubled`);
    }
  }
  assert.equal(cellOps("gru"), gruOps);
});

test("GRU: gruBackward adds nothing for a zero dLogits, and the forward keeps h_0 = 0", () => {
  const p = initGruParams({ I: 1, H: 3, seed: "gru-zero" });
  const x = normalArray(makeRng("z"), 4);
  const cache = gruForward(p, x, 4);
  for (let j = 0; j < 3; j++) assert.equal(cache.hs[j], 0);
  for (const [, g] of paramArrays(gruBackward(p, x, cache, new Float64Array(1)))) assert.ok(g.every((v) => v === 0));
});

test("GRU trains with train() (SGD) and evaluates, deterministically; save/load is bit-exact", () => {
  const data = makeFirstSignData({ n: 200, T: 5, seed: "gru-train", noise: 1 });
  const runOnce = (): GruParams => {
    const p = initGruParams({ I: 2, H: 6, seed: "gru-train-init" });
    train(p, data, { lr: 0.5, epochs: 15, batchSize: 4, shuffle: true, seed: "o", clipNorm: 5 });
    return p;
  };
  const p0 = initGruParams({ I: 2, H: 6, seed: "gru-train-init" });
  const before = evaluate(p0, data);
  const p = runOnce();
  const after = evaluate(p, data);
  assert.ok(after.meanLoss < before.meanLoss * 0.5, `loss ${before.meanLoss} → ${after.meanLoss}`);
  assert.ok(after.accuracy >= 0.9, `accuracy ${after.accuracy}`);
  assert.ok(paramBytes(p).equals(paramBytes(runOnce())), "same seed, same weights");
  const q = modelFromJSON(modelToJSON(p), "round trip");
  assert.equal(q.kind, "gru");
  assert.ok(paramBytes(q).equals(paramBytes(p)));
  assert.equal(evaluate(q, data).meanLoss, after.meanLoss);
});

test("GRU: init is seeded, sets the update bias, and gruParamsFrom validates shapes", () => {
  const a = initGruParams({ I: 2, H: 4, seed: 7 }), b = initGruParams({ I: 2, H: 4, seed: 7 });
  assert.ok(paramBytes(a).equals(paramBytes(b)));
  assert.ok(a.bz.every((v) => v === 0) && a.br.every((v) => v === 0));
  assert.ok(initGruParams({ I: 1, H: 2, seed: 1, updateBias: 3 }).bz.every((v) => v === 3));
  assert.deepEqual(paramArrays(a).map(([n]) => n), Object.keys(gruShapes(2, 4, 1)));
  const copy = gruParamsFrom({ ...cloneParams(a) });
  assert.ok(paramBytes(copy).equals(paramBytes(a)));
  assertThrowsMsg(() => gruParamsFrom({ ...cloneParams(a), Whz: new Float64Array(3) }), "gruParamsFrom", "Whz", "length 3");
  assertThrowsMsg(() => initGruParams({ I: 0, H: 2, seed: 1 }), "initGruParams", "I");
  assertThrowsMsg(() => initGruParams({ I: 1, H: 2, seed: 1, updateBias: NaN }), "updateBias");
});

test("GRU: bad input gets a clear error", () => {
  const p = initGruParams({ I: 2, H: 3, seed: 1 });
  assertThrowsMsg(() => gruForward(p, new Float64Array(5), 3), "gruForward", "x has length 5", "T·I = 6");
  assertThrowsMsg(() => gruForward(p, new Float64Array(6), 0), "gruForward", "T");
  assertThrowsMsg(() => gruForward(p, Float64Array.of(1, 2, NaN, 0, 0, 0), 3), "gruForward", "x[2]");
  assertThrowsMsg(() => gruLossAndGrads(p, new Float64Array(6), 3, 0.5), "gruLossAndGrads", "y");
  assertThrowsMsg(() => gruForward({ ...p, kind: "rnn" } as unknown as GruParams, new Float64Array(6), 3), "gruForward", "kind");
  const bad = cloneParams(p);
  bad.Why = new Float64Array(2);
  assertThrowsMsg(() => gruForward(bad, new Float64Array(6), 3), "gruForward", "Why");
});
