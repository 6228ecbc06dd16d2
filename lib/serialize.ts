// Not built in a lesson: the model file format (lessons 05 and 08 save and reload models with it).
// Save and load a model as JSON text. A JavaScript number printed by
// String() and read back by JSON.parse is the same float64, bit for bit
// (the shortest round-trip decimal), so a loaded model predicts exactly as
// the saved one. The only value JSON.stringify would lose is −0 (it prints
// 0), so numbers are written with their sign of zero kept.
import type { BaseParams } from "./params";
import { paramArrays } from "./params";
import { describe } from "./checks";
import { cellOps, paramNamesOf, validateParams } from "./cells";
import type { Params } from "./cells";
import { arrayToJSON, parseJsonObject } from "./json";

/** The "format" field of a model file. */
export const MODEL_FORMAT = "rnn-from-scratch/model";
/** The current model file version. */
export const MODEL_VERSION = 1;

/**
 * The model as JSON text: format, version, kind, sizes, then each parameter
 * array (flat, row-major) on its own line, in the cell's canonical order.
 */
export function modelToJSON(p: BaseParams, fn = "modelToJSON"): string {
  validateParams(p, fn);
  const ops = cellOps(p, fn);
  const arrays = new Map(paramArrays(p));
  const lines = [
    `  "format": ${JSON.stringify(MODEL_FORMAT)},`,
    `  "version": ${MODEL_VERSION},`,
    `  "kind": ${JSON.stringify(p.kind)},`,
    `  "I": ${p.I},`,
    `  "H": ${p.H},`,
    `  "O": ${p.O},`,
    `  "params": {`,
    paramNamesOf(ops).map((name) => `    ${JSON.stringify(name)}: ${arrayToJSON(arrays.get(name) as Float64Array)}`).join(",\n"),
    `  }`,
  ];
  return "{\n" + lines.join("\n") + "\n}\n";
}

/**
 * A model from modelToJSON's text. Every field is checked; errors name
 * `source` (e.g. the file) and the field. The result has fresh arrays.
 */
export function modelFromJSON(text: string, source = "modelFromJSON"): Params {
  if (typeof text !== "string") throw new Error(`${source}: expected JSON text, got ${describe(text)}`);
  const m = parseJsonObject(text, source);
  if (m.format !== MODEL_FORMAT) throw new Error(`${source}: field "format" is ${describe(m.format)}, expected "${MODEL_FORMAT}"`);
  if (m.version !== MODEL_VERSION) throw new Error(`${source}: field "version" is ${describe(m.version)}, expected ${MODEL_VERSION}`);
  const ops = cellOps({ kind: m.kind } as unknown as BaseParams, `${source}: field "kind"`);
  const sizes: Record<string, number> = {};
  for (const field of ["I", "H", "O"]) {
    const v = m[field];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new Error(`${source}: field "${field}" is ${describe(v)}, expected an integer >= 1`);
    sizes[field] = v;
  }
  const params = m.params;
  if (typeof params !== "object" || params === null || Array.isArray(params)) {
    throw new Error(`${source}: field "params" is ${describe(params)}, expected an object of arrays`);
  }
  const given = params as Record<string, unknown>;
  const shapes = ops.shapes(sizes.I, sizes.H, sizes.O);
  const out: Record<string, unknown> = { kind: ops.kind, I: sizes.I, H: sizes.H, O: sizes.O };
  const names = paramNamesOf(ops);
  for (const name of names) {
    const [rows, cols] = shapes[name];
    const v = given[name];
    const where = `field "params.${name}"`;
    if (!Array.isArray(v)) throw new Error(`${source}: ${where} is ${describe(v)}, expected an array of ${rows * cols} numbers`);
    if (v.length !== rows * cols) {
      throw new Error(`${source}: ${where} has length ${v.length}, expected ${rows}·${cols} = ${rows * cols} (I=${sizes.I}, H=${sizes.H}, O=${sizes.O})`);
    }
    const a = new Float64Array(v.length);
    for (let k = 0; k < v.length; k++) {
      const x = v[k];
      if (typeof x !== "number" || !Number.isFinite(x)) throw new Error(`${source}: ${where}[${k}] is ${describe(x)}, expected a finite number`);
      a[k] = x;
    }
    out[name] = a;
  }
  for (const name of Object.keys(given)) {
    if (!Object.prototype.hasOwnProperty.call(shapes, name)) {
      throw new Error(`${source}: field "params.${name}" is not a parameter of a ${ops.kind} cell (expected ${names.join(", ")})`);
    }
  }
  return out as unknown as Params;
}
