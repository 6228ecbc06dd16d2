// The character-level language model's row of `npm run bench` (lesson 10), against a NumPy peer
// of the same model and update (bench/numpy_charlm.py) measured in the same run.
//
// The library runs with lib/simd.ts's WebAssembly kernels (as the course does wherever the engine has
// them); its TypeScript path alone is timed in the same rounds for reference (the same numbers, bit for bit).
//
// Configuration: the shipped text (data/shakespeare/tragedies.txt, 73 characters), hidden size
// 100, seqLength 25, Adam (lr 0.002) with global-norm clipping at 5: one iteration = forward and
// truncated BPTT over one chunk of 25 characters plus one update. Figures: iterations/s and
// characters/s (= 25 · iterations/s), wall clock and per CPU-second. The machine may be busy with
// other work, and its load changes from second to second, so the sides take turns: `reps` rounds
// of timed runs, one per side, in an order that rotates from round to round, each after a warm-up. A side's
// figure is the median of its runs; the ratio is the median of the rounds' ratios, each round measured
// under nearly the same load. The NumPy peer runs in two arrangements of the same arithmetic (see
// bench/numpy_charlm.py): "batched", arranged as lib/charlm.ts is (the target's reference), and
// min-char-rnn's "per-step" loops. Both sides first run `CHECK` iterations from the same initial
// weights; the largest weight difference afterwards shows they compute the same thing.
//
// NumPy comes from a Python that has it: $BENCH_PYTHON, else build/bench-venv (made on first use
// with `python3 -m venv` + `pip install numpy`, kept out of the course's install), else none. The
// peer runs with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from its environment: this
// machine may set them for old OpenBLAS builds, and they slow a current NumPy.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { makeVocab, encodeText } from "../lib/text";
import { loadText } from "../lib/charlm-io";
import { initCharRnn } from "../lib/charlm";
import { trainCharLm } from "../lib/charlm-train";
import { cloneParams, paramArrays } from "../lib/params";
import type { RnnParams } from "../lib/params";
import { setSimdEnabled, makeSimdArena } from "../lib/simd";

const ROOT = path.join(__dirname, "..");
const TEXT = path.join(ROOT, "data", "shakespeare", "tragedies.txt");
const CONFIG = { H: 100, seqLength: 25, lr: 0.002, clipNorm: 5, iterations: 300, warmup: 100, reps: 5 };
const CHECK = 50;
const VENV = path.join(ROOT, "build", "bench-venv");

/** One NumPy arrangement's figures; ratio = median over the rounds of (its time ÷ the library's time). */
export interface NumpyCharLm {
  arrangement: string;
  version: string;
  iterationsPerSec: number;
  charsPerSec: number;
  iterationsPerCpuSec: number;
  maxAbsWeightDiff: number;
  meanLossDiff: number;
  ratio: number;
  ratioPerCpuSec: number;
}

/** The character model's bench figures (also the JSON summary's "charlm" field). */
export interface CharLmBench {
  config: typeof CONFIG & { V: number };
  iterationsPerSec: number;
  charsPerSec: number;
  iterationsPerCpuSec: number;
  /** whether the library ran with lib/simd.ts's WebAssembly kernels */
  simd: boolean;
  /** the library's TypeScript path alone (setSimdEnabled(false)), timed in the same rounds: the same numbers, bit for bit */
  typescriptOnly: { iterationsPerSec: number; speedup: number };
  /** the NumPy peer arranged as lib/charlm.ts (the ratio's reference) */
  numpy: null | NumpyCharLm;
  /** the same NumPy arithmetic in min-char-rnn's per-step arrangement, for reference */
  numpyPerStep: null | NumpyCharLm;
  numpyUnavailableReason: string | null;
  /** floating-point operations of one iteration's matrix products, and the rate each side reaches on them */
  productFlopsPerIteration: number;
  gflops: number;
  /** library ÷ the batched peer (the target's reference) */
  ratio: number | null;
  ratioPerCpuSec: number | null;
  target: number;
  /** ratio ≥ target against the batched peer */
  pass: boolean | null;
  /** library ÷ the per-step peer, and whether that reaches the target */
  ratioPerStep: number | null;
  passPerStep: boolean | null;
  pytorch: string;
}

/**
 * Floating-point operations of one iteration's matrix products (2 per multiply-add): per step, Whh·h and Why·h forward;
 * Whyᵀ·dz, dz·hᵀ (dWhy), Whhᵀ·da and da·h_{t−1}ᵀ (dWhh) backward. Both sides do exactly these products (the column lookup
 * of Wxh costs none); softmax, tanh, clipping and Adam come on top. Figures in GFLOP/s say how close each side runs to
 * the machine: BLAS uses SIMD registers that scalar JavaScript cannot.
 */
const productFlops = (V: number): number => 2 * CONFIG.seqLength * (3 * CONFIG.H * CONFIG.H + 3 * V * CONFIG.H);

const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** A Python with NumPy: $BENCH_PYTHON, build/bench-venv, or a new build/bench-venv; else the reason there is none. */
function numpyPython(): { python: string } | { reason: string } {
  const has = (py: string): boolean => fs.existsSync(py) && spawnSync(py, ["-c", "import numpy"], { stdio: "ignore" }).status === 0;
  const candidates = [process.env.BENCH_PYTHON, path.join(VENV, "bin", "python")].filter((p): p is string => !!p);
  for (const py of candidates) if (has(py)) return { python: py };
  if (spawnSync("python3", ["--version"], { stdio: "ignore" }).status !== 0) return { reason: "no python3 on PATH" };
  console.log(`Setting up NumPy for the peer (python3 -m venv build/bench-venv && pip install numpy; first run only)…`);
  const mk = spawnSync("python3", ["-m", "venv", VENV], { encoding: "utf8", timeout: 120_000 });
  const pip = mk.status === 0 ? spawnSync(path.join(VENV, "bin", "pip"), ["install", "-q", "numpy"], { encoding: "utf8", timeout: 600_000 }) : mk;
  const py = path.join(VENV, "bin", "python");
  if (pip.status !== 0 || !has(py)) {
    fs.rmSync(VENV, { recursive: true, force: true }); // build/ is ours: leave no half-made venv behind
    return { reason: `could not install NumPy into build/bench-venv (${(pip.stderr || String(pip.error ?? "")).trim().split("\n").pop()})` };
  }
  return { python: py };
}

/** Train a copy of init for `iterations` iterations; returns the trained copy and the losses. */
function run(init: RnnParams, ids: Int32Array, iterations: number): { p: RnnParams; meanLoss: number } {
  const p = cloneParams(init);
  const hist = trainCharLm(p, ids, { seqLength: CONFIG.seqLength, iterations, every: iterations, lr: CONFIG.lr, clipNorm: CONFIG.clipNorm, update: { rule: "adam" } });
  return { p, meanLoss: hist[0].loss };
}

/** One timed run of the library (simd false: its TypeScript path only): seconds of wall clock and of CPU. */
function timeLibrary(init: RnnParams, ids: Int32Array, simd = true): { seconds: number; cpuSeconds: number } {
  setSimdEnabled(simd);
  try {
    const t0 = process.hrtime.bigint();
    const c0 = cpuSeconds();
    run(init, ids, CONFIG.iterations);
    return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, cpuSeconds: cpuSeconds() - c0 };
  } finally {
    setSimdEnabled(true);
  }
}

/** Run the NumPy peer on one job (the job's JSON text); its one-line JSON answer, or the reason it failed. */
function runPeer(python: string, jobText: string): { out: Record<string, unknown> } | { reason: string } {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const res = spawnSync(python, [path.join(__dirname, "numpy_charlm.py")], { input: jobText, encoding: "utf8", env, timeout: 600_000, maxBuffer: 256 << 20 });
  const last = (res.stdout ?? "").trim().split("\n").pop() ?? "";
  if (res.status !== 0 || !last.startsWith("{")) return { reason: `numpy_charlm.py failed (exit ${res.status}): ${(res.stderr || String(res.error ?? "")).trim().split("\n").pop()}` };
  return { out: JSON.parse(last) as Record<string, unknown> };
}

/** Print the section and return its figures. */
export function benchCharLm(opts: { numpy: boolean }): CharLmBench {
  const text = loadText(TEXT);
  const vocab = makeVocab(text);
  const ids = encodeText(vocab, text);
  const V = vocab.chars.length;
  const init = initCharRnn({ V, H: CONFIG.H, seed: "bench-charlm" });
  console.log(
    `\nCharacter-level language model (lesson 10): H=${CONFIG.H}, seqLength ${CONFIG.seqLength}, V=${V} (data/shakespeare), ` +
      `Adam lr ${CONFIG.lr}, clip ${CONFIG.clipNorm}; one iteration = one chunk forward + BPTT + update; ` +
      `${CONFIG.reps} rounds of timed runs of ${CONFIG.iterations} iterations, taking turns:`,
  );
  const check = run(init, ids, CHECK);
  run(init, ids, CONFIG.warmup); // JIT warm-up

  // The peers: the same arithmetic in two arrangements (bench/numpy_charlm.py). The ratio is against
  // "batched", arranged as lib/charlm.ts is; "per-step" (min-char-rnn's loops) is shown for reference.
  const ARRANGEMENTS = ["batched", "per-step"] as const;
  type Peer = { arrangement: string; version: string; maxAbsWeightDiff: number; meanLossDiff: number; runs: Array<{ seconds: number; cpuSeconds: number }> };
  let python: string | null = null;
  let reason: string | null = null;
  const peers: Peer[] = [];
  const base: Record<string, unknown> = { V, H: CONFIG.H, seqLength: CONFIG.seqLength, lr: CONFIG.lr, clipNorm: CONFIG.clipNorm, check: CHECK, warmup: CONFIG.warmup, iterations: CONFIG.iterations };
  const initArrays: Record<string, number[]> = {};
  for (const [name, v] of paramArrays(init)) initArrays[name] = Array.from(v);
  const idsText = JSON.stringify(Array.from(ids));
  const jobText = (mode: string, arrangement: string): string =>
    JSON.stringify({ ...base, mode, arrangement, init: initArrays, ids: 0 }).replace(`"ids":0`, `"ids":${idsText}`);
  if (!opts.numpy) reason = "skipped (--no-numpy)";
  else {
    const found = numpyPython();
    if ("reason" in found) reason = found.reason;
    else {
      for (const arrangement of ARRANGEMENTS) {
        const res = runPeer(found.python, jobText("check", arrangement));
        if ("reason" in res) {
          reason = res.reason;
          peers.length = 0;
          break;
        }
        const out = res.out as { numpyVersion: string; meanLoss: number; params: Record<string, number[]> };
        let maxAbsWeightDiff = 0;
        for (const [name, v] of paramArrays(check.p)) {
          const w = out.params[name];
          for (let k = 0; k < v.length; k++) maxAbsWeightDiff = Math.max(maxAbsWeightDiff, Math.abs(v[k] - w[k]));
        }
        peers.push({ arrangement, version: out.numpyVersion, maxAbsWeightDiff, meanLossDiff: Math.abs(out.meanLoss - check.meanLoss), runs: [] });
      }
      if (peers.length > 0) python = found.python;
    }
  }

  // The timed runs: the library and the peers take turns (the order rotates), so each round sees nearly the same load.
  const lib: Array<{ seconds: number; cpuSeconds: number }> = [];
  const libTs: Array<{ seconds: number; cpuSeconds: number }> = [];
  const timeJobs = python === null ? [] : peers.map((pr) => jobText("time", pr.arrangement));
  for (let r = 0; r < CONFIG.reps; r++) {
    const turns: Array<() => void> = [() => lib.push(timeLibrary(init, ids)), () => libTs.push(timeLibrary(init, ids, false))];
    peers.forEach((pr, k) =>
      turns.push(() => {
        const res = runPeer(python as string, timeJobs[k]);
        if ("reason" in res) throw new Error(`bench/charlm.ts: ${res.reason}`);
        pr.runs.push(res.out as { seconds: number; cpuSeconds: number });
      }),
    );
    for (let k = 0; k < turns.length; k++) turns[(k + r) % turns.length]();
  }
  const perSec = (runs: Array<{ seconds: number }>): number => CONFIG.iterations / median(runs.map((x) => x.seconds));
  const perCpuSec = (runs: Array<{ cpuSeconds: number }>): number => CONFIG.iterations / median(runs.map((x) => x.cpuSeconds));
  const itPerSec = perSec(lib);
  const itPerCpuSec = perCpuSec(lib);
  const flops = productFlops(V);
  const gflops = (itPerS: number): string => `${((itPerS * flops) / 1e9).toFixed(2)} GFLOP/s in the products`;
  const simd = makeSimdArena(8) !== null;
  const tsPerSec = perSec(libTs);
  const tsSpeedup = median(lib.map((x, r) => libTs[r].seconds / x.seconds));
  console.log(`library              ${itPerSec.toFixed(0).padStart(7)} iterations/s  ${(itPerSec * CONFIG.seqLength).toFixed(0).padStart(8)} characters/s  (per CPU-second ${itPerCpuSec.toFixed(0)} iterations; ${gflops(itPerSec)}; ${simd ? "WebAssembly SIMD kernels, lib/simd.ts" : "no WebAssembly SIMD here: TypeScript path"})`);
  console.log(
    `library, TypeScript ${tsPerSec.toFixed(0).padStart(7)} iterations/s  ${(tsPerSec * CONFIG.seqLength).toFixed(0).padStart(8)} characters/s  ` +
      `(setSimdEnabled(false), the same numbers bit for bit; ${gflops(tsPerSec)}; the kernels are ${tsSpeedup.toFixed(2)}× faster)`,
  );
  const TARGET = 1.5;
  const figures = peers.map((pr) => {
    const ratio = median(lib.map((x, r) => pr.runs[r].seconds / x.seconds));
    const ratioCpu = median(lib.map((x, r) => pr.runs[r].cpuSeconds / x.cpuSeconds));
    const f = {
      arrangement: pr.arrangement,
      version: pr.version,
      iterationsPerSec: perSec(pr.runs),
      charsPerSec: perSec(pr.runs) * CONFIG.seqLength,
      iterationsPerCpuSec: perCpuSec(pr.runs),
      maxAbsWeightDiff: pr.maxAbsWeightDiff,
      meanLossDiff: pr.meanLossDiff,
      ratio,
      ratioPerCpuSec: ratioCpu,
    };
    console.log(
      `NumPy ${f.version} ${pr.arrangement.padEnd(9)} ${f.iterationsPerSec.toFixed(0).padStart(7)} iterations/s  ${f.charsPerSec.toFixed(0).padStart(8)} characters/s  ` +
        `(per CPU-second ${f.iterationsPerCpuSec.toFixed(0)} iterations; ${gflops(f.iterationsPerSec)}); library ÷ this: ${ratio.toFixed(2)}× (rounds ${lib.map((x, r) => (pr.runs[r].seconds / x.seconds).toFixed(2)).join(", ")}; ` +
        `per CPU-second ${ratioCpu.toFixed(2)}×); after ${CHECK} iterations from the same weights: max |Δweight| ${f.maxAbsWeightDiff.toExponential(1)}, |Δ mean loss| ${f.meanLossDiff.toExponential(1)}`,
    );
    return f;
  });
  const numpy = figures.length > 0 ? figures[0] : null;
  const numpyPerStep = figures.length > 1 ? figures[1] : null;
  const ratio = numpy ? numpy.ratio : null;
  const ratioCpu = numpy ? numpy.ratioPerCpuSec : null;
  const verdict = (r: number): string => (r >= TARGET ? "PASS" : "BELOW");
  if (numpy) console.log(`library ÷ NumPy batched (arranged as lib/charlm.ts, the target's reference): ${numpy.ratio.toFixed(2)}× iterations/s; target ≥ ${TARGET}×: ${verdict(numpy.ratio)}`);
  else console.log(`NumPy: n/a — ${reason}`);
  if (numpyPerStep) console.log(`library ÷ NumPy per-step (min-char-rnn's arrangement): ${numpyPerStep.ratio.toFixed(2)}× iterations/s; ≥ ${TARGET}×: ${verdict(numpyPerStep.ratio)}`);
  const torchAt = [process.env.BENCH_PYTHON, path.join(VENV, "bin", "python"), "python3"].find(
    (py) => !!py && spawnSync(py, ["-c", "import torch"], { stdio: "ignore" }).status === 0,
  );
  const torch = torchAt ? `available (${torchAt}) but no PyTorch row is written yet` : "n/a — not installed on this machine (not installed for the bench: too large)";
  console.log(`PyTorch: ${torch}`);
  return {
    config: { ...CONFIG, V },
    iterationsPerSec: Number(itPerSec.toFixed(1)),
    charsPerSec: Number((itPerSec * CONFIG.seqLength).toFixed(0)),
    iterationsPerCpuSec: Number(itPerCpuSec.toFixed(1)),
    simd,
    typescriptOnly: { iterationsPerSec: Number(tsPerSec.toFixed(1)), speedup: Number(tsSpeedup.toFixed(2)) },
    numpy,
    numpyPerStep,
    numpyUnavailableReason: reason,
    productFlopsPerIteration: flops,
    gflops: Number(((itPerSec * flops) / 1e9).toFixed(3)),
    ratio: ratio === null ? null : Number(ratio.toFixed(2)),
    ratioPerCpuSec: ratioCpu === null ? null : Number(ratioCpu.toFixed(2)),
    target: TARGET,
    pass: ratio === null ? null : ratio >= TARGET,
    ratioPerStep: numpyPerStep ? Number(numpyPerStep.ratio.toFixed(2)) : null,
    passPerStep: numpyPerStep ? numpyPerStep.ratio >= TARGET : null,
    pytorch: torch,
  };
}

if (require.main === module) benchCharLm({ numpy: !process.argv.includes("--no-numpy") });
