// Checks the executed lesson 1 (the data): the figures it prints, the numbers its prose quotes,
// its plots and its exercises.
import * as assert from "node:assert/strict";
import type { TestContext } from "node:test";
import type { Notebook } from "../support/nb";
import { cellOutput, matchNumber, notebookStderr, notebookText, plotsOf } from "../support/nb";
import { prose, assertExercises } from "../support/checks";

export default function check(nb: Notebook, _t: TestContext): void {
  const text = prose(nb);
  assert.equal(notebookStderr(nb), "", "nothing on stderr");

  // Memory layout demo.
  assert.match(cellOutput(nb, "const xToy"), /t=2:  x\[4\] = 2\.1   x\[5\] = 2\.2/);

  // Seeded randomness: same seed, same numbers; another seed, other numbers; the stream moves on.
  const seedLines = cellOutput(nb, 'makeRng("demo")').trim().split("\n");
  assert.equal(seedLines.length, 3);
  assert.equal(seedLines[0], seedLines[1], "same seed prints the same draws");
  assert.notEqual(seedLines[0].split(":")[1], seedLines[2].split(":")[1], "another seed draws other numbers");
  assert.notEqual(cellOutput(nb, "next 4").split(":")[1].trim(), seedLines[0].split(":")[1].trim(), "the stream continues");

  // The generated data and its label rule.
  assert.match(cellOutput(nb, "xs.length="), /n=1000  T=10  I=1  xs\.length=10000 \(= n·T·I\)  ys\.length=1000/);
  assert.match(cellOutput(nb, "mismatches++"), /label rule checked on 1000 samples: 0 mismatches/);

  // Class balance, as quoted in the prose.
  const ones = matchNumber(nb, /label 1: (\d+)   label 0: \d+/);
  const zeros = matchNumber(nb, /label 1: \d+   label 0: (\d+)/);
  assert.equal(ones + zeros, 1000);
  assert.ok(Math.abs(ones - 500) < 50, `roughly balanced: ${ones} ones`);
  const majority = matchNumber(nb, /majority label would be (\d+\.\d) %/);
  assert.equal(majority, Number(((100 * Math.max(ones, zeros)) / 1000).toFixed(1)));
  assert.ok(text.includes(`${ones} ones and ${zeros} zeros`), "prose quotes the printed class counts");
  assert.ok(text.includes(`${majority} %`), "prose quotes the majority baseline");

  // Distribution of the sums.
  const std = matchNumber(nb, /standard deviation (\d+\.\d+) \(theory/);
  assert.ok(Math.abs(std - Math.sqrt(10)) < 0.3, `std of the sums ${std} near √10`);
  const near = matchNumber(nb, /\|sum\| < 0\.5: (\d+) of 1000/);
  assert.ok(text.includes(`spread, ${std.toFixed(3)}`), "prose quotes the measured spread");
  assert.ok(text.includes(`${near} of the 1000 sums`), "prose quotes the near-zero count");

  // The files: same sizes, and train.json is exactly the data generated from its seed.
  assert.match(cellOutput(nb, "loadDataset(\"../data/sign-of-sum/train.json\")"), /sign-of-sum\/train: seed "sign-of-sum\/train"  n=1000  T=10  I=1  label 1: \d+/);
  assert.match(cellOutput(nb, "loadDataset(\"../data/sign-of-sum/train.json\")"), /sign-of-sum\/test: seed "sign-of-sum\/test"  n=1000  T=10  I=1/);
  assert.match(notebookText(nb), /max \|difference\| in xs = 0, same labels: true/);
  const trainOnes = matchNumber(nb, /sign-of-sum\/train: .* label 1: (\d+)/);
  assert.equal(trainOnes, ones, "the generated data and train.json have the same labels");

  // Validation errors name the source and the field; a missing file names the file.
  const errors = cellOutput(nb, "brokenSets");
  assert.match(errors, /one value missing:\n\s+broken\.json: field "xs" has length 19, expected n·T·I = 20/);
  assert.match(errors, /a label of 0\.5:\n\s+broken\.json: field "ys"\[1\] is 0\.5, expected 0 or 1/);
  assert.match(errors, /a NaN value:\n\s+broken\.json: field "xs"\[13\] is NaN, expected a finite number/);
  assert.doesNotMatch(errors, /accepted/);
  assert.match(cellOutput(nb, "no-such-file.json"), /loadDataset\(\.\.\/data\/sign-of-sum\/no-such-file\.json\): cannot read the file/);

  // Plots: sequences + running sums (12 sequences × 2 panels), and the histogram by label.
  const figs = plotsOf(nb);
  assert.equal(figs.length, 2, "two plots");
  assert.equal(figs[0].data.length, 24);
  assert.ok(figs[0].data.some((tr) => tr.yaxis === "y2"), "running sums on the second panel");
  // The running sum's last value has the sign of the label (colour): the point of the figure.
  for (const tr of figs[0].data.filter((d) => d.yaxis === "y2")) {
    const ys = tr.y as number[];
    const label = (tr.name as string).endsWith("1") ? 1 : 0;
    assert.equal(ys[ys.length - 1] > 0 ? 1 : 0, label, "final running sum's sign is the label");
  }
  assert.deepEqual(figs[1].data.map((d) => d.type), ["histogram", "histogram"]);

  // Exercises.
  assertExercises(nb, ["1.1", "1.2", "1.3"]);
}

/** The solutions notebook prints what the solutions compute (beyond their ✔). */
export function solutions(nb: Notebook, _t: TestContext): void {
  const printed = notebookText(nb);
  assert.match(printed, /decided only at the last step: \d+ of 1000 training sequences/);
}
