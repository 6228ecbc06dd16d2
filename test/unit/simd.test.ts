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
import { exp, log, tanh } from "../../lib/math";
import { softmaxInto } from "../../lib/softmax";

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

test("the product kernel equals a plain running sum, bit for bit, in every layout it is given (whole panels, every count of rows past them, odd and even column counts)", () => {
  const rng = makeRng("simd-product");
  const draw = (n: number): Float64Array => Float64Array.from({ length: n }, () => rng.normal() * Math.exp(3 * rng.normal()));
  const size = (lo: number, hi: number): number => lo + Math.floor(rng.uniform() * (hi - lo + 1));
  for (let c = 0; c < 76; c++) {
    // first every row count 1..16 (each number of rows past the last whole panel, with and without whole panels), then random sizes
    const m = c < 16 ? c + 1 : size(1, 30), K = size(1, 30), n = size(1, 6);
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

/** The double next to x in the direction of d (±1, ±2, ...) steps of one unit in the last place. */
function stepUlps(x: number, d: number): number {
  const bits = new DataView(new ArrayBuffer(8));
  bits.setFloat64(0, x);
  bits.setBigInt64(0, bits.getBigInt64(0) + BigInt(d));
  return bits.getFloat64(0);
}

/**
 * Inputs for exp and tanh: the thresholds where lib/math.ts's branches switch (and the doubles a few
 * ulps either side of each), the special values, then random draws over every range a branch covers.
 */
function mathInputs(seed: string, count: number, draw: (u: () => number) => number): Float64Array {
  const edges = [
    0, 1, 0.25, 0.5, 2 ** -28, 2 ** -54, 0.3465735912322998, 0.34657359028, 1.0397205352783203, 1.0397207708399179, 22, 11, 19.4, 38.81622314453125,
    709.7822265625, 709.782712893384, 745.1332191019411, 708.39641853226408, 5e-324, 2.2250738585072014e-308, 1e-300,
  ];
  const xs: number[] = [Infinity, -Infinity, NaN];
  for (const e of edges) for (const sign of [1, -1]) for (const scale of [1, 0.5, 2]) for (let d = -3; d <= 3; d++) xs.push(stepUlps(sign * e * scale, d));
  const rng = makeRng(seed);
  const u = (): number => rng.uniform();
  while (xs.length < count) xs.push(draw(u));
  return Float64Array.from(xs);
}

const sign = (u: () => number): number => (u() < 0.5 ? -1 : 1);

for (const [name, ref, draw] of [
  // tanh: everything up to ±25 (past the ±1 and ±22 switches), then magnitudes from 2^-1074 to 2^26
  ["tanh", tanh, (u: () => number) => (u() < 0.6 ? (2 * u() - 1) * (u() < 0.5 ? 25 : 3) : sign(u) * Math.pow(2, -1074 + 1100 * u()))],
  // exp: the softmax's range (−40..0), the whole finite range, past overflow and underflow, and tiny magnitudes
  ["exp", exp, (u: () => number) => {
    const r = u();
    return r < 0.3 ? -40 * u() : r < 0.6 ? (2 * u() - 1) * 760 : r < 0.75 ? -745.2 + 40 * u() : r < 0.85 ? 700 + 12 * u() : sign(u) * Math.pow(2, -1074 + 1084 * u());
  }],
] as const) {
  test(`the ${name} kernel equals lib/math.ts's ${name}, bit for bit, on 400 000 inputs: every branch's thresholds a few ulps either side, the special values, random draws, every count modulo 4`, () => {
    const xs = mathInputs(`simd-${name}`, 400_000, draw);
    const arena = makeSimdArena(2 * xs.length + 16);
    assert.ok(arena);
    const src = arena.view(xs.length);
    const dst = arena.view(xs.length);
    src.set(xs);
    for (const n of [xs.length, xs.length - 1, xs.length - 2, xs.length - 3]) { // four values a loop turn, then pairs, then one
      dst.fill(7);
      arena[name](src, 0, dst, 0, n);
      const want = Float64Array.from(xs.subarray(0, n), (x) => ref(x));
      assertBitsEqual(dst.subarray(0, n), want, `${name} kernel, ${n} values`);
      if (n < xs.length) assert.equal(dst[n], 7, "the value past n is not written");
    }
  });
}

test("the softmax kernel equals softmaxInto, bit for bit: the probabilities and the log of the normaliser, rows of 1 to 80 logits at any offset", () => {
  const rng = makeRng("simd-softmax");
  const arena = makeSimdArena(256);
  assert.ok(arena);
  const row = arena.view(100);
  for (let c = 0; c < 3000; c++) {
    const V = 1 + Math.floor(rng.uniform() * 80);
    const off = Math.floor(rng.uniform() * 20);
    const z = Float64Array.from({ length: V }, () => rng.normal() * Math.exp(2 * rng.normal()));
    const want = new Float64Array(V);
    const logNormaliser = softmaxInto(z, 0, V, want, 0);
    row.set(z, off);
    let m = -Infinity;
    for (const v of z) if (v > m) m = v;
    const s = arena.softmax(row, off, V, m);
    assertBitsEqual(row.subarray(off, off + V), want, `softmax of ${V} logits at offset ${off}`);
    assertBitsEqual(Float64Array.of(log(s) + m), Float64Array.of(logNormaliser), "log of the normaliser");
  }
});

test("the Adam kernel equals adamUpdate, bit for bit, over many steps and odd lengths, with and without a gradient scale; it reports non-finite weights and writes nothing past n", () => {
  const rng = makeRng("simd-adam");
  for (const n of [1, 2, 7, 64, 101]) {
    const arena = makeSimdArena(5 * (n + 8));
    assert.ok(arena);
    const [w, g, m, v, after] = [arena.view(n), arena.view(n), arena.view(n), arena.view(n), arena.view(8)];
    const [w2, g2, m2, v2] = [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)];
    for (let k = 0; k < n; k++) w2[k] = w[k] = rng.normal();
    after.fill(5);
    for (let t = 1; t <= 40; t++) {
      for (let k = 0; k < n; k++) g2[k] = g[k] = rng.normal() * Math.exp(4 * rng.normal());
      const s = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, c1: 1 - 0.9 ** t, c2: 1 - 0.999 ** t };
      const scale = t % 3 === 0 ? 0.37 : undefined; // the loop's clipping: g·scale, as clipKnownNorm scales in place
      if (scale !== undefined) for (let k = 0; k < n; k++) g2[k] *= scale;
      adamUpdate(w2, g2, m2, v2, s);
      assert.equal(arena.adam(w, g, m, v, n, s, scale), true, `n=${n}, step ${t}: every weight is finite`);
      assertBitsEqual(w, w2, `n=${n}, step ${t}: w`);
      assertBitsEqual(m, m2, `n=${n}, step ${t}: m`);
      assertBitsEqual(v, v2, `n=${n}, step ${t}: v`);
    }
    assert.deepEqual(Array.from(after), Array(8).fill(5), `n=${n}: nothing past the views is written`);
    g[n - 1] = NaN;
    assert.equal(arena.adam(w, g, m, v, n, { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, c1: 0.5, c2: 0.5 }), false, `n=${n}: a NaN gradient makes a NaN weight, and the kernel says so`);
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

  // With the kernels the model trains in WebAssembly memory; p still shows the weights of every report to
  // onProgress, training goes on from whatever the callback leaves in p, and an error leaves p as training left it.
  const watched = (simd: boolean, lr: number, rule: "adam" | "sgd"): { seen: Float64Array[]; p: CharParams; error: string } =>
    withSimd(simd, () => {
      const p = initCharRnn({ V: vocab.chars.length, H: 13, seed: "simd-train" });
      const seen: Float64Array[] = [];
      let error = "";
      try {
        trainCharLm(p, ids, {
          seqLength: 9, iterations: 60, every: 20, lr, update: { rule },
          onProgress: (r) => {
            seen.push(p.Why.slice(), p.bh.slice());
            if (r.iteration === 20) p.by.fill(0.25);
          },
        });
      } catch (e) {
        error = (e as Error).message;
      }
      return { seen, p, error };
    });
  for (const [lr, rule] of [[0.01, "adam"], [1.7e308, "sgd"]] as const) {
    const [on, off] = [watched(true, lr, rule), watched(false, lr, rule)];
    assert.equal(on.error, off.error);
    assert.equal(on.seen.length, off.seen.length);
    on.seen.forEach((w, k) => assertBitsEqual(w, off.seen[k], `lr ${lr}: weights seen by onProgress, report ${k}`));
    const offArrays = new Map(paramArrays(off.p));
    for (const [name, w] of paramArrays(on.p)) assertBitsEqual(w, offArrays.get(name) as Float64Array, `lr ${lr}: ${name} at the end`);
    if (lr > 1) assert.match(on.error, /diverged/, "a huge lr makes the run diverge, and p shows where it stopped");
  }

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
