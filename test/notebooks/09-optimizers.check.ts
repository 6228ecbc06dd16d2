// Checks the executed lesson 9 (optimisers): the Adam step by hand equals adamStep, the gradient
// spread, the race of SGD / momentum / Adam with the numbers the prose quotes, the plot and the
// exercises.
import * as assert from "node:assert/strict";
import type { TestContext } from "node:test";
import type { Notebook } from "../support/nb";
import { cellOutput, findCell, sourceOf, matchNumber, matchNumbers, notebookStderr, plotsOf } from "../support/nb";
import { prose, assertExercises } from "../support/checks";

export default function check(nb: Notebook, _t: TestContext): void {
  const text = prose(nb);
  assert.equal(notebookStderr(nb), "", "nothing on stderr");

  // Two Adam steps by hand equal adamStep.
  const hand = matchNumbers(nb, /max \|by hand − adamStep\| in Whf = (\S+)/g);
  assert.equal(hand.length, 2);
  for (const d of hand) assert.ok(d <= 1e-15, `by hand vs adamStep: ${d}`);

  // The gradient spread across arrays, and Adam's first step of about lr for every array.
  const spreadCell = cellOutput(nb, "const g0 = meanLossAndGrads");
  const spread = matchNumber(spreadCell, /largest \/ smallest gradient RMS: (\S+)/);
  assert.ok(spread > 10, `gradients differ by more than 10×: ${spread}`);
  assert.ok(text.includes(`factor of ${spread.toFixed(0)}`) && text.includes(`factor ${spread.toFixed(0)}`), "prose quotes the spread");
  // Item 5: which arrays get the large and the small gradients, as the prose says (not "the read-out").
  const rms = new Map([...spreadCell.matchAll(/^(\w+) +gradient RMS (\S+)/gm)].map((m) => [m[1], Number(m[2])]));
  const byRms = [...rms.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  assert.deepEqual(byRms.slice(0, 3).sort(), ["Why", "Wxg", "bg"], `largest gradients: ${byRms.slice(0, 3)}`);
  assert.deepEqual(byRms.slice(-2).sort(), ["Whf", "Whi"], `smallest gradients: ${byRms.slice(-2)}`);
  assert.ok(text.includes("The largest gradients reach the candidate's input weights and bias (`Wxg`, `bg`) and the read-out weights `Why`; the smallest reach the recurrent weights of the input and forget gates (`Whi`, `Whf`)"));
  assert.doesNotMatch(text, /the read-out \(`Why`, `by`\) gets large gradients/);
  const adamSteps = [...spreadCell.matchAll(/Adam (\S+)$/gm)].map((m) => Number(m[1]));
  assert.equal(adamSteps.length, 14, "one line per LSTM array");
  for (const s of adamSteps) assert.ok(s > 0.005 && s <= 0.0101, `Adam's first step ≈ lr: ${s}`);

  // The race.
  const race = cellOutput(nb, "const optimisers");
  const runs = [...race.matchAll(/^(SGD|momentum|Adam)\s+lr (\S+)\s+loss per epoch: (.*?)   held-out accuracy (\d+\.\d) %$/gm)].map((m) => ({
    opt: m[1], lr: Number(m[2]), losses: m[3].trim().split(/\s+/).map(Number), acc: Number(m[4]),
  }));
  assert.equal(runs.length, 9, "three optimisers × three learning rates");
  const of = (opt: string) => runs.filter((r) => r.opt === opt);
  for (const r of of("Adam")) {
    assert.equal(r.acc, 100, `Adam lr ${r.lr} reaches 100 %`);
    assert.ok(r.losses[r.losses.length - 1] <= 0.06, `Adam lr ${r.lr} ends with a small loss`);
  }
  for (const opt of ["SGD", "momentum"]) {
    assert.ok(of(opt).some((r) => r.acc < 90), `${opt} fails at some learning rate`);
    for (const r of of(opt)) assert.ok(text.includes(`${r.acc.toFixed(1)} %`), `prose quotes ${opt} lr ${r.lr}: ${r.acc} %`);
  }
  // Item 5: the learning-rate ranges as stated (SGD and momentum 20×, Adam 10×).
  for (const [opt, factor] of [["SGD", 20], ["momentum", 20], ["Adam", 10]] as Array<[string, number]>) {
    const lrs = of(opt).map((r) => r.lr);
    assert.ok(Math.abs(Math.max(...lrs) / Math.min(...lrs) - factor) < 1e-9, `${opt}: range ${lrs.join(", ")}`);
  }
  assert.ok(text.includes("SGD's and momentum's span a factor 20, Adam's a factor 10"));
  assert.doesNotMatch(text, /a factor 20 apart|the same 20-fold range/);
  // Contract 1: the race runs through train() with an update rule, not a retyped loop.
  const raceSource = sourceOf(findCell(nb, "const optimisers"));
  assert.match(raceSource, /train\(p, trainSet, \{[^}]*update: o\.update/);
  assert.doesNotMatch(nb.cells.map(sourceOf).join("\n"), /function trainWith|scaleGradsDown|zeroGrads/);

  // Numbers of the prose about the curves.
  const sgd05 = of("SGD").find((r) => r.lr === 0.5);
  assert.ok(sgd05 && text.includes(`falls to ${Math.min(...sgd05.losses).toFixed(2)}`), "prose quotes SGD 0.5's lowest loss");
  const mom02 = of("momentum").find((r) => r.lr === 0.2);
  assert.ok(mom02 && text.includes(`rises to ${Math.max(...mom02.losses).toFixed(2)}`), "prose quotes momentum 0.2's peak");
  for (const r of of("Adam")) assert.ok(text.includes(r.losses[r.losses.length - 1].toFixed(2)), `prose quotes Adam lr ${r.lr}'s final loss`);

  const plots = plotsOf(nb);
  assert.equal(plots.length, 1, "one plot");
  assert.equal(plots[0].data.length, 9, "nine loss curves");

  assertExercises(nb, ["9.1", "9.2", "9.3"]);
}
