// lib/simd.ts's WebAssembly kernels give the same bits as the plain TypeScript they replace:
// the product kernel against a plain running sum, the Adam kernel against adamUpdate, the character
// model's chunk (lib/charlm-simd.ts) against lib/charlm.ts's products, and whole training runs with
// the kernels on and off. Also: the committed binary is the committed source, compiled.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { KERNEL_WASM, makeSimdArena, roundUp8, setSimdEnabled } from "../../lib/simd";
import type { Panels } from "../../lib/simd";
import { compileKernel } from "../../scripts/wasm";
import { makeRng } from "../../lib/random";
import { adamUpdate } from "../../lib/adam";
import { initCharRnn, initCharGru, charRnnLossAndGrads, makeCharRnnWorkspace } from "../../lib/charlm";
import type { CharParams } from "../../lib/charlm";
import { trainCharLm } from "../../lib/charlm-train";
import { paramArrays, zerosLike, cloneParams } from "../../lib/params";
import { makeVocab, encodeText } from "../../lib/text";
import { train } from "../../lib/train";
import { makeSignOfSumData } from "../../lib/data";
import { initRnnParams } from "../../lib/params";
import { initLstmParams } from "../../lib/lstm";
import { assertBitsEqual } from "./helpers";
import { initGruParams } from "../../lib/gru";

function withSimd<T>(on: boolean, f: () => T): T {
  setSimdEnabled(on);
  try {
    return f();
  } finally {
    setSimdEnabled(true);
  }
}

test("KERNEL_WASM is KERNEL_WAT compiled (run `npm run wasm` after editing the source)", async () => {
  assert.equal(KERNEL_WASM, await compileKernel());
});

test("the kernels are available in Node, and setSimdEnabled(false) turns them off", () => {
  assert.notEqual(makeSimdArena(8), null, "Node 20 has WebAssembly SIMD: the fast path must be the one the tests and the bench measure");
  assert.equal(withSimd(false, () => makeSimdArena(8)), null);
  const V = 5, H = 3;
  const p = initCharRnn({ V, H, seed: 1 });
  const ws = makeCharRnnWorkspace(p, 4);
  assert.equal(ws.simd, undefined, "made on the first training chunk, not before");
  charRnnLossAndGrads(p, [0, 1, 2, 3], [1, 2, 3, 4], new Float64Array(H), zerosLike(p), { ws });
  assert.ok(ws.simd, "a training chunk of the plain RNN runs on the kernel");
  const gru = initCharGru({ V, H, seed: 1 });
  const gruWs = makeCharRnnWorkspace(gru, 4);
  charRnnLossAndGrads(gru, [0, 1, 2, 3], [1, 2, 3, 4], new Float64Array(H), zerosLike(gru), { ws: gruWs });
  assert.equal(gruWs.simd, null, "the GRU keeps lesson 08's code");
});

test("the product kernel equals a plain running sum, bit for bit, in every layout it is given (whole panels, the rows past them, odd and even column counts)", () => {
  const rng = makeRng("simd-product");
  const draw = (n: number): Float64Array => Float64Array.from({ length: n }, () => rng.normal() * Math.exp(3 * rng.normal()));
  const size = (lo: number, hi: number): number => lo + Math.floor(rng.uniform() * (hi - lo + 1));
  for (let c = 0; c < 60; c++) {
    const m = size(1, 30), K = size(1, 30), n = size(1, 6);
    const ldy = m + size(0, 3); // Y's rows may be longer than m: what lies past row i < m is not touched
    const A = draw(m * K); // row-major m×K
    const Xdata = draw(n * K);
    const Y0 = draw(n * ldy);
    // the plain sums: Y[j, i] = Y0[j, i] + A[i,0]·X[j,0] + A[i,1]·X[j,1] + ... in that order
    const want = Y0.slice();
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < m; i++) {
        let s = want[j * ldy + i];
        for (let k = 0; k < K; k++) s += A[i * K + k] * Xdata[j * K + k];
        want[j * ldy + i] = s;
      }
    }
    for (const layout of ["packed panels", "rows read as a transpose"] as const) {
      const arena = makeSimdArena(2 * m * K + roundUp8(m) * K + 2 * n * K + n * ldy + 64);
      assert.ok(arena);
      let panels: Panels;
      if (layout === "packed panels") {
        const M = arena.view(m * K);
        M.set(A);
        panels = arena.packPanels(M, 0, K, m, K, arena.view(roundUp8(m) * K));
      } else {
        const rows = arena.view(K * m); // row k = column k of A: A is its transpose, read across
        for (let i = 0; i < m; i++) for (let k = 0; k < K; k++) rows[k * m + i] = A[i * K + k];
        panels = { data: rows, offset: 0, ldp: 8, ldk: m };
      }
      // X by rows (ldxj = K, ldxk = 1) and the same X stored transposed (ldxj = 1, ldxk = n)
      const X = arena.view(n * K);
      X.set(Xdata);
      const XT = arena.view(n * K);
      for (let j = 0; j < n; j++) for (let k = 0; k < K; k++) XT[k * n + j] = Xdata[j * K + k];
      const Y = arena.view(n * ldy);
      for (const [name, data, ldxj, ldxk] of [["X by rows", X, K, 1], ["X by columns", XT, 1, n]] as const) {
        Y.set(Y0);
        arena.addPanelProduct(panels, m, K, data, 0, ldxj, ldxk, n, Y, 0, ldy);
        assertBitsEqual(Y, want, `case ${c} (m=${m}, K=${K}, n=${n}, ldy=${ldy}), ${layout}, ${name}`);
      }
    }
  }
});

test("the Adam kernel equals adamUpdate, bit for bit, over many steps and odd lengths", () => {
  const rng = makeRng("simd-adam");
  for (const n of [1, 2, 7, 64, 101]) {
    const arena = makeSimdArena(8 * (n + 8));
    assert.ok(arena);
    const even = n + (n & 1);
    const [w, g, m, v] = [arena.view(even), arena.view(even), arena.view(even), arena.view(even)];
    const [w2, m2, v2] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
    for (let k = 0; k < n; k++) w2[k] = w[k] = rng.normal();
    for (let t = 1; t <= 40; t++) {
      for (let k = 0; k < n; k++) g[k] = rng.normal() * Math.exp(4 * rng.normal());
      const s = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, c1: 1 - 0.9 ** t, c2: 1 - 0.999 ** t };
      adamUpdate(w2, g.subarray(0, n), m2, v2, s);
      arena.adam(w, g, m, v, n, s);
      assertBitsEqual(w.subarray(0, n), w2, `n=${n}, step ${t}: w`);
      assertBitsEqual(m.subarray(0, n), m2, `n=${n}, step ${t}: m`);
      assertBitsEqual(v.subarray(0, n), v2, `n=${n}, step ${t}: v`);
    }
  }
});

test("a character-model chunk with the kernel equals lib/charlm.ts's products, bit for bit (random sizes, carried state, dhLast, accumulation)", () => {
  const rng = makeRng("simd-chunk");
  for (let c = 0; c < 30; c++) {
    const V = 2 + Math.floor(rng.uniform() * 20), H = 1 + Math.floor(rng.uniform() * 20), T = 1 + Math.floor(rng.uniform() * 12);
    const p = initCharRnn({ V, H, seed: `simd-chunk-${c}` });
    for (const [, w] of paramArrays(p)) for (let k = 0; k < w.length; k++) w[k] += 0.3 * rng.normal();
    const inputs = Int32Array.from({ length: T }, () => Math.floor(rng.uniform() * V));
    const targets = Int32Array.from({ length: T }, () => Math.floor(rng.uniform() * V));
    const hPrev = Float64Array.from({ length: H }, () => Math.tanh(rng.normal()));
    const dhLast = c % 2 === 0 ? Float64Array.from({ length: H }, () => rng.normal()) : undefined;
    const start = zerosLike(p);
    for (const [, g] of paramArrays(start)) for (let k = 0; k < g.length; k++) g[k] = rng.normal(); // ADDS into existing gradients
    const run = (simd: boolean) =>
      withSimd(simd, () => {
        const grads = cloneParams(start);
        const ws = makeCharRnnWorkspace(p, T + (c % 3)); // a workspace longer than the chunk, sometimes
        const r = charRnnLossAndGrads(p, inputs, targets, hPrev, grads, dhLast ? { ws, dhLast } : { ws });
        assert.equal(ws.simd !== null, simd, "the chunk ran on the path asked for");
        return { r, grads };
      });
    const fast = run(true);
    const plain = run(false);
    const at = `case ${c} (V=${V}, H=${H}, T=${T})`;
    assert.ok(Object.is(fast.r.loss, plain.r.loss), `${at}: loss ${fast.r.loss} vs ${plain.r.loss}`);
    assertBitsEqual(fast.r.hLast, plain.r.hLast, `${at}: hLast`);
    assertBitsEqual(fast.r.dhPrev, plain.r.dhPrev, `${at}: dhPrev`);
    const plainGrads = new Map(paramArrays(plain.grads));
    for (const [name, g] of paramArrays(fast.grads)) assertBitsEqual(g, plainGrads.get(name) as Float64Array, `${at}: d${name}`);
  }
});

test("training with the kernels on equals training with them off: the character model (Adam, clipping) and train() on every cell", () => {
  const text = "It is a tale told by an idiot, full of sound and fury, signifying nothing.\n".repeat(4);
  const vocab = makeVocab(text);
  const ids = encodeText(vocab, text);
  const charRun = (simd: boolean): CharParams =>
    withSimd(simd, () => {
      const p = initCharRnn({ V: vocab.chars.length, H: 13, seed: "simd-train" });
      trainCharLm(p, ids, { seqLength: 9, iterations: 60, every: 20, lr: 0.01, clipNorm: 1, update: { rule: "adam" } });
      return p;
    });
  const [a, b] = [charRun(true), charRun(false)];
  const bArrays = new Map(paramArrays(b));
  for (const [name, w] of paramArrays(a)) assertBitsEqual(w, bArrays.get(name) as Float64Array, `char model ${name}`);

  const data = makeSignOfSumData({ n: 64, T: 6, I: 1, seed: "simd-train-data" });
  const inits = { rnn: initRnnParams, lstm: initLstmParams, gru: initGruParams };
  for (const kind of ["rnn", "lstm", "gru"] as const) {
    const run = (simd: boolean) =>
      withSimd(simd, () => {
        const p = inits[kind]({ I: 1, H: 5, O: 1, seed: `simd-${kind}` });
        train(p, data, { lr: 0.01, epochs: 2, batchSize: 4, clipNorm: 1, update: { rule: "adam" } });
        return p;
      });
    const [x, y] = [run(true), run(false)];
    const yArrays = new Map(paramArrays(y));
    for (const [name, w] of paramArrays(x)) assertBitsEqual(w, yArrays.get(name) as Float64Array, `${kind} ${name}`);
  }
});
