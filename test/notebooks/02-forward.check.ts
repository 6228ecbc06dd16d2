// Checks the executed lesson 2 (the forward pass): shapes, the hand-written loop against
// rnnForward, the initialisation experiment, the untrained network, plots and exercises.
import * as assert from "node:assert/strict";
import type { TestContext } from "node:test";
import type { Notebook } from "../support/nb";
import { cellOutput, matchNumber, matchNumbers, notebookStderr, notebookText, plotsOf } from "../support/nb";
import { prose, assertExercises } from "../support/checks";

export default function check(nb: Notebook, _t: TestContext): void {
  const text = prose(nb);
  const printed = notebookText(nb);
  assert.equal(notebookStderr(nb), "", "nothing on stderr");

  // Shapes and initialisation.
  const init = cellOutput(nb, "initRnnParams({ I: 1, H: 32, seed: \"lesson-02\" })");
  for (const line of [/Wxh: 32×1 = {3}32 values/, /Whh: 32×32 = 1024 values/, /Why: 1×32 = {3}32 values/, /bh : 32×1 = {3}32 values, root-mean-square 0\.000/, /total: 1121 parameters/]) {
    assert.match(init, line);
  }
  const rmsWhh = matchNumber(init, /Whh: .* root-mean-square (\d\.\d+)/);
  assert.ok(Math.abs(rmsWhh - Math.sqrt(1 / 32)) < 0.02, `Whh scale ${rmsWhh} near √(1/32)`);
  const rmsWxh = matchNumber(init, /Wxh: .* root-mean-square (\d\.\d+)/);
  assert.ok(text.includes(`${rmsWxh.toFixed(3)} for a target of 1`), "prose quotes Wxh's measured scale");
  assert.ok(text.includes("1121 numbers to learn"));

  // matVec on a worked example.
  assert.match(cellOutput(nb, "function matVec("), /\[ -2, -2 \]/);

  // One step and the whole loop agree with lib/ up to rounding.
  const stepDiff = matchNumber(printed, /max \|stepByHand − rnnStep\| = (\S+)/);
  assert.ok(stepDiff < 1e-14, `one step: ${stepDiff}`);
  assert.match(printed, /hs: 352 values = \(T\+1\)·H = 11·32/);
  const dHs = matchNumber(printed, /over all 1000 training sequences: max \|Δhs\| = (\S+),/);
  const dLogit = matchNumber(printed, /max \|Δlogit\| = (\S+)/);
  assert.ok(dHs < 1e-12 && dLogit < 1e-12, `loop vs rnnForward: ${dHs}, ${dLogit}`);

  // The scale experiment: the default saturates little, no scaling a lot; memory ordered as the prose says.
  const sat = matchNumbers(printed, /saturated +(\d+\.\d) %/g);
  const mem = matchNumbers(printed, /memory of x_1 (\S+)/g);
  assert.equal(sat.length, 3);
  assert.ok(sat[0] < 10 && sat[1] > 40, `saturation default ${sat[0]} %, unscaled ${sat[1]} %`);
  assert.ok(mem[1] > 0.1 && mem[0] > 1e-4 && mem[0] < 0.1 && mem[2] < 1e-8, `memory ${mem.join(", ")}`);
  assert.ok(text.includes(`${sat[0].toFixed(1)} % of the units saturate`) && text.includes(`${sat[1].toFixed(1)} % of the units`));
  assert.ok(text.includes(`only ${sat[2].toFixed(1)} % saturate`), "prose quotes the small-scale saturation");
  assert.ok(text.includes(`by ${mem[1].toFixed(3)} on average`), "prose quotes the unscaled memory");

  // The untrained network: small logits, probabilities near 0.5, accuracy whatever the seed gives.
  const pMin = matchNumber(printed, /probabilities: from (\d\.\d+)/);
  const pMax = matchNumber(printed, /probabilities: from \d\.\d+ to (\d\.\d+)/);
  assert.ok(pMin > 0.1 && pMax < 0.9, `untrained probabilities ${pMin}..${pMax}`);
  const acc = matchNumber(printed, /accuracy \(answer 1 when z > 0\): (\d+\.\d) %/);
  assert.ok(text.includes(`between ${pMin.toFixed(3)} and ${pMax.toFixed(3)}`) && text.includes(`${acc.toFixed(1)} %`));
  const seedAcc = matchNumbers(printed, /seed "lesson-02\/seed-\d": accuracy (\d+\.\d) %/g);
  assert.equal(seedAcc.length, 8);
  assert.ok(text.includes(`From ${Math.min(...seedAcc).toFixed(1)} % to ${Math.max(...seedAcc).toFixed(1)} % over eight seeds`));

  // Plots: a heatmap of the 32 hidden units over the 11 states h_0..h_10, and the untrained probabilities.
  const figs = plotsOf(nb);
  assert.equal(figs.length, 2);
  const heat = figs[0].data.find((d) => d.type === "heatmap");
  assert.ok(heat, "a heatmap");
  const z = heat.z as number[][];
  assert.equal(z.length, 32);
  assert.ok(z.every((row) => row.length === 11 && row[0] === 0), "h_0 = 0 in the first column");
  assert.deepEqual(figs[1].data.map((d) => d.type), ["histogram", "histogram"]);

  // Exercises.
  assertExercises(nb, ["2.1", "2.2", "2.3"]);
}

/** The solutions notebook prints what the solutions compute (beyond their ✔). */
export function solutions(nb: Notebook, _t: TestContext): void {
  const printed = notebookText(nb);
  assert.match(printed, /the note's network: 1121 parameters \(countParams says 1121\)/);
  assert.match(printed, /two halves vs all at once: max \|difference\| = 0\n/);
}
