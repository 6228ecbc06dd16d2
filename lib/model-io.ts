// Not built in a lesson: file plumbing (lesson 05 saves its trained model with it).
// Node-only: saving and loading trained models as files (JSON text from
// serialize.ts, written atomically). Kept apart from io.ts (data sets) so that a
// notebook that only reads data does not compile every cell kind.
import type { BaseParams } from "./params";
import type { Params } from "./cells";
import { modelToJSON, modelFromJSON } from "./serialize";
import { writeFileAtomic, readText } from "./files";

/** Write a model file atomically (modelToJSON's text). */
export function saveModel(file: string, p: BaseParams): void {
  writeFileAtomic(file, modelToJSON(p));
}

/** Read a model file; errors name the file and the field. A loaded model predicts bit-identically. */
export function loadModel(file: string): Params {
  return modelFromJSON(readText("loadModel", file), `loadModel(${file})`);
}
