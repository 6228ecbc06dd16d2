// Not built in a lesson: file plumbing (lesson 05 saves its trained model with it).
// Node-only: saving and loading trained models as files (JSON text from
// serialize.ts, written atomically). Kept apart from io.ts (data sets) so that a
// notebook that only reads data does not compile every cell kind.
import type { BaseParams } from "./params";
import type { Params } from "./cells";
import { modelToJSON, modelFromJSON } from "./serialize";
import { writeFileAtomic, readText } from "./files";
import { describe } from "./checks";

/** Write a model file atomically (modelToJSON's text); errors name saveModel and the path. */
export function saveModel(file: string, p: BaseParams): void {
  if (typeof file !== "string" || file === "") throw new Error(`saveModel: path is ${describe(file)}, expected a file path (a non-empty string)`);
  writeFileAtomic(file, modelToJSON(p, "saveModel"), "saveModel");
}

/** Read a model file; errors name the file and the field. A loaded model predicts bit-identically. */
export function loadModel(file: string): Params {
  return modelFromJSON(readText("loadModel", file), `loadModel(${file})`);
}
