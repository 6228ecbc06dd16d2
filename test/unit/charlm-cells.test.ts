// The character model's two recurrences (lesson 10), the plain RNN and lesson 08's GRU used
// many-to-many (a one-hot input looked up as a column, a carried state, a gradient entering every
// h_t): gradient checks at random sizes with a carried state and the exact truncation cut, for both;
// the RNN's blocked chunk arithmetic against a readable reference, bit for bit; the GRU's lookup
// against gru.ts's many-to-one pass on the same one-hot input, bit for bit.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { makeRng, normalArray } from "../../lib/random";
import { paramArrays, zerosLike } from "../../lib/params";
import type { RnnParams } from "../../lib/params";
import type { GruParams } from "../../lib/gru";
import { gruForward, gruBackward, makeGruWorkspace, gruSequenceForward, gruSequenceBackward } from "../../lib/gru";
import { gradCheckDetails, numericalGrads } from "../../lib/gradcheck";
import { softmax } from "../../lib/softmax";
import { tanh, exp, log } from "../../lib/math";
import { makeVocab, encodeText } from "../../lib/text";
import type { CharParams } from "../../lib/charlm";
import {
  initCharRnn, initCharGru, charRnnLossAndGrads, charRnnLoss, charRnnTextLoss, charRnnPredict, makeCharRnnWorkspace, makeTextReader, readerStep, sampleText,
} from "../../lib/charlm";
import { trainCharLm } from "../../lib/charlm-train";

const arrays = (p: CharParams): Record<string, Float64Array> => Object.fromEntries(paramArrays(p));
const sameBits = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.from(a).every((v, k) => v === b[k]);

function randomIds(n: number, V: number, seed: string): Int32Array {
  const rng = makeRng(seed);
  return Int32Array.from({ length: n }, () => Math.floor(rng.uniform() * V));
}

/** A GRU character model with every bias non-zero, so that every gradient is exercised. */
function randomGru(V: number, H: number, seed: string): GruParams {
  const p = initCharGru({ V, H, seed });
  const rng = makeRng(`${seed}-b`);
  for (const b of [p.bz, p.br, p.bn, p.by]) for (let k = 0; k < b.length; k++) b[k] = 0.1 * rng.normal();
  return p;
}

/**
 * The readable version of the plain RNN's chunk (min-char-rnn's loops): one running sum per value,
 * its terms in ascending order, exactly as lib/charlm.ts's blocked products add them.
 */
function referenceChunk(p: RnnParams, inputs: Int32Array, targets: Int32Array, hPrev: Float64Array, grads: RnnParams, dhLast: Float64Array | null): { loss: number; hLast: Float64Array; dhPrev: Float64Array } {
  const { H, O: V } = p;
  const T = inputs.length;
  const hs: Float64Array[] = [hPrev.slice()];
  const ps: Float64Array[] = [];
  let loss = 0;
  for (let t = 0; t < T; t++) {
    const h = new Float64Array(H);
    for (let r = 0; r < H; r++) {
      let a = p.bh[r] + p.Wxh[r * V + inputs[t]];
      for (let j = 0; j < H; j++) a += p.Whh[r * H + j] * hs[t][j];
      h[r] = tanh(a);
    }
    hs.push(h);
    const z = new Float64Array(V);
    for (let o = 0; o < V; o++) {
      let s = p.by[o];
      for (let j = 0; j < H; j++) s += p.Why[o * H + j] * h[j];
      z[o] = s;
    }
    let m = -Infinity;
    for (const v of z) m = Math.max(m, v);
    let sum = 0;
    const e = z.map((v) => exp(v - m));
    for (const v of e) sum += v;
    ps.push(e.map((v) => v / sum));
    loss += log(sum) + m - z[targets[t]];
  }
  const dz = ps.map((pt, t) => {
    const d = pt.slice();
    d[targets[t]] -= 1;
    return d.map((v) => v / T);
  });
  for (let o = 0; o < V; o++) for (let t = 0; t < T; t++) grads.by[o] += dz[t][o];
  for (let o = 0; o < V; o++) {
    for (let j = 0; j < H; j++) {
      let s = grads.Why[o * H + j];
      for (let t = 0; t < T; t++) s += dz[t][o] * hs[t + 1][j];
      grads.Why[o * H + j] = s;
    }
  }
  let dhNext = dhLast ? dhLast.slice() : new Float64Array(H);
  const das: Float64Array[] = [];
  for (let t = T - 1; t >= 0; t--) {
    const da = new Float64Array(H);
    for (let j = 0; j < H; j++) {
      let own = 0;
      for (let o = 0; o < V; o++) own += p.Why[o * H + j] * dz[t][o];
      da[j] = (1 - hs[t + 1][j] * hs[t + 1][j]) * (own + dhNext[j]);
    }
    das[t] = da;
    const back = new Float64Array(H);
    for (let j = 0; j < H; j++) {
      let s = 0;
      for (let r = 0; r < H; r++) s += p.Whh[r * H + j] * da[r];
      back[j] = s;
    }
    dhNext = back;
  }
  for (let t = 0; t < T; t++) {
    for (let r = 0; r < H; r++) {
      grads.bh[r] += das[t][r];
      grads.Wxh[r * V + inputs[t]] += das[t][r];
    }
  }
  for (let r = 0; r < H; r++) {
    for (let j = 0; j < H; j++) {
      let s = grads.Whh[r * H + j];
      for (let t = 0; t < T; t++) s += das[t][r] * hs[t][j];
      grads.Whh[r * H + j] = s;
    }
  }
  return { loss: loss / T, hLast: hs[T], dhPrev: dhNext };
}

test("the plain RNN's chunk is bit for bit the readable reference, at sizes that leave every block remainder", () => {
  const rng = makeRng("charlm-reference");
  const pick = (lo: number, hi: number): number => lo + Math.floor(rng.uniform() * (hi - lo + 1));
  for (let c = 0; c < 40; c++) {
    const V = pick(1, 11), H = pick(1, 13), T = pick(1, 12);
    const p = initCharRnn({ V, H, seed: `charlm-ref-${c}` });
    for (const b of [p.bh, p.by]) for (let k = 0; k < b.length; k++) b[k] = 0.1 * rng.normal();
    const ids = randomIds(T + 1, V, `charlm-ref-ids-${c}`);
    const hPrev = normalArray(rng, H, 0.5).map(Math.tanh);
    const dhLast = c % 2 === 0 ? null : normalArray(rng, H, 0.1);
    const start = zerosLike(p);
    for (const [, a] of paramArrays(start)) for (let k = 0; k < a.length; k++) a[k] = rng.normal(); // gradients are ADDED
    const gLib = zerosLike(p), gRef = zerosLike(p);
    for (const [name, a] of paramArrays(start)) {
      arrays(gLib)[name].set(a);
      arrays(gRef)[name].set(a);
    }
    const ws = makeCharRnnWorkspace(p, T + pick(0, 3)); // a workspace for longer chunks works too
    const lib = charRnnLossAndGrads(p, ids.subarray(0, T), ids.subarray(1), hPrev, gLib, dhLast ? { ws, dhLast } : { ws });
    const ref = referenceChunk(p, ids.subarray(0, T), ids.subarray(1), hPrev, gRef, dhLast);
    const at = `(V=${V}, H=${H}, T=${T})`;
    assert.equal(lib.loss, ref.loss, `loss ${at}`);
    assert.ok(sameBits(lib.hLast, ref.hLast), `hLast ${at}`);
    assert.ok(sameBits(lib.dhPrev, ref.dhPrev), `dhPrev ${at}`);
    for (const [name, a] of paramArrays(gLib)) assert.ok(sameBits(a, arrays(gRef)[name]), `grads.${name} ${at}`);
  }
});

/** A random plain-RNN character model with non-zero biases (so dbh, dby are fully exercised). */
function randomRnn(V: number, H: number, seed: string): RnnParams {
  const p = initCharRnn({ V, H, seed });
  const rng = makeRng(`${seed}-b`);
  for (let k = 0; k < H; k++) p.bh[k] = 0.1 * rng.normal();
  for (let k = 0; k < V; k++) p.by[k] = 0.1 * rng.normal();
  return p;
}

/**
 * Every gradient of a chunk's loss, and ∂loss/∂h_0 (dhPrev), against central differences, at random
 * sizes V, H, T, each from a random carried state h_0. The bar is the other cells' (relative error
 * ≤ 1e-6 per array); an array whose gradients are all tiny (below 1e-4, e.g. a GRU's reset gate at
 * H = 1) is held to an absolute bar instead, as central differences with eps = 1e-6 are only good to
 * about 1e-10 there.
 */
function checkGradientsAtRandomSizes<P extends CharParams>(label: string, make: (V: number, H: number, seed: string) => P, tag: string, configs: number, maxH: number, maxT: number): void {
  const rng = makeRng(`${tag}-gradcheck`);
  const pick = (lo: number, hi: number): number => lo + Math.floor(rng.uniform() * (hi - lo + 1));
  let worst = 0;
  let worstAt = "";
  let worstDh = 0;
  let worstTinyAbs = 0;
  for (let c = 0; c < configs; c++) {
    const V = pick(2, 7), H = pick(1, maxH), T = pick(1, maxT);
    const p = make(V, H, `${tag}-gc-${c}`);
    const ids = randomIds(T + 1, V, `${tag}-gc-ids-${c}`);
    const inputs = ids.subarray(0, T), targets = ids.subarray(1);
    const hPrev = normalArray(rng, H, 0.5).map(Math.tanh); // a state carried from a previous chunk
    const grads = zerosLike(p);
    const r = charRnnLossAndGrads(p, inputs, targets, hPrev, grads);
    assert.equal(r.loss, charRnnLoss(p, inputs, targets, hPrev));
    const lossOf = (q: P): number => charRnnLoss(q, inputs, targets, hPrev);
    for (const [name, d] of Object.entries(gradCheckDetails(p, lossOf, grads))) {
      if (d.scale < 1e-4) {
        worstTinyAbs = Math.max(worstTinyAbs, d.maxAbsDiff);
        continue;
      }
      if (d.relError > worst) {
        worst = d.relError;
        worstAt = `${name} (V=${V}, H=${H}, T=${T})`;
      }
    }
    const numeric = numericalGrads(p, lossOf);
    for (const [name, a] of paramArrays(grads)) {
      for (let k = 0; k < a.length; k++) {
        const big = Math.max(Math.abs(a[k]), Math.abs(numeric[name][k]));
        assert.ok(Math.abs(a[k] - numeric[name][k]) <= 1e-6 * big + 1e-9, `${name}[${k}] analytic ${a[k]} numerical ${numeric[name][k]} (V=${V}, H=${H}, T=${T})`);
      }
    }
    for (let j = 0; j < H; j++) {
      const up = hPrev.slice(), down = hPrev.slice();
      up[j] += 1e-6;
      down[j] -= 1e-6;
      const num = (charRnnLoss(p, inputs, targets, up) - charRnnLoss(p, inputs, targets, down)) / 2e-6;
      worstDh = Math.max(worstDh, Math.abs(num - r.dhPrev[j]));
    }
  }
  console.log(
    `${label} gradient check: worst relative error ${worst.toExponential(3)} at ${worstAt}; arrays of gradients below 1e-4: ` +
      `worst |analytic − numerical| ${worstTinyAbs.toExponential(2)}; worst |dhPrev − numerical| ${worstDh.toExponential(2)}`,
  );
  assert.ok(worst <= 1e-6, `worst ${worst} at ${worstAt}`);
  assert.ok(worstTinyAbs <= 1e-9, `tiny gradients off by ${worstTinyAbs}`);
  assert.ok(worstDh <= 1e-8, `dhPrev off by ${worstDh}`);
}

test("plain RNN character model: gradients with a carried state match central differences on 60 random configurations", () => {
  checkGradientsAtRandomSizes("char model (RNN)", randomRnn, "charlm", 60, 10, 15);
});

test("GRU character model: gradients with a carried state match central differences on 40 random configurations", () => {
  checkGradientsAtRandomSizes("char model (GRU)", randomGru, "charlm-gru", 40, 8, 12);
});

test("GRU: looking up the column of a one-hot input is lesson 08's dense pass, bit for bit, forward and backward", () => {
  const V = 6, H = 5, T = 7;
  const p = randomGru(V, H, "charlm-gru-dense");
  const ids = randomIds(T, V, "charlm-gru-dense-ids");
  const x = new Float64Array(T * V);
  for (let t = 0; t < T; t++) x[t * V + ids[t]] = 1;
  const dense = gruForward(p, x, T);
  const ws = makeGruWorkspace(p, T);
  gruSequenceForward(p, ids, ws); // from ws.hs row 0 = 0, as gruForward
  assert.ok(sameBits(ws.hs, dense.hs), "hidden states");
  // a many-to-one loss is a many-to-many one whose only output gradient enters h_T
  const dLogits = normalArray(makeRng("charlm-gru-dense-dz"), V, 1);
  const gDense = gruBackward(p, x, dense, dLogits);
  const dhOut = new Float64Array(T * H);
  for (let j = 0; j < H; j++) for (let o = 0; o < V; o++) dhOut[(T - 1) * H + j] += p.Why[o * H + j] * dLogits[o];
  const gSeq = zerosLike(p);
  gruSequenceBackward(p, ids, ws, dhOut, null, gSeq);
  for (const [name, a] of paramArrays(gDense)) {
    if (name === "Why" || name === "by") continue; // the output layer belongs to the caller
    assert.ok(sameBits(a, arrays(gSeq)[name]), name);
  }
});

/**
 * Truncation cuts the gradient at the chunk boundary and only there: two chunks read through the
 * training reader give exactly the gradient of a chunk whose h_0 is the constant h_L, and chunk 1 seeded
 * with the one dropped term (chunk 2's dhPrev) gives full BPTT over both chunks.
 */
function checkTruncation<P extends CharParams>(make: (V: number, H: number, seed: string) => P, tag: string): void {
  const V = 5, H = 6, L = 7;
  const p = make(V, H, `${tag}-cut`);
  const ids = randomIds(2 * L + 1, V, `${tag}-cut-ids`);
  const h0 = new Float64Array(H);
  const gFull = zerosLike(p);
  const full = charRnnLossAndGrads(p, ids.subarray(0, 2 * L), ids.subarray(1), h0, gFull);
  const reader = makeTextReader(ids, L, H);
  const ws = makeCharRnnWorkspace(p, L);
  const g1 = zerosLike(p), g2 = zerosLike(p);
  const loss1 = readerStep(p, reader, g1, ws);
  const hL = reader.h.slice();
  const loss2 = readerStep(p, reader, g2, ws);
  assert.equal(reader.position, 2 * L);
  // chunk 2 sees chunk 1 only through the value h_L
  const g2alone = zerosLike(p);
  const r2 = charRnnLossAndGrads(p, ids.subarray(L, 2 * L), ids.subarray(L + 1), hL, g2alone);
  for (const [name, a] of paramArrays(g2)) assert.ok(a.every((v, k) => Object.is(v, arrays(g2alone)[name][k])), `${name}: chunk 2 uses only h_L`);
  assert.equal(loss2, r2.loss);
  assert.ok(Math.abs(full.loss - (loss1 + loss2) / 2) < 1e-14);
  // the only term cut is r2.dhPrev: chunk 1 seeded with it gives full BPTT
  const g1seeded = zerosLike(p);
  charRnnLossAndGrads(p, ids.subarray(0, L), ids.subarray(1, L + 1), h0, g1seeded, { dhLast: r2.dhPrev });
  let cutSize = 0;
  for (const [name, a] of paramArrays(g1seeded)) {
    const f = arrays(gFull)[name], b = arrays(g2)[name], t = arrays(g1)[name];
    for (let k = 0; k < a.length; k++) {
      assert.ok(Math.abs((a[k] + b[k]) / 2 - f[k]) <= 1e-15 + 1e-12 * Math.abs(f[k]), `${name}[${k}]: seeded chunks ${(a[k] + b[k]) / 2} vs full ${f[k]}`);
      cutSize = Math.max(cutSize, Math.abs((t[k] + b[k]) / 2 - f[k]));
    }
  }
  // and the cut is real: the truncated gradient differs from the full one
  assert.ok(cutSize > 1e-6, `truncation changed the gradient by ${cutSize}`);
  assert.ok(r2.dhPrev.some((v) => Math.abs(v) > 1e-6));
}

test("plain RNN: truncation cuts the gradient exactly at the chunk boundary, and only there", () => {
  checkTruncation(randomRnn, "charlm");
});

test("GRU: truncation cuts the gradient exactly at the chunk boundary, and only there", () => {
  checkTruncation(randomGru, "charlm-gru");
});

test("GRU character model: predictions, text loss, sampling and training work as for the RNN", () => {
  const text = "the cat sat on the mat. the dog sat on the log. ".repeat(20);
  const vocab = makeVocab(text);
  const ids = encodeText(vocab, text);
  const V = vocab.chars.length;
  const p = initCharGru({ V, H: 12, seed: "tiny-gru" });
  const { probs } = charRnnPredict(p, ids.subarray(0, 5), new Float64Array(12));
  for (let t = 0; t < 5; t++) assert.ok(Math.abs(probs.subarray(t * V, (t + 1) * V).reduce((s, v) => s + v, 0) - 1) < 1e-12);
  const before = charRnnTextLoss(p, ids, 10);
  const run = (): number[] => {
    const q = initCharGru({ V, H: 12, seed: "tiny-gru" });
    const hist = trainCharLm(q, ids, { seqLength: 10, iterations: 200, every: 100, lr: 0.01, clipNorm: 5 });
    assert.ok(charRnnTextLoss(q, ids, 10) < before - 1, `loss ${before} → ${charRnnTextLoss(q, ids, 10)}`);
    return hist.map((h) => h.loss);
  };
  assert.deepEqual(run(), run());
  const s = sampleText(p, vocab, { rng: makeRng(4), length: 30, prime: "the" });
  assert.equal(s, sampleText(p, vocab, { rng: makeRng(4), length: 30, prime: "the" }));
  assert.equal(s.length, 30);
  assert.equal(softmax([0]).length, 1);
  // bad input: the workspace and the gradients must be for the same kind of model
  const rnn = initCharRnn({ V, H: 12, seed: 1 });
  assert.throws(() => readerStep(p, makeTextReader(ids, 10, 12), zerosLike(p), makeCharRnnWorkspace(rnn, 10)), /readerStep: the workspace was made for an RNN model, expected one made by makeCharRnnWorkspace for this gru model/);
  assert.throws(() => charRnnLossAndGrads(p as CharParams, [0], [1], new Float64Array(12), zerosLike(rnn) as CharParams), /charRnnLossAndGrads: grads is rnn with I=\d+, H=12, O=\d+, expected the same as p \(gru/);
  assert.throws(() => charRnnLoss({ ...rnn, kind: "lstm" } as unknown as CharParams, [0], [1], new Float64Array(12)), /charRnnLoss: p is a model of kind "lstm", expected a character model of kind "rnn" \(initCharRnn\) or "gru" \(initCharGru\)/);
  assert.throws(() => initCharGru({ V: 0, H: 3, seed: 1 }), /initCharGru: V is 0/);
});
