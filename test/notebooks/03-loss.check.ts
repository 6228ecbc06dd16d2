// Checks the executed lesson 3 (the loss): the naive formula's failures, the stable form against
// lib/, the finite-difference check, the note's gradient, the untrained loss, plot and exercises.
import * as assert from "node:assert/strict";
import type { TestContext } from "node:test";
import type { Notebook } from "../support/nb";
import { cellOutput, matchNumber, matchNumbers, notebookStderr, notebookText, plotsOf, sourceOf, taggedCells } from "../support/nb";
import { prose, assertExercises } from "../support/checks";

export default function check(nb: Notebook, _t: TestContext): void {
  const text = prose(nb);
  const printed = notebookText(nb);
  assert.equal(notebookStderr(nb), "", "nothing on stderr");

  // The sigmoid table: σ(0) = 0.5 and the symmetry σ(−z) = 1 − σ(z).
  assert.match(printed, /z = {2}0\.0 {3}σ\(z\) = 0\.5000/);
  for (const line of cellOutput(nb, "1 − σ(−z)").trim().split("\n")) {
    const [a, b] = [...line.matchAll(/= (\d\.\d{4})/g)].map((m) => m[1]);
    assert.equal(a, b, line);
  }
  assert.match(printed, /z = {2}0: {2}L\(y=1\) = 0\.6931 {3}L\(y=0\) = 0\.6931/);

  // The naive formula breaks (Infinity and NaN) where the library stays finite and right.
  const table = cellOutput(nb, "naive ${");
  assert.match(table, /z = -1000, y = 0: {2}naive NaN +library 0\n/);
  assert.match(table, /z = -1000, y = 1: {2}naive Infinity +library 1000\n/);
  assert.match(table, /z = {4}40, y = 0: {2}naive Infinity +library 40\n/);
  assert.match(table, /z = {4}40, y = 1: {2}naive NaN +library 4\.2\d*e-18\n/);
  assert.match(table, /z = {2}1000, y = 0: {2}naive Infinity +library 1000\n/);
  assert.doesNotMatch(table.replace(/naive (NaN|Infinity)/g, ""), /NaN|Infinity/, "the library is always finite");

  // The functions shown as lib-source, and their agreement with lib/.
  const libSource = taggedCells(nb, "lib-source").map(sourceOf).join("\n");
  for (const fn of ["function bceWithLogits(", "function sigmoid(", "function dBceDLogit("]) assert.ok(libSource.includes(fn), fn);
  assert.match(printed, /max \|notebook − library\| over 14 cases: 0\n/);
  assert.match(printed, /z = {2}1000: {2}L\(y=1\) = 0 {3}L\(y=0\) = 1000 {3}σ\(z\) = 1/);

  // Finite differences agree with σ(z) − y.
  const fd = matchNumber(printed, /at 322 points in \[−20, 20\]: max \|difference\| = (\S+)/);
  assert.ok(fd < 1e-8, `finite differences: ${fd}`);

  // The note's gradient: almost no push when confidently wrong, wrong sign when confidently right.
  const noteWrong = matchNumber(printed, /z = -10, y = 1 .*note: +(\S+)/);
  const rightWrong = matchNumber(printed, /z = -10, y = 1 .*σ\(z\) − y = +(\S+)/);
  assert.ok(rightWrong < -0.99 && Math.abs(noteWrong) < 0.001, `${rightWrong} vs note ${noteWrong}`);
  const noteRight = matchNumber(printed, /z = {2}10, y = 1 .*note: +(\S+)/);
  const rightRight = matchNumber(printed, /z = {2}10, y = 1 .*σ\(z\) − y = +(\S+)/);
  assert.ok(noteRight > 0 && rightRight < 0, "opposite signs for a confident right answer");
  assert.ok(text.includes("$-0.0005$"), "prose quotes the note's tiny gradient");

  // The untrained network's loss, our loop and evaluate() agreeing, near ln 2.
  const ours = matchNumber(printed, /mean BCE on the training set = (\d\.\d{4})/);
  const lib = matchNumber(printed, /\(evaluate: (\d\.\d{4}),/);
  assert.equal(ours, lib);
  assert.ok(Math.abs(ours - Math.LN2) < 0.2, `untrained loss ${ours} near ln 2`);
  assert.ok(text.includes(`The untrained network scores ${ours.toFixed(4)}`));
  const zMin = matchNumber(printed, /logits from (-?\d+\.\d\d) to/);
  const zMax = matchNumber(printed, /logits from -?\d+\.\d\d to (-?\d+\.\d\d);/);
  const accUntrained = matchNumber(printed, /\(evaluate: \d\.\d{4}, accuracy (\d+\.\d) %\)/);
  assert.ok(text.includes(`(${accUntrained.toFixed(1)} % accuracy)`), "prose quotes the untrained accuracy");
  assert.ok(text.includes(`from $${zMin.toFixed(2)}$ to $${zMax.toFixed(2)}$`), "prose quotes the logit range");
  const seedLoss = matchNumbers(printed, /seed "lesson-02\/seed-\d": mean loss (\d\.\d{4})/g);
  const seedAcc = matchNumbers(printed, /seed "lesson-02\/seed-\d": mean loss \d\.\d{4}, accuracy (\d+\.\d) %/g);
  assert.equal(seedLoss.length, 8);
  const wrongWay = seedLoss.filter((_, k) => seedAcc[k] < 50);
  const rightWay = seedLoss.filter((_, k) => seedAcc[k] >= 50);
  assert.ok(wrongWay.every((l) => l > Math.LN2) && rightWay.every((l) => l < Math.LN2), "leaning wrong costs more than ln 2");
  assert.ok(text.includes(`between ${Math.min(...wrongWay).toFixed(4)} and ${Math.max(...wrongWay).toFixed(4)}`));
  assert.ok(text.includes(`scores ${rightWay[0].toFixed(4)}, below`));

  // One figure: σ, the two losses and their two slopes.
  const figs = plotsOf(nb);
  assert.equal(figs.length, 1);
  assert.equal(figs[0].data.length, 5);

  // Item 1: the one reason for computing the loss from the logit (stability), as in lesson 04.
  assert.ok(text.includes("We compute the loss from the logit for numerical stability alone"));

  // Exercises.
  assertExercises(nb, ["3.1", "3.2", "3.3", "3.4"]);
}

/** The solutions notebook prints what the solutions compute (beyond their ✔). */
export function solutions(nb: Notebook, _t: TestContext): void {
  const printed = notebookText(nb);
  assert.match(printed, /at z = 40: σ\(z\)σ\(−z\) = 4\.248e-18, while σ\(z\)\(1 − σ\(z\)\) = 0\n/);
  assert.match(printed, /p = 0\.5 on the training labels: 0\.693147 {2}\(ln 2 = 0\.693147\)/);
  assert.match(printed, /best constant p = 0\.504, fraction of 1s in train = 0\.504/);
}
