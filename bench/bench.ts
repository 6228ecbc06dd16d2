// `npm run bench`: how fast does the library train the original note's RNN,
// and how does that compare with TensorFlow.js on the same task?
//
// What it prints, in order:
//   1. the note's configuration (1000 sequences, T=10, I=1, H=32, lr 0.01,
//      10 epochs, sign-of-sum data from a fixed seed) trained with per-sample
//      SGD and with mini-batches of 32: samples/s (forward + BPTT + update),
//      the GFLOP/s that amounts to, the held-out accuracy (so we know we are
//      not timing a no-op) and the target (PASS/BELOW);
//   2. a scaling table: hidden 16/32/64/128 × length 10/50/100;
//   1b. the readable path (forward.ts + bptt.ts + sgdStep, per sample) on the
//      same task, checked to end with the same weights bit for bit, and
//      fast.ts's speed-up over it as a ratio;
//   3. LSTM and GRU rows (H=32, T=10 and T=100), the plain RNN beside them;
//   4. a NumPy reference (a correct per-sample RNN, bench/numpy_rnn.py) when
//      /usr/bin/python3 has NumPy;
//   5. the peer, TensorFlow.js (tf.layers.simpleRNN on the pure-JS CPU
//      backend), trained from the same initial weights on the same data in a
//      child process (bench/peer/, its own npm package, installed with
//      `npm ci --prefix bench/peer` on first use), and the speed ratio;
//   6. as its last line, one JSON object with every figure.
//
// Every timing is the median of several repetitions after a warm-up (JIT).
// The bench exits 0 whether or not a target is met; only a crash exits non-zero.
// Flags: --no-peer (skip TF.js), --no-numpy (skip the NumPy row).
//
// Why `npm run bench` runs `node --require tsx/cjs` and not `tsx`: under tsx's ES-module loader (`tsx`
// or `node --import tsx`), once lib/simd.ts has been loaded, a loop over a Float64Array runs about twice
// as slowly as in plain Node (measured here: a sum of squares over 10,000 doubles, 12–18 µs in plain Node
// or under the CommonJS hook alone, 25–45 µs under the ES-module loader). It is the slowdown a single
// detached ArrayBuffer causes in a V8 process (V8 then checks every typed-array access for detachment):
// one structuredClone with a transfer reproduces it in plain Node. `--require tsx/cjs` compiles on the
// main thread, and the library is timed as it runs in a plain Node process. (In a tslab notebook kernel
// the loop took about 25 µs before and after such a transfer, so lessons' timings include the check.)
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { makeSignOfSumData, type Dataset } from "../lib/data";
import { initRnnParams, cloneParams, paramArrays, type BaseParams, type RnnParams } from "../lib/params";
import { train } from "../lib/train";
import { rnnLossAndGrads } from "../lib/bptt";
import { sgdStep } from "../lib/optim";
import { cellOps } from "../lib/cells";
import { evaluate } from "../lib/evaluate";

const started = process.hrtime.bigint();
const args = new Set(process.argv.slice(2));
for (const a of args) {
  if (!["--no-peer", "--no-numpy"].includes(a)) throw new Error(`bench: unknown argument ${a}; expected --no-peer or --no-numpy`);
}

// ---------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------

/** The original note's task and hyperparameters. */
const NOTE = { n: 1000, T: 10, I: 1, H: 32, O: 1, lr: 0.01, epochs: 10, seed: "bench-sign-of-sum" };
/** Held-out sequences, from a different seed, for the sanity check. */
const N_TEST = 1000;
const TARGETS = { perSample: 35000, batch32: 45000 };
/** Below this held-out accuracy the per-sample model did not learn: the timing would be meaningless. */
const SANE_ACCURACY = 0.75;
const REPS = 7;
const SCALING_H = [16, 32, 64, 128];
const SCALING_T = [10, 50, 100];
/** Seconds one timed repetition of a scaling cell should take (sets its sample count). */
const SCALING_REP_SECONDS = 0.1;
const SCALING_REPS = 3;

// ---------------------------------------------------------------------------
// Work per sample, counted analytically
// ---------------------------------------------------------------------------

/**
 * Multiply-adds per training sample for the plain RNN (1 multiply-add = 2 FLOPs),
 * input size I, hidden size H, output size O, length T, batch size B. Counted
 * are the multiply-adds the math needs; products with h_0 = 0 are left out
 * (step 1's Whh·h_0, dWhh's h_0 term and dh_0 are known to be zero):
 *
 *   forward   T·H·I + (T−1)·H²     Wxh·x_t and Whh·h_{t-1} at each step
 *           + O·H                  logit z = Why·h_T + by
 *   backward  2·O·H                dWhy = dz·h_Tᵀ and dh_T = Whyᵀ·dz
 *           + T·H·I                dWxh += da_t·x_tᵀ
 *           + (T−1)·H²             dWhh += da_t·h_{t-1}ᵀ
 *           + (T−1)·H²             dh_{t-1} = Whhᵀ·da_t
 *   update    P / B                p −= lr·g once per batch, P = H·I + H² + O·H + H + O
 *
 *   total = 2·T·H·I + 3·(T−1)·H² + 3·O·H + P/B
 *
 * Element-wise work (tanh, 1−h², bias additions, the sigmoid) is not counted,
 * so the GFLOP/s figure slightly underestimates the arithmetic done. For the
 * note's configuration (I=1, H=32, O=1, T=10) and per-sample SGD: 29,505
 * multiply-adds per sample, about 59 kFLOP.
 */
export function rnnMacsPerSample(I: number, H: number, O: number, T: number, B: number): number {
  const P = H * I + H * H + O * H + H + O;
  return 2 * T * H * I + 3 * (T - 1) * H * H + 3 * O * H + P / B;
}

function gflops(macsPerSample: number, samplesPerSec: number): number {
  return (2 * macsPerSample * samplesPerSec) / 1e9;
}

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

function seconds(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** 12345.6 -> "12,346" (no locale dependence). */
function grouped(x: number): string {
  return Math.round(x)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function pad(s: string, w: number): string {
  return s.length >= w ? s : " ".repeat(w - s.length) + s;
}

function maxAbsDiff(a: BaseParams, b: Record<string, ArrayLike<number>>): number {
  let m = 0;
  for (const [name, values] of paramArrays(a)) {
    const other = b[name];
    if (!other || other.length !== values.length) throw new Error(`bench: cross-check array ${name} is missing or has the wrong length`);
    for (let k = 0; k < values.length; k++) m = Math.max(m, Math.abs(values[k] - other[k]));
  }
  return m;
}

function plainParams(p: BaseParams): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [name, values] of paramArrays(p)) out[name] = Array.from(values);
  return out;
}

function datasetJSON(ds: Dataset): { n: number; xs: number[]; ys: number[] } {
  return { n: ds.n, xs: Array.from(ds.xs), ys: Array.from(ds.ys) };
}

/** Disk usage of a folder tree in bytes, like `du -s` (allocated blocks; symlinks not followed). */
function diskUsage(dir: string): number {
  let total = 0;
  const st = fs.lstatSync(dir);
  total += st.blocks * 512;
  if (st.isDirectory()) for (const name of fs.readdirSync(dir)) total += diskUsage(path.join(dir, name));
  return total;
}

interface Timing {
  /** samples per wall-clock second, median run (the figure the targets are about) */
  samplesPerSec: number;
  /** samples per second of this process's CPU time, median run (less sensitive to a busy machine) */
  samplesPerCpuSec: number;
  /** wall-clock seconds of each run */
  runs: number[];
}

/**
 * Time `reps` trainings of `epochs` epochs, each from a fresh copy of `init`,
 * after `warmups` untimed ones; returns the median throughput and the params of
 * the last run. Every run starts from the same weights, so every run must end
 * with the same weights, bit for bit (checked: it is the library's promise).
 */
function timeTraining(
  init: BaseParams,
  data: Dataset,
  opts: { lr: number; epochs: number; batchSize: number },
  reps: number,
  warmups: number,
): Timing & { params: BaseParams; lastLoss: number; firstLoss: number } {
  const trainOpts = { lr: opts.lr, epochs: opts.epochs, batchSize: opts.batchSize, shuffle: false };
  for (let w = 0; w < warmups; w++) train(cloneParams(init), data, trainOpts);
  const runs: number[] = [];
  const cpuRuns: number[] = [];
  let params: BaseParams | undefined;
  let stats: ReturnType<typeof train> = [];
  for (let r = 0; r < reps; r++) {
    const p = cloneParams(init);
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    stats = train(p, data, trainOpts);
    runs.push(seconds(t0));
    const c = process.cpuUsage(c0);
    cpuRuns.push((c.user + c.system) / 1e6);
    if (params && maxAbsDiff(params, Object.fromEntries(paramArrays(p))) !== 0) {
      throw new Error(`bench: two trainings from the same weights ended with different weights (batchSize ${opts.batchSize}): training is not deterministic`);
    }
    params = p;
  }
  const samples = data.n * opts.epochs;
  return {
    samplesPerSec: samples / median(runs),
    samplesPerCpuSec: samples / median(cpuRuns),
    runs,
    params: params as BaseParams,
    firstLoss: stats[0].meanLoss,
    lastLoss: stats[stats.length - 1].meanLoss,
  };
}

// ---------------------------------------------------------------------------
// 1. The note's configuration
// ---------------------------------------------------------------------------

const cpu = os.cpus()[0]?.model ?? "unknown CPU";
console.log(`rnn-from-scratch bench — Node ${process.version}, ${os.cpus().length} cores, ${cpu}`);
console.log(
  `Task: the original note's — ${NOTE.n} sign-of-sum sequences (seed "${NOTE.seed}"), T=${NOTE.T}, I=${NOTE.I}, ` +
    `H=${NOTE.H}, lr ${NOTE.lr}, ${NOTE.epochs} epochs, no shuffling; held-out set of ${N_TEST}.`,
);
console.log(`Each figure: median of ${REPS} trainings from the same initial weights, after a warm-up.`);
const loadAtStart = os.loadavg()[0];
const busy = (load: number): boolean => load > os.cpus().length - 0.5;
if (busy(loadAtStart)) {
  console.log(
    `WARNING: the machine is busy (load average ${loadAtStart.toFixed(1)} on ${os.cpus().length} cores): ` +
      `wall-clock figures will be low; the per-CPU-second figures are less affected.`,
  );
}
console.log("");

const trainSet = makeSignOfSumData({ n: NOTE.n, T: NOTE.T, I: NOTE.I, seed: NOTE.seed });
const testSet = makeSignOfSumData({ n: N_TEST, T: NOTE.T, I: NOTE.I, seed: NOTE.seed + "-test" });
const init = initRnnParams({ I: NOTE.I, H: NOTE.H, O: NOTE.O, seed: NOTE.seed + "-init" });

const modes = [
  { key: "perSample" as const, label: "per-sample SGD", batchSize: 1 },
  { key: "batch32" as const, label: "mini-batch 32", batchSize: 32 },
];
const main: Record<"perSample" | "batch32", { samplesPerSec: number; samplesPerCpuSec: number; gflops: number; macs: number; accuracy: number; firstLoss: number; lastLoss: number; pass: boolean; spread: [number, number] }> =
  {} as never;
for (const m of modes) {
  const t = timeTraining(init, trainSet, { lr: NOTE.lr, epochs: NOTE.epochs, batchSize: m.batchSize }, REPS, 2);
  const macs = rnnMacsPerSample(NOTE.I, NOTE.H, NOTE.O, NOTE.T, m.batchSize);
  const heldOut = evaluate(t.params as RnnParams, testSet);
  const samples = NOTE.n * NOTE.epochs;
  main[m.key] = {
    samplesPerSec: t.samplesPerSec,
    samplesPerCpuSec: t.samplesPerCpuSec,
    gflops: gflops(macs, t.samplesPerSec),
    macs,
    accuracy: heldOut.accuracy,
    firstLoss: t.firstLoss,
    lastLoss: t.lastLoss,
    pass: t.samplesPerSec >= TARGETS[m.key],
    spread: [samples / Math.max(...t.runs), samples / Math.min(...t.runs)],
  };
  const r = main[m.key];
  console.log(
    `${m.label.padEnd(15)} ${pad(grouped(r.samplesPerSec), 8)} samples/s  ${r.gflops.toFixed(2)} GFLOP/s  ` +
      `(target ≥ ${grouped(TARGETS[m.key])}: ${r.pass ? "PASS" : "BELOW"})  ` +
      `[runs ${grouped(r.spread[0])}–${grouped(r.spread[1])}; per CPU-second ${grouped(r.samplesPerCpuSec)}]`,
  );
  console.log(
    `${"".padEnd(15)} loss ${r.firstLoss.toFixed(4)} (epoch 1) → ${r.lastLoss.toFixed(4)} (epoch ${NOTE.epochs}), ` +
      `held-out accuracy ${(100 * r.accuracy).toFixed(1)}%  (${grouped(r.macs)} multiply-adds per sample)`,
  );
}
const sane = main.perSample.accuracy >= SANE_ACCURACY && main.perSample.lastLoss < main.perSample.firstLoss;
if (!sane) {
  console.log(
    `WARNING: the per-sample model did not learn (held-out accuracy ${(100 * main.perSample.accuracy).toFixed(1)}%, ` +
      `expected ≥ ${100 * SANE_ACCURACY}%): the timings above may be of a broken training loop.`,
  );
}

// The readable path: what lessons 02-05 write (forward.ts + bptt.ts, then sgdStep), one sample at a
// time with fresh arrays each; train() runs the same arithmetic through fast.ts. Same weights, bit for bit.
function trainReadable(p: RnnParams, data: Dataset, lr: number, epochs: number): void {
  const L = data.T * data.I;
  for (let e = 0; e < epochs; e++) {
    for (let k = 0; k < data.n; k++) {
      const { grads } = rnnLossAndGrads(p, data.xs.subarray(k * L, (k + 1) * L), data.T, data.ys[k]);
      sgdStep(p, grads, lr);
    }
  }
}
const READABLE_REPS = 3;
trainReadable(cloneParams(init), trainSet, NOTE.lr, 1); // warm-up
const readableRuns: number[] = [];
const readableCpu: number[] = [];
let readableParams: RnnParams = init;
for (let r = 0; r < READABLE_REPS; r++) {
  readableParams = cloneParams(init);
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  trainReadable(readableParams, trainSet, NOTE.lr, NOTE.epochs);
  readableRuns.push(seconds(t0));
  const c = process.cpuUsage(c0);
  readableCpu.push((c.user + c.system) / 1e6);
}
const fastPerSample = cloneParams(init);
train(fastPerSample, trainSet, { lr: NOTE.lr, epochs: NOTE.epochs });
const readable = {
  samplesPerSec: (NOTE.n * NOTE.epochs) / median(readableRuns),
  samplesPerCpuSec: (NOTE.n * NOTE.epochs) / median(readableCpu),
  sameWeights: paramArrays(readableParams).every(([, v], i) => Buffer.from(v.buffer).equals(Buffer.from(paramArrays(fastPerSample)[i][1].buffer))),
};
const fastRatio = main.perSample.samplesPerSec / readable.samplesPerSec;
console.log(
  `${"readable path".padEnd(15)} ${pad(grouped(readable.samplesPerSec), 8)} samples/s  (forward.ts + bptt.ts + sgdStep, per sample; median of ${READABLE_REPS})  ` +
    `[per CPU-second ${grouped(readable.samplesPerCpuSec)}]`,
);
console.log(
  `${"".padEnd(15)} fast.ts (train, per-sample) ÷ readable: ${fastRatio.toFixed(1)}× wall-clock, ` +
    `${(main.perSample.samplesPerCpuSec / readable.samplesPerCpuSec).toFixed(1)}× per CPU-second; ` +
    `weights after ${NOTE.epochs} epochs ${readable.sameWeights ? "bit-identical" : "DIFFER (fast.ts broke its promise)"}`,
);

// One epoch from the initial weights: the reference every other implementation
// (NumPy, TF.js) is compared with, weight by weight.
const oneEpoch: Record<number, { params: RnnParams; meanLoss: number; accuracy: number }> = {};
for (const batchSize of [1, 32]) {
  const p = cloneParams(init);
  const stats = train(p, trainSet, { lr: NOTE.lr, epochs: 1, batchSize, shuffle: false });
  oneEpoch[batchSize] = { params: p, meanLoss: stats[0].meanLoss, accuracy: evaluate(p, testSet).accuracy };
}

// ---------------------------------------------------------------------------
// 2. Scaling table
// ---------------------------------------------------------------------------

console.log(`\nScaling (1 epoch per run, median of ${SCALING_REPS}; samples/s and GFLOP/s):`);
console.log(`${pad("H", 4)} ${pad("T", 4)}  ${pad("per-sample SGD", 24)}  ${pad("mini-batch 32", 24)}`);
interface ScalingRow {
  H: number;
  T: number;
  perSampleSamplesPerSec: number | null;
  perSampleGflops: number | null;
  batch32SamplesPerSec: number | null;
  batch32Gflops: number | null;
  error?: string;
}
const scaling: ScalingRow[] = [];

/** Samples/s of one epoch over `data`, median of `reps`, after a warm-up epoch. */
function epochThroughput(p0: BaseParams, data: Dataset, batchSize: number, reps: number): number {
  return timeTraining(p0, data, { lr: NOTE.lr, epochs: 1, batchSize }, reps, 1).samplesPerSec;
}

/**
 * A data set just big enough for one epoch to take about SCALING_REP_SECONDS,
 * judged from a short trial run (so the table costs the same time at every size).
 */
function sizedData(p0: BaseParams, T: number, seed: string): Dataset {
  const trial = makeSignOfSumData({ n: 32, T, I: NOTE.I, seed });
  const rate = epochThroughput(p0, trial, 1, 1);
  const n = Math.max(32, Math.min(8192, 32 * Math.round((rate * SCALING_REP_SECONDS) / 32)));
  return makeSignOfSumData({ n, T, I: NOTE.I, seed });
}

for (const H of SCALING_H) {
  for (const T of SCALING_T) {
    const row: ScalingRow = { H, T, perSampleSamplesPerSec: null, perSampleGflops: null, batch32SamplesPerSec: null, batch32Gflops: null };
    try {
      const p0 = initRnnParams({ I: NOTE.I, H, O: NOTE.O, seed: `bench-scaling-init-${H}` });
      const data = sizedData(p0, T, `bench-scaling-${T}`);
      row.perSampleSamplesPerSec = epochThroughput(p0, data, 1, SCALING_REPS);
      row.perSampleGflops = gflops(rnnMacsPerSample(NOTE.I, H, NOTE.O, T, 1), row.perSampleSamplesPerSec);
      row.batch32SamplesPerSec = epochThroughput(p0, data, 32, SCALING_REPS);
      row.batch32Gflops = gflops(rnnMacsPerSample(NOTE.I, H, NOTE.O, T, 32), row.batch32SamplesPerSec);
    } catch (err) {
      row.error = (err as Error).message;
    }
    scaling.push(row);
    const cell = (s: number | null, g: number | null): string => (s === null || g === null ? pad("error", 24) : pad(`${grouped(s)}  ${g.toFixed(2)}`, 24));
    console.log(
      `${pad(String(H), 4)} ${pad(String(T), 4)}  ${cell(row.perSampleSamplesPerSec, row.perSampleGflops)}  ${cell(row.batch32SamplesPerSec, row.batch32Gflops)}` +
        (row.error ? `  (${row.error})` : ""),
    );
  }
}

// ---------------------------------------------------------------------------
// 3. LSTM and GRU, with the plain RNN for comparison
// ---------------------------------------------------------------------------

interface CellRow {
  kind: string;
  H: number;
  T: number;
  perSampleSamplesPerSec: number | null;
  batch32SamplesPerSec: number | null;
  note?: string;
}
const cellRows: CellRow[] = [];
const CELL_H = 32;
const CELL_T = [10, 100];
console.log(`\nCells at H=${CELL_H} (1 epoch per run, median of ${SCALING_REPS}; samples/s, plain RNN for comparison):`);
console.log(`${"cell".padEnd(5)} ${pad("T", 4)}  ${pad("per-sample SGD", 15)}  ${pad("mini-batch 32", 15)}`);
for (const kind of ["rnn", "lstm", "gru"]) {
  const ops = cellOps(kind);
  for (const T of CELL_T) {
    const row: CellRow = { kind, H: CELL_H, T, perSampleSamplesPerSec: null, batch32SamplesPerSec: null };
    try {
      const p0 = ops.init({ I: NOTE.I, H: CELL_H, O: NOTE.O, seed: `bench-${kind}-init` });
      const data = sizedData(p0, T, `bench-cells-${T}`);
      row.perSampleSamplesPerSec = epochThroughput(p0, data, 1, SCALING_REPS);
      row.batch32SamplesPerSec = epochThroughput(p0, data, 32, SCALING_REPS);
    } catch (err) {
      row.note = `train() failed: ${(err as Error).message.split("\n")[0]}`;
    }
    cellRows.push(row);
    const v = (x: number | null): string => pad(x === null ? "n/a" : grouped(x), 15);
    console.log(`${kind.toUpperCase().padEnd(5)} ${pad(String(T), 4)}  ${v(row.perSampleSamplesPerSec)}  ${v(row.batch32SamplesPerSec)}` + (row.note ? `  (${row.note})` : ""));
  }
}

// ---------------------------------------------------------------------------
// 4. NumPy reference (optional)
// ---------------------------------------------------------------------------

interface NumpyResult {
  samplesPerSec: number;
  samplesPerCpuSec: number;
  maxAbsDiff: number;
  meanLoss: number;
  version: string;
}
let numpy: NumpyResult | null = null;
let numpyReason: string | null = null;
const PYTHON = "/usr/bin/python3";
console.log("\nNumPy reference (bench/numpy_rnn.py: a correct per-sample RNN written from the math, 1 epoch, float64):");
if (args.has("--no-numpy")) {
  numpyReason = "skipped (--no-numpy)";
} else if (!fs.existsSync(PYTHON)) {
  numpyReason = `${PYTHON} not found`;
} else if (spawnSync(PYTHON, ["-c", "import numpy"], { stdio: "ignore" }).status !== 0) {
  numpyReason = `${PYTHON} has no numpy`;
} else {
  const job = { T: NOTE.T, I: NOTE.I, H: NOTE.H, O: NOTE.O, lr: NOTE.lr, train: datasetJSON(trainSet), init: plainParams(init), reps: 3 };
  const res = spawnSync(PYTHON, [path.join(__dirname, "numpy_rnn.py")], { input: JSON.stringify(job), encoding: "utf8", timeout: 120_000, maxBuffer: 64 << 20 });
  const lastLine = (res.stdout ?? "").trim().split("\n").pop() ?? "";
  if (res.status !== 0 || !lastLine.startsWith("{")) {
    numpyReason = `numpy_rnn.py failed (exit ${res.status}): ${(res.stderr || String(res.error ?? "")).trim().split("\n").pop()}`;
  } else {
    const out = JSON.parse(lastLine) as { samplesPerSec: number; samplesPerCpuSec: number; meanLoss: number; params: Record<string, number[]>; numpyVersion: string };
    numpy = {
      samplesPerSec: out.samplesPerSec,
      samplesPerCpuSec: out.samplesPerCpuSec,
      meanLoss: out.meanLoss,
      maxAbsDiff: maxAbsDiff(oneEpoch[1].params, out.params),
      version: out.numpyVersion,
    };
  }
}
if (numpy) {
  console.log(
    `NumPy ${numpy.version}        ${pad(grouped(numpy.samplesPerSec), 8)} samples/s  (library ÷ NumPy: ${(main.perSample.samplesPerSec / numpy.samplesPerSec).toFixed(1)}×; ` +
      `per CPU-second ${grouped(numpy.samplesPerCpuSec)}, ratio ${(main.perSample.samplesPerCpuSec / numpy.samplesPerCpuSec).toFixed(1)}×)`,
  );
  console.log(
    `                    after 1 epoch from the same weights: mean loss ${numpy.meanLoss.toFixed(6)} vs library ${oneEpoch[1].meanLoss.toFixed(6)}, ` +
      `max |Δweight| ${numpy.maxAbsDiff.toExponential(1)}`,
  );
} else {
  console.log(`NumPy: n/a — ${numpyReason}`);
}

// ---------------------------------------------------------------------------
// 5. The peer: TensorFlow.js, pure-JS CPU backend, in a child process
// ---------------------------------------------------------------------------

const PEER_DIR = path.join(__dirname, "peer");
const PEER_PACKAGES = ["@tensorflow/tfjs-core", "@tensorflow/tfjs-layers", "@tensorflow/tfjs-backend-cpu"];

/** Install the peer with `npm ci` when any of its packages is missing; returns why it is unavailable, or null. */
function ensurePeer(): string | null {
  const missing = PEER_PACKAGES.filter((p) => !fs.existsSync(path.join(PEER_DIR, "node_modules", p, "package.json")));
  if (missing.length === 0) return null;
  console.log(`Installing the peer (npm ci --prefix bench/peer; first run only, ${missing.join(", ")} missing)…`);
  const t0 = process.hrtime.bigint();
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const res = spawnSync(npm, ["ci", "--prefix", PEER_DIR, "--no-audit", "--no-fund", "--fetch-retries=1", "--fetch-timeout=60000"], {
    encoding: "utf8",
    timeout: 300_000,
  });
  if (res.status !== 0) {
    // Leave no half-installed tree behind, so the next run tries again.
    fs.rmSync(path.join(PEER_DIR, "node_modules"), { recursive: true, force: true });
    const lines = (res.stderr || String(res.error ?? "")).trim().split("\n").filter(Boolean);
    const telling = lines.filter((l) => /^npm error (code |FetchError|.*reason:)/.test(l));
    const detail = (telling.length ? telling : lines.slice(-2)).slice(0, 2).join(" / ");
    return `npm ci --prefix bench/peer failed (exit ${res.status}; offline?): ${detail}`;
  }
  console.log(`Installed in ${seconds(t0).toFixed(1)} s.`);
  return null;
}

interface PeerModeResult {
  samplesPerSec: number;
  samplesPerCpuSec: number;
  seconds: number;
  reps: number;
  meanLoss: number;
  heldOutAccuracy: number;
  params: Record<string, number[]>;
}
let peer: { version: string; backend: string; installBytes: number; results: Record<string, PeerModeResult> } | null = null;
let peerReason: string | null = null;
console.log("\nPeer: TensorFlow.js (tf.layers.simpleRNN + dense sigmoid, pure-JS CPU backend, float32), same data and initial weights:");
if (args.has("--no-peer")) {
  peerReason = "skipped (--no-peer)";
} else {
  peerReason = ensurePeer();
  if (peerReason === null) {
    const job = {
      T: NOTE.T,
      I: NOTE.I,
      H: NOTE.H,
      O: NOTE.O,
      lr: NOTE.lr,
      train: datasetJSON(trainSet),
      test: datasetJSON(testSet),
      init: plainParams(init),
      batchSizes: [1, 32],
      warmupSamples: 100,
      batchReps: 3,
    };
    const res = spawnSync(process.execPath, [path.join(PEER_DIR, "peer.cjs")], {
      cwd: PEER_DIR,
      input: JSON.stringify(job),
      encoding: "utf8",
      timeout: 180_000,
      maxBuffer: 64 << 20,
    });
    const lastLine = (res.stdout ?? "").trim().split("\n").pop() ?? "";
    if (res.status !== 0 || !lastLine.startsWith("{")) {
      const detail = (res.stderr || String(res.error ?? "")).trim().split("\n").filter(Boolean).slice(0, 2).join(" / ");
      peerReason = `bench/peer/peer.cjs failed (exit ${res.status}): ${detail}. Delete bench/peer/node_modules to reinstall.`;
    } else {
      const out = JSON.parse(lastLine) as { tfjsVersion: string; backend: string; results: Record<string, PeerModeResult> };
      peer = { version: out.tfjsVersion, backend: out.backend, installBytes: diskUsage(path.join(PEER_DIR, "node_modules")), results: out.results };
    }
  }
}
const ratio = (lib: number, other: PeerModeResult | undefined): number | null => (other ? lib / other.samplesPerSec : null);
const ratioPerSample = peer ? ratio(main.perSample.samplesPerSec, peer.results["1"]) : null;
const ratioBatch32 = peer ? ratio(main.batch32.samplesPerSec, peer.results["32"]) : null;
const peerDiff: Record<string, number> = {};
if (peer) {
  console.log(`TF.js ${peer.version} (backend "${peer.backend}"), installed size ${(peer.installBytes / 2 ** 20).toFixed(1)} MiB (bench/peer/node_modules)`);
  for (const m of modes) {
    const key = String(m.batchSize);
    const r = peer.results[key];
    peerDiff[key] = maxAbsDiff(oneEpoch[m.batchSize].params, r.params);
    const lib = main[m.key].samplesPerSec;
    console.log(
      `${m.label.padEnd(15)} ${pad(grouped(r.samplesPerSec), 8)} samples/s  ` +
        `(${r.reps === 1 ? "one epoch" : `median of ${r.reps} epochs`}; library ÷ TF.js: ${(lib / r.samplesPerSec).toFixed(1)}×; ` +
        `per CPU-second ${grouped(r.samplesPerCpuSec)}, ratio ${(main[m.key].samplesPerCpuSec / r.samplesPerCpuSec).toFixed(1)}×)`,
    );
    console.log(
      `${"".padEnd(15)} after 1 epoch: mean loss ${r.meanLoss.toFixed(4)} vs library ${oneEpoch[m.batchSize].meanLoss.toFixed(4)}, ` +
        `held-out accuracy ${(100 * r.heldOutAccuracy).toFixed(1)}% vs ${(100 * oneEpoch[m.batchSize].accuracy).toFixed(1)}%, ` +
        `max |Δweight| ${peerDiff[key].toExponential(1)}`,
    );
  }
} else {
  console.log(`TF.js: n/a — ${peerReason}`);
}

const charlm = (require("./charlm") as typeof import("./charlm")).benchCharLm({ numpy: !args.has("--no-numpy") }); // lesson 10's row: bench/charlm.ts

// ---------------------------------------------------------------------------
// 6. Summary and the JSON line
// ---------------------------------------------------------------------------

const totalSeconds = seconds(started);
console.log(
  `\nSummary: per-sample ${grouped(main.perSample.samplesPerSec)} samples/s (${main.perSample.pass ? "PASS" : "BELOW"} ≥ ${grouped(TARGETS.perSample)}), ` +
    `mini-batch 32 ${grouped(main.batch32.samplesPerSec)} samples/s (${main.batch32.pass ? "PASS" : "BELOW"} ≥ ${grouped(TARGETS.batch32)})` +
    `, fast.ts ${fastRatio.toFixed(1)}× the readable path` +
    (ratioPerSample !== null ? `, ${ratioPerSample.toFixed(1)}× TF.js per-sample` : "") +
    `; bench took ${totalSeconds.toFixed(1)} s.`,
);
const loadAtEnd = os.loadavg()[0];
if (busy(loadAtEnd)) console.log(`(Load average at the end: ${loadAtEnd.toFixed(1)} on ${os.cpus().length} cores — rerun on a quiet machine for figures to compare with the targets.)`);

const round = (x: number | null, digits = 1): number | null => (x === null ? null : Number(x.toFixed(digits)));
const cellFigure = (kind: string, T: number, key: "perSampleSamplesPerSec" | "batch32SamplesPerSec"): number | null =>
  round(cellRows.find((r) => r.kind === kind && r.T === T)?.[key] ?? null, 0);
const summary = {
  node: process.version,
  cpu,
  cores: os.cpus().length,
  config: NOTE,
  perSampleSamplesPerSec: round(main.perSample.samplesPerSec, 0),
  readablePerSampleSamplesPerSec: round(readable.samplesPerSec, 0),
  fastOverReadable: round(fastRatio),
  fastOverReadablePerCpuSec: round(main.perSample.samplesPerCpuSec / readable.samplesPerCpuSec),
  readableSameWeights: readable.sameWeights,
  batch32SamplesPerSec: round(main.batch32.samplesPerSec, 0),
  peerPerSampleSamplesPerSec: peer ? round(peer.results["1"].samplesPerSec, 1) : null,
  peerBatch32SamplesPerSec: peer ? round(peer.results["32"].samplesPerSec, 1) : null,
  ratioPerSample: round(ratioPerSample),
  ratioBatch32: round(ratioBatch32),
  peerPerSampleSamplesPerCpuSec: peer ? round(peer.results["1"].samplesPerCpuSec, 1) : null,
  ratioPerSamplePerCpuSec: peer ? round(main.perSample.samplesPerCpuSec / peer.results["1"].samplesPerCpuSec) : null,
  perSampleSamplesPerCpuSec: round(main.perSample.samplesPerCpuSec, 0),
  batch32SamplesPerCpuSec: round(main.batch32.samplesPerCpuSec, 0),
  loadAverage: { start: round(loadAtStart, 2), end: round(loadAtEnd, 2) },
  perSampleGflops: round(main.perSample.gflops, 3),
  batch32Gflops: round(main.batch32.gflops, 3),
  macsPerSample: { perSample: round(main.perSample.macs, 0), batch32: round(main.batch32.macs, 0) },
  targets: TARGETS,
  perSamplePass: main.perSample.pass,
  batch32Pass: main.batch32.pass,
  heldOutAccuracy: { perSample: main.perSample.accuracy, batch32: main.batch32.accuracy },
  sane,
  peer: peer
    ? {
        tfjsVersion: peer.version,
        backend: peer.backend,
        installBytes: peer.installBytes,
        perSampleHeldOutAccuracy: peer.results["1"].heldOutAccuracy,
        maxAbsWeightDiffVsLibrary: { perSample: peerDiff["1"], batch32: peerDiff["32"] },
      }
    : null,
  peerUnavailableReason: peer ? null : peerReason,
  numpyPerSampleSamplesPerSec: numpy ? round(numpy.samplesPerSec, 0) : null,
  numpyPerSampleSamplesPerCpuSec: numpy ? round(numpy.samplesPerCpuSec, 0) : null,
  numpyMaxAbsWeightDiffVsLibrary: numpy ? numpy.maxAbsDiff : null,
  numpyUnavailableReason: numpy ? null : numpyReason,
  scaling: scaling.map((r) => ({
    H: r.H,
    T: r.T,
    perSampleSamplesPerSec: round(r.perSampleSamplesPerSec, 0),
    perSampleGflops: round(r.perSampleGflops, 3),
    batch32SamplesPerSec: round(r.batch32SamplesPerSec, 0),
    batch32Gflops: round(r.batch32Gflops, 3),
    ...(r.error ? { error: r.error } : {}),
  })),
  lstm: { T10: cellFigure("lstm", 10, "perSampleSamplesPerSec"), T100: cellFigure("lstm", 100, "perSampleSamplesPerSec") },
  gru: { T10: cellFigure("gru", 10, "perSampleSamplesPerSec"), T100: cellFigure("gru", 100, "perSampleSamplesPerSec") },
  cells: cellRows.map((r) => ({
    kind: r.kind,
    H: r.H,
    T: r.T,
    perSampleSamplesPerSec: round(r.perSampleSamplesPerSec, 0),
    batch32SamplesPerSec: round(r.batch32SamplesPerSec, 0),
    ...(r.note ? { note: r.note } : {}),
  })),
  totalSeconds: round(totalSeconds),
  charlm,
};
console.log(JSON.stringify(summary));
