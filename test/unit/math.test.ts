// lib/math.ts: the course's own exp, log, log1p, expm1, tanh, sin and cos. On an engine whose Math
// functions are fdlibm's (Node 20's V8 11.x) they must return exactly the same bits, so that using them
// changed no number of the course; on any engine they must be within 1 ulp of Math's (a sanity bound
// that holds for any faithful implementation). The browser side (Chromium gives the same bits as Node)
// is test/ui/live.test.ts's bit-identity test.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as M from "../../lib/math";

const FDLIBM_ENGINE = /^11\./.test(process.versions.v8);

/** Distance in units in the last place between two finite doubles of the same sign (or equal). */
function ulps(a: number, b: number): number {
  if (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))) return 0;
  const buf = new Float64Array([a, b]);
  const bits = new BigInt64Array(buf.buffer);
  return Number(bits[0] > bits[1] ? bits[0] - bits[1] : bits[1] - bits[0]);
}

function inputs(n: number, seed: number): Float64Array[] {
  let s = seed >>> 0;
  const rnd = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
  const words = new Uint32Array(2 * n);
  for (let i = 0; i < words.length; i++) words[i] = (rnd() * 4294967296) >>> 0;
  const kinds = [
    Float64Array.from({ length: n }, () => (rnd() - 0.5) * 2),
    Float64Array.from({ length: n }, () => (rnd() - 0.5) * 60),
    Float64Array.from({ length: n }, () => (rnd() - 0.5) * 1500),
    Float64Array.from({ length: n }, () => (rnd() < 0.5 ? -1 : 1) * 10 ** ((rnd() - 0.5) * 40)),
    Float64Array.from({ length: n }, () => 2 * Math.PI * rnd()), // Box-Muller's angles
    new Float64Array(words.buffer), // any bit pattern: subnormals, huge, NaN, infinities
  ];
  return kinds;
}

const SPECIAL = [0, -0, 1, -1, 0.5, -0.5, 2, 22, -22, 1e-20, -1e-20, 1e-300, 5e-324, -5e-324, 2.2250738585072014e-308, 709.782712893384, 709.79,
  -745.13, -745.14, Math.PI / 4, Math.PI / 2, Math.PI, (3 * Math.PI) / 2, 2 * Math.PI, Infinity, -Infinity, NaN];

const FUNCTIONS: [string, (x: number) => number, (x: number) => number, (x: number) => boolean][] = [
  ["exp", M.exp, Math.exp, () => true],
  ["log", M.log, Math.log, () => true],
  ["log1p", M.log1p, Math.log1p, () => true],
  ["expm1", M.expm1, Math.expm1, () => true],
  ["tanh", M.tanh, Math.tanh, () => true],
  ["sin", M.sin, Math.sin, (x) => !(Math.abs(x) > M.TRIG_MAX_ARG)],
  ["cos", M.cos, Math.cos, (x) => !(Math.abs(x) > M.TRIG_MAX_ARG)],
];

for (const [name, mine, engine, inDomain] of FUNCTIONS) {
  test(`${name}: ${FDLIBM_ENGINE ? "the same bits as" : "within 1 ulp of"} Math.${name} (V8 ${process.versions.v8}) on 600 000 inputs and the special values`, () => {
    let checked = 0, worst = 0;
    const problems: string[] = [];
    const sets = [...inputs(100000, name.length * 7919), Float64Array.from(SPECIAL)];
    sets.forEach((xs, set) => {
      // log and log1p: the first sets are made positive, to test their domain; the any-bits and special sets are kept as they are
      const positive = (name === "log" || name === "log1p") && set < sets.length - 2;
      for (const x0 of xs) {
        const x = positive ? Math.abs(x0) : x0;
        if (!inDomain(x)) continue;
        const a = mine(x), b = engine(x);
        const d = Number.isFinite(a) && Number.isFinite(b) ? ulps(a, b) : Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)) ? 0 : Infinity;
        worst = Math.max(worst, d);
        if ((FDLIBM_ENGINE ? d > 0 : d > 1) && problems.length < 5) problems.push(`${name}(${x}) = ${a}, Math.${name} says ${b}`);
        checked++;
      }
    });
    console.log(`# ${name}: ${checked} inputs, largest difference from Math.${name}: ${worst} ulp`);
    assert.deepEqual(problems, []);
    assert.ok(checked > 500000);
  });
}

test("sin and cos refuse arguments they cannot reduce exactly, naming the function", () => {
  assert.throws(() => M.sin(1e7), /^Error: sin: \|x\| is 10000000, expected at most 823549\.6/);
  assert.throws(() => M.cos(-1e7), /^Error: cos: \|x\| is 10000000/);
});
