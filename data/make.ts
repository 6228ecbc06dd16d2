// `npm run data`: write the course's data sets from fixed seeds.
// Running it again rewrites byte-identical files (test/unit/data.test.ts checks).
import * as path from "path";
import { makeSignOfSumData } from "../lib/data";
import { saveDataset } from "../lib/io";
import { makeLongData } from "./make-long";

/** Every data set the lessons use: file (relative to data/), generator options, description. */
export const DATASETS = [
  {
    file: "sign-of-sum/train.json",
    name: "sign-of-sum/train",
    opts: { n: 1000, T: 10, I: 1, seed: "sign-of-sum/train" },
    description: "Training set of the original note's task: each value is standard normal; the label is 1 when the sum of the sequence is > 0, else 0.",
  },
  {
    file: "sign-of-sum/test.json",
    name: "sign-of-sum/test",
    opts: { n: 1000, T: 10, I: 1, seed: "sign-of-sum/test" },
    description: "Held-out test set of the same task, drawn from a different seed.",
  },
];

/** Write every data set under dir (default: this folder). */
export function makeAll(dir: string = __dirname): string[] {
  const written: string[] = [];
  for (const d of DATASETS) {
    const file = path.join(dir, d.file);
    saveDataset(file, makeSignOfSumData(d.opts), { name: d.name, seed: d.opts.seed, description: d.description });
    written.push(file);
  }
  return written;
}

if (require.main === module) {
  for (const file of [...makeAll(), ...makeLongData()]) console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
