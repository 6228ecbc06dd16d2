// Not built in a lesson: an accelerator for lesson 10's character model (lib/charlm-simd.ts) and for
// Adam (lib/update.ts), with the same numbers, bit for bit, as the plain TypeScript they stand in for
// (lib/charlm.ts's products, lib/math.ts's tanh and exp, lib/softmax.ts, lib/adam.ts's adamUpdate).
//
// Why it exists: scalar JavaScript does one multiply and one add at a time, and V8 reaches about
// 2 GFLOP/s on these products; NumPy's BLAS uses the CPU's vector registers. WebAssembly's 128-bit
// SIMD does two float64 multiplies (or adds) per instruction: on the course machine the product kernel
// below ran a 100×100 matrix times one vector at about 7 GFLOP/s, and times 25 vectors at about 10.
//
// Why the numbers do not change: every output is still ONE running sum that starts from its own
// value and adds its terms in ascending k, each product rounded, then each sum rounded (f64x2.mul then
// f64x2.add: IEEE-754 double arithmetic, no fused multiply-add). The two lanes of a register hold two
// DIFFERENT outputs (two rows of A), never two terms of one sum, so nothing is reassociated.
//
// The product kernel, for j < n and i < m:
//   Y[j·ldy + i] += Σ_{k<K} A[i, k] · X[j·ldxj + k·ldxk]      (k ascending)
// with A stored so that, for each k, 8 consecutive rows sit side by side (see Panels): one step of k
// reads them with four 128-bit loads, the same x_k serves all of them, and eight running sums sit in
// four registers; two columns j at a time share each value of A they load. Also in the module: packing
// a row-major matrix into panels; Adam's step two values at a time (the same operations in the same
// order as adamUpdate; division and square root are exactly rounded in IEEE-754, like + and ×); and
// lib/math.ts's tanh and exp, and lib/softmax.ts's softmax on them (see MATH_WAT).
//
// KERNEL_WAT is the kernels' source (WebAssembly text); KERNEL_WASM is its binary, made from it by
// wabt (`npm run wasm`; test/unit/simd.test.ts checks that the two agree).
import { FDLIBM_EXP_CONSTANTS } from "./math";

/** x exactly, as WebAssembly text: ±0x1.<13 hex digits>p<exponent> for a normal double, or ±inf. */
function watDouble(x: number): string {
  if (x === 0) return "0";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const bits = new DataView(new ArrayBuffer(8));
  bits.setFloat64(0, x);
  const hi = bits.getUint32(0), lo = bits.getUint32(4);
  const exponent = ((hi >>> 20) & 0x7ff) - 1023;
  if (exponent === -1023) throw new Error(`lib/simd: ${x} is subnormal, which watDouble does not write`);
  const mantissa = (hi & 0xfffff).toString(16).padStart(5, "0") + lo.toString(16).padStart(8, "0");
  return `${x < 0 ? "-" : ""}0x1.${mantissa}p${exponent}`;
}
/** x in both lanes of an f64x2 constant. */
const lanes = (x: number): string => `(v128.const f64x2 ${watDouble(x)} ${watDouble(x)})`;
const F = FDLIBM_EXP_CONSTANTS;
/** The constants of the exp and tanh kernels: lib/math.ts's own numbers, written exactly. */
const C: Record<string, string> = {
  LN2_HI: lanes(F.LN2_HI), LN2_LO: lanes(F.LN2_LO), INV_LN2: lanes(F.INV_LN2), HALF_LN2_ABOVE: lanes(F.HALF_LN2_ABOVE),
  THREE_HALVES_LN2: lanes(F.THREE_HALVES_LN2), TWO_M28: lanes(F.TWO_M28), O_THRESHOLD: lanes(F.O_THRESHOLD), U_THRESHOLD: lanes(F.U_THRESHOLD),
  TWO_1023: lanes(F.TWO_1023), TWO_M1000: lanes(F.TWO_M1000),
  P1: lanes(F.P1), P2: lanes(F.P2), P3: lanes(F.P3), P4: lanes(F.P4), P5: lanes(F.P5),
  Q1: lanes(F.Q1), Q2: lanes(F.Q2), Q3: lanes(F.Q3), Q4: lanes(F.Q4), Q5: lanes(F.Q5),
  ONE: lanes(1), MINUS_ONE: lanes(-1), TWO: lanes(2), MINUS_TWO: lanes(-2), THREE: lanes(3), SIX: lanes(6),
  HALF: lanes(0.5), MINUS_HALF: lanes(-0.5), MINUS_QUARTER: lanes(-0.25),
  TWENTY: lanes(20), TWENTY_TWO: lanes(22), FIFTY_SIX: lanes(56), THOUSAND: lanes(1000), MINUS_1021: lanes(-1021), K1024: lanes(1024),
  E: lanes(2.718281828459045), INFINITY: lanes(Infinity),
};

// lib/math.ts's tanh and exp on the two lanes of a register. fdlibm's branches become selections:
// each lane computes every case's formula with the same operations in the same order as lib/math.ts,
// and v128.bitselect keeps the one its input takes (the cases a lane does not take may give anything,
// even NaN; they are discarded). The statements are written out inside each loop, not called: a call
// would spill every live register around it, and the loop's iterations could no longer overlap.
// Each template computes from a local and into a local whose names start with the prefix p, so that
// one loop can hold two independent copies (two registers' worth of values in flight at once).

/** The locals a template with prefix p uses. */
const mathLocals = (p: string, names: string[]): string => names.map((n) => `(local $${p}${n} v128)`).join(" ");
const EXPM1_LOCALS = ["ax", "neg", "k", "hi", "lo", "c", "hfx", "hxs", "r1", "t", "e", "twopk", "twomk", "r"];
const TANH_LOCALS = ["x", "tax", "big", "pos", "q", "z", ...EXPM1_LOCALS];
const EXP_LOCALS = ["x", "ax", "neg", "k", "hi", "lo", "r", "t", "c", "d", "y", "low", "top", "res"];

/** 2^k for whole numbers k in −1022..1023 (f64 lanes): the exponent field k + 1023 over a zero mantissa. */
const pow2 = (k: string): string =>
  `(i64x2.shl (i64x2.add (i64x2.extend_low_i32x4_s (i32x4.trunc_sat_f64x2_s_zero ${k})) (v128.const i64x2 1023 1023)) (i32.const 52))`;

/**
 * k for exp and expm1 of the lanes of $<p>x: 0 below ln2/2; ±1 below 1.5 ln2; else (x/ln2 ± 1/2) truncated.
 * With k = 0 or ±1 the general reduction x − k·LN2_HI, k·LN2_LO gives exactly fdlibm's special cases
 * (x − 0, x ∓ LN2_HI and ±LN2_LO are exact), so one formula serves every lane.
 */
const reduce = (p: string, x: string): string => `
    (local.set $${p}ax (f64x2.abs ${x}))
    (local.set $${p}neg (f64x2.lt ${x} (v128.const f64x2 0 0)))
    (local.set $${p}k (f64x2.trunc (f64x2.add (f64x2.mul ${C.INV_LN2} ${x}) (v128.bitselect ${C.MINUS_HALF} ${C.HALF} (local.get $${p}neg)))))
    (local.set $${p}k (v128.bitselect (v128.bitselect ${C.MINUS_ONE} ${C.ONE} (local.get $${p}neg)) (local.get $${p}k)
      (f64x2.lt (local.get $${p}ax) ${C.THREE_HALVES_LN2})))
    (local.set $${p}k (v128.bitselect (v128.const f64x2 0 0) (local.get $${p}k) (f64x2.lt (local.get $${p}ax) ${C.HALF_LN2_ABOVE})))
    (local.set $${p}hi (f64x2.sub ${x} (f64x2.mul (local.get $${p}k) ${C.LN2_HI})))
    (local.set $${p}lo (f64x2.mul (local.get $${p}k) ${C.LN2_LO}))`;

/**
 * $<p>t = expm1 of the lanes of u, as lib/math.ts's expm1 computes it, for |u| < 56 ln2 (what tanh
 * asks of it: 2|x| < 44, and −2 < −2|x| < 0); NaN, infinities and u < −56 ln2 are not handled here.
 */
const expm1Lanes = (p: string, u: string): string => `${reduce(p, u)}
    ;; r = hi − lo = u − k ln2, c = the rounding error of that subtraction
    (local.set $${p}r (f64x2.sub (local.get $${p}hi) (local.get $${p}lo)))
    (local.set $${p}c (f64x2.sub (f64x2.sub (local.get $${p}hi) (local.get $${p}r)) (local.get $${p}lo)))
    ;; the rational approximation on r
    (local.set $${p}hfx (f64x2.mul ${C.HALF} (local.get $${p}r)))
    (local.set $${p}hxs (f64x2.mul (local.get $${p}r) (local.get $${p}hfx)))
    (local.set $${p}r1 (f64x2.add ${C.ONE} (f64x2.mul (local.get $${p}hxs)
      (f64x2.add ${C.Q1} (f64x2.mul (local.get $${p}hxs)
        (f64x2.add ${C.Q2} (f64x2.mul (local.get $${p}hxs)
          (f64x2.add ${C.Q3} (f64x2.mul (local.get $${p}hxs)
            (f64x2.add ${C.Q4} (f64x2.mul (local.get $${p}hxs) ${C.Q5})))))))))))
    (local.set $${p}t (f64x2.sub ${C.THREE} (f64x2.mul (local.get $${p}r1) (local.get $${p}hfx))))
    (local.set $${p}e (f64x2.mul (local.get $${p}hxs)
      (f64x2.div (f64x2.sub (local.get $${p}r1) (local.get $${p}t)) (f64x2.sub ${C.SIX} (f64x2.mul (local.get $${p}r) (local.get $${p}t))))))
    ;; k = 0: r − (r e − hxs); every other k: e = (r (e − c) − c) − hxs, then one formula per range of k
    (local.set $${p}t (f64x2.sub (local.get $${p}r) (f64x2.sub (f64x2.mul (local.get $${p}r) (local.get $${p}e)) (local.get $${p}hxs))))
    (local.set $${p}e (f64x2.sub (f64x2.sub (f64x2.mul (local.get $${p}r) (f64x2.sub (local.get $${p}e) (local.get $${p}c))) (local.get $${p}c)) (local.get $${p}hxs)))
    (local.set $${p}twopk ${pow2(`(local.get $${p}k)`)})
    (local.set $${p}twomk ${pow2(`(f64x2.neg (local.get $${p}k))`)})
    (local.set $${p}t (v128.bitselect
      (local.get $${p}t)
      (v128.bitselect
        ;; k = −1: 0.5 (r − e) − 0.5
        (f64x2.sub (f64x2.mul ${C.HALF} (f64x2.sub (local.get $${p}r) (local.get $${p}e))) ${C.HALF})
        (v128.bitselect
          ;; k = 1: −2 (e − (r + 0.5)) when r < −0.25, else 1 + 2 (r − e)
          (v128.bitselect
            (f64x2.mul ${C.MINUS_TWO} (f64x2.sub (local.get $${p}e) (f64x2.add (local.get $${p}r) ${C.HALF})))
            (f64x2.add ${C.ONE} (f64x2.mul ${C.TWO} (f64x2.sub (local.get $${p}r) (local.get $${p}e))))
            (f64x2.lt (local.get $${p}r) ${C.MINUS_QUARTER}))
          (v128.bitselect
            ;; k ≤ −2 or k > 56: (1 − (e − r)) 2^k − 1
            (f64x2.sub (f64x2.mul (f64x2.sub ${C.ONE} (f64x2.sub (local.get $${p}e) (local.get $${p}r))) (local.get $${p}twopk)) ${C.ONE})
            (v128.bitselect
              ;; 2 ≤ k < 20: ((1 − 2^−k) − (e − r)) 2^k
              (f64x2.mul (f64x2.sub (f64x2.sub ${C.ONE} (local.get $${p}twomk)) (f64x2.sub (local.get $${p}e) (local.get $${p}r))) (local.get $${p}twopk))
              ;; 20 ≤ k ≤ 56: ((r − (e + 2^−k)) + 1) 2^k
              (f64x2.mul (f64x2.add (f64x2.sub (local.get $${p}r) (f64x2.add (local.get $${p}e) (local.get $${p}twomk))) ${C.ONE}) (local.get $${p}twopk))
              (f64x2.lt (local.get $${p}k) ${C.TWENTY}))
            (v128.or (f64x2.le (local.get $${p}k) ${C.MINUS_TWO}) (f64x2.gt (local.get $${p}k) ${C.FIFTY_SIX})))
          (f64x2.eq (local.get $${p}k) ${C.ONE}))
        (f64x2.eq (local.get $${p}k) ${C.MINUS_ONE}))
      (f64x2.eq (local.get $${p}k) (v128.const f64x2 0 0))))`;

/** $<p>z = tanh of the lanes of $<p>x: (e^2x − 1)/(e^2x + 1) through expm1, ±1 from |x| ≥ 22, x itself below 2^−28. */
const tanhLanes = (p: string): string => `
    (local.set $${p}tax (f64x2.abs (local.get $${p}x)))
    (local.set $${p}big (f64x2.ge (local.get $${p}tax) ${C.ONE}))
    (local.set $${p}pos (f64x2.gt (local.get $${p}x) (v128.const f64x2 0 0)))
    ;; t = expm1(2|x|) when |x| ≥ 1, else expm1(−2|x|)
    ${expm1Lanes(p, `(f64x2.mul (v128.bitselect ${C.TWO} ${C.MINUS_TWO} (local.get $${p}big)) (local.get $${p}tax))`)}
    ;; |x| ≥ 1: 1 − 2/(t + 2); else −t/(t + 2): one division serves both
    (local.set $${p}q (f64x2.div (v128.bitselect ${C.TWO} (f64x2.neg (local.get $${p}t)) (local.get $${p}big)) (f64x2.add (local.get $${p}t) ${C.TWO})))
    (local.set $${p}z (v128.bitselect (f64x2.sub ${C.ONE} (local.get $${p}q)) (local.get $${p}q) (local.get $${p}big)))
    (local.set $${p}z (v128.bitselect (local.get $${p}z) (f64x2.neg (local.get $${p}z)) (local.get $${p}pos)))
    (local.set $${p}z (v128.bitselect (local.get $${p}x) (local.get $${p}z) (f64x2.lt (local.get $${p}tax) ${C.TWO_M28})))
    (local.set $${p}z (v128.bitselect (local.get $${p}z) (v128.bitselect ${C.ONE} ${C.MINUS_ONE} (local.get $${p}pos)) (f64x2.lt (local.get $${p}tax) ${C.TWENTY_TWO})))
    (local.set $${p}z (v128.bitselect (f64x2.add (local.get $${p}x) (local.get $${p}x)) (local.get $${p}z) (f64x2.ne (local.get $${p}x) (local.get $${p}x))))`;

/** $<p>res = exp of the lanes of $<p>x, as lib/math.ts's exp computes it (every input). */
const expLanes = (p: string): string => `${reduce(p, `(local.get $${p}x)`)}
    (local.set $${p}r (f64x2.sub (local.get $${p}hi) (local.get $${p}lo)))
    (local.set $${p}t (f64x2.mul (local.get $${p}r) (local.get $${p}r)))
    (local.set $${p}c (f64x2.sub (local.get $${p}r) (f64x2.mul (local.get $${p}t)
      (f64x2.add ${C.P1} (f64x2.mul (local.get $${p}t)
        (f64x2.add ${C.P2} (f64x2.mul (local.get $${p}t)
          (f64x2.add ${C.P3} (f64x2.mul (local.get $${p}t)
            (f64x2.add ${C.P4} (f64x2.mul (local.get $${p}t) ${C.P5})))))))))))
    ;; d = r c/(2 − c); fdlibm's k = 0 case divides by c − 2 = −(2 − c) instead, which gives exactly −d
    (local.set $${p}d (f64x2.div (f64x2.mul (local.get $${p}r) (local.get $${p}c)) (f64x2.sub ${C.TWO} (local.get $${p}c))))
    (local.set $${p}y (f64x2.sub ${C.ONE} (f64x2.sub (f64x2.sub (local.get $${p}lo) (local.get $${p}d)) (local.get $${p}hi))))
    ;; y 2^k as (y s1) s2: s1 = 2^k and s2 = 1 for −1021 ≤ k ≤ 1023; 2 and 2^1023 for k = 1024; 2^(k+1000) and 2^−1000 below
    (local.set $${p}low (f64x2.lt (local.get $${p}k) ${C.MINUS_1021}))
    (local.set $${p}top (f64x2.eq (local.get $${p}k) ${C.K1024}))
    (local.set $${p}res (f64x2.mul
      (f64x2.mul (local.get $${p}y)
        (v128.bitselect ${C.TWO}
          (v128.bitselect ${pow2(`(f64x2.add (local.get $${p}k) ${C.THOUSAND})`)} ${pow2(`(local.get $${p}k)`)} (local.get $${p}low))
          (local.get $${p}top)))
      (v128.bitselect ${C.TWO_1023} (v128.bitselect ${C.TWO_M1000} ${C.ONE} (local.get $${p}low)) (local.get $${p}top))))
    ;; k = 0: 1 − (r c/(c − 2) − r)
    (local.set $${p}res (v128.bitselect (f64x2.sub ${C.ONE} (f64x2.sub (f64x2.neg (local.get $${p}d)) (local.get $${p}r))) (local.get $${p}res)
      (f64x2.eq (local.get $${p}k) (v128.const f64x2 0 0))))
    ;; what fdlibm answers before reducing: tiny x, x = 1, overflow, underflow, NaN
    (local.set $${p}res (v128.bitselect (f64x2.add ${C.ONE} (local.get $${p}x)) (local.get $${p}res) (f64x2.lt (local.get $${p}ax) ${C.TWO_M28})))
    (local.set $${p}res (v128.bitselect ${C.E} (local.get $${p}res) (f64x2.eq (local.get $${p}x) ${C.ONE})))
    (local.set $${p}res (v128.bitselect ${C.INFINITY} (local.get $${p}res) (f64x2.gt (local.get $${p}x) ${C.O_THRESHOLD})))
    (local.set $${p}res (v128.bitselect (v128.const f64x2 0 0) (local.get $${p}res) (f64x2.lt (local.get $${p}x) ${C.U_THRESHOLD})))
    (local.set $${p}res (v128.bitselect (f64x2.add (local.get $${p}x) (local.get $${p}x)) (local.get $${p}res) (f64x2.ne (local.get $${p}x) (local.get $${p}x))))`;

/**
 * A loop over i < n: four values at a time while four remain, as two independent pairs (prefixes a and
 * b: their chains of dependent operations overlap in the CPU), then the rest a pair at a time (prefix a;
 * the last value of an odd n alone, with load64_splat, so nothing past n is read or written). Each pair
 * is loaded into $<p>x (minus `shift`, when given), `body(p)` computes $<p><out>, which is stored at dst;
 * `after(p, two)` runs after each pair's store (two: whether the pair holds two values, as WAT).
 */
const mapLoop = (src: string, dst: string, body: (p: string) => string, out: string, shift = "", after: (p: string, two: string) => string = () => ""): string => {
  const load = (p: string, o: string, how: string): string =>
    `(local.set $${p}x ${shift ? `(f64x2.sub (${how} (i32.add ${src} ${o})) ${shift})` : `(${how} (i32.add ${src} ${o}))`})`;
  return `
    (local.set $o (i32.const 0))
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (block $done (loop $quads
      (br_if $done (i32.gt_u (i32.add (local.get $o) (i32.const 32)) (local.get $end)))
      ${load("a", "(local.get $o)", "v128.load")}
      ${load("b", "(i32.add (local.get $o) (i32.const 16))", "v128.load")}
      ${body("a")}
      ${body("b")}
      (v128.store (i32.add ${dst} (local.get $o)) (local.get $a${out}))
      ${after("a", "(i32.const 1)")}
      (v128.store (i32.add ${dst} (i32.add (local.get $o) (i32.const 16))) (local.get $b${out}))
      ${after("b", "(i32.const 1)")}
      (local.set $o (i32.add (local.get $o) (i32.const 32)))
      (br $quads)))
    (block $done (loop $pairs
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      (local.set $two (i32.lt_u (i32.add (local.get $o) (i32.const 8)) (local.get $end)))
      (if (local.get $two)
        (then ${load("a", "(local.get $o)", "v128.load")})
        (else ${load("a", "(local.get $o)", "v128.load64_splat")}))
      ${body("a")}
      (if (local.get $two)
        (then (v128.store (i32.add ${dst} (local.get $o)) (local.get $a${out})))
        (else (v128.store64_lane 0 (i32.add ${dst} (local.get $o)) (local.get $a${out}))))
      ${after("a", "(local.get $two)")}
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $pairs)))`;
};

/** The exported tanh, exp and softmax loops. */
const MATH_WAT = `
  ;; dst[i] = tanh(src[i]) for i < n (src and dst may be the same)
  (func (export "tanh") (param $src i32) (param $dst i32) (param $n i32)
    (local $o i32) (local $end i32) (local $two i32) ${mathLocals("a", TANH_LOCALS)} ${mathLocals("b", TANH_LOCALS)}
    ${mapLoop("(local.get $src)", "(local.get $dst)", tanhLanes, "z")})

  ;; dst[i] = exp(src[i]) for i < n
  (func (export "exp") (param $src i32) (param $dst i32) (param $n i32)
    (local $o i32) (local $end i32) (local $two i32) ${mathLocals("a", EXP_LOCALS)} ${mathLocals("b", EXP_LOCALS)}
    ${mapLoop("(local.get $src)", "(local.get $dst)", expLanes, "res")})

  ;; lib/softmax.ts's softmax of the n logits at z, in place, given their maximum m: z[i] = exp(z[i] − m),
  ;; s = their sum in ascending i (one running sum, as softmaxInto adds them), then z[i] = z[i]/s. Returns s.
  (func (export "softmax") (param $z i32) (param $n i32) (param $m f64) (result f64)
    (local $o i32) (local $end i32) (local $two i32) (local $M v128) (local $S v128) (local $s f64)
    ${mathLocals("a", EXP_LOCALS)} ${mathLocals("b", EXP_LOCALS)}
    (local.set $M (f64x2.splat (local.get $m)))
    ${mapLoop("(local.get $z)", "(local.get $z)", expLanes, "res", "(local.get $M)", (p, two) => `
      (local.set $s (f64.add (local.get $s) (f64x2.extract_lane 0 (local.get $${p}res))))
      (if ${two} (then (local.set $s (f64.add (local.get $s) (f64x2.extract_lane 1 (local.get $${p}res))))))`)}
    (local.set $S (f64x2.splat (local.get $s)))
    (local.set $o (i32.const 0))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (block $done (loop $pairs
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      (v128.store (i32.add (local.get $z) (local.get $o)) (f64x2.div (v128.load (i32.add (local.get $z) (local.get $o))) (local.get $S)))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $pairs)))
    (if (i32.and (local.get $n) (i32.const 1)) (then
      (f64.store (i32.add (local.get $z) (local.get $o)) (f64.div (f64.load (i32.add (local.get $z) (local.get $o))) (local.get $s)))))
    (local.get $s))
`;


/** The kernel's source, in WebAssembly's text format. Pointers are byte offsets into the memory; counts and strides are in doubles. */
export const KERNEL_WAT = `(module
  (import "js" "memory" (memory 1))
  ;; Y[j*ldy + i] += sum over k < K of A[i,k] * X[j*ldxj + k*ldxk], for j < n and i < m.
  ;; A[i,k] is read at P + (i/8)*ldp + k*ldk + i%8: 8 rows side by side for each k. Whole panels of 8
  ;; rows go through the 128-bit registers; the last m%8 rows, one at a time, with the same arithmetic.
  (func (export "addPanelProduct")
    (param $P i32) (param $ldp i32) (param $ldk i32) (param $m i32) (param $K i32)
    (param $X i32) (param $ldxj i32) (param $ldxk i32) (param $n i32) (param $Y i32) (param $ldy i32)
    (local $m8 i32) (local $j i32) (local $i i32) (local $k i32) (local $p i32) (local $x i32) (local $y i32) (local $y2 i32)
    (local $xk v128) (local $xk2 v128) (local $a01 v128) (local $a23 v128) (local $a45 v128) (local $a67 v128)
    (local $s01 v128) (local $s23 v128) (local $s45 v128) (local $s67 v128)
    (local $t01 v128) (local $t23 v128) (local $t45 v128) (local $t67 v128) (local $rows i32)
    (local.set $m8 (i32.and (local.get $m) (i32.const -8))) ;; the rows in whole panels
    ;; strides from doubles to bytes
    (local.set $ldp (i32.shl (local.get $ldp) (i32.const 3)))
    (local.set $ldk (i32.shl (local.get $ldk) (i32.const 3)))
    (local.set $ldxj (i32.shl (local.get $ldxj) (i32.const 3)))
    (local.set $ldxk (i32.shl (local.get $ldxk) (i32.const 3)))
    (local.set $ldy (i32.shl (local.get $ldy) (i32.const 3)))
    ;; two columns j, j+1 at a time while there are two (each A value loaded serves both), then one
    (block $pairsDone (loop $pairs
      (br_if $pairsDone (i32.ge_s (i32.add (local.get $j) (i32.const 1)) (local.get $n)))
      (local.set $i (i32.const 0))
      (block $panelsDone (loop $panels
        (br_if $panelsDone (i32.ge_s (local.get $i) (local.get $m8)))
        ;; the sixteen running sums start from Y's own values
        (local.set $y (i32.add (i32.add (local.get $Y) (i32.mul (local.get $j) (local.get $ldy))) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $y2 (i32.add (local.get $y) (local.get $ldy)))
        (local.set $s01 (v128.load offset=0 (local.get $y)))
        (local.set $s23 (v128.load offset=16 (local.get $y)))
        (local.set $s45 (v128.load offset=32 (local.get $y)))
        (local.set $s67 (v128.load offset=48 (local.get $y)))
        (local.set $t01 (v128.load offset=0 (local.get $y2)))
        (local.set $t23 (v128.load offset=16 (local.get $y2)))
        (local.set $t45 (v128.load offset=32 (local.get $y2)))
        (local.set $t67 (v128.load offset=48 (local.get $y2)))
        (local.set $p (i32.add (local.get $P) (i32.mul (i32.shr_u (local.get $i) (i32.const 3)) (local.get $ldp))))
        (local.set $x (i32.add (local.get $X) (i32.mul (local.get $j) (local.get $ldxj))))
        (local.set $k (i32.const 0))
        (block $termsDone (loop $terms
          (br_if $termsDone (i32.ge_s (local.get $k) (local.get $K)))
          (local.set $xk (v128.load64_splat (local.get $x)))
          (local.set $xk2 (v128.load64_splat (i32.add (local.get $x) (local.get $ldxj))))
          (local.set $a01 (v128.load offset=0 (local.get $p)))
          (local.set $a23 (v128.load offset=16 (local.get $p)))
          (local.set $a45 (v128.load offset=32 (local.get $p)))
          (local.set $a67 (v128.load offset=48 (local.get $p)))
          (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $a01) (local.get $xk))))
          (local.set $s23 (f64x2.add (local.get $s23) (f64x2.mul (local.get $a23) (local.get $xk))))
          (local.set $s45 (f64x2.add (local.get $s45) (f64x2.mul (local.get $a45) (local.get $xk))))
          (local.set $s67 (f64x2.add (local.get $s67) (f64x2.mul (local.get $a67) (local.get $xk))))
          (local.set $t01 (f64x2.add (local.get $t01) (f64x2.mul (local.get $a01) (local.get $xk2))))
          (local.set $t23 (f64x2.add (local.get $t23) (f64x2.mul (local.get $a23) (local.get $xk2))))
          (local.set $t45 (f64x2.add (local.get $t45) (f64x2.mul (local.get $a45) (local.get $xk2))))
          (local.set $t67 (f64x2.add (local.get $t67) (f64x2.mul (local.get $a67) (local.get $xk2))))
          (local.set $p (i32.add (local.get $p) (local.get $ldk)))
          (local.set $x (i32.add (local.get $x) (local.get $ldxk)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $terms)))
        (v128.store offset=0 (local.get $y) (local.get $s01))
        (v128.store offset=16 (local.get $y) (local.get $s23))
        (v128.store offset=32 (local.get $y) (local.get $s45))
        (v128.store offset=48 (local.get $y) (local.get $s67))
        (v128.store offset=0 (local.get $y2) (local.get $t01))
        (v128.store offset=16 (local.get $y2) (local.get $t23))
        (v128.store offset=32 (local.get $y2) (local.get $t45))
        (v128.store offset=48 (local.get $y2) (local.get $t67))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $panels)))
      (local.set $j (i32.add (local.get $j) (i32.const 2)))
      (br $pairs)))
    ;; one column at a time, with the same eight running sums per panel: every panel of the last column when
    ;; n is odd (the pairs above stopped short of it), and for every column the rows past the last whole
    ;; panel (m%8 of them). Of that last panel only the first m%8 sums are stored: its other lanes read
    ;; whatever lies after the last row (a packed panel's zero padding, or the next values of the arena,
    ;; whose end has room for them) and are discarded, so each stored sum is a plain running sum.
    (local.set $j (i32.const 0))
    (block $columnsDone (loop $columns
      (br_if $columnsDone (i32.ge_s (local.get $j) (local.get $n)))
      (local.set $i (local.get $m8))
      (if (i32.and (i32.and (local.get $n) (i32.const 1)) (i32.eq (local.get $j) (i32.sub (local.get $n) (i32.const 1))))
        (then (local.set $i (i32.const 0))))
      (block $panelsDone (loop $panels
        (br_if $panelsDone (i32.ge_s (local.get $i) (local.get $m)))
        (local.set $y (i32.add (i32.add (local.get $Y) (i32.mul (local.get $j) (local.get $ldy))) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $s01 (v128.load offset=0 (local.get $y)))
        (local.set $s23 (v128.load offset=16 (local.get $y)))
        (local.set $s45 (v128.load offset=32 (local.get $y)))
        (local.set $s67 (v128.load offset=48 (local.get $y)))
        (local.set $p (i32.add (local.get $P) (i32.mul (i32.shr_u (local.get $i) (i32.const 3)) (local.get $ldp))))
        (local.set $x (i32.add (local.get $X) (i32.mul (local.get $j) (local.get $ldxj))))
        (local.set $k (i32.const 0))
        (block $termsDone (loop $terms
          (br_if $termsDone (i32.ge_s (local.get $k) (local.get $K)))
          (local.set $xk (v128.load64_splat (local.get $x)))
          (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (v128.load offset=0 (local.get $p)) (local.get $xk))))
          (local.set $s23 (f64x2.add (local.get $s23) (f64x2.mul (v128.load offset=16 (local.get $p)) (local.get $xk))))
          (local.set $s45 (f64x2.add (local.get $s45) (f64x2.mul (v128.load offset=32 (local.get $p)) (local.get $xk))))
          (local.set $s67 (f64x2.add (local.get $s67) (f64x2.mul (v128.load offset=48 (local.get $p)) (local.get $xk))))
          (local.set $p (i32.add (local.get $p) (local.get $ldk)))
          (local.set $x (i32.add (local.get $x) (local.get $ldxk)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $terms)))
        ;; store rows i .. min(i+8, m)-1: whole registers while both lanes are rows below m, then one lane
        (local.set $rows (i32.sub (local.get $m) (local.get $i)))
        (if (i32.ge_s (local.get $rows) (i32.const 2))
          (then (v128.store offset=0 (local.get $y) (local.get $s01)))
          (else (v128.store64_lane offset=0 0 (local.get $y) (local.get $s01))))
        (if (i32.ge_s (local.get $rows) (i32.const 4))
          (then (v128.store offset=16 (local.get $y) (local.get $s23)))
          (else (if (i32.eq (local.get $rows) (i32.const 3)) (then (v128.store64_lane offset=16 0 (local.get $y) (local.get $s23))))))
        (if (i32.ge_s (local.get $rows) (i32.const 6))
          (then (v128.store offset=32 (local.get $y) (local.get $s45)))
          (else (if (i32.eq (local.get $rows) (i32.const 5)) (then (v128.store64_lane offset=32 0 (local.get $y) (local.get $s45))))))
        (if (i32.ge_s (local.get $rows) (i32.const 8))
          (then (v128.store offset=48 (local.get $y) (local.get $s67)))
          (else (if (i32.eq (local.get $rows) (i32.const 7)) (then (v128.store64_lane offset=48 0 (local.get $y) (local.get $s67))))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $panels)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $columns)))
  )
  ;; Pack rows of a row-major matrix M (m rows, K columns, row length ld) into 8-row panels at D:
  ;; D[(i/8)*8K + 8k + i%8] = M[i*ld + k] (a transposed copy, 8 rows at a time)
  (func (export "packPanels") (param $M i32) (param $ld i32) (param $m i32) (param $K i32) (param $D i32)
    (local $i i32) (local $k i32) (local $src i32) (local $dst i32)
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_s (local.get $i) (local.get $m)))
      (local.set $src (i32.add (local.get $M) (i32.shl (i32.mul (local.get $i) (local.get $ld)) (i32.const 3))))
      (local.set $dst (i32.add (local.get $D) (i32.shl (i32.add (i32.mul (i32.and (local.get $i) (i32.const -8)) (local.get $K))
        (i32.and (local.get $i) (i32.const 7))) (i32.const 3))))
      (local.set $k (i32.const 0))
      (block $colsDone (loop $cols
        (br_if $colsDone (i32.ge_s (local.get $k) (local.get $K)))
        (f64.store (local.get $dst) (f64.load (local.get $src)))
        (local.set $src (i32.add (local.get $src) (i32.const 8)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $cols)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows)))
  )
  ;; Adam on n values, two at a time (each lane one parameter; the last value of an odd n alone, so nothing
  ;; past n is read or written): lib/adam.ts's adamUpdate, operation for operation,
  ;;   g = g*scale (only when $clip: the training loop's clipping, clipKnownNorm's g *= maxNorm/norm)
  ;;   m = b1*m + (1-b1)*g;  v = b2*v + ((1-b2)*g)*g;  w = w - (lr*(m/c1)) / (sqrt(v/c2) + eps)
  ;; Returns 1 when every new w is finite, else 0 (w*0 is 0 for a finite w and NaN otherwise).
  (func (export "adam")
    (param $w i32) (param $g i32) (param $m i32) (param $v i32) (param $n i32)
    (param $lr f64) (param $b1 f64) (param $b2 f64) (param $eps f64) (param $c1 f64) (param $c2 f64)
    (param $scale f64) (param $clip i32) (result i32)
    (local $o i32) (local $end i32) (local $two i32) (local $gk v128) (local $mk v128) (local $vk v128) (local $wk v128) (local $finite v128)
    (local $B1 v128) (local $A1 v128) (local $B2 v128) (local $A2 v128) (local $LR v128) (local $EPS v128) (local $C1 v128) (local $C2 v128) (local $S v128)
    (local.set $B1 (f64x2.splat (local.get $b1)))
    (local.set $A1 (f64x2.splat (f64.sub (f64.const 1) (local.get $b1))))
    (local.set $B2 (f64x2.splat (local.get $b2)))
    (local.set $A2 (f64x2.splat (f64.sub (f64.const 1) (local.get $b2))))
    (local.set $LR (f64x2.splat (local.get $lr)))
    (local.set $EPS (f64x2.splat (local.get $eps)))
    (local.set $C1 (f64x2.splat (local.get $c1)))
    (local.set $C2 (f64x2.splat (local.get $c2)))
    (local.set $S (f64x2.splat (local.get $scale)))
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (block $done (loop $pairs
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      (local.set $two (i32.lt_u (i32.add (local.get $o) (i32.const 8)) (local.get $end)))
      (if (local.get $two)
        (then
          (local.set $gk (v128.load (i32.add (local.get $g) (local.get $o))))
          (local.set $mk (v128.load (i32.add (local.get $m) (local.get $o))))
          (local.set $vk (v128.load (i32.add (local.get $v) (local.get $o))))
          (local.set $wk (v128.load (i32.add (local.get $w) (local.get $o)))))
        (else
          (local.set $gk (v128.load64_splat (i32.add (local.get $g) (local.get $o))))
          (local.set $mk (v128.load64_splat (i32.add (local.get $m) (local.get $o))))
          (local.set $vk (v128.load64_splat (i32.add (local.get $v) (local.get $o))))
          (local.set $wk (v128.load64_splat (i32.add (local.get $w) (local.get $o))))))
      (if (local.get $clip) (then (local.set $gk (f64x2.mul (local.get $gk) (local.get $S)))))
      (local.set $mk (f64x2.add (f64x2.mul (local.get $B1) (local.get $mk)) (f64x2.mul (local.get $A1) (local.get $gk))))
      (local.set $vk (f64x2.add (f64x2.mul (local.get $B2) (local.get $vk)) (f64x2.mul (f64x2.mul (local.get $A2) (local.get $gk)) (local.get $gk))))
      (local.set $wk (f64x2.sub (local.get $wk)
        (f64x2.div
          (f64x2.mul (local.get $LR) (f64x2.div (local.get $mk) (local.get $C1)))
          (f64x2.add (f64x2.sqrt (f64x2.div (local.get $vk) (local.get $C2))) (local.get $EPS)))))
      (local.set $finite (f64x2.add (local.get $finite) (f64x2.mul (local.get $wk) (v128.const f64x2 0 0))))
      (if (local.get $two)
        (then
          (v128.store (i32.add (local.get $m) (local.get $o)) (local.get $mk))
          (v128.store (i32.add (local.get $v) (local.get $o)) (local.get $vk))
          (v128.store (i32.add (local.get $w) (local.get $o)) (local.get $wk)))
        (else
          (v128.store64_lane 0 (i32.add (local.get $m) (local.get $o)) (local.get $mk))
          (v128.store64_lane 0 (i32.add (local.get $v) (local.get $o)) (local.get $vk))
          (v128.store64_lane 0 (i32.add (local.get $w) (local.get $o)) (local.get $wk))))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $pairs)))
    (i64x2.all_true (f64x2.eq (local.get $finite) (v128.const f64x2 0 0))))
  ;; ---- lib/math.ts's tanh and exp, and the softmax, two values at a time (see MATH_WAT below) ----
${MATH_WAT}
)
`;

/** KERNEL_WAT compiled by wabt 1.0.39 (base64). */
export const KERNEL_WASM = "AGFzbQEAAAABNQVgC39/f39/f39/f39/AGAFf39/f38AYA1/f39/f3x8fHx8fHx/AX9gA39/fwBgA39/fAF8Ag4BAmpzBm1lbW9yeQIAAQMHBgABAgMDBAc+Bg9hZGRQYW5lbFByb2R1Y3QAAApwYWNrUGFuZWxzAAEEYWRhbQACBHRhbmgAAwNleHAABAdzb2Z0bWF4AAUKnmQG7QYDCH8OewF/IANBeHEhCyABQQN0IQEgAkEDdCECIAZBA3QhBiAHQQN0IQcgCkEDdCEKAkADQCAMQQFqIAhODQFBACENAkADQCANIAtODQEgCSAMIApsaiANQQN0aiERIBEgCmohEiAR/QAEACEZIBH9AAQQIRogEf0ABCAhGyAR/QAEMCEcIBL9AAQAIR0gEv0ABBAhHiAS/QAEICEfIBL9AAQwISAgACANQQN2IAFsaiEPIAUgDCAGbGohEEEAIQ4CQANAIA4gBE4NASAQ/QoDACETIBAgBmr9CgMAIRQgD/0ABAAhFSAP/QAEECEWIA/9AAQgIRcgD/0ABDAhGCAZIBUgE/3yAf3wASEZIBogFiAT/fIB/fABIRogGyAXIBP98gH98AEhGyAcIBggE/3yAf3wASEcIB0gFSAU/fIB/fABIR0gHiAWIBT98gH98AEhHiAfIBcgFP3yAf3wASEfICAgGCAU/fIB/fABISAgDyACaiEPIBAgB2ohECAOQQFqIQ4MAAsLIBEgGf0LBAAgESAa/QsEECARIBv9CwQgIBEgHP0LBDAgEiAd/QsEACASIB79CwQQIBIgH/0LBCAgEiAg/QsEMCANQQhqIQ0MAAsLIAxBAmohDAwACwtBACEMAkADQCAMIAhODQEgCyENIAhBAXEgDCAIQQFrRnEEQEEAIQ0LAkADQCANIANODQEgCSAMIApsaiANQQN0aiERIBH9AAQAIRkgEf0ABBAhGiAR/QAEICEbIBH9AAQwIRwgACANQQN2IAFsaiEPIAUgDCAGbGohEEEAIQ4CQANAIA4gBE4NASAQ/QoDACETIBkgD/0ABAAgE/3yAf3wASEZIBogD/0ABBAgE/3yAf3wASEaIBsgD/0ABCAgE/3yAf3wASEbIBwgD/0ABDAgE/3yAf3wASEcIA8gAmohDyAQIAdqIRAgDkEBaiEODAALCyADIA1rISEgIUECTgRAIBEgGf0LBAAFIBEgGf1bAwAACyAhQQROBEAgESAa/QsEEAUgIUEDRgRAIBEgGv1bAxAACwsgIUEGTgRAIBEgG/0LBCAFICFBBUYEQCARIBv9WwMgAAsLICFBCE4EQCARIBz9CwQwBSAhQQdGBEAgESAc/VsDMAALCyANQQhqIQ0MAAsLIAxBAWohDAwACwsLcAEEfwJAA0AgBSACTg0BIAAgBSABbEEDdGohByAEIAVBeHEgA2wgBUEHcWpBA3RqIQhBACEGAkADQCAGIANODQEgCCAHKwMAOQMAIAdBCGohByAIQcAAaiEIIAZBAWohBgwACwsgBUEBaiEFDAALCwu1AwIDfw57IAb9FCEVRAAAAAAAAPA/IAah/RQhFiAH/RQhF0QAAAAAAADwPyAHof0UIRggBf0UIRkgCP0UIRogCf0UIRsgCv0UIRwgC/0UIR0gBEEDdCEOAkADQCANIA5PDQEgDUEIaiAOSSEPIA8EQCABIA1q/QAEACEQIAIgDWr9AAQAIREgAyANav0ABAAhEiAAIA1q/QAEACETBSABIA1q/QoDACEQIAIgDWr9CgMAIREgAyANav0KAwAhEiAAIA1q/QoDACETCyAMBEAgECAd/fIBIRALIBUgEf3yASAWIBD98gH98AEhESAXIBL98gEgGCAQ/fIBIBD98gH98AEhEiATIBkgESAb/fMB/fIBIBIgHP3zAf3vASAa/fAB/fMB/fEBIRMgFCAT/QwAAAAAAAAAAAAAAAAAAAAA/fIB/fABIRQgDwRAIAIgDWogEf0LBAAgAyANaiAS/QsEACAAIA1qIBP9CwQABSACIA1qIBH9WwMAACADIA1qIBL9WwMAACAAIA1qIBP9WwMAAAsgDUEQaiENDAALCyAU/QwAAAAAAAAAAAAAAAAAAAAA/Uf9wwELgyYCA38oe0EAIQMgAkEDdCEEAkADQCADQSBqIARLDQEgACADav0ABAAhBiAAIANBEGpq/QAEACEaIAb97AEhByAH/QwAAAAAAADwPwAAAAAAAPA//UwhCCAG/QwAAAAAAAAAAAAAAAAAAAAA/UohCf0MAAAAAAAAAEAAAAAAAAAAQP0MAAAAAAAAAMAAAAAAAAAAwCAI/VIgB/3yAf3sASEM/QwAAAAAAAAAQAAAAAAAAABA/QwAAAAAAAAAwAAAAAAAAADAIAj9UiAH/fIB/QwAAAAAAAAAAAAAAAAAAAAA/UkhDf0M/oIrZUcV9z/+gitlRxX3P/0MAAAAAAAAAEAAAAAAAAAAQP0MAAAAAAAAAMAAAAAAAAAAwCAI/VIgB/3yAf3yAf0MAAAAAAAA4L8AAAAAAADgv/0MAAAAAAAA4D8AAAAAAADgPyAN/VL98AH9eiEO/QwAAAAAAADwvwAAAAAAAPC//QwAAAAAAADwPwAAAAAAAPA/IA39UiAOIAz9DAAAAACyovA/AAAAALKi8D/9Sf1SIQ79DAAAAAAAAAAAAAAAAAAAAAAgDiAM/QwAAAAAQy7WPwAAAABDLtY//Un9UiEO/QwAAAAAAAAAQAAAAAAAAABA/QwAAAAAAAAAwAAAAAAAAADAIAj9UiAH/fIBIA79DAAA4P5CLuY/AADg/kIu5j/98gH98QEhDyAO/Qx2PHk17znqPXY8eTXvOeo9/fIBIRAgDyAQ/fEBIRkgDyAZ/fEBIBD98QEhEf0MAAAAAAAA4D8AAAAAAADgPyAZ/fIBIRIgGSAS/fIBIRP9DAAAAAAAAPA/AAAAAAAA8D8gE/0M9BARERERob/0EBERERGhvyAT/QyFVf4ZoAFaP4VV/hmgAVo/IBP9DLfbqp4ZzhS/t9uqnhnOFL8gE/0MOVLmhsrP0D45UuaGys/QPiAT/Qwtwwlut/2Kvi3DCW63/Yq+/fIB/fAB/fIB/fAB/fIB/fAB/fIB/fAB/fIB/fABIRT9DAAAAAAAAAhAAAAAAAAACEAgFCAS/fIB/fEBIRUgEyAUIBX98QH9DAAAAAAAABhAAAAAAAAAGEAgGSAV/fIB/fEB/fMB/fIBIRYgGSAZIBb98gEgE/3xAf3xASEVIBkgFiAR/fEB/fIBIBH98QEgE/3xASEWIA79/AH9xwH9DP8DAAAAAAAA/wMAAAAAAAD9zgFBNP3LASEXIA797QH9/AH9xwH9DP8DAAAAAAAA/wMAAAAAAAD9zgFBNP3LASEYIBX9DAAAAAAAAOA/AAAAAAAA4D8gGSAW/fEB/fIB/QwAAAAAAADgPwAAAAAAAOA//fEB/QwAAAAAAAAAwAAAAAAAAADAIBYgGf0MAAAAAAAA4D8AAAAAAADgP/3wAf3xAf3yAf0MAAAAAAAA8D8AAAAAAADwP/0MAAAAAAAAAEAAAAAAAAAAQCAZIBb98QH98gH98AEgGf0MAAAAAAAA0L8AAAAAAADQv/1J/VL9DAAAAAAAAPA/AAAAAAAA8D8gFiAZ/fEB/fEBIBf98gH9DAAAAAAAAPA/AAAAAAAA8D/98QH9DAAAAAAAAPA/AAAAAAAA8D8gGP3xASAWIBn98QH98QEgF/3yASAZIBYgGP3wAf3xAf0MAAAAAAAA8D8AAAAAAADwP/3wASAX/fIBIA79DAAAAAAAADRAAAAAAAAANED9Sf1SIA79DAAAAAAAAADAAAAAAAAAAMD9SyAO/QwAAAAAAABMQAAAAAAAAExA/Ur9UP1SIA79DAAAAAAAAPA/AAAAAAAA8D/9R/1SIA79DAAAAAAAAPC/AAAAAAAA8L/9R/1SIA79DAAAAAAAAAAAAAAAAAAAAAD9R/1SIRX9DAAAAAAAAABAAAAAAAAAAEAgFf3tASAI/VIgFf0MAAAAAAAAAEAAAAAAAAAAQP3wAf3zASEK/QwAAAAAAADwPwAAAAAAAPA/IAr98QEgCiAI/VIhCyALIAv97QEgCf1SIQsgBiALIAf9DAAAAAAAADA+AAAAAAAAMD79Sf1SIQsgC/0MAAAAAAAA8D8AAAAAAADwP/0MAAAAAAAA8L8AAAAAAADwvyAJ/VIgB/0MAAAAAAAANkAAAAAAAAA2QP1J/VIhCyAGIAb98AEgCyAGIAb9SP1SIQsgGv3sASEbIBv9DAAAAAAAAPA/AAAAAAAA8D/9TCEcIBr9DAAAAAAAAAAAAAAAAAAAAAD9SiEd/QwAAAAAAAAAQAAAAAAAAABA/QwAAAAAAAAAwAAAAAAAAADAIBz9UiAb/fIB/ewBISD9DAAAAAAAAABAAAAAAAAAAED9DAAAAAAAAADAAAAAAAAAAMAgHP1SIBv98gH9DAAAAAAAAAAAAAAAAAAAAAD9SSEh/Qz+gitlRxX3P/6CK2VHFfc//QwAAAAAAAAAQAAAAAAAAABA/QwAAAAAAAAAwAAAAAAAAADAIBz9UiAb/fIB/fIB/QwAAAAAAADgvwAAAAAAAOC//QwAAAAAAADgPwAAAAAAAOA/ICH9Uv3wAf16ISL9DAAAAAAAAPC/AAAAAAAA8L/9DAAAAAAAAPA/AAAAAAAA8D8gIf1SICIgIP0MAAAAALKi8D8AAAAAsqLwP/1J/VIhIv0MAAAAAAAAAAAAAAAAAAAAACAiICD9DAAAAABDLtY/AAAAAEMu1j/9Sf1SISL9DAAAAAAAAABAAAAAAAAAAED9DAAAAAAAAADAAAAAAAAAAMAgHP1SIBv98gEgIv0MAADg/kIu5j8AAOD+Qi7mP/3yAf3xASEjICL9DHY8eTXvOeo9djx5Ne856j398gEhJCAjICT98QEhLSAjIC398QEgJP3xASEl/QwAAAAAAADgPwAAAAAAAOA/IC398gEhJiAtICb98gEhJ/0MAAAAAAAA8D8AAAAAAADwPyAn/Qz0EBERERGhv/QQEREREaG/ICf9DIVV/hmgAVo/hVX+GaABWj8gJ/0Mt9uqnhnOFL+326qeGc4UvyAn/Qw5UuaGys/QPjlS5obKz9A+ICf9DC3DCW63/Yq+LcMJbrf9ir798gH98AH98gH98AH98gH98AH98gH98AH98gH98AEhKP0MAAAAAAAACEAAAAAAAAAIQCAoICb98gH98QEhKSAnICggKf3xAf0MAAAAAAAAGEAAAAAAAAAYQCAtICn98gH98QH98wH98gEhKiAtIC0gKv3yASAn/fEB/fEBISkgLSAqICX98QH98gEgJf3xASAn/fEBISogIv38Af3HAf0M/wMAAAAAAAD/AwAAAAAAAP3OAUE0/csBISsgIv3tAf38Af3HAf0M/wMAAAAAAAD/AwAAAAAAAP3OAUE0/csBISwgKf0MAAAAAAAA4D8AAAAAAADgPyAtICr98QH98gH9DAAAAAAAAOA/AAAAAAAA4D/98QH9DAAAAAAAAADAAAAAAAAAAMAgKiAt/QwAAAAAAADgPwAAAAAAAOA//fAB/fEB/fIB/QwAAAAAAADwPwAAAAAAAPA//QwAAAAAAAAAQAAAAAAAAABAIC0gKv3xAf3yAf3wASAt/QwAAAAAAADQvwAAAAAAANC//Un9Uv0MAAAAAAAA8D8AAAAAAADwPyAqIC398QH98QEgK/3yAf0MAAAAAAAA8D8AAAAAAADwP/3xAf0MAAAAAAAA8D8AAAAAAADwPyAs/fEBICogLf3xAf3xASAr/fIBIC0gKiAs/fAB/fEB/QwAAAAAAADwPwAAAAAAAPA//fABICv98gEgIv0MAAAAAAAANEAAAAAAAAA0QP1J/VIgIv0MAAAAAAAAAMAAAAAAAAAAwP1LICL9DAAAAAAAAExAAAAAAAAATED9Sv1Q/VIgIv0MAAAAAAAA8D8AAAAAAADwP/1H/VIgIv0MAAAAAAAA8L8AAAAAAADwv/1H/VIgIv0MAAAAAAAAAAAAAAAAAAAAAP1H/VIhKf0MAAAAAAAAAEAAAAAAAAAAQCAp/e0BIBz9UiAp/QwAAAAAAAAAQAAAAAAAAABA/fAB/fMBIR79DAAAAAAAAPA/AAAAAAAA8D8gHv3xASAeIBz9UiEfIB8gH/3tASAd/VIhHyAaIB8gG/0MAAAAAAAAMD4AAAAAAAAwPv1J/VIhHyAf/QwAAAAAAADwPwAAAAAAAPA//QwAAAAAAADwvwAAAAAAAPC/IB39UiAb/QwAAAAAAAA2QAAAAAAAADZA/Un9UiEfIBogGv3wASAfIBogGv1I/VIhHyABIANqIAv9CwQAIAEgA0EQamogH/0LBAAgA0EgaiEDDAALCwJAA0AgAyAETw0BIANBCGogBEkhBSAFBEAgACADav0ABAAhBgUgACADav0KAwAhBgsgBv3sASEHIAf9DAAAAAAAAPA/AAAAAAAA8D/9TCEIIAb9DAAAAAAAAAAAAAAAAAAAAAD9SiEJ/QwAAAAAAAAAQAAAAAAAAABA/QwAAAAAAAAAwAAAAAAAAADAIAj9UiAH/fIB/ewBIQz9DAAAAAAAAABAAAAAAAAAAED9DAAAAAAAAADAAAAAAAAAAMAgCP1SIAf98gH9DAAAAAAAAAAAAAAAAAAAAAD9SSEN/Qz+gitlRxX3P/6CK2VHFfc//QwAAAAAAAAAQAAAAAAAAABA/QwAAAAAAAAAwAAAAAAAAADAIAj9UiAH/fIB/fIB/QwAAAAAAADgvwAAAAAAAOC//QwAAAAAAADgPwAAAAAAAOA/IA39Uv3wAf16IQ79DAAAAAAAAPC/AAAAAAAA8L/9DAAAAAAAAPA/AAAAAAAA8D8gDf1SIA4gDP0MAAAAALKi8D8AAAAAsqLwP/1J/VIhDv0MAAAAAAAAAAAAAAAAAAAAACAOIAz9DAAAAABDLtY/AAAAAEMu1j/9Sf1SIQ79DAAAAAAAAABAAAAAAAAAAED9DAAAAAAAAADAAAAAAAAAAMAgCP1SIAf98gEgDv0MAADg/kIu5j8AAOD+Qi7mP/3yAf3xASEPIA79DHY8eTXvOeo9djx5Ne856j398gEhECAPIBD98QEhGSAPIBn98QEgEP3xASER/QwAAAAAAADgPwAAAAAAAOA/IBn98gEhEiAZIBL98gEhE/0MAAAAAAAA8D8AAAAAAADwPyAT/Qz0EBERERGhv/QQEREREaG/IBP9DIVV/hmgAVo/hVX+GaABWj8gE/0Mt9uqnhnOFL+326qeGc4UvyAT/Qw5UuaGys/QPjlS5obKz9A+IBP9DC3DCW63/Yq+LcMJbrf9ir798gH98AH98gH98AH98gH98AH98gH98AH98gH98AEhFP0MAAAAAAAACEAAAAAAAAAIQCAUIBL98gH98QEhFSATIBQgFf3xAf0MAAAAAAAAGEAAAAAAAAAYQCAZIBX98gH98QH98wH98gEhFiAZIBkgFv3yASAT/fEB/fEBIRUgGSAWIBH98QH98gEgEf3xASAT/fEBIRYgDv38Af3HAf0M/wMAAAAAAAD/AwAAAAAAAP3OAUE0/csBIRcgDv3tAf38Af3HAf0M/wMAAAAAAAD/AwAAAAAAAP3OAUE0/csBIRggFf0MAAAAAAAA4D8AAAAAAADgPyAZIBb98QH98gH9DAAAAAAAAOA/AAAAAAAA4D/98QH9DAAAAAAAAADAAAAAAAAAAMAgFiAZ/QwAAAAAAADgPwAAAAAAAOA//fAB/fEB/fIB/QwAAAAAAADwPwAAAAAAAPA//QwAAAAAAAAAQAAAAAAAAABAIBkgFv3xAf3yAf3wASAZ/QwAAAAAAADQvwAAAAAAANC//Un9Uv0MAAAAAAAA8D8AAAAAAADwPyAWIBn98QH98QEgF/3yAf0MAAAAAAAA8D8AAAAAAADwP/3xAf0MAAAAAAAA8D8AAAAAAADwPyAY/fEBIBYgGf3xAf3xASAX/fIBIBkgFiAY/fAB/fEB/QwAAAAAAADwPwAAAAAAAPA//fABIBf98gEgDv0MAAAAAAAANEAAAAAAAAA0QP1J/VIgDv0MAAAAAAAAAMAAAAAAAAAAwP1LIA79DAAAAAAAAExAAAAAAAAATED9Sv1Q/VIgDv0MAAAAAAAA8D8AAAAAAADwP/1H/VIgDv0MAAAAAAAA8L8AAAAAAADwv/1H/VIgDv0MAAAAAAAAAAAAAAAAAAAAAP1H/VIhFf0MAAAAAAAAAEAAAAAAAAAAQCAV/e0BIAj9UiAV/QwAAAAAAAAAQAAAAAAAAABA/fAB/fMBIQr9DAAAAAAAAPA/AAAAAAAA8D8gCv3xASAKIAj9UiELIAsgC/3tASAJ/VIhCyAGIAsgB/0MAAAAAAAAMD4AAAAAAAAwPv1J/VIhCyAL/QwAAAAAAADwPwAAAAAAAPA//QwAAAAAAADwvwAAAAAAAPC/IAn9UiAH/QwAAAAAAAA2QAAAAAAAADZA/Un9UiELIAYgBv3wASALIAYgBv1I/VIhCyAFBEAgASADaiAL/QsEAAUgASADaiAL/VsDAAALIANBEGohAwwACwsL2xgCA38ce0EAIQMgAkEDdCEEAkADQCADQSBqIARLDQEgACADav0ABAAhBiAAIANBEGpq/QAEACEUIAb97AEhByAG/QwAAAAAAAAAAAAAAAAAAAAA/UkhCP0M/oIrZUcV9z/+gitlRxX3PyAG/fIB/QwAAAAAAADgvwAAAAAAAOC//QwAAAAAAADgPwAAAAAAAOA/IAj9Uv3wAf16IQn9DAAAAAAAAPC/AAAAAAAA8L/9DAAAAAAAAPA/AAAAAAAA8D8gCP1SIAkgB/0MAAAAALKi8D8AAAAAsqLwP/1J/VIhCf0MAAAAAAAAAAAAAAAAAAAAACAJIAf9DAAAAABDLtY/AAAAAEMu1j/9Sf1SIQkgBiAJ/QwAAOD+Qi7mPwAA4P5CLuY//fIB/fEBIQogCf0Mdjx5Ne856j12PHk17znqPf3yASELIAogC/3xASEMIAwgDP3yASENIAwgDf0MPlVVVVVVxT8+VVVVVVXFPyAN/QyTvb4WbMFmv5O9vhZswWa/IA39DCzeJa9qVhE/LN4lr2pWET8gDf0M8WvSxUG9u77xa9LFQb27viAN/QzQpL5yaTdmPtCkvnJpN2Y+/fIB/fAB/fIB/fAB/fIB/fAB/fIB/fAB/fIB/fEBIQ4gDCAO/fIB/QwAAAAAAAAAQAAAAAAAAABAIA798QH98wEhD/0MAAAAAAAA8D8AAAAAAADwPyALIA/98QEgCv3xAf3xASEQIAn9DAAAAAAA6I/AAAAAAADoj8D9SSERIAn9DAAAAAAAAJBAAAAAAAAAkED9RyESIBD9DAAAAAAAAABAAAAAAAAAAEAgCf0MAAAAAABAj0AAAAAAAECPQP3wAf38Af3HAf0M/wMAAAAAAAD/AwAAAAAAAP3OAUE0/csBIAn9/AH9xwH9DP8DAAAAAAAA/wMAAAAAAAD9zgFBNP3LASAR/VIgEv1S/fIB/QwAAAAAAADgfwAAAAAAAOB//QwAAAAAAABwAQAAAAAAAHAB/QwAAAAAAADwPwAAAAAAAPA/IBH9UiAS/VL98gEhE/0MAAAAAAAA8D8AAAAAAADwPyAP/e0BIAz98QH98QEgEyAJ/QwAAAAAAAAAAAAAAAAAAAAA/Uf9UiET/QwAAAAAAADwPwAAAAAAAPA/IAb98AEgEyAH/QwAAAAAAAAwPgAAAAAAADA+/Un9UiET/QxpVxSLCr8FQGlXFIsKvwVAIBMgBv0MAAAAAAAA8D8AAAAAAADwP/1H/VIhE/0MAAAAAAAA8H8AAAAAAADwfyATIAb9DO85+v5CLoZA7zn6/kIuhkD9Sv1SIRP9DAAAAAAAAAAAAAAAAAAAAAAgEyAG/QxRMC3VEEmHwFEwLdUQSYfA/Un9UiETIAYgBv3wASATIAYgBv1I/VIhEyAU/ewBIRUgFP0MAAAAAAAAAAAAAAAAAAAAAP1JIRb9DP6CK2VHFfc//oIrZUcV9z8gFP3yAf0MAAAAAAAA4L8AAAAAAADgv/0MAAAAAAAA4D8AAAAAAADgPyAW/VL98AH9eiEX/QwAAAAAAADwvwAAAAAAAPC//QwAAAAAAADwPwAAAAAAAPA/IBb9UiAXIBX9DAAAAACyovA/AAAAALKi8D/9Sf1SIRf9DAAAAAAAAAAAAAAAAAAAAAAgFyAV/QwAAAAAQy7WPwAAAABDLtY//Un9UiEXIBQgF/0MAADg/kIu5j8AAOD+Qi7mP/3yAf3xASEYIBf9DHY8eTXvOeo9djx5Ne856j398gEhGSAYIBn98QEhGiAaIBr98gEhGyAaIBv9DD5VVVVVVcU/PlVVVVVVxT8gG/0Mk72+FmzBZr+Tvb4WbMFmvyAb/Qws3iWvalYRPyzeJa9qVhE/IBv9DPFr0sVBvbu+8WvSxUG9u74gG/0M0KS+cmk3Zj7QpL5yaTdmPv3yAf3wAf3yAf3wAf3yAf3wAf3yAf3wAf3yAf3xASEcIBogHP3yAf0MAAAAAAAAAEAAAAAAAAAAQCAc/fEB/fMBIR39DAAAAAAAAPA/AAAAAAAA8D8gGSAd/fEBIBj98QH98QEhHiAX/QwAAAAAAOiPwAAAAAAA6I/A/UkhHyAX/QwAAAAAAACQQAAAAAAAAJBA/UchICAe/QwAAAAAAAAAQAAAAAAAAABAIBf9DAAAAAAAQI9AAAAAAABAj0D98AH9/AH9xwH9DP8DAAAAAAAA/wMAAAAAAAD9zgFBNP3LASAX/fwB/ccB/Qz/AwAAAAAAAP8DAAAAAAAA/c4BQTT9ywEgH/1SICD9Uv3yAf0MAAAAAAAA4H8AAAAAAADgf/0MAAAAAAAAcAEAAAAAAABwAf0MAAAAAAAA8D8AAAAAAADwPyAf/VIgIP1S/fIBISH9DAAAAAAAAPA/AAAAAAAA8D8gHf3tASAa/fEB/fEBICEgF/0MAAAAAAAAAAAAAAAAAAAAAP1H/VIhIf0MAAAAAAAA8D8AAAAAAADwPyAU/fABICEgFf0MAAAAAAAAMD4AAAAAAAAwPv1J/VIhIf0MaVcUiwq/BUBpVxSLCr8FQCAhIBT9DAAAAAAAAPA/AAAAAAAA8D/9R/1SISH9DAAAAAAAAPB/AAAAAAAA8H8gISAU/QzvOfr+Qi6GQO85+v5CLoZA/Ur9UiEh/QwAAAAAAAAAAAAAAAAAAAAAICEgFP0MUTAt1RBJh8BRMC3VEEmHwP1J/VIhISAUIBT98AEgISAUIBT9SP1SISEgASADaiAT/QsEACABIANBEGpqICH9CwQAIANBIGohAwwACwsCQANAIAMgBE8NASADQQhqIARJIQUgBQRAIAAgA2r9AAQAIQYFIAAgA2r9CgMAIQYLIAb97AEhByAG/QwAAAAAAAAAAAAAAAAAAAAA/UkhCP0M/oIrZUcV9z/+gitlRxX3PyAG/fIB/QwAAAAAAADgvwAAAAAAAOC//QwAAAAAAADgPwAAAAAAAOA/IAj9Uv3wAf16IQn9DAAAAAAAAPC/AAAAAAAA8L/9DAAAAAAAAPA/AAAAAAAA8D8gCP1SIAkgB/0MAAAAALKi8D8AAAAAsqLwP/1J/VIhCf0MAAAAAAAAAAAAAAAAAAAAACAJIAf9DAAAAABDLtY/AAAAAEMu1j/9Sf1SIQkgBiAJ/QwAAOD+Qi7mPwAA4P5CLuY//fIB/fEBIQogCf0Mdjx5Ne856j12PHk17znqPf3yASELIAogC/3xASEMIAwgDP3yASENIAwgDf0MPlVVVVVVxT8+VVVVVVXFPyAN/QyTvb4WbMFmv5O9vhZswWa/IA39DCzeJa9qVhE/LN4lr2pWET8gDf0M8WvSxUG9u77xa9LFQb27viAN/QzQpL5yaTdmPtCkvnJpN2Y+/fIB/fAB/fIB/fAB/fIB/fAB/fIB/fAB/fIB/fEBIQ4gDCAO/fIB/QwAAAAAAAAAQAAAAAAAAABAIA798QH98wEhD/0MAAAAAAAA8D8AAAAAAADwPyALIA/98QEgCv3xAf3xASEQIAn9DAAAAAAA6I/AAAAAAADoj8D9SSERIAn9DAAAAAAAAJBAAAAAAAAAkED9RyESIBD9DAAAAAAAAABAAAAAAAAAAEAgCf0MAAAAAABAj0AAAAAAAECPQP3wAf38Af3HAf0M/wMAAAAAAAD/AwAAAAAAAP3OAUE0/csBIAn9/AH9xwH9DP8DAAAAAAAA/wMAAAAAAAD9zgFBNP3LASAR/VIgEv1S/fIB/QwAAAAAAADgfwAAAAAAAOB//QwAAAAAAABwAQAAAAAAAHAB/QwAAAAAAADwPwAAAAAAAPA/IBH9UiAS/VL98gEhE/0MAAAAAAAA8D8AAAAAAADwPyAP/e0BIAz98QH98QEgEyAJ/QwAAAAAAAAAAAAAAAAAAAAA/Uf9UiET/QwAAAAAAADwPwAAAAAAAPA/IAb98AEgEyAH/QwAAAAAAAAwPgAAAAAAADA+/Un9UiET/QxpVxSLCr8FQGlXFIsKvwVAIBMgBv0MAAAAAAAA8D8AAAAAAADwP/1H/VIhE/0MAAAAAAAA8H8AAAAAAADwfyATIAb9DO85+v5CLoZA7zn6/kIuhkD9Sv1SIRP9DAAAAAAAAAAAAAAAAAAAAAAgEyAG/QxRMC3VEEmHwFEwLdUQSYfA/Un9UiETIAYgBv3wASATIAYgBv1I/VIhEyAFBEAgASADaiAT/QsEAAUgASADaiAT/VsDAAALIANBEGohAwwACwsLohoEA38CewF8HHsgAv0UIQZBACEDIAFBA3QhBAJAA0AgA0EgaiAESw0BIAAgA2r9AAQAIAb98QEhCSAAIANBEGpq/QAEACAG/fEBIRcgCf3sASEKIAn9DAAAAAAAAAAAAAAAAAAAAAD9SSEL/Qz+gitlRxX3P/6CK2VHFfc/IAn98gH9DAAAAAAAAOC/AAAAAAAA4L/9DAAAAAAAAOA/AAAAAAAA4D8gC/1S/fAB/XohDP0MAAAAAAAA8L8AAAAAAADwv/0MAAAAAAAA8D8AAAAAAADwPyAL/VIgDCAK/QwAAAAAsqLwPwAAAACyovA//Un9UiEM/QwAAAAAAAAAAAAAAAAAAAAAIAwgCv0MAAAAAEMu1j8AAAAAQy7WP/1J/VIhDCAJIAz9DAAA4P5CLuY/AADg/kIu5j/98gH98QEhDSAM/Qx2PHk17znqPXY8eTXvOeo9/fIBIQ4gDSAO/fEBIQ8gDyAP/fIBIRAgDyAQ/Qw+VVVVVVXFPz5VVVVVVcU/IBD9DJO9vhZswWa/k72+FmzBZr8gEP0MLN4lr2pWET8s3iWvalYRPyAQ/Qzxa9LFQb27vvFr0sVBvbu+IBD9DNCkvnJpN2Y+0KS+cmk3Zj798gH98AH98gH98AH98gH98AH98gH98AH98gH98QEhESAPIBH98gH9DAAAAAAAAABAAAAAAAAAAEAgEf3xAf3zASES/QwAAAAAAADwPwAAAAAAAPA/IA4gEv3xASAN/fEB/fEBIRMgDP0MAAAAAADoj8AAAAAAAOiPwP1JIRQgDP0MAAAAAAAAkEAAAAAAAACQQP1HIRUgE/0MAAAAAAAAAEAAAAAAAAAAQCAM/QwAAAAAAECPQAAAAAAAQI9A/fAB/fwB/ccB/Qz/AwAAAAAAAP8DAAAAAAAA/c4BQTT9ywEgDP38Af3HAf0M/wMAAAAAAAD/AwAAAAAAAP3OAUE0/csBIBT9UiAV/VL98gH9DAAAAAAAAOB/AAAAAAAA4H/9DAAAAAAAAHABAAAAAAAAcAH9DAAAAAAAAPA/AAAAAAAA8D8gFP1SIBX9Uv3yASEW/QwAAAAAAADwPwAAAAAAAPA/IBL97QEgD/3xAf3xASAWIAz9DAAAAAAAAAAAAAAAAAAAAAD9R/1SIRb9DAAAAAAAAPA/AAAAAAAA8D8gCf3wASAWIAr9DAAAAAAAADA+AAAAAAAAMD79Sf1SIRb9DGlXFIsKvwVAaVcUiwq/BUAgFiAJ/QwAAAAAAADwPwAAAAAAAPA//Uf9UiEW/QwAAAAAAADwfwAAAAAAAPB/IBYgCf0M7zn6/kIuhkDvOfr+Qi6GQP1K/VIhFv0MAAAAAAAAAAAAAAAAAAAAACAWIAn9DFEwLdUQSYfAUTAt1RBJh8D9Sf1SIRYgCSAJ/fABIBYgCSAJ/Uj9UiEWIBf97AEhGCAX/QwAAAAAAAAAAAAAAAAAAAAA/UkhGf0M/oIrZUcV9z/+gitlRxX3PyAX/fIB/QwAAAAAAADgvwAAAAAAAOC//QwAAAAAAADgPwAAAAAAAOA/IBn9Uv3wAf16IRr9DAAAAAAAAPC/AAAAAAAA8L/9DAAAAAAAAPA/AAAAAAAA8D8gGf1SIBogGP0MAAAAALKi8D8AAAAAsqLwP/1J/VIhGv0MAAAAAAAAAAAAAAAAAAAAACAaIBj9DAAAAABDLtY/AAAAAEMu1j/9Sf1SIRogFyAa/QwAAOD+Qi7mPwAA4P5CLuY//fIB/fEBIRsgGv0Mdjx5Ne856j12PHk17znqPf3yASEcIBsgHP3xASEdIB0gHf3yASEeIB0gHv0MPlVVVVVVxT8+VVVVVVXFPyAe/QyTvb4WbMFmv5O9vhZswWa/IB79DCzeJa9qVhE/LN4lr2pWET8gHv0M8WvSxUG9u77xa9LFQb27viAe/QzQpL5yaTdmPtCkvnJpN2Y+/fIB/fAB/fIB/fAB/fIB/fAB/fIB/fAB/fIB/fEBIR8gHSAf/fIB/QwAAAAAAAAAQAAAAAAAAABAIB/98QH98wEhIP0MAAAAAAAA8D8AAAAAAADwPyAcICD98QEgG/3xAf3xASEhIBr9DAAAAAAA6I/AAAAAAADoj8D9SSEiIBr9DAAAAAAAAJBAAAAAAAAAkED9RyEjICH9DAAAAAAAAABAAAAAAAAAAEAgGv0MAAAAAABAj0AAAAAAAECPQP3wAf38Af3HAf0M/wMAAAAAAAD/AwAAAAAAAP3OAUE0/csBIBr9/AH9xwH9DP8DAAAAAAAA/wMAAAAAAAD9zgFBNP3LASAi/VIgI/1S/fIB/QwAAAAAAADgfwAAAAAAAOB//QwAAAAAAABwAQAAAAAAAHAB/QwAAAAAAADwPwAAAAAAAPA/ICL9UiAj/VL98gEhJP0MAAAAAAAA8D8AAAAAAADwPyAg/e0BIB398QH98QEgJCAa/QwAAAAAAAAAAAAAAAAAAAAA/Uf9UiEk/QwAAAAAAADwPwAAAAAAAPA/IBf98AEgJCAY/QwAAAAAAAAwPgAAAAAAADA+/Un9UiEk/QxpVxSLCr8FQGlXFIsKvwVAICQgF/0MAAAAAAAA8D8AAAAAAADwP/1H/VIhJP0MAAAAAAAA8H8AAAAAAADwfyAkIBf9DO85+v5CLoZA7zn6/kIuhkD9Sv1SIST9DAAAAAAAAAAAAAAAAAAAAAAgJCAX/QxRMC3VEEmHwFEwLdUQSYfA/Un9UiEkIBcgF/3wASAkIBcgF/1I/VIhJCAAIANqIBb9CwQAIAggFv0hAKAhCEEBBEAgCCAW/SEBoCEICyAAIANBEGpqICT9CwQAIAggJP0hAKAhCEEBBEAgCCAk/SEBoCEICyADQSBqIQMMAAsLAkADQCADIARPDQEgA0EIaiAESSEFIAUEQCAAIANq/QAEACAG/fEBIQkFIAAgA2r9CgMAIAb98QEhCQsgCf3sASEKIAn9DAAAAAAAAAAAAAAAAAAAAAD9SSEL/Qz+gitlRxX3P/6CK2VHFfc/IAn98gH9DAAAAAAAAOC/AAAAAAAA4L/9DAAAAAAAAOA/AAAAAAAA4D8gC/1S/fAB/XohDP0MAAAAAAAA8L8AAAAAAADwv/0MAAAAAAAA8D8AAAAAAADwPyAL/VIgDCAK/QwAAAAAsqLwPwAAAACyovA//Un9UiEM/QwAAAAAAAAAAAAAAAAAAAAAIAwgCv0MAAAAAEMu1j8AAAAAQy7WP/1J/VIhDCAJIAz9DAAA4P5CLuY/AADg/kIu5j/98gH98QEhDSAM/Qx2PHk17znqPXY8eTXvOeo9/fIBIQ4gDSAO/fEBIQ8gDyAP/fIBIRAgDyAQ/Qw+VVVVVVXFPz5VVVVVVcU/IBD9DJO9vhZswWa/k72+FmzBZr8gEP0MLN4lr2pWET8s3iWvalYRPyAQ/Qzxa9LFQb27vvFr0sVBvbu+IBD9DNCkvnJpN2Y+0KS+cmk3Zj798gH98AH98gH98AH98gH98AH98gH98AH98gH98QEhESAPIBH98gH9DAAAAAAAAABAAAAAAAAAAEAgEf3xAf3zASES/QwAAAAAAADwPwAAAAAAAPA/IA4gEv3xASAN/fEB/fEBIRMgDP0MAAAAAADoj8AAAAAAAOiPwP1JIRQgDP0MAAAAAAAAkEAAAAAAAACQQP1HIRUgE/0MAAAAAAAAAEAAAAAAAAAAQCAM/QwAAAAAAECPQAAAAAAAQI9A/fAB/fwB/ccB/Qz/AwAAAAAAAP8DAAAAAAAA/c4BQTT9ywEgDP38Af3HAf0M/wMAAAAAAAD/AwAAAAAAAP3OAUE0/csBIBT9UiAV/VL98gH9DAAAAAAAAOB/AAAAAAAA4H/9DAAAAAAAAHABAAAAAAAAcAH9DAAAAAAAAPA/AAAAAAAA8D8gFP1SIBX9Uv3yASEW/QwAAAAAAADwPwAAAAAAAPA/IBL97QEgD/3xAf3xASAWIAz9DAAAAAAAAAAAAAAAAAAAAAD9R/1SIRb9DAAAAAAAAPA/AAAAAAAA8D8gCf3wASAWIAr9DAAAAAAAADA+AAAAAAAAMD79Sf1SIRb9DGlXFIsKvwVAaVcUiwq/BUAgFiAJ/QwAAAAAAADwPwAAAAAAAPA//Uf9UiEW/QwAAAAAAADwfwAAAAAAAPB/IBYgCf0M7zn6/kIuhkDvOfr+Qi6GQP1K/VIhFv0MAAAAAAAAAAAAAAAAAAAAACAWIAn9DFEwLdUQSYfAUTAt1RBJh8D9Sf1SIRYgCSAJ/fABIBYgCSAJ/Uj9UiEWIAUEQCAAIANqIBb9CwQABSAAIANqIBb9WwMAAAsgCCAW/SEAoCEIIAUEQCAIIBb9IQGgIQgLIANBEGohAwwACwsgCP0UIQdBACEDIAFBfnFBA3QhBAJAA0AgAyAETw0BIAAgA2ogACADav0ABAAgB/3zAf0LBAAgA0EQaiEDDAALCyABQQFxBEAgACADaiAAIANqKwMAIAijOQMACyAICw==";

/** What the code below needs of the WebAssembly API (typed here so lib compiles with any TypeScript lib setting). */
interface WasmApi {
  Memory: new (d: { initial: number }) => { buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
}

/** Y[j·ldy + i] += Σ_k A[i,k]·X[j·ldxj + k·ldxk]: the kernel's signature (byte offsets, then counts and strides in doubles). */
type PanelProduct = (P: number, ldp: number, ldk: number, m8: number, K: number, X: number, ldxj: number, ldxk: number, n: number, Y: number, ldy: number) => void;
/** Panels of rows of a row-major matrix (byte offsets; ld, m, K in doubles). */
type PackKernel = (M: number, ld: number, m: number, K: number, D: number) => void;
/** Adam on n values at byte offsets w, g, m, v, the gradients first multiplied by scale when clip is 1; 1 when every new weight is finite. */
type AdamKernel = (w: number, g: number, m: number, v: number, n: number, lr: number, beta1: number, beta2: number, eps: number, c1: number, c2: number, scale: number, clip: number) => number;
/** dst[i] = f(src[i]) for i < n (byte offsets): lib/math.ts's tanh or exp. */
type MapKernel = (src: number, dst: number, n: number) => void;
/** The softmax of n logits at byte offset z, in place, given their maximum m; returns the sum of the exps. */
type SoftmaxKernel = (z: number, n: number, m: number) => number;

let enabled = true;

/**
 * Switch the WebAssembly kernels off (false) or back on (true) for arenas made from now on. The numbers
 * are the same either way; tests and the bench use this to run the plain TypeScript path next to it.
 */
export function setSimdEnabled(on: boolean): void {
  enabled = on;
}

let compiled: object | null | undefined; // undefined: not tried yet; null: this engine cannot (no WebAssembly, no SIMD, or a policy forbids it)

function decodeBase64(s: string): Uint8Array {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const clean = s.replace(/=+$/, "");
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let nbits = 0;
  let o = 0;
  for (let c = 0; c < clean.length; c++) {
    bits = (bits << 6) | alphabet.indexOf(clean[c]);
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      out[o++] = (bits >> nbits) & 0xff;
    }
  }
  return out;
}

/** The compiled kernel, or null where WebAssembly SIMD is not available (the caller then uses the plain TypeScript products). */
function kernelModule(): object | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (api && KERNEL_WASM.length > 0) {
    try {
      compiled = new api.Module(decodeBase64(KERNEL_WASM));
    } catch {
      compiled = null; // an engine without SIMD, or a page whose Content-Security-Policy forbids compiling WebAssembly
    }
  }
  return compiled;
}

/**
 * A block of memory the kernel can read, with Float64Array views carved out of it, and the kernel.
 * Every array a product reads or writes must be one of its views.
 */
export interface SimdArena {
  /** a new zeroed view of n doubles (8-double aligned, so 128-bit loads never straddle) */
  view(n: number): Float64Array;
  /**
   * The kernel over views of this arena: Y[yo + j·ldy + i] += Σ_{k<K} A[i,k]·X[xo + j·ldxj + k·ldxk] for j < n,
   * i < m, where A[i,k] = A.data[A.offset + (i − i mod 8)/8 · A.ldp + k·A.ldk + i mod 8] (see Panels).
   */
  addPanelProduct(A: Panels, m: number, K: number, X: Float64Array, xo: number, ldxj: number, ldxk: number, n: number, Y: Float64Array, yo: number, ldy: number): void;
  /** the m×K row-major matrix M (row length ld) as 8-row panels in D (a view of roundUp8(m)·K doubles) */
  packPanels(M: Float64Array, mo: number, ld: number, m: number, K: number, D: Float64Array): Panels;
  /** lib/adam.ts's adamUpdate on the first n values of views w, g, m, v (each of even length ≥ n), two at a time */
  /**
   * lib/adam.ts's adamUpdate on the first n values of views w, g, m, v, two at a time; with gradScale, every
   * gradient is multiplied by it first (the training loop's clipping; g itself is not changed). Returns
   * whether every new weight is finite.
   */
  adam(w: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, n: number, s: { lr: number; beta1: number; beta2: number; eps: number; c1: number; c2: number }, gradScale?: number): boolean;
  /** whether a is one of this arena's views (the kernels can read and write it in place) */
  holds(a: Float64Array): boolean;
  /** how many doubles are left for views */
  room(): number;
  /** dst[dOff + i] = tanh(src[sOff + i]) for i < n, lib/math.ts's tanh two values at a time (src and dst: views; the same range is allowed) */
  tanh(src: Float64Array, sOff: number, dst: Float64Array, dOff: number, n: number): void;
  /** dst[dOff + i] = exp(src[sOff + i]) for i < n, lib/math.ts's exp two values at a time */
  exp(src: Float64Array, sOff: number, dst: Float64Array, dOff: number, n: number): void;
  /**
   * lib/softmax.ts's softmaxInto at temperature 1, in place on z[off .. off+n), given m = the largest of
   * those logits; returns the sum s of the e^(z − m), so the log of the normaliser is log(s) + m.
   */
  softmax(z: Float64Array, off: number, n: number, m: number): number;
}

/**
 * How the kernel finds a matrix A (m rows, K columns) in memory: for each k, 8 rows of a panel side
 * by side. Two layouts fit: packPanels's (ldk = 8, ldp = 8K), and any row-major matrix read as its own
 * TRANSPOSE (A[i,k] = M[k,i]: ldk = M's row length, ldp = 8) — no copy needed.
 */
export interface Panels {
  data: Float64Array;
  offset: number;
  ldp: number;
  ldk: number;
}

/** Every arena by its memory's buffer, so that a caller given views can find the kernels that work on them in place. */
const arenas = new WeakMap<ArrayBuffer, SimdArena>();

/** The arena all of these views belong to, or null (some are ordinary arrays, or views of different arenas). */
export function arenaHolding(views: Float64Array[]): SimdArena | null {
  if (views.length === 0) return null;
  const arena = arenas.get(views[0].buffer as ArrayBuffer);
  return arena !== undefined && views.every((v) => arena.holds(v)) ? arena : null;
}

/** m rounded up to a whole number of 8-row panels. */
export const roundUp8 = (m: number): number => (m + 7) & ~7;

/**
 * An arena of `doubles` doubles, or null where the kernel cannot run. Views are handed out in order;
 * asking for more than `doubles` in all throws (a programming error, not bad input).
 */
export function makeSimdArena(doubles: number): SimdArena | null {
  const mod = enabled ? kernelModule() : null;
  if (mod === null) return null;
  const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  // The memory is made at its full size and never grown: growing would detach its buffer, and once any buffer
  // has been detached V8 checks every typed-array access in the process for it, which slows all of lib.
  const memory = new api.Memory({ initial: Math.ceil((doubles * 8 + 64) / 65536) });
  const kernels = new api.Instance(mod, { js: { memory } }).exports;
  const run = kernels.addPanelProduct as PanelProduct;
  const adam = kernels.adam as AdamKernel;
  const pack = kernels.packPanels as PackKernel;
  const tanh = kernels.tanh as MapKernel;
  const exp = kernels.exp as MapKernel;
  const softmax = kernels.softmax as SoftmaxKernel;
  const buffer = memory.buffer;
  let used = 0; // in doubles
  const arena: SimdArena = {
    view(n: number): Float64Array {
      used = roundUp8(used);
      if (used + n > doubles) throw new Error(`makeSimdArena: a view of ${n} doubles does not fit (${used} of ${doubles} used)`);
      const v = new Float64Array(buffer, used * 8, n);
      used += n;
      return v;
    },
    addPanelProduct(A, m, K, X, xo, ldxj, ldxk, n, Y, yo, ldy): void {
      run(A.data.byteOffset + A.offset * 8, A.ldp, A.ldk, m, K, X.byteOffset + xo * 8, ldxj, ldxk, n, Y.byteOffset + yo * 8, ldy);
    },
    packPanels(M, mo, ld, m, K, D): Panels {
      pack(M.byteOffset + mo * 8, ld, m, K, D.byteOffset);
      return { data: D, offset: 0, ldp: 8 * K, ldk: 8 };
    },
    adam(w, g, m, v, n, s, gradScale): boolean {
      const clip = gradScale === undefined ? 0 : 1;
      return adam(w.byteOffset, g.byteOffset, m.byteOffset, v.byteOffset, n, s.lr, s.beta1, s.beta2, s.eps, s.c1, s.c2, gradScale ?? 1, clip) === 1;
    },
    holds(a: Float64Array): boolean {
      return a.buffer === buffer;
    },
    room(): number {
      return doubles - roundUp8(used);
    },
    tanh(src, sOff, dst, dOff, n): void {
      tanh(src.byteOffset + sOff * 8, dst.byteOffset + dOff * 8, n);
    },
    exp(src, sOff, dst, dOff, n): void {
      exp(src.byteOffset + sOff * 8, dst.byteOffset + dOff * 8, n);
    },
    softmax(z, off, n, m): number {
      return softmax(z.byteOffset + off * 8, n, m);
    },
  };
  arenas.set(buffer, arena);
  return arena;
}
