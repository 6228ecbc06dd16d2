// train()'s update rules (contract: opts.update is plain data, SGD by default) and the generic loop
// (lib/loop.ts) that a model other than "one label per sequence" reuses.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { makeFirstSignData } from "../../lib/long-data";
import { makeSignOfSumData } from "../../lib/data";
import type { Dataset } from "../../lib/data";
import { initRnnParams, cloneParams, zerosLike, paramArrays } from "../../lib/params";
import type { BaseParams } from "../../lib/params";
import { initLstmParams } from "../../lib/lstm";
import { initGruParams } from "../../lib/gru";
import { cellOps } from "../../lib/cells";
import { makeRng, shuffledIndices } from "../../lib/random";
import { sgdStep, scaleGradsDown, zeroGrads, clipGradNorm } from "../../lib/optim";
import { makeMomentumState, momentumStep } from "../../lib/momentum";
import { makeAdamState, adamStep } from "../../lib/adam";
import { train, trainAsync } from "../../lib/train";
import { trainLoop } from "../../lib/loop";
import type { LoopTask } from "../../lib/loop";
import { UPDATE_RULES } from "../../lib/update";
import type { UpdateSpec } from "../../lib/update";
import { paramBytes, assertThrowsMsg } from "./helpers";

/** The loop lessons 08 and 09 typed by hand before train() had update rules (their numbers must not change). */
function handLoop(p: BaseParams, data: Dataset, step: (p: BaseParams, g: BaseParams) => void, o: { epochs: number; batchSize: number; seed: string; clipNorm?: number }): number[] {
  const ops = cellOps(p);
  const ws = ops.makeWorkspace(p, data.T);
  const grads = zerosLike(p);
  const rng = makeRng(o.seed);
  const L = data.T * data.I;
  const losses: number[] = [];
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const order = shuffledIndices(data.n, rng);
    let sum = 0;
    for (let b = 0; b < data.n; b += o.batchSize) {
      const end = Math.min(b + o.batchSize, data.n);
      for (let s = b; s < end; s++) {
        const k = order[s];
        sum += ops.lossAndGrads(p, data.xs.subarray(k * L, (k + 1) * L), data.T, data.ys[k], grads, ws);
      }
      scaleGradsDown(grads, end - b);
      if (o.clipNorm !== undefined) clipGradNorm(grads, o.clipNorm);
      step(p, grads);
      zeroGrads(grads);
    }
    losses.push(sum / data.n);
  }
  return losses;
}

test("train() with update sgd / momentum / adam is bit-identical to the hand-written loop with sgdStep / momentumStep / adamStep (rnn, lstm, gru)", () => {
  const data = makeFirstSignData({ n: 40, T: 6, seed: "upd", noise: 1 });
  const inits = [
    () => initRnnParams({ I: 2, H: 5, seed: "u-rnn" }),
    () => initLstmParams({ I: 2, H: 4, seed: "u-lstm" }),
    () => initGruParams({ I: 2, H: 4, seed: "u-gru" }),
  ];
  const cases: Array<{ spec: UpdateSpec | undefined; lr: number; make: (p: BaseParams, lr: number) => (p: BaseParams, g: BaseParams) => void }> = [
    { spec: undefined, lr: 0.1, make: (_p, lr) => (q, g) => sgdStep(q, g, lr) },
    { spec: { rule: "sgd" }, lr: 0.1, make: (_p, lr) => (q, g) => sgdStep(q, g, lr) },
    { spec: { rule: "momentum", beta: 0.8 }, lr: 0.05, make: (p, lr) => { const st = makeMomentumState(p); return (q, g) => momentumStep(q, g, st, { lr, beta: 0.8 }); } },
    { spec: { rule: "adam" }, lr: 0.01, make: (p, lr) => { const st = makeAdamState(p); return (q, g) => adamStep(q, g, st, { lr }); } },
    { spec: { rule: "adam", beta1: 0.5, beta2: 0.9, eps: 1e-6 }, lr: 0.01, make: (p, lr) => { const st = makeAdamState(p); return (q, g) => adamStep(q, g, st, { lr, beta1: 0.5, beta2: 0.9, eps: 1e-6 }); } },
  ];
  for (const init of inits) {
    for (const c of cases) {
      for (const batchSize of [1, 8]) {
        for (const clipNorm of [undefined, 0.3]) {
          const a = init();
          const b = cloneParams(a);
          const stats = train(a, data, { lr: c.lr, epochs: 2, batchSize, shuffle: true, seed: "order", update: c.spec, clipNorm });
          const losses = handLoop(b, data, c.make(b, c.lr), { epochs: 2, batchSize, seed: "order", clipNorm });
          const what = `${a.kind} ${JSON.stringify(c.spec)} batch ${batchSize} clip ${clipNorm}`;
          assert.ok(paramBytes(a).equals(paramBytes(b)), `${what}: weights differ`);
          assert.deepEqual(stats.map((s) => s.meanLoss), losses, `${what}: losses differ`);
        }
      }
    }
  }
});

test("the update rules differ from each other (so the comparison above can fail) and trainAsync applies them too", async () => {
  const data = makeSignOfSumData({ n: 30, T: 4, I: 1, seed: "upd2" });
  const bytes = new Set<string>();
  for (const update of [{ rule: "sgd" }, { rule: "momentum" }, { rule: "adam" }] as UpdateSpec[]) {
    const p = initRnnParams({ I: 1, H: 4, seed: 1 });
    const q = cloneParams(p);
    train(p, data, { lr: 0.01, epochs: 2, update });
    await trainAsync(q, data, { lr: 0.01, epochs: 2, update });
    assert.ok(paramBytes(p).equals(paramBytes(q)), `${update.rule}: trainAsync differs from train`);
    bytes.add(paramBytes(p).toString("hex"));
  }
  assert.equal(bytes.size, 3);
  assert.deepEqual(Object.keys(UPDATE_RULES), ["sgd", "momentum", "adam"]);
});

test("bad update specs and unknown option keys get Errors naming train and suggesting the right name", () => {
  const data = makeSignOfSumData({ n: 4, T: 3, I: 1, seed: 1 });
  const p = initRnnParams({ I: 1, H: 3, seed: 1 });
  const bad: Array<[unknown, RegExp]> = [
    [{ lr: 0.1, epochs: 1, batchsize: 4 }, /^train: opts has an unknown key "batchsize"; did you mean "batchSize"\?/],
    [{ lr: 0.1, epochs: 1, clipnorm: 1 }, /did you mean "clipNorm"/],
    [{ lr: 0.1, epochs: 1, learningRate: 1 }, /^train: opts has an unknown key "learningRate" \(known keys: lr, epochs/],
    [{ lr: 0.1, epochs: 1, update: "adam" }, /^train: opts.update is "adam", expected an object such as \{ rule: "sgd" \}/],
    [{ lr: 0.1, epochs: 1, update: { rule: "adamw" } }, /^train: opts.update.rule is "adamw", expected one of "sgd", "momentum", "adam"; did you mean "adam"\?/],
    [{ lr: 0.1, epochs: 1, update: { rule: "momentum", beta: 1 } }, /^train: opts.update.beta is 1, expected a number in \[0, 1\)/],
    [{ lr: 0.1, epochs: 1, update: { rule: "momentum", beta1: 0.9 } }, /^train: opts.update has an unknown key "beta1"; did you mean "beta"\?/],
    [{ lr: 0.1, epochs: 1, update: { rule: "adam", eps: 0 } }, /^train: opts.update.eps is 0, expected a finite number > 0/],
    [{ lr: 0.1, epochs: 1, update: { rule: "adam", beta2: NaN } }, /^train: opts.update.beta2 is NaN/],
  ];
  for (const [opts, re] of bad) assertThrowsMsg(() => train(cloneParams(p), data, opts as never), re);
});

test("the generic loop trains a model that is not a registered cell: chunks in order, a hidden state carried across them, reset per epoch", () => {
  // A toy many-to-many model on a stream: predict s[t+1] = w·s[t] + b (squared error) over chunks of 5,
  // with a "carried" running value that the task resets at each epoch's start (as a char-LM carries h).
  const stream = new Float64Array(101);
  for (let t = 0; t < stream.length; t++) stream[t] = Math.sin(t / 3);
  const chunk = 5;
  const p = { kind: "toy", I: 1, H: 1, O: 1, w: new Float64Array([0]), b: new Float64Array([0]) };
  let carried = 0;
  const starts: number[] = [];
  const visited: number[] = [];
  const task: LoopTask<typeof p> = {
    n: 20,
    startEpoch: (epoch) => {
      starts.push(epoch);
      carried = 0;
    },
    lossAndGrads: (k, grads) => {
      visited.push(k);
      let loss = 0;
      for (let t = k * chunk; t < (k + 1) * chunk; t++) {
        const err = p.w[0] * stream[t] + p.b[0] - stream[t + 1];
        loss += (err * err) / chunk;
        grads.w[0] += (2 * err * stream[t]) / chunk;
        grads.b[0] += (2 * err) / chunk;
      }
      carried += 1;
      return loss;
    },
  };
  const stats = trainLoop("trainToy", p, task, { lr: 0.2, epochs: 30, update: { rule: "adam" } });
  assert.deepEqual(starts, Array.from({ length: 30 }, (_, e) => e + 1));
  assert.deepEqual(visited.slice(0, 20), Array.from({ length: 20 }, (_, k) => k), "chunks are visited in order");
  assert.equal(carried, 20, "the carried state was reset at the last epoch's start");
  assert.equal(stats[0].accuracy, undefined, "no accuracy without task.correct");
  assert.ok(stats[29].meanLoss < stats[0].meanLoss / 2, `loss ${stats[0].meanLoss} → ${stats[29].meanLoss}`);
  assert.ok(paramArrays(p).length === 2 && Number.isFinite(p.w[0]));
  // divergence in a custom task is reported with the caller's name
  const q = { kind: "toy", I: 1, H: 1, O: 1, w: new Float64Array([0]), b: new Float64Array([0]) };
  assertThrowsMsg(
    () => trainLoop("trainToy", q, { n: 3, lossAndGrads: (k) => (k === 1 ? NaN : 1) }, { lr: 0.1, epochs: 1 }),
    /^trainToy: training diverged at epoch 1, sample 2 of 3 \(data index 1\): the loss is NaN/,
  );
  assertThrowsMsg(() => trainLoop("trainToy", q, { n: 0, lossAndGrads: () => 1 }, { lr: 0.1, epochs: 1 }), /^trainToy: task.n is 0, expected an integer >= 1/);
});

test("the loop's check after each update catches NaN and ±Infinity at every position of a weight array, for every rule", () => {
  // w has 7 values: positions 0–3 go through the check's four running sums, 4–6 through its remainder;
  // Adam's kernel checks pairs, the seventh value alone
  for (const rule of ["momentum", "adam"] as const) {
    for (let pos = 0; pos < 7; pos++) {
      const q = { kind: "toy", I: 1, H: 1, O: 1, w: new Float64Array(7), b: new Float64Array(1) };
      const task: LoopTask<typeof q> = { n: 2, lossAndGrads: (k, grads) => ((grads.w[pos] = k === 1 ? NaN : 0), 1) };
      assertThrowsMsg(() => trainLoop("trainToy", q, task, { lr: 0.5, epochs: 1, update: { rule } }), `sample 2 of 2 (data index 1): after the update w[${pos}] is NaN.`);
    }
  }
  for (let pos = 0; pos < 7; pos++) {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const q = { kind: "toy", I: 1, H: 1, O: 1, w: new Float64Array(7), b: new Float64Array(1) };
      const task: LoopTask<typeof q> = {
        n: 2,
        lossAndGrads: (k, grads) => {
          if (k === 1) grads.w[pos] = -bad; // SGD: w ← w − lr·g makes w[pos] NaN, +Infinity or −Infinity
          return 1;
        },
      };
      const expected = `after the update w[${pos}] is ${0 - 0.5 * -bad}`;
      assertThrowsMsg(() => trainLoop("trainToy", q, task, { lr: 0.5, epochs: 1 }), new RegExp(`^trainToy: training diverged at epoch 1, sample 2 of 2 \\(data index 1\\): ${expected.replace(/[[\]]/g, "\\$&")}\\.`));
    }
  }
});

test("a task may give the loop its own gradient arrays (zeroed first); arrays that do not match p are refused by name", () => {
  const p = { kind: "toy", I: 1, H: 1, O: 1, w: new Float64Array([1, 2]), b: new Float64Array([0]) };
  const grads = { kind: "toy", I: 1, H: 1, O: 1, w: new Float64Array([9, 9]), b: new Float64Array([9]) };
  const seen: number[] = [];
  const task: LoopTask<typeof p> = { n: 1, grads, lossAndGrads: (_k, g) => (seen.push(g.w[0], g.b[0]), (g.w[0] += 1), 1) };
  trainLoop("trainToy", p, task, { lr: 0.5, epochs: 1 });
  assert.deepEqual(seen, [0, 0], "the given arrays, zeroed before the first sample");
  assert.deepEqual(Array.from(p.w), [0.5, 2], "the update read the gradient added into them");
  const short = { ...grads, w: new Float64Array(1) };
  assertThrowsMsg(() => trainLoop("trainToy", p, { ...task, grads: short }, { lr: 0.5, epochs: 1 }), "trainToy: task.grads.w is", "expected 2 values like p.w");
});
