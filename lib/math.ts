// Not built in a lesson: exp, log, log1p, expm1, tanh, sin, cos and pow written out in plain arithmetic,
// so that the course's numbers are the same bits in every JavaScript engine.
//
// Why: the ECMAScript standard leaves Math.exp, Math.tanh, Math.log, Math.sin... "implementation-
// approximated", and engines differ in the last bit. Node 20 (V8 11.3) computes them with fdlibm;
// the V8 in a recent Chromium uses other code and returns a different last bit for about one input in
// ten (measured: exp, log, sin, cos, pow; tanh, log1p, expm1 more rarely). One differing bit in one
// tanh changes the trained weights, so a lesson trained in the browser (the site's live
// experiments) would not give the notebook's numbers. +, -, *, / and sqrt are exactly rounded by
// IEEE 754 everywhere; the functions below use only those (and reading/writing a double's two 32-bit
// halves), so they give the same bits in every engine.
//
// They are the algorithms of fdlibm (Sun Microsystems' freely distributable math library, the one
// V8 has used since 2016), written again in TypeScript from their published descriptions, and they
// return exactly what Node 20's Math functions return (test/unit/math.test.ts compares them on
// millions of inputs), so switching lib/ to them changed none of the notebooks' numbers.
//
// fdlibm's notice: Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved. Developed at
// SunSoft, a Sun Microsystems, Inc. business. Permission to use, copy, modify, and distribute this
// software is freely granted, provided that this notice is preserved.

// A double's two halves, through one shared 8-byte buffer (little-endian, as on every platform that
// runs the course: checked below).
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
f64[0] = 1;
if (u32[1] !== 0x3ff00000) throw new Error("lib/math: this platform stores doubles big-endian; lib/math.ts assumes little-endian");

/** High 32 bits of x, as a signed int (sign bit, exponent, top 20 bits of the mantissa). */
function highWord(x: number): number {
  f64[0] = x;
  return u32[1] | 0;
}
/** Low 32 bits of x, unsigned. */
function lowWord(x: number): number {
  f64[0] = x;
  return u32[0];
}
/** x with its high word replaced. */
function withHighWord(x: number, hi: number): number {
  f64[0] = x;
  u32[1] = hi >>> 0;
  return f64[0];
}
/** The double whose words are hi and lo. */
function fromWords(hi: number, lo: number): number {
  u32[1] = hi >>> 0;
  u32[0] = lo >>> 0;
  return f64[0];
}

const LN2_HI = 6.93147180369123816490e-1; // 0x3FE62E42 FEE00000: ln 2 with its low bits zero
const LN2_LO = 1.90821492927058770002e-10; // 0x3DEA39EF 35793C76: ln 2 - LN2_HI
const INV_LN2 = 1.44269504088896338700e0;
const TWO54 = 1.80143985094819840000e16;
const TINY = 1e-300;
const TWO_1023 = fromWords(0x7fe00000, 0); // 2^1023
const TWO_M1000 = fromWords(0x01700000, 0); // 2^-1000

// The thresholds of exp, expm1 and tanh as doubles: fdlibm compares the high word of |x| with a
// constant H, and for a positive double that is the same as comparing |x| with the double whose words
// are (H, 0). Comparing doubles saves reading words in these hot functions (tanh runs H times per
// step of every forward pass), with exactly the same results.
const EXP_BIG = fromWords(0x40862e42, 0); // ~709.78: overflow or underflow beyond
const HALF_LN2_ABOVE = fromWords(0x3fd62e43, 0); // |x| > ln2/2 in fdlibm's high-word test
const THREE_HALVES_LN2 = fromWords(0x3ff0a2b2, 0); // 1.5 ln2
const EXPM1_BIG = fromWords(0x4043687a, 0); // 56 ln2
const TWO_M28 = fromWords(0x3e300000, 0);
const TWO_M54 = fromWords(0x3c900000, 0);
const O_THRESHOLD = 7.09782712893383973096e2; // exp(x) overflows above
const U_THRESHOLD = -7.45133219101941108420e2; // exp(x) underflows to 0 below
// exp's and expm1's polynomial coefficients
const P1 = 1.66666666666666019037e-1, P2 = -2.77777777770155933842e-3, P3 = 6.61375632143793436117e-5;
const P4 = -1.65339022054652515390e-6, P5 = 4.13813679705723846039e-8;
const Q1 = -3.33333333333331316428e-2, Q2 = 1.58730158725481460165e-3, Q3 = -7.93650757867487942473e-5;
const Q4 = 4.00821782732936239552e-6, Q5 = -2.01099218183624371326e-7;

/** The constants of exp, expm1 and tanh, for lib/simd-wat.ts's two-lane versions of them (the same numbers, so the same bits). */
export const FDLIBM_EXP_CONSTANTS = {
  LN2_HI, LN2_LO, INV_LN2, HALF_LN2_ABOVE, THREE_HALVES_LN2, TWO_M28, O_THRESHOLD, U_THRESHOLD, TWO_1023, TWO_M1000,
  P1, P2, P3, P4, P5, Q1, Q2, Q3, Q4, Q5,
} as const;

/** POW2[k + 1022] = 2^k, exactly, for k in -1022..1023. */
const POW2 = new Float64Array(2046);
for (let k = -1022; k <= 1023; k++) POW2[k + 1022] = fromWords((0x3ff + k) << 20, 0);

/** e^x: x = k·ln2 + r with |r| <= ln2/2; e^r from a rational approximation; then scaled by 2^k. */
export function exp(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < EXP_BIG)) {
    if (x !== x) return x + x; // NaN
    if (ax === Infinity) return x > 0 ? x : 0;
    if (x > O_THRESHOLD) return Infinity;
    if (x < U_THRESHOLD) return 0;
  }
  const negative = x < 0;
  let hi = 0, lo = 0, k = 0;
  if (ax >= HALF_LN2_ABOVE) {
    if (ax < THREE_HALVES_LN2) {
      if (x === 1) return 2.718281828459045; // e, correctly rounded (the formula gives 1 ulp more)
      hi = negative ? x + LN2_HI : x - LN2_HI;
      lo = negative ? -LN2_LO : LN2_LO;
      k = negative ? -1 : 1;
    } else {
      k = (INV_LN2 * x + (negative ? -0.5 : 0.5)) | 0;
      hi = x - k * LN2_HI; // exact: k has at most 11 bits
      lo = k * LN2_LO;
    }
    x = hi - lo;
  } else if (ax < TWO_M28) {
    return 1 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - ((lo - (x * c) / (2 - c)) - hi);
  if (k >= -1021) return k === 1024 ? y * 2 * TWO_1023 : y * POW2[k + 1022];
  return y * POW2[k + 1000 + 1022] * TWO_M1000; // 2^(k+1000) · 2^-1000
}

const LG1 = 6.666666666666735130e-1, LG2 = 3.999999999940941908e-1, LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1, LG5 = 1.818357216161805012e-1, LG6 = 1.531383769920937332e-1, LG7 = 1.479819860511658591e-1;

/** Natural logarithm: x = 2^k·(1+f) with sqrt(2)/2 < 1+f < sqrt(2); log(1+f) from s = f/(2+f). */
export function log(x: number): number {
  let hx = highWord(x);
  const lx = lowWord(x);
  let k = 0;
  if (hx < 0x00100000) { // x < 2^-1022: zero, negative or subnormal
    if (((hx & 0x7fffffff) | lx) === 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= TWO54; // scale a subnormal up
    hx = highWord(x);
  }
  if (hx >= 0x7ff00000) return x + x; // inf or NaN
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  x = withHighWord(x, hx | (i ^ 0x3ff00000)); // normalise x or x/2
  k += i >> 20;
  const f = x - 1;
  if ((0x000fffff & (2 + hx)) < 3) { // -2^-20 <= f < 2^-20
    if (f === 0) return k === 0 ? 0 : k * LN2_HI + k * LN2_LO;
    const R = f * f * (0.5 - 0.33333333333333333 * f);
    return k === 0 ? f - R : k * LN2_HI - ((R - k * LN2_LO) - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  let i2 = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  i2 |= j;
  const R = t2 + t1;
  if (i2 > 0) {
    const hfsq = 0.5 * f * f;
    return k === 0 ? f - (hfsq - s * (hfsq + R)) : k * LN2_HI - ((hfsq - (s * (hfsq + R) + k * LN2_LO)) - f);
  }
  return k === 0 ? f - s * (f - R) : k * LN2_HI - ((s * (f - R) - k * LN2_LO) - f);
}

/** log(1 + x), accurate for x near 0 (where 1 + x would round away x's low bits). */
export function log1p(x: number): number {
  const hx = highWord(x);
  const ax = hx & 0x7fffffff;
  let k = 1;
  let f = 0, c = 0, hu = 0;
  if (hx < 0x3fda827a) { // 1 + x < sqrt(2)
    if (ax >= 0x3ff00000) return x === -1 ? -Infinity : NaN; // x <= -1
    if (ax < 0x3e200000) { // |x| < 2^-29
      if (ax < 0x3c900000) return x; // |x| < 2^-54
      return x - x * x * 0.5;
    }
    if (hx > 0 || hx <= (0xbfd2bec4 | 0)) { // sqrt(2)/2 <= 1 + x < sqrt(2): no reduction
      k = 0;
      f = x;
      hu = 1;
    }
  }
  if (hx >= 0x7ff00000) return x + x; // inf or NaN
  if (k !== 0) {
    let u: number;
    if (hx < 0x43400000) {
      u = 1 + x;
      hu = highWord(u);
      k = (hu >> 20) - 1023;
      c = k > 0 ? 1 - (u - x) : x - (u - 1); // the rounding error of 1 + x
      c /= u;
    } else {
      u = x;
      hu = highWord(u);
      k = (hu >> 20) - 1023;
      c = 0;
    }
    hu &= 0x000fffff;
    if (hu < 0x6a09e) {
      u = withHighWord(u, hu | 0x3ff00000); // normalise u
    } else {
      k += 1;
      u = withHighWord(u, hu | 0x3fe00000); // normalise u/2
      hu = (0x00100000 - hu) >> 2;
    }
    f = u - 1;
  }
  const hfsq = 0.5 * f * f;
  if (hu === 0) { // |f| < 2^-20
    if (f === 0) {
      if (k === 0) return 0;
      c += k * LN2_LO;
      return k * LN2_HI + c;
    }
    const R = hfsq * (1 - 0.66666666666666666 * f);
    return k === 0 ? f - R : k * LN2_HI - ((R - (k * LN2_LO + c)) - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const R = z * (LG1 + z * (LG2 + z * (LG3 + z * (LG4 + z * (LG5 + z * (LG6 + z * LG7))))));
  return k === 0 ? f - (hfsq - s * (hfsq + R)) : k * LN2_HI - ((hfsq - (s * (hfsq + R) + (k * LN2_LO + c))) - f);
}

/** e^x - 1, accurate for x near 0. */
export function expm1(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < EXPM1_BIG)) { // |x| >= 56 ln2, or NaN
    if (x !== x) return x + x;
    if (!(ax < EXP_BIG)) {
      if (ax === Infinity) return x > 0 ? x : -1;
      if (x > O_THRESHOLD) return Infinity;
    }
    if (x < 0 && x + TINY < 0) return TINY - 1; // x < -56 ln2: -1 (inexact)
  }
  const negative = x < 0;
  let hi: number, lo: number, k: number, c = 0;
  if (ax >= HALF_LN2_ABOVE) {
    if (ax < THREE_HALVES_LN2) {
      if (!negative) {
        hi = x - LN2_HI;
        lo = LN2_LO;
        k = 1;
      } else {
        hi = x + LN2_HI;
        lo = -LN2_LO;
        k = -1;
      }
    } else {
      k = (INV_LN2 * x + (negative ? -0.5 : 0.5)) | 0;
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    }
    x = hi - lo;
    c = (hi - x) - lo;
  } else if (ax < TWO_M54) { // expm1(x) = x
    return x;
  } else {
    k = 0;
  }
  const hfx = 0.5 * x;
  const hxs = x * hfx;
  const r1 = 1 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
  const t = 3 - r1 * hfx;
  let e = hxs * ((r1 - t) / (6 - x * t));
  if (k === 0) return x - (x * e - hxs);
  e = x * (e - c) - c;
  e -= hxs;
  if (k === -1) return 0.5 * (x - e) - 0.5;
  if (k === 1) return x < -0.25 ? -2 * (e - (x + 0.5)) : 1 + 2 * (x - e);
  if (k <= -2 || k > 56) { // exp(x) - 1 is e^x to the precision that matters
    const y = 1 - (e - x);
    return (k === 1024 ? y * 2 * TWO_1023 : y * POW2[k + 1022]) - 1;
  }
  const twopk = POW2[k + 1022];
  if (k < 20) return (1 - POW2[-k + 1022] - (e - x)) * twopk; // 1 - 2^-k is exact
  return (x - (e + POW2[-k + 1022]) + 1) * twopk;
}

/** tanh(x) = (e^2x - 1)/(e^2x + 1), through expm1 so that it is accurate near 0. */
export function tanh(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < 22)) return x !== x ? x + x : x > 0 ? 1 : -1; // |x| >= 22: ±1 to double precision
  if (ax < TWO_M28) return x; // tanh(x) = x
  let z: number;
  if (ax >= 1) {
    const t = expm1(2 * ax);
    z = 1 - 2 / (t + 2);
  } else {
    const t = expm1(-2 * ax);
    z = -t / (t + 2);
  }
  return x > 0 ? z : -z;
}

/** sin on [-pi/4, pi/4]; y is the tail of x (x + y is the reduced argument), iy = 0 when y is 0. */
function kernelSin(x: number, y: number, iy: number): number {
  const S1 = -1.66666666666666324348e-1, S2 = 8.33333333332248946124e-3, S3 = -1.98412698298579493134e-4;
  const S4 = 2.75573137070700676789e-6, S5 = -2.50507602534068634195e-8, S6 = 1.58969099521155010221e-10;
  const ix = highWord(x) & 0x7fffffff;
  if (ix < 0x3e400000 && (x | 0) === 0) return x; // |x| < 2^-27
  const z = x * x;
  const v = z * x;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  if (iy === 0) return x + v * (S1 + z * r);
  return x - ((z * (0.5 * y - v * r) - y) - v * S1);
}

/** cos on [-pi/4, pi/4]; y is the tail of x. */
function kernelCos(x: number, y: number): number {
  const C1 = 4.16666666666666019037e-2, C2 = -1.38888888888741095749e-3, C3 = 2.48015872894767294178e-5;
  const C4 = -2.75573143513906633035e-7, C5 = 2.08757232129817482790e-9, C6 = -1.13596475577881948265e-11;
  const ix = highWord(x) & 0x7fffffff;
  if (ix < 0x3e400000 && (x | 0) === 0) return 1; // |x| < 2^-27
  const z = x * x;
  const r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  if (ix < 0x3fd33333) return 1 - (0.5 * z - (z * r - x * y)); // |x| < 0.3
  const qx = ix > 0x3fe90000 ? 0.28125 : fromWords(ix - 0x00200000, 0); // x/4, rounded down
  const hz = 0.5 * z - qx;
  const a = 1 - qx;
  return a - (hz - (z * r - x * y));
}

/** High words of n·pi/2 for n = 1..32 (where the quick reduction below would lose bits). */
const NPIO2_HW: number[] = [];
for (let n = 1; n <= 32; n++) NPIO2_HW.push(highWord(n * 1.5707963267948966) & 0x7fffffff);

/** The largest |x| sin and cos reduce (2^19·pi/2 ≈ 823550): beyond, fdlibm needs Payne-Hanek reduction. */
export const TRIG_MAX_ARG = 823549.6;
const reduced = { y0: 0, y1: 0 };

/** x - n·pi/2 as y0 + y1 (in `reduced`), with |y0| <= pi/4; returns n. Only for |x| <= TRIG_MAX_ARG. */
function remPio2(x: number, fn: string): number {
  const INV_PIO2 = 6.36619772367581382433e-1;
  const PIO2_1 = 1.57079632673412561417e0, PIO2_1T = 6.07710050650619224932e-11;
  const PIO2_2 = 6.07710050630396597660e-11, PIO2_2T = 2.02226624879595063154e-21;
  const PIO2_3 = 2.02226624871116645580e-21, PIO2_3T = 8.47842766036889956997e-32;
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix < 0x4002d97c) { // |x| < 3pi/4: n = ±1
    if (hx > 0) {
      let z = x - PIO2_1;
      if (ix !== 0x3ff921fb) {
        reduced.y0 = z - PIO2_1T;
        reduced.y1 = (z - reduced.y0) - PIO2_1T;
      } else { // x is near pi/2: 33 more bits of pi/2
        z -= PIO2_2;
        reduced.y0 = z - PIO2_2T;
        reduced.y1 = (z - reduced.y0) - PIO2_2T;
      }
      return 1;
    }
    let z = x + PIO2_1;
    if (ix !== 0x3ff921fb) {
      reduced.y0 = z + PIO2_1T;
      reduced.y1 = (z - reduced.y0) + PIO2_1T;
    } else {
      z += PIO2_2;
      reduced.y0 = z + PIO2_2T;
      reduced.y1 = (z - reduced.y0) + PIO2_2T;
    }
    return -1;
  }
  if (ix > 0x413921fb) throw new Error(`${fn}: |x| is ${Math.abs(x)}, expected at most ${TRIG_MAX_ARG} (lib/math.ts reduces medium arguments only)`);
  const t = Math.abs(x);
  const n = (t * INV_PIO2 + 0.5) | 0;
  const dn = n;
  let r = t - dn * PIO2_1;
  let w = dn * PIO2_1T; // first round: good to 85 bits
  let y0: number;
  if (n < 32 && ix !== NPIO2_HW[n - 1]) {
    y0 = r - w; // no cancellation possible
  } else {
    const j = ix >> 20;
    y0 = r - w;
    let i = j - ((highWord(y0) >> 20) & 0x7ff);
    if (i > 16) { // second round: good to 118 bits
      let tt = r;
      w = dn * PIO2_2;
      r = tt - w;
      w = dn * PIO2_2T - ((tt - r) - w);
      y0 = r - w;
      i = j - ((highWord(y0) >> 20) & 0x7ff);
      if (i > 49) { // third round: 151 bits
        tt = r;
        w = dn * PIO2_3;
        r = tt - w;
        w = dn * PIO2_3T - ((tt - r) - w);
        y0 = r - w;
      }
    }
  }
  const y1 = (r - y0) - w;
  if (hx < 0) {
    reduced.y0 = -y0;
    reduced.y1 = -y1;
    return -n;
  }
  reduced.y0 = y0;
  reduced.y1 = y1;
  return n;
}

/** sin(x) for |x| <= TRIG_MAX_ARG (throws beyond: the course only takes sines of angles in [0, 2pi)). */
export function sin(x: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelSin(x, 0, 0); // |x| <= pi/4
  if (ix >= 0x7ff00000) return NaN;
  const n = remPio2(x, "sin");
  const { y0, y1 } = reduced;
  switch (n & 3) {
    case 0: return kernelSin(y0, y1, 1);
    case 1: return kernelCos(y0, y1);
    case 2: return -kernelSin(y0, y1, 1);
    default: return -kernelCos(y0, y1);
  }
}

/** cos(x) for |x| <= TRIG_MAX_ARG (throws beyond). */
export function cos(x: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelCos(x, 0); // |x| <= pi/4
  if (ix >= 0x7ff00000) return NaN;
  const n = remPio2(x, "cos");
  const { y0, y1 } = reduced;
  switch (n & 3) {
    case 0: return kernelCos(y0, y1);
    case 1: return -kernelSin(y0, y1, 1);
    case 2: return -kernelCos(y0, y1);
    default: return kernelSin(y0, y1, 1);
  }
}

// pow: fdlibm's e_pow, the algorithm of Node 20's Math.pow (V8 11 keeps it as ieee754::legacy::pow).
// A newer V8 (Chromium 156) calls the C library's pow instead, which rounds differently in about one
// case in thirty for (0.9)^t and (0.999)^t, Adam's bias corrections: 0.9^4 is 0.6561000000000001 in
// Node 20 and 0.6561 in Chromium. Cases whose result the ECMAScript standard fixes exactly (y = 0,
// NaN, infinities, x = ±0 or ±1, a negative x with a non-integer y) are left to Math.pow, which every
// engine must get right; every other case goes through the arithmetic below.
const BP = [1.0, 1.5];
const DP_H = [0.0, 5.84962487220764160156e-1]; // 0x3FE2B803 40000000: high part of log2(1.5)
const DP_L = [0.0, 1.35003920212974897128e-8]; // 0x3E4CFDEB 43CFD006: its tail
const TWO53 = 9007199254740992.0;
const HUGE = 1.0e300;
const PL1 = 5.99999999999994648725e-1, PL2 = 4.28571428578550184252e-1, PL3 = 3.33333329818377432918e-1;
const PL4 = 2.72728123808534006489e-1, PL5 = 2.30660745775561754067e-1, PL6 = 2.06975017800338417784e-1;
const PP1 = 1.66666666666666019037e-1, PP2 = -2.77777777770155933842e-3, PP3 = 6.61375632143793436117e-5;
const PP4 = -1.65339022054652515390e-6, PP5 = 4.13813679705723846039e-8;
const POW_LN2 = 6.93147180559945286227e-1, LN2_H21 = 6.93147182464599609375e-1, LN2_L21 = -1.90465429995776804525e-9;
const OVT = 8.0085662595372944372e-17; // -(1024 - log2(overflow + 0.5 ulp))
const CP = 9.61796693925975554329e-1, CP_H = 9.61796700954437255859e-1, CP_L = -7.02846165095275826516e-9; // 2/(3 ln 2), split
const IVLN2 = 1.44269504088896338700e0, IVLN2_H = 1.44269502162933349609e0, IVLN2_L = 1.92596299112661746887e-8;

/** x with its low word cleared (keeps the top 21 bits of the mantissa). */
function withLowWordZero(x: number): number {
  f64[0] = x;
  u32[0] = 0;
  return f64[0];
}

/** 0 if y is not an integer, 1 if it is an odd integer, 2 if an even one (y finite). */
function integerKind(y: number): number {
  if (Math.floor(y) !== y) return 0;
  return Math.abs(y) >= TWO53 || y % 2 === 0 ? 2 : 1;
}

/** x^y: log2(x) in extra precision (two parts), times y in extra precision, then 2^(that). */
export function pow(x: number, y: number): number {
  const yKind = Number.isFinite(y) ? integerKind(y) : 0;
  if (y === 0 || y !== y || x !== x || !Number.isFinite(x) || !Number.isFinite(y) || x === 0 ||
      x === 1 || x === -1 || (x < 0 && yKind === 0)) return Math.pow(x, y);
  if (y === 1) return x;
  if (y === -1) return 1 / x;
  if (y === 2) return x * x;
  if (y === 0.5 && x > 0) return Math.sqrt(x);
  const hx = highWord(x), hy = highWord(y);
  let ix = hx & 0x7fffffff;
  const iy = hy & 0x7fffffff;
  const sign = x < 0 && yKind === 1 ? -1 : 1; // (negative)^(odd integer) is negative
  let ax = Math.abs(x);
  let t1: number, t2: number;
  if (iy > 0x41e00000) { // |y| > 2^31
    if (iy > 0x43f00000) { // |y| > 2^64: overflows or underflows unless x is 1
      if (ix <= 0x3fefffff) return hy < 0 ? HUGE * HUGE : TINY * TINY;
      if (ix >= 0x3ff00000) return hy > 0 ? HUGE * HUGE : TINY * TINY;
    }
    if (ix < 0x3fefffff) return hy < 0 ? sign * HUGE * HUGE : sign * TINY * TINY;
    if (ix > 0x3ff00000) return hy > 0 ? sign * HUGE * HUGE : sign * TINY * TINY;
    // |1 - x| <= 2^-20: log(x) from its series x - x²/2 + x³/3 - x⁴/4
    const t = ax - 1;
    const w = (t * t) * (0.5 - t * (0.3333333333333333333333 - t * 0.25));
    const u = IVLN2_H * t;
    const v = t * IVLN2_L - w * IVLN2;
    t1 = withLowWordZero(u + v);
    t2 = v - (t1 - u);
  } else {
    let n = 0;
    if (ix < 0x00100000) { // subnormal x: scale it up first
      ax *= TWO53;
      n -= 53;
      ix = highWord(ax);
    }
    n += (ix >> 20) - 0x3ff;
    const j = ix & 0x000fffff;
    let k: number;
    ix = j | 0x3ff00000; // ax's mantissa, scaled into [1, 2)
    if (j <= 0x3988e) k = 0; // below sqrt(3/2)
    else if (j < 0xbb67a) k = 1; // below sqrt(3): reduce around 1.5
    else { k = 0; n += 1; ix -= 0x00100000; }
    ax = withHighWord(ax, ix);
    // ss = s_h + s_l = (ax - bp) / (ax + bp)
    let u = ax - BP[k];
    let v = 1 / (ax + BP[k]);
    const ss = u * v;
    const sH = withLowWordZero(ss);
    let tH = fromWords(((ix >> 1) | 0x20000000) + 0x00080000 + (k << 18), 0); // ax + bp, high part
    let tL = ax - (tH - BP[k]);
    const sL = v * ((u - sH * tH) - sH * tL);
    // log(ax) as ss times a polynomial in ss²
    let s2 = ss * ss;
    let r = s2 * s2 * (PL1 + s2 * (PL2 + s2 * (PL3 + s2 * (PL4 + s2 * (PL5 + s2 * PL6)))));
    r += sL * (sH + ss);
    s2 = sH * sH;
    tH = withLowWordZero(3.0 + s2 + r);
    tL = r - ((tH - 3.0) - s2);
    u = sH * tH;
    v = sL * tH + tL * ss;
    const pH = withLowWordZero(u + v);
    const pL = v - (pH - u);
    const zH = CP_H * pH; // times 2/(3 ln 2): log2
    const zL = CP_L * pH + pL * CP + DP_L[k];
    const t = n;
    t1 = withLowWordZero(((zH + zL) + DP_H[k]) + t);
    t2 = zL - (((t1 - t) - DP_H[k]) - zH);
  }
  // y·log2(x) = p_h + p_l, with y split into a short head and a tail
  const y1 = withLowWordZero(y);
  const pL = (y - y1) * t1 + y * t2;
  let pH = y1 * t1;
  let z = pL + pH;
  let j = highWord(z);
  const i = lowWord(z);
  if (j >= 0x40900000) { // z >= 1024
    if (((j - 0x40900000) | i) !== 0) return sign * HUGE * HUGE;
    if (pL + OVT > z - pH) return sign * HUGE * HUGE;
  } else if ((j & 0x7fffffff) >= 0x4090cc00) { // z <= -1075
    if (((j - 0xc090cc00) | i) !== 0) return sign * TINY * TINY;
    if (pL <= z - pH) return sign * TINY * TINY;
  }
  // 2^(p_h + p_l) = 2^n · e^(r ln 2) with |r| <= 0.5
  const iz = j & 0x7fffffff;
  let k = (iz >> 20) - 0x3ff;
  let n = 0;
  if (iz > 0x3fe00000) { // |z| > 0.5: n = nearest integer
    n = j + (0x00100000 >> (k + 1));
    k = ((n & 0x7fffffff) >> 20) - 0x3ff;
    const tn = fromWords(n & ~(0x000fffff >> k), 0);
    n = ((n & 0x000fffff) | 0x00100000) >> (20 - k);
    if (j < 0) n = -n;
    pH -= tn;
  }
  const t = withLowWordZero(pL + pH);
  const u = t * LN2_H21;
  const v = (pL - (t - pH)) * POW_LN2 + t * LN2_L21;
  z = u + v;
  const w = v - (z - u);
  const tt = z * z;
  const tp = z - tt * (PP1 + tt * (PP2 + tt * (PP3 + tt * (PP4 + tt * PP5))));
  const r = (z * tp) / ((tp - 2) - (w + z * w));
  z = 1 - (r - z);
  j = highWord(z) + (n << 20);
  if ((j >> 20) <= 0) z = scaleByPowerOfTwo(z, n); // the result is subnormal
  else z = withHighWord(z, j);
  return sign * z;
}

/** z · 2^n for a result in the subnormal range, rounded once (2^n itself may not be a double). */
function scaleByPowerOfTwo(z: number, n: number): number {
  if (n >= -1022) return z * fromWords((n + 0x3ff) << 20, 0);
  return (z * fromWords(0x3ff00000 - (54 << 20), 0)) * fromWords((n + 54 + 0x3ff) << 20, 0); // 2^-54 exactly first
}
