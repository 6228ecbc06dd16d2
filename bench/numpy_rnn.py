"""A correct per-sample NumPy RNN: the benchmark's reference row.

Written from the math (not from the original note, whose backward pass is
wrong). bench/bench.ts runs it with /usr/bin/python3 when NumPy is present and
sends one JSON job on stdin: the data, the library's initial weights and the
hyperparameters. It answers with one JSON line: the weights after one epoch
(to compare with the library's, both in float64) and the timed throughput.

    h_t = tanh(Wxh x_t + Whh h_{t-1} + bh),  h_0 = 0
    z   = Why h_T + by,  p = sigmoid(z),  loss = BCE(p, y)
    dz  = p - y
    dWhy = dz h_T^T,  dby = dz,  dh_T = Why^T dz
    for t = T..1:  da = dh_t * (1 - h_t^2)
                   dWxh += da x_t^T,  dWhh += da h_{t-1}^T,  dbh += da
                   dh_{t-1} = Whh^T da
"""
import json
import sys
import time

import numpy as np


def train_epoch(p, xs, ys, T, lr):
    """One epoch of per-sample SGD in sample order; returns the mean loss."""
    Wxh, Whh, Why, bh, by = p["Wxh"], p["Whh"], p["Why"], p["bh"], p["by"]
    H = Whh.shape[0]
    hs = np.zeros((T + 1, H))
    total = 0.0
    for k in range(xs.shape[0]):
        x, y = xs[k], ys[k]  # x: (T, I)
        for t in range(T):
            hs[t + 1] = np.tanh(Wxh @ x[t] + Whh @ hs[t] + bh)
        z = Why @ hs[T] + by  # (O,)
        # Stable BCE from the logit: log(1 + e^z) - y z.
        total += float(np.sum(np.logaddexp(0.0, z) - y * z))
        dz = 1.0 / (1.0 + np.exp(-z)) - y
        dWhy = np.outer(dz, hs[T])
        dby = dz
        dh = Why.T @ dz
        dWxh = np.zeros_like(Wxh)
        dWhh = np.zeros_like(Whh)
        dbh = np.zeros_like(bh)
        for t in range(T, 0, -1):
            da = dh * (1.0 - hs[t] * hs[t])
            dWxh += np.outer(da, x[t - 1])
            dWhh += np.outer(da, hs[t - 1])
            dbh += da
            dh = Whh.T @ da
        Wxh -= lr * dWxh
        Whh -= lr * dWhh
        Why -= lr * dWhy
        bh -= lr * dbh
        by -= lr * dby
    return total / xs.shape[0]


def main():
    job = json.load(sys.stdin)
    T, I, H, O, lr = job["T"], job["I"], job["H"], job["O"], job["lr"]
    n = job["train"]["n"]
    xs = np.array(job["train"]["xs"], dtype=np.float64).reshape(n, T, I)
    ys = np.array(job["train"]["ys"], dtype=np.float64).reshape(n, O)
    shapes = {"Wxh": (H, I), "Whh": (H, H), "Why": (O, H), "bh": (H,), "by": (O,)}

    def fresh():
        return {k: np.array(job["init"][k], dtype=np.float64).reshape(s) for k, s in shapes.items()}

    # Check epoch (also the warm-up): from the library's initial weights.
    p = fresh()
    mean_loss = train_epoch(p, xs, ys, T, lr)
    after = {k: v.ravel().tolist() for k, v in p.items()}

    runs, cpu_runs = [], []
    for _ in range(job["reps"]):
        p = fresh()
        t0, c0 = time.perf_counter(), time.process_time()
        train_epoch(p, xs, ys, T, lr)
        runs.append(time.perf_counter() - t0)
        cpu_runs.append(time.process_time() - c0)
    seconds = sorted(runs)[len(runs) // 2]
    cpu_seconds = sorted(cpu_runs)[len(cpu_runs) // 2]
    print(json.dumps({
        "ok": True,
        "numpyVersion": np.__version__,
        "pythonVersion": sys.version.split()[0],
        "meanLoss": mean_loss,
        "params": after,
        "seconds": seconds,
        "samplesPerSec": n / seconds,
        "samplesPerCpuSec": n / cpu_seconds,
    }))


if __name__ == "__main__":
    main()
