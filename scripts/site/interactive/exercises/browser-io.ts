// The page's stand-in for lib/io.ts (which reads files with fs): loadDataset for the course's own data
// sets, rebuilt from the generator calls that wrote them. data/make.ts's DATASETS lists each file with
// its makeSignOfSumData options; `npm run data` writes byte-identical files from them
// (test/unit/data.test.ts), so the rebuilt data set is the file's, bit for bit
// (test/unit/exercises-page.test.ts compares it with lib/io's loadDataset). A page has no file
// system, and the two 200 KB files would outweigh the page.
import { makeSignOfSumData } from "../../../../lib/data";
import type { LoadedDataset } from "../../../../lib/io";

/** One entry of data/make.ts's DATASETS (passed in by bundle.ts at build time). */
export interface DatasetSpec {
  file: string;
  name: string;
  opts: { n: number; T: number; I: number; seed: string };
  description: string;
}

/** lib/io's loadDataset for the files `datasets` names; any other file gets an error that says why. */
export function browserIo(datasets: DatasetSpec[]): { loadDataset(file: string): LoadedDataset } {
  return {
    loadDataset(file: string): LoadedDataset {
      const norm = String(file).replace(/\\/g, "/");
      const d = datasets.find((s) => norm === `data/${s.file}` || norm.endsWith(`/data/${s.file}`));
      if (!d) {
        throw new Error(`loadDataset(${file}): on this page only the course's data sets can be loaded (${datasets.map((s) => `data/${s.file}`).join(", ")}); a page cannot read files`);
      }
      const ds = makeSignOfSumData(d.opts);
      return { ...ds, header: { name: d.name, seed: d.opts.seed, n: ds.n, T: ds.T, I: ds.I, description: d.description } };
    },
  };
}
