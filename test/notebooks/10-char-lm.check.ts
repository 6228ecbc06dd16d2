// Checks the executed lesson 10 (character-level language model): the text and vocabulary, the
// stable softmax cross-entropy and its gradient, the hand-computed steps, the gradient check with a
// carried state, the figure, the exact truncation cut, the synthetic cost of truncation, training
// (loss, curve, samples, real-word shares, temperatures), save/load, the GRU in the same time budget,
// the numbers the prose quotes and the exercises. Everything asserted here is deterministic (fixed seeds, fixed iteration counts).
import * as assert from "node:assert/strict";
import type { TestContext } from "node:test";
import type { Notebook } from "../support/nb";
import { cellOutput, matchNumber, notebookStderr, outputsOf, plotsOf } from "../support/nb";
import { prose, assertExercises } from "../support/checks";

export default function check(nb: Notebook, _t: TestContext): void {
  const text = prose(nb);
  assert.equal(notebookStderr(nb), "", "nothing on stderr");

  // The text: 535 348 characters, 73 in the vocabulary, exact round trip.
  const data = cellOutput(nb, "const text = loadText");
  assert.match(data, /^535348 characters, vocabulary of V = 73: /);
  assert.match(data, /decoded back: "HAMLET, PRINCE OF DENMARK\\n\\nby William Sh"/);
  assert.match(data, /round trip of the whole text exact: true/);

  // Softmax cross-entropy: the naive formula fails at ±1000, the library's is exact; the gradient.
  const sm = cellOutput(nb, "const naiveCE");
  assert.match(sm, /z = \[1000, 0, -1000\], y = 0: naive NaN, lib 0\.000000; y = 1: naive Infinity, lib 1000\.000000/);
  assert.match(sm, /sums to -?0\.000000000000\)/);
  assert.ok(matchNumber(sm, /max \|analytic − central difference\| over 6 logits: (\S+)/) < 1e-8);

  // By hand = library; gradient check with a carried state.
  assert.ok(matchNumber(nb, /max \|by hand − charRnnPredict\| over 3 steps × 73 probabilities: (\S+)/) <= 1e-12);
  const gc = cellOutput(nb, "const charErrors = gradCheck");
  const errs = [...gc.matchAll(/max relative error (\S+)/g)].map((m) => Number(m[1]));
  assert.equal(errs.length, 5, "one line per parameter array");
  for (const e of errs) assert.ok(e < 1e-6, `relative error ${e}`);
  assert.ok(matchNumber(gc, /char model worst: (\S+)/) < 1e-6);

  // The figure is an SVG with a title and a description (alt text).
  const svgs = outputsOf(nb, "image/svg+xml") as string[];
  assert.equal(svgs.length, 1);
  assert.match(svgs[0], /<title>Truncated backpropagation through time<\/title>/);
  assert.match(svgs[0], /<desc>[^<]{40,}<\/desc>/);

  // The cut: same loss, different gradients, restored exactly by the one dropped term.
  const cut = cellOutput(nb, "const L7 = 7");
  const losses = /loss: full (\S+), mean of the two chunks (\S+)/.exec(cut);
  assert.ok(losses && losses[1] === losses[2], "the forward pass is not truncated");
  assert.ok(matchNumber(cut, /max \|truncated − full\| gradient: (\S+)/) > 1e-3, "truncation changes the gradient");
  assert.ok(matchNumber(cut, /max \|truncated \+ dropped term − full\| gradient: (\S+)/) <= 1e-12, "one term restores full BPTT");

  // The cost of truncation on the key task: chance with chunks of 4, solved with chunks of 16.
  const key = cellOutput(nb, "const DIST = 5");
  const short = matchNumber(key, /seqLength  4 \(20000 updates\): the key after "=" predicted (\S+) %/);
  const long = matchNumber(key, /seqLength 16 \(5000 updates\): the key after "=" predicted (\S+) %/);
  assert.ok(short <= 60, `chunks of 4: ${short} % (chance)`);
  assert.ok(long >= 75, `chunks of 16: ${long} % (well above chance)`);
  for (const v of [short, long]) assert.ok(text.includes(`${v.toFixed(1)} %`), `prose quotes ${v.toFixed(1)} %`);

  // Training: 6000 iterations, samples at fixed iterations, the final loss the prose states.
  const tr = cellOutput(nb, "const LONG_RUN = false");
  assert.match(tr, /13577 parameters; 6000 iterations of 25 characters/);
  const sampleIts = [...tr.matchAll(/— iteration (\d+), loss (\S+):/g)].map((m) => Number(m[1]));
  assert.deepEqual(sampleIts, [2000, 4000, 6000]);
  const finalLoss = /final loss \(mean of the last 100 chunks\): (\S+) nats per character/.exec(tr);
  assert.ok(finalLoss, "final loss line");
  assert.ok(Number(finalLoss[1]) < 2.1, `final loss ${finalLoss[1]}`);
  assert.ok(text.includes(`to ${finalLoss[1]} nats per character`) && text.includes(`reaches ${finalLoss[1]} nats per character`), "prose quotes the final loss");
  // the live loss curve: one point per 100 iterations, falling from about ln 73
  const curves = plotsOf(nb).filter((f) => JSON.stringify(f.layout ?? {}).includes("Training loss"));
  assert.equal(curves.length, 1, "one loss curve");
  const ys = curves[0].data[0].y as number[];
  assert.equal(ys.length, 60);
  assert.ok(ys[0] > 3 && ys[ys.length - 1].toFixed(3) === finalLoss[1] && ys[0] - ys[ys.length - 1] > 1, `curve ${ys[0]} → ${ys[ys.length - 1]}`);

  // Mostly real words at temperature 0.5; fewer as the temperature rises.
  const realLine = /real words: (\S+) % of (\d+) words/.exec(cellOutput(nb, "const finalSample"));
  assert.ok(realLine, "real-word share of the final sample");
  assert.ok(Number(realLine[1]) > 60, `real words ${realLine[1]} %`);
  assert.ok(text.includes(`${realLine[1]} % of the sample's ${realLine[2]} words`), "prose quotes the real-word share");
  const temps = cellOutput(nb, "const tempShares");
  const shares = [...temps.matchAll(/— temperature (\S+): real words (\S+) % of \d+/g)].map((m) => [m[1], m[2]]);
  assert.deepEqual(shares.map((s) => s[0]), ["0.5", "1.0", "1.5"]);
  const values = shares.map((s) => Number(s[1]));
  assert.ok(values[0] > values[1] && values[1] > values[2], `shares fall with temperature: ${values}`);
  assert.ok(text.includes(`At 0.5, ${shares[0][1]} % of the words are real; at 1.0, ${shares[1][1]} %; at 1.5, only ${shares[2][1]} %`), "prose quotes the three shares");

  // The GRU: its gradient check with a carried state, then the race in about the same time.
  const gruGc = cellOutput(nb, "const pgGru = initCharGru");
  const gruErrs = [...gruGc.matchAll(/(\w+) (\d\.\de[+-]\d+)(?:,|\n)/g)].map((m) => Number(m[2]));
  assert.equal(gruErrs.length, 11, "one figure per GRU parameter array");
  for (const e of gruErrs) assert.ok(e < 1e-6, `GRU relative error ${e}`);
  assert.ok(matchNumber(gruGc, /GRU char model worst: (\S+)/) < 1e-6);
  assert.ok(text.includes("All 11 arrays agree to better than $10^{-6}$"));
  const race = cellOutput(nb, "const GRU_ITERATIONS = 1200");
  assert.match(race, /GRU: 31241 parameters \(the RNN: 13577\); 1200 iterations of 25 characters/);
  assert.ok(text.includes("Adam updates 2.3 times as many parameters (31 241 against 13 577)"), "prose quotes the parameter counts");
  assert.match(race, /the RNN's first 3000 iterations again, on the TypeScript path: section 6's weights at iteration 3000, bit for bit: true/);
  assert.match(race, /training time on the TypeScript path: the RNN's first 3000 iterations \d+\.\d s, the GRU's 1200 iterations \d+\.\d s/);
  assert.ok(text.includes("the GRU gets 1200 iterations against 3000 of the RNN"), "prose states the iteration counts");
  const sameIt = /training loss at iteration 1200 \(the same 100 chunks\): RNN (\S+), GRU (\S+)/.exec(race);
  assert.ok(sameIt, "per-iteration comparison");
  assert.equal(sameIt[1], ys[11].toFixed(3), "the RNN's figure is its curve at iteration 1200");
  assert.ok(Number(sameIt[2]) < Number(sameIt[1]), "per iteration the GRU is lower, as the prose says");
  assert.ok(text.includes(`the GRU's training loss is ${sameIt[2]} and the RNN's was ${sameIt[1]}`), "prose quotes the per-iteration losses");
  const unseen = /loss on the last 10 000 characters, read by neither: RNN \(3000 iterations\) (\S+), GRU \(1200 iterations\) (\S+) nats per character/.exec(race);
  assert.ok(unseen, "the held-out comparison");
  assert.ok(Number(unseen[2]) < Number(unseen[1]), "in the same time the GRU ends lower, as the prose says");
  assert.ok(Number(unseen[1]) > ys[29] && Number(unseen[2]) > Number(sameIt[2]), "held-out losses are above the training losses, as the prose says");
  assert.ok(text.includes(`**${unseen[2]}** nats per character on the last 10 000 characters`) && text.includes(`against the RNN's **${unseen[1]}**`), "prose quotes the held-out losses");
  assert.ok(text.includes(`it reaches ${unseen[2]} nats per character on text neither model has read, against the RNN's ${unseen[1]}`), "the summary quotes them");
  const shares2 = /real words: GRU (\S+) % of (\d+) words; the RNN at iteration 3000, same seed: (\S+) % of (\d+)/.exec(race);
  assert.ok(shares2, "the GRU's sample and both real-word shares");
  assert.ok(Number(shares2[1]) < Number(shares2[3]), "the sample points the other way, as the prose says");
  assert.ok(text.includes(`the GRU's has ${shares2[1]} % real words, the RNN's (at iteration 3000, same seed) ${shares2[3]} %`), "prose quotes both shares");
  assert.ok(Number(shares2[2]) < 100 && Number(shares2[4]) < 100 && text.includes("A sample of about 80 words"), "about 80 words each");
  const racePlots = plotsOf(nb).filter((f) => JSON.stringify(f.layout ?? {}).includes("RNN and GRU"));
  assert.equal(racePlots.length, 1, "one figure with both curves");
  assert.deepEqual(racePlots[0].data.map((d) => (d.y as number[]).length), [30, 12]);

  // Save and load: the vocabulary with the weights, and the same text after reloading.
  assert.match(cellOutput(nb, "const saved = charLmToJSON"), /73 characters of vocabulary; same sample after reloading: true/);

  assertExercises(nb, ["10.1", "10.2", "10.3"]);
}
