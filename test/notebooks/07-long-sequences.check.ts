// Checks the executed lesson 7 (vanishing and exploding gradients, clipping): the measured gradient
// norms and their bound, the saturation effect, the clipping experiment, the numbers the prose
// quotes, the plots and the exercises.
import * as assert from "node:assert/strict";
import type { TestContext } from "node:test";
import type { Notebook } from "../support/nb";
import { notebookText, cellOutput, matchNumber, notebookStderr, plotsOf } from "../support/nb";
import { prose, assertExercises, latexOf } from "../support/checks";

export default function check(nb: Notebook, _t: TestContext): void {
  const text = prose(nb);
  assert.equal(notebookStderr(nb), "", "nothing on stderr");

  // The orthogonal matrix and the measuring instrument.
  assert.ok(matchNumber(nb, /max \|QᵀQ − I\| = (\S+)/) < 1e-12, "Q is orthogonal");
  assert.ok(matchNumber(nb, /max \|difference\| from rnnBackward in dWhh, dWxh = (\S+)/) <= 1e-12, "hiddenGradNorms agrees with rnnBackward");

  // Vanishing below 1, exploding above 1 (small inputs, T = 200), and the bound ρ^(T−t).
  const ratio = (rho: string): string => {
    const m = new RegExp(`ρ = ${rho.replace(".", "\\.")}:  ‖dh_T‖ = \\S+   ‖dh_1‖ = \\S+   ratio (\\S+)`).exec(cellOutput(nb, "const radii"));
    assert.ok(m, `ratio printed for ρ = ${rho}`);
    return m[1];
  };
  assert.ok(Number(ratio("0.5")) < 1e-50, "ρ = 0.5 vanishes");
  assert.ok(Number(ratio("0.9")) < 1e-10, "ρ = 0.9 vanishes");
  assert.ok(Number(ratio("1.0")) < 1e-3, "ρ = 1.0 still decays (tanh slopes < 1)");
  assert.ok(Number(ratio("1.5")) > 100, "ρ = 1.5 explodes with small inputs");
  assert.match(cellOutput(nb, "let violations"), /: 0 of 1000$/m, "the bound holds at every step");
  assert.ok(text.includes(latexOf(ratio("1.5"))), "prose quotes the ρ = 1.5 ratio");
  assert.ok(text.includes(latexOf(ratio("1.0"))), "prose quotes the ρ = 1.0 ratio");
  assert.ok(text.includes(latexOf(ratio("1.1"))), "prose quotes the ρ = 1.1 ratio");
  assert.ok(text.includes("10^{" + ratio("0.5").split("e")[1].replace("+", "") + "}"), "prose quotes the ρ = 0.5 order of magnitude");

  // Item 3: the factor per step and the mean tanh slope, printed side by side and quoted; saturation.
  const radiiCell = cellOutput(nb, "const radii");
  const fac = [...radiiCell.matchAll(/factor per step (\d\.\d\d), mean 1−h² (\d\.\d{3})$/gm)];
  assert.equal(fac.length, 5, "factor and slope for each ρ");
  const factors = fac.map((m) => m[1]), slopes = fac.map((m) => m[2]);
  assert.ok(Number(factors[4]) < 1.1 && Number(factors[3]) < 1, "ρ = 1.1 decays and ρ = 1.5 grows far slower than ρ");
  for (let k = 1; k < 5; k++) assert.ok(Number(slopes[k]) < Number(slopes[k - 1]), "the slope falls as ρ grows");
  assert.ok(text.includes(`they are ${factors.slice(0, 4).join(", ")} and ${factors[4]} for $\\rho$ = 0.5, 0.9, 1.0, 1.1 and 1.5`), "prose quotes the factors");
  assert.ok(text.includes(`whose mean falls from ${slopes[0]} to ${slopes.slice(1, 4).join(", ")} and ${slopes[4]}`), "prose quotes the slopes");
  assert.ok(text.includes("where $\\rho^{199}$ would be " + "$" + latexOf(/ρ = 1\.5:.*\(ρ\^199 = (\S+)\)/.exec(radiiCell)![1]) + "$"), "prose quotes ρ^199");
  assert.doesNotMatch(text, /almost exactly \$\\rho Q\$/);
  // Item 3: spectral radius against spectral norm, and the learning goal.
  const rn = /default Whh \(H = 32\): spectral radius ≈ (\d\.\d\d), spectral norm = (\d\.\d\d)/.exec(notebookText(nb));
  const rq = /1\.1·Q: +spectral radius ≈ (\d\.\d\d), spectral norm = (\d\.\d\d)/.exec(notebookText(nb));
  assert.ok(rn && rq, "radius and norm printed");
  assert.ok(Math.abs(Number(rn[1]) - 1) < 0.15 && Number(rn[2]) > 1.5, `default Whh: radius ${rn[1]}, norm ${rn[2]}`);
  assert.deepEqual([rq[1], rq[2]], ["1.10", "1.10"], "for ρQ radius = norm = ρ");
  assert.ok(text.includes(`spectral radius about ${rn[1]} but spectral norm ${rn[2]}`), "prose quotes radius and norm");
  assert.doesNotMatch(text, /predict the rate from the spectral radius/);

  // Ratios grow exponentially with T: smaller for longer sequences below 1, larger above.
  const table = cellOutput(nb, "for (const Tlen of");
  const rowOf = (T: number): number[] => {
    const line = table.split("\n").find((l) => l.startsWith(`T = ${String(T).padStart(3)}`));
    assert.ok(line, `row T = ${T}`);
    return [...line.matchAll(/ρ=\d\.\d:\s+(\S+)/g)].map((m) => Number(m[1]));
  };
  const [r50, r100, r200] = [rowOf(50), rowOf(100), rowOf(200)];
  assert.equal(r50.length, 5);
  for (const k of [0, 1, 2]) assert.ok(r200[k] < r100[k] && r100[k] < r50[k], `ρ index ${k}: the ratio shrinks with T`);
  assert.ok(r200[4] > r100[4] && r100[4] > r50[4], "ρ = 1.5: the ratio grows with T");
  // Item 3: "doubling squares the ratio" only where it vanishes; not at ρ = 1.5.
  const sq = [...(/ratio\(200\) \/ ratio\(100\)²:(.*)/.exec(table)?.[1] ?? "").matchAll(/ρ=\d\.\d: (\S+)/g)].map((m) => m[1]);
  assert.equal(sq.length, 5);
  for (const k of [0, 1, 2, 3]) assert.ok(Number(sq[k]) > 0.5 && Number(sq[k]) < 2, `ρ index ${k}: ratio(200)/ratio(100)² = ${sq[k]}`);
  assert.ok(Number(sq[4]) < 0.1, "ρ = 1.5 does not square");
  assert.ok(text.includes(`to within the factors ${sq.slice(0, 3).map((v) => Number(v).toFixed(1)).join(", ")} and ${Number(sq[3]).toFixed(1)} of the last line`), "prose quotes the squares");
  assert.ok(text.includes(`it goes $${latexOf(r50[4].toExponential(1))}$, $${latexOf(r100[4].toExponential(1))}$, $${latexOf(r200[4].toExponential(1))}$`), "prose quotes the ρ = 1.5 row");
  assert.doesNotMatch(text, /Doubling the length squares the ratio/);
  const t09 = table.match(/T = 100 .*?ρ=0\.9:\s+(\S+)/);
  const t09b = table.match(/T = 200 .*?ρ=0\.9:\s+(\S+)/);
  assert.ok(t09 && t09b);
  assert.ok(text.includes(latexOf(t09[1])) && text.includes(latexOf(t09b[1])), "prose quotes the ρ = 0.9 ratios at T = 100 and 200");

  // Saturation turns the ρ = 1.5 explosion into vanishing.
  const sat = cellOutput(nb, "const xBig");
  const m15 = /ρ = 1\.5: mean 1−h² = (\S+);  ratio ‖dh_1‖\/‖dh_T‖: small inputs (\S+), inputs of std 1 (\S+)/.exec(sat);
  assert.ok(m15, "saturation line for ρ = 1.5");
  assert.ok(Number(m15[2]) > 1 && Number(m15[3]) < 1e-6, "ρ = 1.5 explodes with small inputs, vanishes with saturating ones");
  assert.ok(text.includes(m15[1]) && text.includes(latexOf(m15[3])), "prose quotes the mean slope and the saturated ratio");

  // Clipping: most unclipped runs stay at chance, every clipped run learns.
  const failed = matchNumber(nb, /without clipping: (\d+) of 8 runs stay near chance/);
  const solved = matchNumber(nb, /with clipping: (\d+) of 8 runs reach > 90 %/);
  assert.ok(failed >= 5, `unclipped runs failing: ${failed} of 8`);
  assert.equal(solved, 8, "every clipped run reaches > 90 %");
  const words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight"];
  assert.ok(text.includes(`${words[failed][0].toUpperCase() + words[failed].slice(1)} of the 8 runs`) || text.includes(`${failed} of the 8 runs`) || text.includes(`${words[failed]} of the 8`), "prose quotes the number of failed unclipped runs");
  assert.ok(text.includes(`${failed} of 8 unclipped runs`), "summary quotes the number of failed unclipped runs");
  const seed0 = /seed 0: test accuracy without clipping\s+(\d+\.\d) %, with clipNorm = 1\s+(\d+\.\d) %/.exec(cellOutput(nb, "const clipRuns"));
  assert.ok(seed0, "seed 0 line");
  assert.ok(text.includes(`${seed0[1]} %`) && text.includes(`${seed0[2]} %`), "prose quotes seed 0's accuracies");
  const losses = /no clipping   loss per epoch: (.*)/.exec(cellOutput(nb, "const first = clipRuns[0]"));
  assert.ok(losses, "seed 0 loss line");
  const noClipLosses = losses[1].trim().split(/\s+/).map(Number);
  assert.ok(Math.min(...noClipLosses) > Math.LN2, "seed 0 without clipping stays above chance loss");
  assert.ok(text.includes(`between ${Math.min(...noClipLosses).toFixed(2)} and ${Math.max(...noClipLosses).toFixed(2)}`), "prose quotes the loss range");

  // Plots: the gradient norms on a log scale, and the loss curves.
  const plots = plotsOf(nb);
  assert.equal(plots.length, 2, "two plots");
  assert.equal((plots[0].layout?.yaxis as Record<string, unknown>)?.type, "log", "norms on a log scale");
  assert.equal(plots[0].data.length, 5, "one curve per spectral radius");
  assert.equal(plots[1].data.length, 2, "loss with and without clipping");

  assertExercises(nb, ["7.1", "7.2", "7.3"]);
}
