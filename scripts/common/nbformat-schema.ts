// Validating a notebook against nbformat's own JSON schema, with a message that names the cell and
// the field, before any kernel starts.
//
// nbformat.v4.5.schema.json is copied verbatim from the nbformat Python package 5.11.1
// (nbformat/v4/, BSD-3-Clause, Copyright (c) Jupyter Development Team) rather than read from the
// Python environment: notebooks are checked before any Jupyter runs (the project's Python
// environment may not exist yet, and `--server-url` needs none), and the schema stays pinned with
// the code that writes notebooks. Notebooks of minor version 4.0-4.4 are checked against it with
// the cell `id` optional (it arrived in 4.5; nbformat itself adds ids on reading such notebooks).
import Ajv from "ajv-draft-04";
import type { ErrorObject, ValidateFunction } from "ajv";
import type { Notebook } from "./nbformat";
import schema from "./nbformat.v4.5.schema.json";

type Validators = { notebook: ValidateFunction; cell: Record<string, ValidateFunction>; output: Record<string, ValidateFunction> };
const OUTPUT_TYPES = ["execute_result", "display_data", "stream", "error"];
const cache = new Map<boolean, Validators>();

/** Compiled validators for the whole notebook and for each cell type (idRequired: minor >= 5). */
function validators(idRequired: boolean): Validators {
  let v = cache.get(idRequired);
  if (v) return v;
  const copy = JSON.parse(JSON.stringify(schema)) as typeof schema;
  if (!idRequired) {
    (copy.properties.nbformat_minor as { minimum: number }).minimum = 0;
    for (const t of ["raw_cell", "markdown_cell", "code_cell"] as const) {
      const def = copy.definitions[t] as { required: string[] };
      def.required = def.required.filter((k) => k !== "id");
    }
  }
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addSchema(copy, "nbformat");
  const get = (ref: string) => ajv.getSchema(`nbformat${ref}`)!;
  v = {
    notebook: get(""),
    cell: { raw: get("#/definitions/raw_cell"), markdown: get("#/definitions/markdown_cell"), code: get("#/definitions/code_cell") },
    output: Object.fromEntries(OUTPUT_TYPES.map((t) => [t, get(`#/definitions/${t}`)])),
  };
  cache.set(idRequired, v);
  return v;
}

const shown = (value: unknown) => {
  const s = JSON.stringify(value);
  return s === undefined ? String(value) : s.length > 40 ? s.slice(0, 37) + "..." : s;
};

/** One sentence for the errors of one object: the deepest path wins (the oneOf summary above it says less). */
function describeErrors(errors: ErrorObject[], value: unknown): string {
  const deepest = Math.max(...errors.map((e) => e.instancePath.split("/").length));
  const here = errors.filter((e) => e.instancePath.split("/").length === deepest && e.keyword !== "oneOf" && e.keyword !== "anyOf");
  const e = here[0] ?? errors[0];
  const field = e.instancePath.slice(1);
  const valueAt = field.split("/").reduce<any>((o, k) => (o == null ? undefined : o[k]), value);
  if (e.keyword === "required") {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    return `field "${field ? `${field}/` : ""}${missing}" is missing`;
  }
  if (e.keyword === "additionalProperties") {
    return `${field ? `field "${field}" has` : "has"} an unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  }
  const musts = [...new Set(here.map((x) => x.message ?? x.keyword))].join(" or ");
  return `field "${field}" ${musts || e.message} (it is ${shown(valueAt)})`;
}

/**
 * Throw an Error naming `source`, the cell (1-based, with its type) and the field when `nb` (as
 * parseNotebook returns it) is not a valid nbformat 4 notebook; return nothing when it is.
 */
export function validateNotebook(nb: Notebook, source: string): void {
  // parseNotebook has already refused anything but an object with nbformat 4 and a cells list.
  const v = validators(typeof nb.nbformat_minor !== "number" || nb.nbformat_minor >= 5);
  if (v.notebook(nb as unknown)) return;
  // Cells first, each against the definition of its own type: the schema's oneOf over cell types
  // would otherwise report every type's complaints at once.
  for (const [i, cell] of nb.cells.entries()) {
    const type = cell.cell_type; // one of the three: parseNotebook checked it
    const where = `${source}: cell ${i + 1} (${type})`;
    // Outputs likewise: each against the definition of its output_type.
    const outputs = (cell as { outputs?: unknown }).outputs;
    for (const [k, out] of (type === "code" && Array.isArray(outputs) ? outputs : []).entries()) {
      const outType = (out as { output_type?: unknown } | null)?.output_type;
      if (typeof outType !== "string" || !OUTPUT_TYPES.includes(outType)) {
        throw new Error(`${where}: field "outputs/${k}/output_type" is ${shown(outType)}, expected one of ${OUTPUT_TYPES.map((t) => `"${t}"`).join(", ")}`);
      }
      const check = v.output[outType];
      if (!check(out)) throw new Error(`${where}: output ${k + 1} (${outType}): ${describeErrors(check.errors ?? [], out).replace(/field "/, `field "outputs/${k}/`)}`);
    }
    const check = v.cell[type];
    if (!check(cell as unknown)) throw new Error(`${where}: ${describeErrors(check.errors ?? [], cell)}`);
  }
  throw new Error(`${source}: ${describeErrors(v.notebook.errors ?? [], nb)}`);
}
