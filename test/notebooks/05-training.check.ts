// Checks the executed lesson 5 (training): the hand-written SGD epoch equals train(), the note's
// run prints its ten epoch lines and reaches the held-out accuracy the prose states, the
// comparison table supports the prose's claims, the save/load round trip is exact, the plots
// (one live) exist, the exercises behave, and no wall-clock time leaks into the output.
import * as assert from "node:assert/strict";
import type { TestContext } from "node:test";
import type { Notebook } from "../support/nb";
import { cellOutput, codeCells, matchNumber, notebookStderr, notebookText, plotsOf, sourceOf } from "../support/nb";
import { prose, assertExercises } from "../support/checks";

export default function check(nb: Notebook, _t: TestContext): void {
  const text = prose(nb);
  const printed = notebookText(nb);
  assert.equal(notebookStderr(nb), "", "nothing on stderr");
  assert.doesNotMatch(printed, /seconds|\d ms\b/, "no wall-clock times in the output");

  // The readable epoch and train() agree exactly.
  assert.match(printed, /epoch 1 mean loss: mine (\d\.\d{6}), train\(\) \1; max \|weight difference\| = 0\n/);

  // One step along sequence 1's gradient: that sequence's loss falls, the mean training loss rises
  // (at every learning rate tried), and the prose quotes the numbers at lr 0.01 and lr 1.
  const step = cellOutput(nb, "const oneStep = stepLrs.map(");
  const [, seqBefore, meanBefore] = /^before the step: sequence 1's loss (\d\.\d{4}), mean training loss (\d\.\d{4})$/m.exec(step) ?? [];
  assert.ok(seqBefore && meanBefore, `the one-step cell prints the losses before the step:\n${step}`);
  const steps = [...step.matchAll(/^lr (\S+) +→ sequence 1's loss (\d\.\d{4}), mean training loss (\d\.\d{4})$/gm)]
    .map((r) => ({ lr: r[1], seq1: r[2], mean: r[3] }));
  assert.deepEqual(steps.map((s) => s.lr), ["0.001", "0.002", "0.005", "0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1"]);
  for (let i = 0; i < steps.length; i++) {
    const prev = i === 0 ? { seq1: seqBefore, mean: meanBefore } : steps[i - 1];
    assert.ok(Number(steps[i].seq1) < Number(prev.seq1) && Number(steps[i].mean) > Number(prev.mean), `lr ${steps[i].lr}: sequence 1's loss falls and the mean rises`);
  }
  const [at001, at1] = [steps[3], steps[9]];
  assert.ok(text.includes(`lowers sequence 1's loss from ${seqBefore} to ${at001.seq1} — and *raises* the mean training loss from ${meanBefore} to ${at001.mean}`), "prose quotes the step at lr 0.01");
  assert.ok(text.includes(`at learning rate 1, sequence 1's loss is down to ${at1.seq1} and the mean is up to ${at1.mean}`), "prose quotes the step at lr 1");

  // The note's run: ten lines in the note's format, falling loss, quoted in the prose.
  const run = cellOutput(nb, "const noteRun = train(");
  const epochs = [...run.matchAll(/^Epoch \[(\d+)\/10\], Avg Loss: (\d\.\d{4})$/gm)];
  assert.deepEqual(epochs.map((m) => Number(m[1])), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const losses = epochs.map((m) => Number(m[2]));
  assert.ok(losses[9] < losses[0] * 0.6, `loss ${losses[0]} → ${losses[9]}`);
  assert.ok(text.includes(`falls from ${losses[0].toFixed(4)} in the first epoch to ${losses[9].toFixed(4)} in the tenth`));

  // Held-out accuracy: at least 0.88, and the prose states the measured value.
  const testAcc = matchNumber(printed, /test {2}loss \d\.\d{4}, accuracy (\d\.\d{3})/);
  const testLoss = matchNumber(printed, /test {2}loss (\d\.\d{4})/);
  const trainAcc = matchNumber(printed, /train loss \d\.\d{4}, accuracy (\d\.\d{3})/);
  const trainLoss = matchNumber(printed, /train loss (\d\.\d{4})/);
  assert.ok(testAcc >= 0.88, `test accuracy ${testAcc}`);
  assert.ok(text.includes(`right **${(testAcc * 100).toFixed(1)} %** of the time (test loss ${testLoss.toFixed(4)})`));
  assert.ok(text.includes(`score ${trainAcc.toFixed(3)} on the *training* set`) && text.includes(`Their training loss, ${trainLoss.toFixed(4)}`));

  // Item 9: "does not settle", measured: the weights sampled every 100 updates of one more epoch,
  // evaluated on the whole training set, against epoch 10's running mean.
  const wander = cellOutput(nb, "const wander = cloneParams(p);");
  const samples = [...wander.matchAll(/^after +(\d+) more updates: train loss (\d\.\d{4}), accuracy (\d\.\d{3})$/gm)];
  assert.deepEqual(samples.map((r) => Number(r[1])), [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  const wl = samples.map((r) => Number(r[2])), wa = samples.map((r) => Number(r[3]));
  const [lo, hi, alo, ahi] = [Math.min(...wl), Math.max(...wl), Math.min(...wa), Math.max(...wa)];
  assert.ok(lo < losses[9] && hi > losses[9] && hi > 2 * lo, `the weights wander: ${lo} … ${hi} around ${losses[9]}`);
  assert.match(wander, new RegExp(`train loss ${lo.toFixed(4)} to ${hi.toFixed(4)}, accuracy ${alo.toFixed(3)} to ${ahi.toFixed(3)}; epoch 10's running mean: loss ${losses[9].toFixed(4)}, accuracy (\\d\\.\\d{3})`));
  const meanAcc = matchNumber(wander, /epoch 10's running mean: loss \d\.\d{4}, accuracy (\d\.\d{3})/);
  assert.ok(text.includes(`jumps between ${lo.toFixed(4)} and ${hi.toFixed(4)}, and their accuracy between ${alo.toFixed(3)} and ${ahi.toFixed(3)}`), "prose quotes the range");
  assert.ok(text.includes(`running mean (loss ${losses[9].toFixed(4)}, accuracy ${meanAcc.toFixed(3)})`), "prose quotes the mean");
  assert.doesNotMatch(text, /never settles/);

  // Inference on a new sequence, and where the errors are.
  const sum = matchNumber(printed, /sum = (-?\d+\.\d{3}) → true label/);
  const prob = matchNumber(printed, /predicted P\(label = 1\) = (\d\.\d{4})/);
  assert.ok((sum > 0) === (prob > 0.5), "the example is predicted correctly, as the prose says");
  assert.ok(text.includes(`The sum is ${sum.toFixed(3).replace("-", "−")}`) && text.includes(`= ${prob.toFixed(4)}$`));
  const m = /wrong on (\d+) of 1000 test sequences; (\d+) of those \d+ have \|sum\| < 1 \(as do (\d+) of all 1000\)/.exec(printed);
  assert.ok(m, "error analysis printed");
  const [wrong, wrongNear, near] = [Number(m[1]), Number(m[2]), Number(m[3])];
  assert.equal(wrong, Math.round((1 - testAcc) * 1000));
  assert.ok(wrongNear / wrong > near / 1000, "errors concentrate near sum 0");
  assert.ok(text.includes(`${wrongNear} of the ${wrong} test sequences`) && text.includes(`only ${near} of the 1000`));

  // The comparison table and the claims made about it.
  const table = cellOutput(nb, "last-epoch train loss");
  const rows = [...table.matchAll(/^(.+?) {2,}(\d+) +(\d\.\d{4}) +(\d\.\d{4}) +(\d\.\d{3})$/gm)].map((r) => ({
    name: r[1].trim(), updates: Number(r[2]), trainLoss: Number(r[3]), testLoss: Number(r[4]), acc: Number(r[5]),
  }));
  assert.deepEqual(rows.map((r) => r.updates), [10000, 320, 320, 10000, 10000]);
  const [note, b32, b32lr, more, data] = rows;
  assert.equal(note.acc, testAcc);
  assert.equal(note.trainLoss, losses[9]);
  assert.ok(data.acc > note.acc + 0.03 && data.acc === Math.max(...rows.map((r) => r.acc)), "more data helps most");
  assert.ok(b32.trainLoss > note.trainLoss, "fewer updates: higher training loss");
  for (const quote of [
    `reached ${b32.trainLoss.toFixed(4)} — yet its test accuracy, ${b32.acc.toFixed(3)}`,
    `(${b32lr.trainLoss.toFixed(4)}), but the large steps are rough: ${b32lr.acc.toFixed(3)}`,
    `(${more.trainLoss.toFixed(4)} in the last epoch) and test accuracy does not improve (${more.acc.toFixed(3)})`,
    `test loss ${data.testLoss.toFixed(4)}, accuracy **${data.acc.toFixed(3)}**`,
    `(${b32.acc.toFixed(3)} held-out with the same epochs); 10 more epochs did not help (${more.acc.toFixed(3)})`,
  ]) {
    assert.ok(text.includes(quote), `prose quotes: ${quote}`);
  }
  assert.ok(more.acc <= note.acc + 0.01, "10 more epochs did not help, as the prose says");
  // Item 5: batch 32 is better than the note's run by more than the stated noise (≈ one point).
  const gap = b32.acc - note.acc;
  assert.ok(gap > 0.02, `batch 32 − note = ${gap}`);
  assert.ok(text.includes(`better than the note's ${note.acc.toFixed(3)}, by ${(gap * 100).toFixed(1)} points: more than twice the noise of about one point`));
  assert.doesNotMatch(text, /no worse than the note/);
  // The standard errors printed next to each run's accuracy (what "about one point" rests on).
  const ses = [...cellOutput(nb, "const se = (a: number)").matchAll(/test accuracy (\d\.\d{3}) ± (\d\.\d{3})$/gm)];
  assert.deepEqual(ses.map((r) => Number(r[1])), rows.map((r) => r.acc));
  assert.ok(ses.every((r) => Number(r[2]) >= 0.007 && Number(r[2]) <= 0.012), "standard errors of about one point");
  assert.ok(b32lr.acc < b32.acc, "lr × 32 is rougher than batch 32 at lr 0.01, as the prose says");

  // Save / load.
  assert.match(printed, /loaded a "rnn" model with H = 32; max \|P\(loaded\) − P\(trained\)\| over 1000 test sequences = 0\n/);

  // Plots: one step along sequence 1's gradient; the live chart in its final state (10 epochs); the
  // comparison. The first one also has the page load plotly.js before the live chart needs it.
  const [stepFig, ...figs] = plotsOf(nb);
  assert.equal(figs.length, 3);
  assert.deepEqual(stepFig.data.map((d) => (d.y as number[]).map((v) => v.toFixed(4))), [steps.map((s) => s.seq1), steps.map((s) => s.mean)]);
  assert.deepEqual(figs[0].data.map((d) => (d.y as number[]).length), [10, 10]);
  assert.deepEqual((figs[0].data[0].y as number[]).map((v) => v.toFixed(4)), losses.map((v) => v.toFixed(4)));
  assert.equal(figs[1].data.length, 5);
  // Item 14: a chart of what the prose argues about, test accuracy per run (with error bars).
  assert.equal(figs[2].data.length, 1);
  assert.deepEqual((figs[2].data[0].y as number[]).map((v) => v.toFixed(3)), rows.map((r) => r.acc.toFixed(3)));
  assert.match(JSON.stringify(figs[2].layout?.yaxis), /test accuracy/);
  assert.equal((figs[2].data[0].error_y as { array: number[] }).array.length, 5);
  const liveCell = codeCells(nb).find((c) => sourceOf(c).includes("livePlot()"));
  assert.ok(liveCell && liveCell.outputs.some((o) => o.output_type === "display_data"), "the live plot has a display");

  assertExercises(nb, ["5.1", "5.2", "5.3"]);
}
