// The LSTM cell: gradients against central differences on randomized small configurations, the
// registry's fast path equal to the readable functions, training/evaluation/save-load through the
// generic machinery, and clear errors for bad input.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { makeRng, normalArray } from "../../lib/random";
import { paramArrays, cloneParams } from "../../lib/params";
import { initLstmParams, lstmParamsFrom, lstmForward, lstmBackward, lstmLossAndGrads, lstmOps, lstmShapes } from "../../lib/lstm";
import type { LstmParams } from "../../lib/lstm";
import { assertGradientsMatchCentralDifferences, assertOpsMatchReadable, assertThrowsMsg, assertTrainsAndRoundTrips, paramBytes } from "./helpers";
import type { GatedCellUnderTest } from "./helpers";

/** The gated-cell tests shared through ./helpers, told about this cell. */
const LSTM: GatedCellUnderTest<LstmParams> = {
  name: "LSTM",
  kind: "lstm",
  ops: lstmOps,
  init: initLstmParams,
  forward: lstmForward,
  lossAndGrads: lstmLossAndGrads,
  gradCheckParams: (c, I, H, seed, rng) => {
    const p = initLstmParams({ I, H, seed, forgetBias: c % 2 === 0 ? 1 : 0 });
    for (const b of [p.bi, p.bg, p.bo, p.by]) for (let k = 0; k < b.length; k++) b[k] = 0.3 * rng.normal(); // non-zero biases
    return p;
  },
};

test("LSTM BPTT matches central differences on 40 random configurations (I 1–3, H 1–8, T 1–20)", () => {
  assertGradientsMatchCentralDifferences(LSTM);
});

test("LSTM: the registry's ops give bit-identical losses and gradients to lstmLossAndGrads, with a reused workspace", () => {
  assertOpsMatchReadable(LSTM);
});

test("LSTM: lstmBackward adds nothing for a zero dLogits, and the forward keeps h_0 = c_0 = 0", () => {
  const p = initLstmParams({ I: 1, H: 3, seed: "lstm-zero" });
  const x = normalArray(makeRng("z"), 4);
  const cache = lstmForward(p, x, 4);
  for (let j = 0; j < 3; j++) { assert.equal(cache.hs[j], 0); assert.equal(cache.cs[j], 0); }
  for (const [, g] of paramArrays(lstmBackward(p, x, cache, new Float64Array(1)))) assert.ok(g.every((v) => v === 0));
});

test("LSTM trains with train() (SGD) and evaluates, deterministically; save/load is bit-exact", () => {
  assertTrainsAndRoundTrips(LSTM);
});

test("LSTM: init is seeded, sets the forget bias, and lstmParamsFrom validates shapes", () => {
  const a = initLstmParams({ I: 2, H: 4, seed: 7 }), b = initLstmParams({ I: 2, H: 4, seed: 7 });
  assert.ok(paramBytes(a).equals(paramBytes(b)));
  assert.ok(a.bf.every((v) => v === 1) && a.bi.every((v) => v === 0));
  assert.ok(initLstmParams({ I: 1, H: 2, seed: 1, forgetBias: 3 }).bf.every((v) => v === 3));
  assert.deepEqual(paramArrays(a).map(([n]) => n), Object.keys(lstmShapes(2, 4, 1)));
  const copy = lstmParamsFrom({ ...cloneParams(a) });
  assert.ok(paramBytes(copy).equals(paramBytes(a)));
  assertThrowsMsg(() => lstmParamsFrom({ ...cloneParams(a), Whf: new Float64Array(3) }), "lstmParamsFrom", "Whf", "length 3");
  assertThrowsMsg(() => initLstmParams({ I: 0, H: 2, seed: 1 }), "initLstmParams", "I");
  assertThrowsMsg(() => initLstmParams({ I: 1, H: 2, seed: 1, forgetBias: NaN }), "forgetBias");
});

test("LSTM: bad input gets a clear error", () => {
  const p = initLstmParams({ I: 2, H: 3, seed: 1 });
  assertThrowsMsg(() => lstmForward(p, new Float64Array(5), 3), "lstmForward", "x has length 5", "T·I = 6");
  assertThrowsMsg(() => lstmForward(p, new Float64Array(6), 0), "lstmForward", "T");
  assertThrowsMsg(() => lstmForward(p, Float64Array.of(1, 2, NaN, 0, 0, 0), 3), "lstmForward", "x[2]");
  assertThrowsMsg(() => lstmLossAndGrads(p, new Float64Array(6), 3, 0.5), "lstmLossAndGrads", "y");
  assertThrowsMsg(() => lstmForward({ ...p, kind: "rnn" } as unknown as LstmParams, new Float64Array(6), 3), "lstmForward", "kind");
  const bad = cloneParams(p);
  bad.Why = new Float64Array(2);
  assertThrowsMsg(() => lstmForward(bad, new Float64Array(6), 3), "lstmForward", "Why");
});
