// The GRU cell: gradients against central differences on randomized small configurations, the
// registry's fast path equal to the readable functions, training/evaluation/save-load through the
// generic machinery, and clear errors for bad input.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { makeRng, normalArray } from "../../lib/random";
import { paramArrays, cloneParams } from "../../lib/params";
import { initGruParams, gruParamsFrom, gruForward, gruBackward, gruLossAndGrads, gruOps, gruShapes } from "../../lib/gru";
import type { GruParams } from "../../lib/gru";
import { assertGradientsMatchCentralDifferences, assertOpsMatchReadable, assertThrowsMsg, assertTrainsAndRoundTrips, paramBytes } from "./helpers";
import type { GatedCellUnderTest } from "./helpers";

/** The gated-cell tests shared through ./helpers, told about this cell. */
const GRU: GatedCellUnderTest<GruParams> = {
  name: "GRU",
  kind: "gru",
  ops: gruOps,
  init: initGruParams,
  forward: gruForward,
  lossAndGrads: gruLossAndGrads,
  gradCheckParams: (c, I, H, seed, rng) => {
    const p = initGruParams({ I, H, seed, updateBias: c % 2 === 0 ? 0 : 2 });
    for (const b of [p.br, p.bn, p.by]) for (let k = 0; k < b.length; k++) b[k] = 0.3 * rng.normal(); // non-zero biases
    return p;
  },
};

test("GRU BPTT matches central differences on 40 random configurations (I 1–3, H 1–8, T 1–20)", () => {
  assertGradientsMatchCentralDifferences(GRU);
});

test("GRU: the registry's ops give bit-identical losses and gradients to gruLossAndGrads, with a reused workspace", () => {
  assertOpsMatchReadable(GRU);
});

test("GRU: gruBackward adds nothing for a zero dLogits, and the forward keeps h_0 = 0", () => {
  const p = initGruParams({ I: 1, H: 3, seed: "gru-zero" });
  const x = normalArray(makeRng("z"), 4);
  const cache = gruForward(p, x, 4);
  for (let j = 0; j < 3; j++) assert.equal(cache.hs[j], 0);
  for (const [, g] of paramArrays(gruBackward(p, x, cache, new Float64Array(1)))) assert.ok(g.every((v) => v === 0));
});

test("GRU trains with train() (SGD) and evaluates, deterministically; save/load is bit-exact", () => {
  assertTrainsAndRoundTrips(GRU);
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
