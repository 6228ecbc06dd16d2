// The character-level language model (lesson 10): softmax cross-entropy, the
// text reader, bad input, sampling, save/load, the training loop and the shipped
// text. (Gradient checks and truncation: charlm-cells.test.ts.)
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { makeRng } from "../../lib/random";
import { paramArrays, zerosLike, initRnnParams } from "../../lib/params";
import type { RnnParams } from "../../lib/params";
import { softmax, softmaxCrossEntropy, dSoftmaxCrossEntropy } from "../../lib/softmax";
import { makeVocab, encodeText, decodeText, vocabFromChars } from "../../lib/text";
import {
  initCharRnn, initCharGru, charRnnLossAndGrads, charRnnLoss, charRnnTextLoss, makeCharRnnWorkspace, makeTextReader, readerStep,
  sampleText, charLmToJSON, charLmFromJSON, checkSeqLength,
} from "../../lib/charlm";
import type { CharParams } from "../../lib/charlm";
import { trainCharLm } from "../../lib/charlm-train";
import { loadText, saveCharLm, loadCharLm } from "../../lib/charlm-io";
import { loadModel } from "../../lib/model-io";
import { modelToJSON } from "../../lib/serialize";
import { initLstmParams } from "../../lib/lstm";

const TEXT_FILE = path.join(__dirname, "..", "..", "data", "shakespeare", "tragedies.txt");

/** A random character model with non-zero biases (so dbh, dby are fully exercised). */
function randomModel(V: number, H: number, seed: string): RnnParams {
  const p = initCharRnn({ V, H, seed });
  const rng = makeRng(`${seed}-b`);
  for (let k = 0; k < H; k++) p.bh[k] = 0.1 * rng.normal();
  for (let k = 0; k < V; k++) p.by[k] = 0.1 * rng.normal();
  return p;
}

function randomIds(n: number, V: number, seed: string): Int32Array {
  const rng = makeRng(seed);
  const ids = new Int32Array(n);
  for (let k = 0; k < n; k++) ids[k] = Math.floor(rng.uniform() * V);
  return ids;
}

test("softmax cross-entropy is stable for huge logits and its gradient is p − onehot(y)", () => {
  assert.equal(softmaxCrossEntropy([1000, 0], 0), 0);
  assert.equal(softmaxCrossEntropy([1000, 0], 1), 1000);
  assert.deepEqual(Array.from(softmax([1000, 0])), [1, 0]);
  const z = [0.3, -1.2, 2.0, 0.0];
  const p = softmax(z);
  assert.ok(Math.abs(p.reduce((s, v) => s + v, 0) - 1) < 1e-15);
  assert.ok(Math.abs(softmaxCrossEntropy(z, 2) - -Math.log(p[2])) < 1e-15);
  const g = dSoftmaxCrossEntropy(z, 2);
  for (let k = 0; k < 4; k++) {
    const eps = 1e-6;
    const zp = z.slice(), zm = z.slice();
    zp[k] += eps;
    zm[k] -= eps;
    const num = (softmaxCrossEntropy(zp, 2) - softmaxCrossEntropy(zm, 2)) / (2 * eps);
    assert.ok(Math.abs(num - g[k]) < 1e-9, `dz[${k}] analytic ${g[k]} numerical ${num}`);
    assert.equal(g[k], p[k] - (k === 2 ? 1 : 0));
  }
  assert.throws(() => softmaxCrossEntropy([1, 2], 2), /softmaxCrossEntropy: y is 2, expected a class index below V = 2/);
  assert.throws(() => softmax([1, NaN]), /softmax: z\[1\] is NaN, expected a finite number/);
});

// The gradient check at random sizes and the exact truncation test are in charlm-cells.test.ts, for both recurrences.

test("a reader goes back to the start with h = 0 when the text runs out", () => {
  const ids = randomIds(11, 3, "charlm-wrap");
  const p = randomModel(3, 4, "charlm-wrap");
  const r = makeTextReader(ids, 4, 4);
  const ws = makeCharRnnWorkspace(p, 4);
  const g = zerosLike(p);
  readerStep(p, r, g, ws); // 0..4
  readerStep(p, r, g, ws); // 4..8
  assert.equal(r.position, 8);
  assert.ok(r.h.some((v) => v !== 0));
  const again = readerStep(p, r, zerosLike(p), ws); // 8 + 4 + 1 > 11: back to 0
  assert.equal(r.position, 4);
  assert.equal(again, charRnnLoss(p, ids.subarray(0, 4), ids.subarray(1, 5), new Float64Array(4)));
});

test("bad input gets clear errors", () => {
  assert.throws(() => makeVocab(""), /makeVocab: the text is empty, expected at least one character/);
  const vocab = makeVocab("abc ab");
  assert.deepEqual(vocab.chars, [" ", "a", "b", "c"]);
  assert.throws(() => encodeText(vocab, "abz"), /encodeText: character "z" \(U\+007A\) at position 2 is not in the vocabulary \(4 characters\)/);
  assert.throws(() => encodeText(vocab, "a\n"), /character "\\n" \(U\+000A\) at position 1/);
  assert.equal(decodeText(vocab, encodeText(vocab, "cab a")), "cab a");
  assert.throws(() => checkSeqLength("f", 0, 10), /f: seqLength is 0, expected an integer >= 1/);
  assert.throws(() => checkSeqLength("f", 10, 10), /f: seqLength is 10, expected at most 9 \(the text has 10 characters/);
  const ids = encodeText(vocab, "abc abc abc");
  assert.throws(() => makeTextReader(ids, 11, 3), /makeTextReader: seqLength is 11, expected at most 10/);
  assert.throws(() => makeTextReader(new Int32Array(1), 1, 3), /makeTextReader: the text has 1 character, expected at least 2/);
  const p = initCharRnn({ V: 4, H: 3, seed: 1 });
  assert.throws(() => trainCharLm(p, ids, { seqLength: 0, iterations: 1, lr: 0.1 }), /makeTextReader: seqLength is 0, expected an integer >= 1/);
  const rng = makeRng(1);
  assert.throws(() => sampleText(p, vocab, { rng, length: 5, prime: "a", temperature: 0 }), /sampleText: opts.temperature is 0, expected a finite number > 0/);
  assert.throws(() => sampleText(p, vocab, { rng, length: 5, prime: "a", temperature: -1 }), /opts.temperature is -1/);
  assert.throws(() => sampleText(p, vocab, { rng, length: 5, prime: "ax" }), /sampleText: opts.prime: character "x" \(U\+0078\) at position 1 is not in the vocabulary/);
  assert.throws(() => sampleText(p, vocab, { rng, length: 5, prime: "" }), /sampleText: opts.prime is "", expected at least one character/);
  assert.throws(() => charRnnLossAndGrads(p, [0, 4], [1, 2], new Float64Array(3), zerosLike(p)), /charRnnLossAndGrads: inputs\[1\] is 4, expected a character index in 0..3/);
  assert.throws(() => charRnnLossAndGrads(p, [0, 1], [1], new Float64Array(3), zerosLike(p)), /targets has length 1, expected 2/);
  assert.throws(() => charRnnTextLoss(p, ids, 0), /charRnnTextLoss: seqLength is 0/);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "charlm-"));
  try {
    fs.writeFileSync(path.join(tmp, "empty.txt"), "");
    assert.throws(() => loadText(path.join(tmp, "empty.txt")), /loadText\(.*empty\.txt\): the file is empty/);
    assert.throws(() => loadText(path.join(tmp, "missing.txt")), /loadText\(.*missing\.txt\): cannot read the file/);
  } finally {
    fs.rmSync(tmp, { recursive: true });
  }
});

test("sampling is deterministic for a seed, and a tiny temperature picks the most likely character", () => {
  const vocab = makeVocab("abcd");
  const p = randomModel(4, 5, "charlm-sample");
  const a = sampleText(p, vocab, { rng: makeRng("s"), length: 40, prime: "ab", temperature: 1 });
  const b = sampleText(p, vocab, { rng: makeRng("s"), length: 40, prime: "ab", temperature: 1 });
  assert.equal(a, b);
  assert.equal([...a].length, 40);
  // temperature → 0: always the argmax of the logits (independent of the rng)
  const cold1 = sampleText(p, vocab, { rng: makeRng(1), length: 20, prime: "a", temperature: 1e-3 });
  const cold2 = sampleText(p, vocab, { rng: makeRng(2), length: 20, prime: "a", temperature: 1e-3 });
  assert.equal(cold1, cold2);
  assert.equal(sampleText(p, vocab, { rng: makeRng(1), length: 0, prime: "a" }), "");
});

test("vocabulary and weights are saved and loaded together, bit for bit", () => {
  const vocab = makeVocab("hello, world\n");
  const p = randomModel(vocab.chars.length, 4, "charlm-save");
  p.Whh[0] = -0;
  const text = charLmToJSON({ vocab, params: p });
  const back = charLmFromJSON(text);
  assert.deepEqual(back.vocab.chars, vocab.chars);
  for (const [name, v] of paramArrays(p)) {
    const w = (back.params as unknown as Record<string, Float64Array>)[name];
    assert.ok(v.every((x, k) => Object.is(x, w[k])), name);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "charlm-"));
  try {
    const file = path.join(tmp, "m.json");
    saveCharLm(file, { vocab, params: p });
    const loaded = loadCharLm(file);
    assert.equal(sampleText(loaded.params, loaded.vocab, { rng: makeRng(3), length: 30, prime: "h" }), sampleText(p, vocab, { rng: makeRng(3), length: 30, prime: "h" }));
    assert.equal(loadModel(file).I, vocab.chars.length); // a char-LM file is also a model file
    fs.writeFileSync(file, text.replace(/"vocab": \[[^\]]*\]/, '"vocab": ["a","b"]'));
    assert.throws(() => loadCharLm(file), /loadCharLm\(.*m\.json\): field "vocab" has 2 characters, expected I = O = 10/);
    fs.writeFileSync(file, text.replace(/"vocab": \[[^\]]*\]/, '"vocab": ["a","a"]'));
    assert.throws(() => loadCharLm(file), /field "vocab": vocab\[1\] is "a", which is already vocab\[0\]/);
  } finally {
    fs.rmSync(tmp, { recursive: true });
  }
  assert.throws(() => vocabFromChars(["ab"]), /vocab\[0\] is "ab", expected one character/);
});

test("a GRU character model is saved and loaded with its vocabulary, bit for bit; other kinds and shapes are refused", () => {
  const text = "to be, or not to be: that is the question.\n";
  const vocab = makeVocab(text);
  const V = vocab.chars.length;
  const p = initCharGru({ V, H: 6, seed: "charlm-gru-save" });
  trainCharLm(p, encodeText(vocab, text), { seqLength: 8, iterations: 20, every: 20, lr: 0.01, clipNorm: 5 }); // non-trivial weights
  const saved = charLmToJSON({ vocab, params: p });
  assert.match(saved, /"kind": "gru"/);
  const back = charLmFromJSON(saved);
  assert.equal(back.params.kind, "gru");
  assert.deepEqual(back.vocab.chars, vocab.chars);
  for (const [name, v] of paramArrays(p)) {
    const w = (back.params as unknown as Record<string, Float64Array>)[name];
    assert.ok(v.every((x, k) => Object.is(x, w[k])), name);
  }
  const sample = (m: CharParams): string => sampleText(m, vocab, { rng: makeRng(5), length: 40, prime: "t" });
  assert.equal(sample(back.params), sample(p));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "charlm-gru-"));
  try {
    const file = path.join(tmp, "gru.json");
    saveCharLm(file, { vocab, params: p });
    assert.equal(sample(loadCharLm(file).params), sample(p));
  } finally {
    fs.rmSync(tmp, { recursive: true });
  }
  // an LSTM model file with a vocabulary: a real model, but not a recurrence the character model has
  const lstm = modelToJSON(initLstmParams({ I: V, H: 4, O: V, seed: 1 }));
  const withVocab = "{\n" + `  "vocab": ${JSON.stringify(vocab.chars)},\n` + lstm.slice(2);
  assert.throws(() => charLmFromJSON(withVocab, "lstm.json"), /^Error: lstm\.json: field "kind" is "lstm", expected "rnn" or "gru"/);
  // saving: a model whose input and output sizes differ is not a character model
  assert.throws(() => charLmToJSON({ vocab, params: initRnnParams({ I: V, H: 3, O: 2, seed: 1 }) }), /charLmToJSON: model\.params has I = \d+ inputs and O = 2 outputs, expected I = O/);
  assert.throws(() => charLmToJSON(null as never), /charLmToJSON: model is null, expected \{ vocab, params \}/);
});

test("trainCharLm is deterministic and lowers the loss on a small text", () => {
  const text = "the cat sat on the mat. the dog sat on the log. ".repeat(20);
  const vocab = makeVocab(text);
  const ids = encodeText(vocab, text);
  const run = (rule: "adam" | "momentum"): { losses: number[]; p: RnnParams } => {
    const p = initCharRnn({ V: vocab.chars.length, H: 16, seed: "tiny" });
    const before = charRnnTextLoss(p, ids, 10);
    const hist = trainCharLm(p, ids, { seqLength: 10, iterations: 300, lr: rule === "adam" ? 0.01 : 0.02, clipNorm: 5, every: 100, update: { rule } });
    assert.equal(hist.length, 3);
    assert.ok(charRnnTextLoss(p, ids, 10) < before - 1, `${rule}: loss ${before} → ${charRnnTextLoss(p, ids, 10)}`);
    return { losses: hist.map((h) => h.loss), p };
  };
  const a = run("adam");
  const b = run("adam");
  assert.deepEqual(a.losses, b.losses);
  run("momentum");
  assert.throws(() => trainCharLm(a.p, ids, { seqLength: 10, iterations: 250, lr: 0.1, every: 100 }), /trainCharLm: opts.iterations is 250, expected a multiple of opts.every = 100/);
  assert.throws(() => trainCharLm(a.p, ids, { seqLength: 10, iterations: 1, lr: 0.1, clipnorm: 1 } as never), /trainCharLm: opts has an unknown key "clipnorm"; did you mean "clipNorm"\?/);
  assert.throws(() => trainCharLm(a.p, ids, { seqLength: 10, iterations: 1, lr: 0.1, update: { rule: "rmsprop" } as never }), /trainCharLm: opts.update.rule is "rmsprop", expected one of "sgd", "momentum", "adam"/);
});

test("the shipped text loads byte-exact with its 73-character vocabulary", () => {
  const bytes = fs.readFileSync(TEXT_FILE);
  assert.equal(bytes.length, 535348);
  assert.equal(crypto.createHash("sha256").update(bytes).digest("hex"), "4f8294d4a6ee39d90a6b5eb965588c1cfdf76faa035ed14d6fa7165192e63f93");
  const text = loadText(TEXT_FILE);
  assert.equal(text.length, 535348); // ASCII: one character per byte
  const vocab = makeVocab(text);
  assert.equal(vocab.chars.join(""), "\n !\"&'(),-./123:;?ABCDEFGHIJKLMNOPQRSTUVWXYZ[]abcdefghijklmnopqrstuvwxyz}");
  const ids = encodeText(vocab, text);
  assert.equal(decodeText(vocab, ids.subarray(0, 30)), "HAMLET, PRINCE OF DENMARK\n\nby ");
  assert.deepEqual(Array.from(ids.subarray(0, 6)), [25, 18, 30, 29, 22, 37]);
});
