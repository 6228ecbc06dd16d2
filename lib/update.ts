// Built in lessons 05 and 09: the update rules train() can use. Lesson 05 builds SGD, lesson 09
// momentum and Adam; here each is one entry of UPDATE_RULES over the same parameter layout
// (paramArrays order), so a rule works for every cell kind and for models outside the registry.
// A rule is chosen by plain data (UpdateSpec), so the choice can be sent to a Web Worker.
//
// HOW TO ADD A RULE: add a member to UpdateSpec and one entry to UPDATE_RULES: its option names,
// and `make`, which checks the options once and returns the step over the given arrays.
import { checkDecay, checkPositive, describe } from "./checks";
import { sgdUpdate } from "./optim";
import { momentumUpdate } from "./momentum";
import { adamUpdate, adamBiasCorrections } from "./adam";
import type { AdamStepSettings } from "./adam";
import { makeSimdArena } from "./simd";

/** Which update rule train() uses, and its settings (plain data). Default { rule: "sgd" }. */
export type UpdateSpec =
  | { rule: "sgd" }
  | { rule: "momentum"; beta?: number }
  | { rule: "adam"; beta1?: number; beta2?: number; eps?: number };

/** One update step with learning rate lr, over the parameter and gradient arrays the rule was made for. */
export type UpdateStep = (lr: number) => void;

/** A rule: its option names (besides `rule`) and how to make its step, with its own state. */
export interface UpdateRule<S extends UpdateSpec> {
  options: readonly string[];
  /** check spec (errors name fn and the option, e.g. "opts.update.beta") and return the step for these [weights, gradients] pairs */
  make(spec: S, pairs: Array<[Float64Array, Float64Array]>, fn: string, name: string): UpdateStep;
}

const zerosFor = (pairs: Array<[Float64Array, Float64Array]>): Float64Array[] => pairs.map(([w]) => new Float64Array(w.length));

/** Every rule by name. The arithmetic is the checked steps' own (sgdStep, momentumStep, adamStep). */
export const UPDATE_RULES: { readonly [R in UpdateSpec["rule"]]: UpdateRule<Extract<UpdateSpec, { rule: R }>> } = {
  sgd: {
    options: [],
    make: (_spec, pairs) => (lr) => {
      for (const [w, g] of pairs) sgdUpdate(w, g, lr);
    },
  },
  momentum: {
    options: ["beta"],
    make: (spec, pairs, fn, name) => {
      const beta = checkDecay(fn, `${name}.beta`, spec.beta ?? 0.9);
      const velocity = zerosFor(pairs);
      return (lr) => {
        for (let a = 0; a < pairs.length; a++) momentumUpdate(pairs[a][0], pairs[a][1], velocity[a], lr, beta);
      };
    },
  },
  adam: {
    options: ["beta1", "beta2", "eps"],
    make: (spec, pairs, fn, name) => {
      const beta1 = checkDecay(fn, `${name}.beta1`, spec.beta1 ?? 0.9);
      const beta2 = checkDecay(fn, `${name}.beta2`, spec.beta2 ?? 0.999);
      const eps = checkPositive(fn, `${name}.eps`, spec.eps ?? 1e-8);
      const apply = makeSimdAdam(pairs) ?? makePlainAdam(pairs);
      let t = 0;
      return (lr) => {
        t += 1;
        apply({ lr, beta1, beta2, eps, ...adamBiasCorrections(beta1, beta2, t) });
      };
    },
  },
};

/** Adam's step over the pairs with adamUpdate, the moments in plain arrays. */
function makePlainAdam(pairs: Array<[Float64Array, Float64Array]>): (s: AdamStepSettings) => void {
  const m = zerosFor(pairs);
  const v = zerosFor(pairs);
  return (s) => {
    for (let a = 0; a < pairs.length; a++) adamUpdate(pairs[a][0], pairs[a][1], m[a], v[a], s);
  };
}

/**
 * Adam's step over the pairs with lib/simd.ts's kernel: the moments live in WebAssembly memory; each
 * step copies a pair's weights and gradients in, runs adamUpdate's arithmetic two values at a time, and
 * copies the weights back. The same bits as adamUpdate; null where the kernel is not available.
 */
function makeSimdAdam(pairs: Array<[Float64Array, Float64Array]>): ((s: AdamStepSettings) => void) | null {
  const even = (n: number): number => n + (n & 1);
  const longest = pairs.reduce((l, [w]) => Math.max(l, even(w.length)), 0);
  const total = pairs.reduce((sum, [w]) => sum + even(w.length) + 8, 0);
  const arena = makeSimdArena(2 * total + 2 * (longest + 8));
  if (arena === null) return null;
  const m = pairs.map(([w]) => arena.view(even(w.length)));
  const v = pairs.map(([w]) => arena.view(even(w.length)));
  const wIn = arena.view(longest);
  const gIn = arena.view(longest);
  return (s) => {
    for (let a = 0; a < pairs.length; a++) {
      const [w, g] = pairs[a];
      wIn.set(w);
      gIn.set(g);
      arena.adam(wIn, gIn, m[a], v[a], w.length, s);
      w.set(wIn.subarray(0, w.length));
    }
  };
}

/**
 * Check an UpdateSpec (unknown rules and option names are refused with a "did you mean") and make its
 * step over the [weights, gradients] pairs. `fn` names the caller in errors, `name` the option.
 */
export function makeUpdate(fn: string, spec: unknown, pairs: Array<[Float64Array, Float64Array]>, name = "opts.update"): UpdateStep {
  const rules = Object.keys(UPDATE_RULES);
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
    throw new Error(`${fn}: ${name} is ${describe(spec)}, expected an object such as { rule: "sgd" } (rules: ${rules.join(", ")})`);
  }
  const rule = (spec as { rule?: unknown }).rule;
  if (typeof rule !== "string" || !Object.prototype.hasOwnProperty.call(UPDATE_RULES, rule)) {
    throw new Error(`${fn}: ${name}.rule is ${describe(rule)}, expected one of ${rules.map((r) => `"${r}"`).join(", ")}${didYouMean(rule, rules)}`);
  }
  const entry = (UPDATE_RULES as unknown as Record<string, UpdateRule<UpdateSpec>>)[rule];
  checkKnownKeys(fn, name, spec as Record<string, unknown>, ["rule", ...entry.options]);
  return entry.make(spec as UpdateSpec, pairs, fn, name);
}

/** Throw for a key of obj not in allowed, suggesting the closest allowed one ("did you mean"). */
export function checkKnownKeys(fn: string, name: string, obj: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      throw new Error(`${fn}: ${name} has an unknown key "${key}"${didYouMean(key, allowed)} (known keys: ${allowed.join(", ")})`);
    }
  }
}

/** `; did you mean "x"?` for the allowed name closest to `got` (case-insensitive edit distance ≤ 2), else "". */
export function didYouMean(got: unknown, allowed: readonly string[]): string {
  if (typeof got !== "string") return "";
  let best = "";
  let bestDistance = 3;
  for (const a of allowed) {
    const d = editDistance(got.toLowerCase(), a.toLowerCase());
    if (d < bestDistance) {
      best = a;
      bestDistance = d;
    }
  }
  return best ? `; did you mean "${best}"?` : "";
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
