// Numbers as JSON text that reads back as the same float64, bit for bit.
// String(v) prints the shortest decimal that round-trips, and JSON.parse reads
// it back exactly; the one value JSON.stringify would lose is −0 (it prints 0),
// so it is written as "-0". Data set files and model files both use this.

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
