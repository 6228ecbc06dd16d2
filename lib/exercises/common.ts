// How an exercise check reports, shared by every lib/exercises/NN-name.ts: a check prints exactly
// one line ("✔ Exercise id: correct — …" or "✘ Exercise id: not yet — hint") and returns it as
// { ok, message }. It never throws on a wrong answer: the learner's code runs inside attempt(), so a
// throw becomes a hint, and the small comparisons below decide what counts as "equal".

export interface CheckResult {
  ok: boolean;
  message: string;
}

/** Print the verdict line as it is and return it. */
export function report(ok: boolean, message: string): CheckResult {
  console.log(message);
  return { ok, message };
}

/** Build the verdict line of exercise id from the text after the dash, print it and return it. */
export function reportExercise(id: string, ok: boolean, text: string): CheckResult {
  return report(ok, ok ? `✔ Exercise ${id}: correct — ${text}` : `✘ Exercise ${id}: not yet — ${text}`);
}

/** Run the learner's function, turning a throw into a message (error) instead of a crash. */
export function attempt<R>(f: () => R): { value: R; error: undefined } | { value: undefined; error: string } {
  try {
    return { value: f(), error: undefined };
  } catch (e) {
    return { value: undefined, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Largest |a[k] − b[k]| over the indices of a. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k] - b[k]));
  return m;
}

/** a equals b up to tol relative to |b| (absolute tol when |b| < 1). */
export function close(a: number, b: number, tol = 1e-9): boolean {
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
}
