// The benchmark's peer: the same RNN, trained on the same data from the same
// initial weights, with TensorFlow.js (tf.layers.simpleRNN + a dense sigmoid
// output) on its pure-JavaScript CPU backend.
//
// bench/bench.ts runs this file as a child process (`node bench/peer/peer.cjs`)
// so that TF.js never shares a heap or a JIT with the library being measured,
// and so that a peer that cannot load only costs the peer rows.
//
// Protocol: one JSON object on stdin (see `job` below), one JSON object as the
// last line of stdout. Weights travel in the library's layout (row-major
// Wxh H×I, Whh H×H, Why O×H) and are transposed here to Keras' layout
// (kernel I×H, recurrentKernel H×H used as h·R, dense kernel H×O).
"use strict";

async function main() {
  const job = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const { T, I, H, O, lr, train, test, init, batchSizes, warmupSamples, batchReps } = job;

  // TF.js greets Node users on the console; keep stdout for our one JSON line.
  const log = console.log;
  console.log = console.warn = console.info = () => {};

  const tf = require("@tensorflow/tfjs-core");
  require("@tensorflow/tfjs-backend-cpu");
  const tfl = require("@tensorflow/tfjs-layers");
  await tf.setBackend("cpu");
  await tf.ready();

  // Our layout -> Keras layout.
  function toKeras(p) {
    const kernel = new Float32Array(I * H);
    for (let h = 0; h < H; h++) for (let i = 0; i < I; i++) kernel[i * H + h] = p.Wxh[h * I + i];
    const recurrent = new Float32Array(H * H);
    for (let j = 0; j < H; j++) for (let k = 0; k < H; k++) recurrent[k * H + j] = p.Whh[j * H + k];
    const dense = new Float32Array(H * O);
    for (let o = 0; o < O; o++) for (let h = 0; h < H; h++) dense[h * O + o] = p.Why[o * H + h];
    return [
      tf.tensor2d(kernel, [I, H]),
      tf.tensor2d(recurrent, [H, H]),
      tf.tensor1d(Float32Array.from(p.bh)),
      tf.tensor2d(dense, [H, O]),
      tf.tensor1d(Float32Array.from(p.by)),
    ];
  }
  // Keras layout -> our layout (plain number arrays for JSON).
  function fromKeras(weights) {
    const [kernel, recurrent, bh, dense, by] = weights.map((w) => w.dataSync());
    const Wxh = new Array(H * I), Whh = new Array(H * H), Why = new Array(O * H);
    for (let h = 0; h < H; h++) for (let i = 0; i < I; i++) Wxh[h * I + i] = kernel[i * H + h];
    for (let j = 0; j < H; j++) for (let k = 0; k < H; k++) Whh[j * H + k] = recurrent[k * H + j];
    for (let o = 0; o < O; o++) for (let h = 0; h < H; h++) Why[o * H + h] = dense[h * O + o];
    return { Wxh, Whh, Why, bh: Array.from(bh), by: Array.from(by) };
  }

  function buildModel() {
    const model = tfl.sequential();
    // The recurrent initializer is set only because simpleRNN's default
    // (orthogonal) needs TF.js' chained tensor ops, which the small
    // core+layers+cpu install does not register; the weights are overwritten
    // with the library's initial weights right after, so it changes nothing.
    model.add(tfl.layers.simpleRNN({ units: H, inputShape: [T, I], activation: "tanh", recurrentInitializer: "glorotUniform" }));
    model.add(tfl.layers.dense({ units: O, activation: "sigmoid" }));
    model.compile({ optimizer: tf.train.sgd(lr), loss: "binaryCrossentropy" });
    return model;
  }

  const X = tf.tensor3d(Float32Array.from(train.xs), [train.n, T, I]);
  const Y = tf.tensor2d(Float32Array.from(train.ys), [train.n, O]);
  const Xtest = tf.tensor3d(Float32Array.from(test.xs), [test.n, T, I]);

  function heldOutAccuracy(model) {
    const p = tf.tidy(() => model.predict(Xtest).dataSync());
    let correct = 0;
    for (let k = 0; k < test.n; k++) correct += (p[k] > 0.5 ? 1 : 0) === test.ys[k] ? 1 : 0;
    return correct / test.n;
  }

  async function epoch(model, batchSize, x = X, y = Y) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    // shuffle: false = the same sample order as the library's run;
    // yieldEvery: "never" = no event-loop pauses inside the timed epoch.
    const hist = await model.fit(x, y, { batchSize, epochs: 1, shuffle: false, verbose: 0, yieldEvery: "never" });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    return { seconds, cpuSeconds: (c.user + c.system) / 1e6, meanLoss: hist.history.loss[0] };
  }

  const model = buildModel();
  const initial = toKeras(init);
  const results = {};
  for (const batchSize of batchSizes) {
    // Warm up the JIT and TF.js' kernels on a few samples, then start over
    // from the library's initial weights for the timed epoch(s).
    model.setWeights(initial);
    const w = Math.min(warmupSamples, train.n);
    await epoch(model, batchSize, tf.slice(X, [0, 0, 0], [w, T, I]), tf.slice(Y, [0, 0], [w, O]));
    const reps = batchSize === 1 ? 1 : batchReps;
    const runs = [];
    const cpuRuns = [];
    let last = null;
    for (let r = 0; r < reps; r++) {
      model.setWeights(initial);
      last = await epoch(model, batchSize);
      runs.push(last.seconds);
      cpuRuns.push(last.cpuSeconds);
    }
    const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const seconds = median(runs);
    results[String(batchSize)] = {
      batchSize,
      reps,
      seconds,
      samplesPerSec: train.n / seconds,
      samplesPerCpuSec: train.n / median(cpuRuns),
      meanLoss: last.meanLoss,
      heldOutAccuracy: heldOutAccuracy(model),
      params: fromKeras(model.getWeights()),
    };
  }

  const pkg = require("@tensorflow/tfjs-core/package.json");
  log(JSON.stringify({ ok: true, tfjsVersion: pkg.version, backend: tf.getBackend(), results }));
}

main().catch((err) => {
  process.stderr.write(String((err && err.stack) || err) + "\n");
  process.exit(1);
});
