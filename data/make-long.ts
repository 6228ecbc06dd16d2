// Writes the committed sample of the long-dependency task ("remember the first sign", lib/long-data.ts).
// Run: `npx tsx data/make-long.ts` (the lead may call makeLongData() from data/make.ts so that
// `npm run data` writes it too). Running it again rewrites a byte-identical file.
//
// Choice: lessons 08 and 09 generate their training and test sets in memory from the fixed seeds in
// LONG_TASK (lib/long-data.ts) — deterministic, and a few hundred sequences take milliseconds — so
// data/ holds this generator plus one small sample (100 sequences of 10 steps) that lesson 08 loads
// to look at the data and to show that the file and the generator agree.
import * as path from "path";
import { makeFirstSignData, LONG_TASK } from "../lib/long-data";
import { saveDataset } from "../lib/io";

export const LONG_SAMPLE = {
  file: "long-dependency/first-sign-T10-sample.json",
  name: "long-dependency/first-sign-T10-sample",
  opts: { n: 100, T: 10, seed: "first-sign/sample-T10", noise: LONG_TASK.noise },
  description:
    "Sample of the long-dependency task: I = 2 features per step. Feature 0 is the signal +1 or -1 at step 0 and " +
    "noise N(0, 2^2) at steps 1..T-1; feature 1 is a marker, 1 at step 0 and 0 elsewhere. The label is 1 when the signal is +1.",
};

/** Write the sample under dir (default: this folder); returns the file written. */
export function makeLongData(dir: string = __dirname): string[] {
  const file = path.join(dir, LONG_SAMPLE.file);
  saveDataset(file, makeFirstSignData(LONG_SAMPLE.opts), { name: LONG_SAMPLE.name, seed: LONG_SAMPLE.opts.seed, description: LONG_SAMPLE.description });
  return [file];
}

if (require.main === module) {
  for (const file of makeLongData()) console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
