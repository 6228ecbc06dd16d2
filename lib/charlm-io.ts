// Built in lesson 10 (10-char-lm).
// Node-only: read a training text, and save/load a character model (its
// vocabulary and weights in one file, written atomically). Kept apart from
// charlm.ts so that the model itself runs anywhere (a browser, a worker).
import type { CharLm } from "./charlm";
import { charLmToJSON, charLmFromJSON } from "./charlm";
import { readText, writeFileAtomic } from "./files";

/** A UTF-8 text file as a string; throws, naming the file, when it cannot be read or is empty. */
export function loadText(file: string): string {
  const text = readText("loadText", file);
  if (text.length === 0) throw new Error(`loadText(${file}): the file is empty, expected a training text`);
  return text;
}

/** Write a character model file atomically (charLmToJSON's text). */
export function saveCharLm(file: string, model: CharLm): void {
  writeFileAtomic(file, charLmToJSON(model));
}

/** Read a character model file; errors name the file and the field. */
export function loadCharLm(file: string): CharLm {
  return charLmFromJSON(readText("loadCharLm", file), `loadCharLm(${file})`);
}
