// Built in lesson 01 (01-data).
// Seeded random numbers. Every draw in the course goes through an Rng made
// from a seed, so the same seed gives the same numbers, bit for bit, on every
// run. Nothing here (or anywhere in lib/) touches Math.random.
import seedrandom from "seedrandom";
import { checkCount } from "./checks";
import { cos, log, sin } from "./math"; // the same bits in every JavaScript engine (lib/math.ts)

/** A seeded source of random numbers: a plain object of two closures. */
export interface Rng {
  /** A uniform sample in [0, 1). */
  uniform(): number;
  /** A standard normal sample (mean 0, standard deviation 1). */
  normal(): number;
}

/** Make a generator from a seed (a string or a number); seedrandom's ARC4 underneath. */
export function makeRng(seed: string | number): Rng {
  if (typeof seed === "number" ? !Number.isFinite(seed) : typeof seed !== "string") {
    throw new Error(`makeRng: seed is ${String(seed)}, expected a string or a finite number`);
  }
  const prng = seedrandom(String(seed));
  // Box–Muller makes normal samples two at a time; keep the second one for the
  // next call so no randomness is wasted and the sequence stays deterministic.
  let spare = 0;
  let hasSpare = false;
  const uniform = (): number => prng();
  const normal = (): number => {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    const u1 = 1 - prng(); // in (0, 1], so log(u1) is finite
    const u2 = prng();
    const radius = Math.sqrt(-2 * log(u1));
    const angle = 2 * Math.PI * u2;
    spare = radius * sin(angle);
    hasSpare = true;
    return radius * cos(angle);
  };
  return { uniform, normal };
}

/** n standard normal samples, each multiplied by `scale` (default 1). */
export function normalArray(rng: Rng, n: number, scale = 1): Float64Array {
  checkCount("normalArray", "n", n, 0);
  if (!Number.isFinite(scale)) throw new Error(`normalArray: scale is ${scale}, expected a finite number`);
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = rng.normal() * scale;
  return out;
}

/** The indices 0..n-1 in a random order (Fisher–Yates shuffle). */
export function shuffledIndices(n: number, rng: Rng): Uint32Array {
  checkCount("shuffledIndices", "n", n, 0);
  const order = new Uint32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  for (let k = n - 1; k > 0; k--) {
    const j = Math.floor(rng.uniform() * (k + 1)); // 0 <= j <= k
    const tmp = order[k];
    order[k] = order[j];
    order[j] = tmp;
  }
  return order;
}
