// Not built in a lesson: the source of lib/simd.ts's WebAssembly kernels, in WebAssembly's text format
// (what each kernel computes, and why its numbers are the TypeScript's bit for bit, is said in
// lib/simd.ts). `npm run wasm` (scripts/wasm.ts) compiles KERNEL_WAT with wabt into lib/simd.ts's
// KERNEL_WASM; nothing else imports this file, so the library and the site's pages carry only the binary.
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
// even NaN; they are discarded). One value's formulas are a long chain of dependent operations, so each
// loop turn works on two independent pairs, whose chains the CPU overlaps: measured on the course machine,
// tanh of 2,500 values went from 65 to 39 µs (one pair per turn, called as a function or written out, took
// the same 65). So the statements are written out inside each loop, from templates: each computes from a
// local and into a local whose names start with the prefix p, and a loop holds two copies (prefixes a, b).

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


/** The four registers of eight running sums (rows i..i+7 of one column): $<s>01, $<s>23, $<s>45, $<s>67. */
const SUM_REGISTERS = ["01", "23", "45", "67"];
/** The eight sums of prefix s loaded from (or stored to) the eight doubles at the address in local `at`. */
const loadSums = (s: string, at: string): string =>
  SUM_REGISTERS.map((r, q) => `(local.set $${s}${r} (v128.load offset=${16 * q} (local.get ${at})))`).join("\n        ");
const storeSums = (s: string, at: string): string =>
  SUM_REGISTERS.map((r, q) => `(v128.store offset=${16 * q} (local.get ${at}) (local.get $${s}${r}))`).join("\n        ");
/** One term of k for the eight sums of prefix s: sum += A[rows, k] · x_k, with A's q-th register of rows given by a(q). */
const addTerms = (s: string, a: (q: number) => string, xk: string): string =>
  SUM_REGISTERS.map((r, q) => `(local.set $${s}${r} (f64x2.add (local.get $${s}${r}) (f64x2.mul ${a(q)} (local.get ${xk}))))`).join("\n          ");

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
        ${loadSums("s", "$y")}
        ${loadSums("t", "$y2")}
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
          ${addTerms("s", (q) => `(local.get $a${SUM_REGISTERS[q]})`, "$xk")}
          ${addTerms("t", (q) => `(local.get $a${SUM_REGISTERS[q]})`, "$xk2")}
          (local.set $p (i32.add (local.get $p) (local.get $ldk)))
          (local.set $x (i32.add (local.get $x) (local.get $ldxk)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $terms)))
        ${storeSums("s", "$y")}
        ${storeSums("t", "$y2")}
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
        ${loadSums("s", "$y")}
        (local.set $p (i32.add (local.get $P) (i32.mul (i32.shr_u (local.get $i) (i32.const 3)) (local.get $ldp))))
        (local.set $x (i32.add (local.get $X) (i32.mul (local.get $j) (local.get $ldxj))))
        (local.set $k (i32.const 0))
        (block $termsDone (loop $terms
          (br_if $termsDone (i32.ge_s (local.get $k) (local.get $K)))
          (local.set $xk (v128.load64_splat (local.get $x)))
          ${addTerms("s", (q) => `(v128.load offset=${16 * q} (local.get $p))`, "$xk")}
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
