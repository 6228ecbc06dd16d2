// Not built in a lesson: an accelerator for lesson 10's character model (lib/charlm-simd.ts) and for
// Adam (lib/update.ts), with the same numbers, bit for bit, as the plain TypeScript they stand in for
// (lib/charlm.ts's products, lib/adam.ts's adamUpdate).
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
// a row-major matrix into panels, and Adam's step two values at a time (the same operations in the
// same order as adamUpdate; division and square root are exactly rounded in IEEE-754, like + and ×).
//
// KERNEL_WAT is the kernels' source (WebAssembly text); KERNEL_WASM is its binary, made from it by
// wabt (`npm run wasm`; test/unit/simd.test.ts checks that the two agree).

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
    (local $t01 v128) (local $t23 v128) (local $t45 v128) (local $t67 v128) (local $sum f64)
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
    ;; the last column, when n is odd
    (if (i32.lt_s (local.get $j) (local.get $n)) (then
      (local.set $i (i32.const 0))
      (block $panelsDone (loop $panels
        (br_if $panelsDone (i32.ge_s (local.get $i) (local.get $m8)))
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
        (v128.store offset=0 (local.get $y) (local.get $s01))
        (v128.store offset=16 (local.get $y) (local.get $s23))
        (v128.store offset=32 (local.get $y) (local.get $s45))
        (v128.store offset=48 (local.get $y) (local.get $s67))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $panels)))))
    ;; the rows past the last whole panel, one running sum at a time, for every column
    (local.set $j (i32.const 0))
    (block $tailColumnsDone (loop $tailColumns
      (br_if $tailColumnsDone (i32.ge_s (local.get $j) (local.get $n)))
      (local.set $i (local.get $m8))
      (block $tailRowsDone (loop $tailRows
        (br_if $tailRowsDone (i32.ge_s (local.get $i) (local.get $m)))
        (local.set $y (i32.add (i32.add (local.get $Y) (i32.mul (local.get $j) (local.get $ldy))) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $sum (f64.load (local.get $y)))
        (local.set $p (i32.add (i32.add (local.get $P) (i32.mul (i32.shr_u (local.get $i) (i32.const 3)) (local.get $ldp)))
          (i32.shl (i32.and (local.get $i) (i32.const 7)) (i32.const 3))))
        (local.set $x (i32.add (local.get $X) (i32.mul (local.get $j) (local.get $ldxj))))
        (local.set $k (i32.const 0))
        (block $termsDone (loop $terms
          (br_if $termsDone (i32.ge_s (local.get $k) (local.get $K)))
          (local.set $sum (f64.add (local.get $sum) (f64.mul (f64.load (local.get $p)) (f64.load (local.get $x)))))
          (local.set $p (i32.add (local.get $p) (local.get $ldk)))
          (local.set $x (i32.add (local.get $x) (local.get $ldxk)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $terms)))
        (f64.store (local.get $y) (local.get $sum))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tailRows)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $tailColumns)))
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
  ;; Adam on n values, two at a time (each lane one parameter): lib/adam.ts's adamUpdate, operation for operation
  ;;   m = b1*m + (1-b1)*g;  v = b2*v + ((1-b2)*g)*g;  w = w - (lr*(m/c1)) / (sqrt(v/c2) + eps)
  (func (export "adam")
    (param $w i32) (param $g i32) (param $m i32) (param $v i32) (param $n i32)
    (param $lr f64) (param $b1 f64) (param $b2 f64) (param $eps f64) (param $c1 f64) (param $c2 f64)
    (local $k i32) (local $o i32) (local $gk v128) (local $mk v128) (local $vk v128)
    (local $B1 v128) (local $A1 v128) (local $B2 v128) (local $A2 v128) (local $LR v128) (local $EPS v128) (local $C1 v128) (local $C2 v128)
    (local.set $B1 (f64x2.splat (local.get $b1)))
    (local.set $A1 (f64x2.splat (f64.sub (f64.const 1) (local.get $b1))))
    (local.set $B2 (f64x2.splat (local.get $b2)))
    (local.set $A2 (f64x2.splat (f64.sub (f64.const 1) (local.get $b2))))
    (local.set $LR (f64x2.splat (local.get $lr)))
    (local.set $EPS (f64x2.splat (local.get $eps)))
    (local.set $C1 (f64x2.splat (local.get $c1)))
    (local.set $C2 (f64x2.splat (local.get $c2)))
    ;; the arrays are padded to an even length, so the last pair may hold one value past n: its lanes are never read back
    (block $done (loop $pairs
      (br_if $done (i32.ge_s (local.get $k) (local.get $n)))
      (local.set $o (i32.shl (local.get $k) (i32.const 3)))
      (local.set $gk (v128.load (i32.add (local.get $g) (local.get $o))))
      (local.set $mk (f64x2.add
        (f64x2.mul (local.get $B1) (v128.load (i32.add (local.get $m) (local.get $o))))
        (f64x2.mul (local.get $A1) (local.get $gk))))
      (local.set $vk (f64x2.add
        (f64x2.mul (local.get $B2) (v128.load (i32.add (local.get $v) (local.get $o))))
        (f64x2.mul (f64x2.mul (local.get $A2) (local.get $gk)) (local.get $gk))))
      (v128.store (i32.add (local.get $m) (local.get $o)) (local.get $mk))
      (v128.store (i32.add (local.get $v) (local.get $o)) (local.get $vk))
      (v128.store (i32.add (local.get $w) (local.get $o))
        (f64x2.sub
          (v128.load (i32.add (local.get $w) (local.get $o)))
          (f64x2.div
            (f64x2.mul (local.get $LR) (f64x2.div (local.get $mk) (local.get $C1)))
            (f64x2.add (f64x2.sqrt (f64x2.div (local.get $vk) (local.get $C2))) (local.get $EPS)))))
      (local.set $k (i32.add (local.get $k) (i32.const 2)))
      (br $pairs)))))
`;

/** KERNEL_WAT compiled by wabt 1.0.39 (base64). */
export const KERNEL_WASM = "AGFzbQEAAAABJQNgC39/f39/f39/f39/AGAFf39/f38AYAt/f39/f3x8fHx8fAACDgECanMGbWVtb3J5AgABAwQDAAECBycDD2FkZFBhbmVsUHJvZHVjdAAACnBhY2tQYW5lbHMAAQRhZGFtAAIK8wkDiQcDCH8OewF8IANBeHEhCyABQQN0IQEgAkEDdCECIAZBA3QhBiAHQQN0IQcgCkEDdCEKAkADQCAMQQFqIAhODQFBACENAkADQCANIAtODQEgCSAMIApsaiANQQN0aiERIBEgCmohEiAR/QAEACEZIBH9AAQQIRogEf0ABCAhGyAR/QAEMCEcIBL9AAQAIR0gEv0ABBAhHiAS/QAEICEfIBL9AAQwISAgACANQQN2IAFsaiEPIAUgDCAGbGohEEEAIQ4CQANAIA4gBE4NASAQ/QoDACETIBAgBmr9CgMAIRQgD/0ABAAhFSAP/QAEECEWIA/9AAQgIRcgD/0ABDAhGCAZIBUgE/3yAf3wASEZIBogFiAT/fIB/fABIRogGyAXIBP98gH98AEhGyAcIBggE/3yAf3wASEcIB0gFSAU/fIB/fABIR0gHiAWIBT98gH98AEhHiAfIBcgFP3yAf3wASEfICAgGCAU/fIB/fABISAgDyACaiEPIBAgB2ohECAOQQFqIQ4MAAsLIBEgGf0LBAAgESAa/QsEECARIBv9CwQgIBEgHP0LBDAgEiAd/QsEACASIB79CwQQIBIgH/0LBCAgEiAg/QsEMCANQQhqIQ0MAAsLIAxBAmohDAwACwsgDCAISARAQQAhDQJAA0AgDSALTg0BIAkgDCAKbGogDUEDdGohESAR/QAEACEZIBH9AAQQIRogEf0ABCAhGyAR/QAEMCEcIAAgDUEDdiABbGohDyAFIAwgBmxqIRBBACEOAkADQCAOIARODQEgEP0KAwAhEyAZIA/9AAQAIBP98gH98AEhGSAaIA/9AAQQIBP98gH98AEhGiAbIA/9AAQgIBP98gH98AEhGyAcIA/9AAQwIBP98gH98AEhHCAPIAJqIQ8gECAHaiEQIA5BAWohDgwACwsgESAZ/QsEACARIBr9CwQQIBEgG/0LBCAgESAc/QsEMCANQQhqIQ0MAAsLC0EAIQwCQANAIAwgCE4NASALIQ0CQANAIA0gA04NASAJIAwgCmxqIA1BA3RqIREgESsDACEhIAAgDUEDdiABbGogDUEHcUEDdGohDyAFIAwgBmxqIRBBACEOAkADQCAOIARODQEgISAPKwMAIBArAwCioCEhIA8gAmohDyAQIAdqIRAgDkEBaiEODAALCyARICE5AwAgDUEBaiENDAALCyAMQQFqIQwMAAsLC3ABBH8CQANAIAUgAk4NASAAIAUgAWxBA3RqIQcgBCAFQXhxIANsIAVBB3FqQQN0aiEIQQAhBgJAA0AgBiADTg0BIAggBysDADkDACAHQQhqIQcgCEHAAGohCCAGQQFqIQYMAAsLIAVBAWohBQwACwsL9AECAn8LeyAG/RQhEEQAAAAAAADwPyAGof0UIREgB/0UIRJEAAAAAAAA8D8gB6H9FCETIAX9FCEUIAj9FCEVIAn9FCEWIAr9FCEXAkADQCALIARODQEgC0EDdCEMIAEgDGr9AAQAIQ0gECACIAxq/QAEAP3yASARIA398gH98AEhDiASIAMgDGr9AAQA/fIBIBMgDf3yASAN/fIB/fABIQ8gAiAMaiAO/QsEACADIAxqIA/9CwQAIAAgDGogACAMav0ABAAgFCAOIBb98wH98gEgDyAX/fMB/e8BIBX98AH98wH98QH9CwQAIAtBAmohCwwACwsL";

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
/** Adam on n values at byte offsets w, g, m, v (each padded to an even length). */
type AdamKernel = (w: number, g: number, m: number, v: number, n: number, lr: number, beta1: number, beta2: number, eps: number, c1: number, c2: number) => void;

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
  adam(w: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, n: number, s: { lr: number; beta1: number; beta2: number; eps: number; c1: number; c2: number }): void;
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
  const buffer = memory.buffer;
  let used = 0; // in doubles
  return {
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
    adam(w, g, m, v, n, s): void {
      adam(w.byteOffset, g.byteOffset, m.byteOffset, v.byteOffset, n, s.lr, s.beta1, s.beta2, s.eps, s.c1, s.c2);
    },
  };
}
