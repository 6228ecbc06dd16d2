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
import { arenaHolding, makeSimdArena, roundUp8 } from "./simd";

/** Which update rule train() uses, and its settings (plain data). Default { rule: "sgd" }. */
export type UpdateSpec =
  | { rule: "sgd" }
  | { rule: "momentum"; beta?: number }
  | { rule: "adam"; beta1?: number; beta2?: number; eps?: number };

/**
 * One update step with learning rate lr, over the parameter and gradient arrays the rule was made for.
 * With gradScale, every gradient counts multiplied by it (g·gradScale, the training loop's clipping;
 * the gradient arrays themselves may or may not be scaled in place). Returns whether every weight is
 * finite afterwards (the loop's divergence check, done here because a rule may do it in the same pass).
 */
export type UpdateStep = (lr: number, gradScale?: number) => boolean;

/** A rule: its option names (besides `rule`) and how to make its step, with its own state. */
export interface UpdateRule<S extends UpdateSpec> {
  options: readonly string[];
  /** check spec (errors name fn and the option, e.g. "opts.update.beta") and return the step for these [weights, gradients] pairs */
  make(spec: S, pairs: Array<[Float64Array, Float64Array]>, fn: string, name: string): UpdateStep;
}

const zerosFor = (pairs: Array<[Float64Array, Float64Array]>): Float64Array[] => pairs.map(([w]) => new Float64Array(w.length));

/** g *= scale for every gradient: lib/optim.ts's clipKnownNorm, for a scale the loop has worked out. */
function scaleGradients(pairs: Array<[Float64Array, Float64Array]>, scale: number | undefined): void {
  if (scale === undefined) return;
  for (const [, g] of pairs) {
    for (let k = 0; k < g.length; k++) g[k] *= scale;
  }
}

/**
 * Whether every value of every weight array is finite: v[q] · 0 is 0 for a finite value and NaN for NaN or
 * ±Infinity, so the sums below stay 0 unless one is not. Four sums instead of one, so that each addition
 * does not wait for the one before (this runs over every weight after every update).
 */
function weightsFinite(pairs: Array<[Float64Array, Float64Array]>): boolean {
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0;
  for (const [v] of pairs) {
    let q = 0;
    for (; q + 3 < v.length; q += 4) {
      b0 += v[q] * 0; b1 += v[q + 1] * 0; b2 += v[q + 2] * 0; b3 += v[q + 3] * 0;
    }
    for (; q < v.length; q++) b0 += v[q] * 0;
  }
  return b0 + b1 + b2 + b3 === 0;
}

/** Every rule by name. The arithmetic is the checked steps' own (sgdStep, momentumStep, adamStep). */
export const UPDATE_RULES: { readonly [R in UpdateSpec["rule"]]: UpdateRule<Extract<UpdateSpec, { rule: R }>> } = {
  sgd: {
    options: [],
    make: (_spec, pairs) => (lr, gradScale) => {
      scaleGradients(pairs, gradScale);
      for (const [w, g] of pairs) sgdUpdate(w, g, lr);
      return weightsFinite(pairs);
    },
  },
  momentum: {
    options: ["beta"],
    make: (spec, pairs, fn, name) => {
      const beta = checkDecay(fn, `${name}.beta`, spec.beta ?? 0.9);
      const velocity = zerosFor(pairs);
      return (lr, gradScale) => {
        scaleGradients(pairs, gradScale);
        for (let a = 0; a < pairs.length; a++) momentumUpdate(pairs[a][0], pairs[a][1], velocity[a], lr, beta);
        return weightsFinite(pairs);
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
      return (lr, gradScale) => {
        t += 1;
        return apply({ lr, beta1, beta2, eps, ...adamBiasCorrections(beta1, beta2, t) }, gradScale);
      };
    },
  },
};

/** Adam's step over the pairs with adamUpdate, the moments in plain arrays. */
function makePlainAdam(pairs: Array<[Float64Array, Float64Array]>): (s: AdamStepSettings, gradScale?: number) => boolean {
  const m = zerosFor(pairs);
  const v = zerosFor(pairs);
  return (s, gradScale) => {
    scaleGradients(pairs, gradScale);
    for (let a = 0; a < pairs.length; a++) adamUpdate(pairs[a][0], pairs[a][1], m[a], v[a], s);
    return weightsFinite(pairs);
  };
}

/**
 * Adam's step over the pairs with lib/simd.ts's kernel, adamUpdate's arithmetic two values at a time, with
 * the gradient scale and the finiteness check in the same pass; the moments live in WebAssembly memory.
 * When the weights and gradients are themselves views of one arena with room for the moments (lib/
 * charlm-train.ts trains the character model that way), the kernel works on them in place; otherwise each
 * step copies a pair's weights and gradients in and the weights back. The same bits as adamUpdate; null
 * where the kernel is not available.
 */
function makeSimdAdam(pairs: Array<[Float64Array, Float64Array]>): ((s: AdamStepSettings, gradScale?: number) => boolean) | null {
  const total = pairs.reduce((sum, [w]) => sum + roundUp8(w.length), 0);
  const home = arenaHolding(pairs.flat());
  if (home !== null && home.room() >= 2 * total) {
    const m = pairs.map(([w]) => home.view(w.length));
    const v = pairs.map(([w]) => home.view(w.length));
    return (s, gradScale) => {
      let finite = true;
      for (let a = 0; a < pairs.length; a++) finite = home.adam(pairs[a][0], pairs[a][1], m[a], v[a], pairs[a][0].length, s, gradScale) && finite;
      return finite;
    };
  }
  const longest = pairs.reduce((l, [w]) => Math.max(l, w.length), 0);
  const arena = makeSimdArena(2 * total + 2 * roundUp8(longest));
  if (arena === null) return null;
  const m = pairs.map(([w]) => arena.view(w.length));
  const v = pairs.map(([w]) => arena.view(w.length));
  const wIn = arena.view(longest);
  const gIn = arena.view(longest);
  return (s, gradScale) => {
    let finite = true;
    for (let a = 0; a < pairs.length; a++) {
      const [w, g] = pairs[a];
      wIn.set(w);
      gIn.set(g);
      finite = arena.adam(wIn, gIn, m[a], v[a], w.length, s, gradScale) && finite;
      w.set(wIn.subarray(0, w.length));
    }
    return finite;
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
