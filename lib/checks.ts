// Not built in a lesson: the argument checks behind every error message.
// Argument checks shared by the library. Each one throws an Error whose
// message starts with the function's name, then names the argument, the value
// it got and what was expected — so a mistake is found from the message alone.

/** Describe a value briefly for an error message. */
export function describe(v: unknown): string {
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v);
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) {
    const length = (v as unknown as { length?: number }).length;
    return `a ${v.constructor.name}` + (length === undefined ? "" : ` of length ${length}`);
  }
  if (typeof v === "function") return "a function";
  if (typeof v === "object") {
    const ctor = (v as { constructor?: { name?: string } }).constructor;
    return ctor && ctor.name && ctor.name !== "Object" ? `a ${ctor.name}` : "an object";
  }
  return `a ${typeof v}`;
}

/** An integer >= min (a size, a count, an epoch number). */
export function checkCount(fn: string, name: string, v: unknown, min = 1): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
    throw new Error(`${fn}: ${name} is ${describe(v)}, expected an integer >= ${min}`);
  }
  return v;
}

/**
 * The most values one array may hold: 2^27 (134,217,728 float64s, 1 GiB). Sizes are checked against
 * it before anything is allocated, so a huge n or H gets an Error naming the function instead of a
 * RangeError from the typed-array constructor or an out-of-memory crash.
 */
export const MAX_ARRAY_LENGTH = 2 ** 27;

/** An array length within MAX_ARRAY_LENGTH; `what` says how it is made (e.g. "xs (n·T·I = 1e10 values)"). */
export function checkArraySize(fn: string, what: string, length: number): number {
  if (!(length <= MAX_ARRAY_LENGTH)) throw new Error(`${fn}: ${what} would hold ${length} values, more than the maximum of ${MAX_ARRAY_LENGTH} (2^27) per array`);
  return length;
}

/** An options object (not undefined, null, an array or a primitive); `expected` lists its fields. */
export function checkObject(fn: string, name: string, v: unknown, expected: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error(`${fn}: ${name} is ${describe(v)}, expected ${expected}`);
  return v as Record<string, unknown>;
}

/** A function argument. */
export function checkFunction(fn: string, name: string, v: unknown): void {
  if (typeof v !== "function") throw new Error(`${fn}: ${name} is ${describe(v)}, expected a function`);
}

/** A finite number > 0 (a learning rate, a clipping norm, a step size). */
export function checkPositive(fn: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) {
    throw new Error(`${fn}: ${name} is ${describe(v)}, expected a finite number > 0`);
  }
  return v;
}

/** A decay rate (momentum's β, Adam's β1 and β2): a number in [0, 1). */
export function checkDecay(fn: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !(v >= 0 && v < 1)) throw new Error(`${fn}: ${name} is ${describe(v)}, expected a number in [0, 1)`);
  return v;
}

/** A label: exactly 0 or 1. */
export function checkLabel(fn: string, name: string, v: unknown): 0 | 1 {
  if (v !== 0 && v !== 1) throw new Error(`${fn}: ${name} is ${describe(v)}, expected 0 or 1`);
  return v;
}

/** A Float64Array of an exact length; `expected` explains where the length comes from. */
export function checkLength(fn: string, name: string, v: unknown, length: number, expected?: string): Float64Array {
  if (!(v instanceof Float64Array)) {
    throw new Error(`${fn}: ${name} is ${describe(v)}, expected a Float64Array of length ${expected ?? length}`);
  }
  if (v.length !== length) {
    throw new Error(`${fn}: ${name} has length ${v.length}, expected ${expected ?? length}`);
  }
  return v;
}

/** Every value finite (no NaN, no ±Infinity); names the first bad index. */
export function checkFinite(fn: string, name: string, v: ArrayLike<number>): void {
  for (let k = 0; k < v.length; k++) {
    if (!Number.isFinite(v[k])) {
      throw new Error(`${fn}: ${name}[${k}] is ${describe(v[k])}, expected a finite number`);
    }
  }
}
