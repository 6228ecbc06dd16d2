// Not built in a lesson: number formatting for the file formats.
// JSON text for data set and model files: numbers written so that they read
// back as the same float64, bit for bit, and text read back as an object with
// errors that name the source. String(v) prints the shortest decimal that
// round-trips, and JSON.parse reads it back exactly; the one value
// JSON.stringify would lose is −0 (it prints 0), so it is written as "-0".
import { describe } from "./checks";

/** A number as JSON text, keeping −0 (JSON.parse("-0") is −0). */
export function numberToJSON(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`numberToJSON: value is ${v}, expected a finite number (JSON has no NaN or Infinity)`);
  return Object.is(v, -0) ? "-0" : String(v);
}

/** A numeric array as a JSON array literal (every value finite). */
export function arrayToJSON(values: ArrayLike<number>): string {
  const parts: string[] = new Array(values.length);
  for (let k = 0; k < values.length; k++) parts[k] = numberToJSON(values[k]);
  return "[" + parts.join(",") + "]";
}

/** Parse JSON text that must hold an object; errors start with `where` (e.g. the file). */
export function parseJsonObject(text: string, where: string): Record<string, unknown> {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) throw new Error(`${where}: expected a JSON object, got ${describe(obj)}`);
  return obj as Record<string, unknown>;
}
