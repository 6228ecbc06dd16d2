// The one exercise reporter, used by every check in notebooks/course/NN-name.ts. A check prints
// exactly one line and returns it as { ok, message }:
//   ✔ Exercise N.k: correct — <what was verified>      (ex.pass)
//   ✘ Exercise N.k: not yet — <hint>                   (ex.hint)
//   ✘ Exercise N.k: not yet — <call> threw "<error>"   (ex.threw)
// It never throws on a wrong answer: the learner's code runs inside attempt(), so a throw becomes a
// hint, and the small comparisons below decide what counts as "equal".

export interface CheckResult {
  ok: boolean;
  message: string;
}

/** The three verdicts of one exercise. */
export interface Exercise {
  /** The answer is right: print "✔ Exercise id: correct — text". */
  pass(text: string): CheckResult;
  /** Not yet: print "✘ Exercise id: not yet — text" (text says what to look at, not the answer). */
  hint(text: string): CheckResult;
  /** The learner's code threw: "✘ Exercise id: not yet — call threw "error"where". */
  threw(error: string, call?: string, where?: string): CheckResult;
}

/** The reporter of exercise id ("4.3"). */
export function exercise(id: string): Exercise {
  const say = (ok: boolean, message: string): CheckResult => {
    console.log(message);
    return { ok, message };
  };
  return {
    pass: (text) => say(true, `✔ Exercise ${id}: correct — ${text}`),
    hint: (text) => say(false, `✘ Exercise ${id}: not yet — ${text}`),
    threw: (error, call = "your function", where = "") => say(false, `✘ Exercise ${id}: not yet — ${call} threw "${error}"${where}`),
  };
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
