// Not built in a lesson: file plumbing (every lesson loads its data set with it).
// Node-only: reading and writing data sets as files (models: model-io.ts).
// Only io.ts and model-io.ts import fs and path; index.ts re-exports neither,
// so the rest of the library runs anywhere (a browser, a worker). Data set I/O
// is kept apart from model I/O so that a notebook that only loads data does not
// compile every cell kind.
// Files are written and read through files.ts (atomic writes, named errors).
import * as path from "path";
import type { Dataset } from "./data";
import { validateDataset } from "./data";
import { arrayToJSON, parseJsonObject } from "./json";
import { describe } from "./checks";
import { readText, writeFileAtomic } from "./files";

/** The descriptive part of a data set file. */
export interface DatasetHeader {
  name: string;
  seed: string | number;
  n: number;
  T: number;
  I: number;
  description: string;
}

/** A data set read from a file, with the file's header. */
export interface LoadedDataset extends Dataset {
  header: DatasetHeader;
}

/** A header's seed: a string, or a finite number (JSON has no NaN or Infinity). */
function checkSeed(fn: string, name: string, v: unknown): string | number {
  if (typeof v === "string" || (typeof v === "number" && Number.isFinite(v))) return v;
  throw new Error(`${fn}: ${name} is ${describe(v)}, expected a string or a finite number`);
}

/**
 * The data set file as text: a header, then xs with one sample (T·I values)
 * per line, then ys. Numbers keep every bit (see json.ts), so the same
 * data set always gives the same bytes. The header's name and description
 * must be strings and its seed a string or a finite number.
 */
export function datasetToJSON(ds: Dataset, header: { name: string; seed: string | number; description: string }, fn = "datasetToJSON"): string {
  validateDataset(ds, `${fn}: ds`);
  if (typeof header !== "object" || header === null) throw new Error(`${fn}: header is ${describe(header)}, expected { name, seed, description }`);
  for (const field of ["name", "description"] as const) {
    if (typeof header[field] !== "string") throw new Error(`${fn}: header.${field} is ${describe(header[field])}, expected a string`);
  }
  checkSeed(fn, "header.seed", header.seed);
  const { n, T, I, xs, ys } = ds;
  const L = T * I;
  const fullHeader: DatasetHeader = { name: header.name, seed: header.seed, n, T, I, description: header.description };
  const rows: string[] = [];
  for (let k = 0; k < n; k++) rows.push("    " + arrayToJSON(xs.subarray(k * L, (k + 1) * L)));
  return (
    "{\n" +
    `  "header": ${JSON.stringify(fullHeader)},\n` +
    `  "xs": [\n${rows.join(",\n")}\n  ],\n` +
    `  "ys": ${arrayToJSON(ys)}\n` +
    "}\n"
  );
}

/**
 * Write a data set file atomically (see datasetToJSON for the format). The
 * header defaults to the file's base name, seed "(not recorded)" and an empty
 * description; pass the real seed so the file documents how to regenerate it.
 * Errors name saveDataset and the path (or the bad argument).
 */
export function saveDataset(file: string, ds: Dataset, header?: { name?: string; seed?: string | number; description?: string }): void {
  const fn = "saveDataset";
  if (typeof file !== "string" || file === "") throw new Error(`${fn}: path is ${describe(file)}, expected a file path (a non-empty string)`);
  if (header !== undefined && (typeof header !== "object" || header === null)) {
    throw new Error(`${fn}: header is ${describe(header)}, expected { name?, seed?, description? }`);
  }
  // defaults only for fields left out: an explicit null is refused by datasetToJSON, not replaced
  const given = (header ?? {}) as Record<string, unknown>;
  const full = {
    name: (given.name === undefined ? path.basename(file, ".json") : given.name) as string,
    seed: (given.seed === undefined ? "(not recorded)" : given.seed) as string | number,
    description: (given.description === undefined ? "" : given.description) as string,
  };
  writeFileAtomic(file, datasetToJSON(ds, full, fn), fn);
}

/**
 * Read and validate a data set file: header sizes, xs of n rows of T·I finite
 * numbers, ys of n labels in {0, 1}. Errors name the file and the field,
 * e.g. `loadDataset(data/x.json): field "ys"[3] is 2, expected 0 or 1`.
 */
export function loadDataset(file: string): LoadedDataset {
  const fn = "loadDataset";
  const text = readText(fn, file);
  const where = `${fn}(${file})`;
  const d = parseJsonObject(text, where);
  const h = d.header;
  if (typeof h !== "object" || h === null || Array.isArray(h)) throw new Error(`${where}: field "header" is ${describe(h)}, expected an object`);
  const head = h as Record<string, unknown>;
  for (const field of ["n", "T", "I"]) {
    const v = head[field];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new Error(`${where}: field "header.${field}" is ${describe(v)}, expected an integer >= 1`);
  }
  for (const field of ["name", "description"]) {
    if (typeof head[field] !== "string") throw new Error(`${where}: field "header.${field}" is ${describe(head[field])}, expected a string`);
  }
  if (typeof head.seed !== "string" && typeof head.seed !== "number") {
    throw new Error(`${where}: field "header.seed" is ${describe(head.seed)}, expected a string or a number`);
  }
  const n = head.n as number;
  const T = head.T as number;
  const I = head.I as number;
  const L = T * I;
  const xsIn = d.xs;
  const ysIn = d.ys;
  if (!Array.isArray(xsIn)) throw new Error(`${where}: field "xs" is ${describe(xsIn)}, expected an array of n = ${n} rows`);
  if (xsIn.length !== n) throw new Error(`${where}: field "xs" has ${xsIn.length} rows, expected n = ${n}`);
  if (!Array.isArray(ysIn)) throw new Error(`${where}: field "ys" is ${describe(ysIn)}, expected an array of n = ${n} labels`);
  if (ysIn.length !== n) throw new Error(`${where}: field "ys" has length ${ysIn.length}, expected n = ${n}`);
  const xs = new Float64Array(n * L);
  for (let k = 0; k < n; k++) {
    const row = xsIn[k];
    if (!Array.isArray(row)) throw new Error(`${where}: field "xs"[${k}] is ${describe(row)}, expected an array of T·I = ${L} numbers`);
    if (row.length !== L) throw new Error(`${where}: field "xs"[${k}] has length ${row.length}, expected T·I = ${L} (T=${T}, I=${I})`);
    for (let j = 0; j < L; j++) {
      const v = row[j];
      if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`${where}: field "xs"[${k}][${j}] is ${describe(v)}, expected a finite number`);
      xs[k * L + j] = v;
    }
  }
  const ys = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const v = ysIn[k];
    if (v !== 0 && v !== 1) throw new Error(`${where}: field "ys"[${k}] is ${describe(v)}, expected 0 or 1`);
    ys[k] = v;
  }
  const header: DatasetHeader = { name: head.name as string, seed: head.seed as string | number, n, T, I, description: head.description as string };
  validateDataset({ n, T, I, xs, ys }, where);
  return { n, T, I, xs, ys, header };
}
