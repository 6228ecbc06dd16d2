"""NumPy peer of the character-level language model (lesson 10) for `npm run bench`.

The same model and update as lib/charlm.ts + lib/charlm-train.ts, written from the math: a plain
RNN reading one character per step (a one-hot input is a column of Wxh), a softmax over the
vocabulary at every step, the mean cross-entropy of the chunk, truncated BPTT with the hidden state
carried from chunk to chunk, global-norm clipping and Adam. Two arrangements of the same arithmetic:

- "batched" (chunk_loss_and_grads_batched), the peer the bench's ratio is against: arranged as
  lib/charlm.ts is, so NumPy gets the same advantage. Only the recurrence runs step by step; the
  T outputs, their softmax, dWhy, dWhy^T dz, dWhh and dWxh are each one whole-chunk operation
  (matrix products in BLAS).
- "per-step" (chunk_loss_and_grads), min-char-rnn's arrangement: every output and every outer
  product inside the loop over the steps. About half as fast; reported for reference.
bench/charlm.ts sends one JSON job on stdin (the encoded text, the library's initial weights,
the settings) and reads one JSON line back. A "check" job returns the weights after `check`
iterations (to compare with the library's, both float64); a "time" job runs `warmup` iterations and
then times `iterations` more (wall clock and CPU time). bench/charlm.ts alternates timed runs of the
library and of this peer, so that both are measured under the same load.

    h_t = tanh(Wxh[:, x_t] + Whh h_{t-1} + bh),   z_t = Why h_t + by,   p_t = softmax(z_t)
    L   = (1/T) sum_t -log p_t[y_t]
    dz_t = (p_t - onehot(y_t)) / T;  dh_t = Why^T dz_t + Whh^T da_{t+1};  da_t = (1 - h_t^2) * dh_t
"""
import json
import sys
import time

import numpy as np

NAMES = ["Wxh", "Whh", "Why", "bh", "by"]


def chunk_loss_and_grads(p, inputs, targets, hprev):
    """min-char-rnn's arrangement: everything inside the loops over the steps."""
    Wxh, Whh, Why, bh, by = (p[k] for k in NAMES)
    T = len(inputs)
    hs = np.empty((T + 1, Whh.shape[0]))
    hs[0] = hprev
    ps = np.empty((T, Why.shape[0]))
    loss = 0.0
    for t in range(T):
        hs[t + 1] = np.tanh(Wxh[:, inputs[t]] + Whh @ hs[t] + bh)
        z = Why @ hs[t + 1] + by
        m = z.max()
        e = np.exp(z - m)
        s = e.sum()
        ps[t] = e / s
        loss += np.log(s) + m - z[targets[t]]
    g = {k: np.zeros_like(v) for k, v in p.items()}
    dhnext = np.zeros_like(hprev)
    for t in range(T - 1, -1, -1):
        dz = ps[t].copy()
        dz[targets[t]] -= 1.0
        dz /= T
        g["Why"] += np.outer(dz, hs[t + 1])
        g["by"] += dz
        dh = Why.T @ dz + dhnext
        da = (1.0 - hs[t + 1] * hs[t + 1]) * dh
        g["bh"] += da
        g["Wxh"][:, inputs[t]] += da
        g["Whh"] += np.outer(da, hs[t])
        dhnext = Whh.T @ da
    return loss / T, g, hs[T].copy()


def chunk_loss_and_grads_batched(p, inputs, targets, hprev):
    """The same loss and gradients, with every operation that does not feed the recurrence done once per chunk."""
    Wxh, Whh, Why, bh, by = (p[k] for k in NAMES)
    T, H = len(inputs), Whh.shape[0]
    steps = np.arange(T)
    hs = np.empty((T + 1, H))
    hs[0] = hprev
    xin = Wxh[:, inputs].T + bh  # row t: Wxh[:, x_t] + bh
    for t in range(T):
        hs[t + 1] = np.tanh(xin[t] + Whh @ hs[t])
    z = hs[1:] @ Why.T + by  # row t: z_t
    m = z.max(axis=1, keepdims=True)
    e = np.exp(z - m)
    s = e.sum(axis=1, keepdims=True)
    loss = float(np.sum(np.log(s[:, 0]) + m[:, 0] - z[steps, targets]))
    dz = e / s
    dz[steps, targets] -= 1.0
    dz /= T
    g = {"Why": dz.T @ hs[1:], "by": dz.sum(axis=0)}
    dhout = dz @ Why  # row t: Why^T dz_t
    das = np.empty((T, H))
    dhnext = np.zeros(H)
    for t in range(T - 1, -1, -1):
        da = (1.0 - hs[t + 1] * hs[t + 1]) * (dhout[t] + dhnext)
        das[t] = da
        dhnext = Whh.T @ da
    g["bh"] = das.sum(axis=0)
    g["Whh"] = das.T @ hs[:-1]
    g["Wxh"] = np.zeros_like(Wxh)
    np.add.at(g["Wxh"].T, inputs, das)  # column x_t of dWxh += da_t (a character may repeat)
    return loss / T, g, hs[T].copy()


ARRANGEMENTS = {"batched": chunk_loss_and_grads_batched, "per-step": chunk_loss_and_grads}


class Trainer:
    """Truncated BPTT over the text, clipping and Adam: lib/charlm-train.ts's arithmetic."""

    def __init__(self, p, ids, seq_length, lr, clip, chunk, beta1=0.9, beta2=0.999, eps=1e-8):
        self.p, self.ids, self.T, self.lr, self.clip, self.chunk = p, ids, seq_length, lr, clip, chunk
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.m = {k: np.zeros_like(v) for k, v in p.items()}
        self.v = {k: np.zeros_like(v) for k, v in p.items()}
        self.t = 0
        self.pos = 0
        self.h = np.zeros(p["Whh"].shape[0])

    def step(self):
        T, ids = self.T, self.ids
        if self.pos + T + 1 > len(ids):
            self.pos = 0
            self.h = np.zeros_like(self.h)
        a = self.pos
        loss, g, self.h = self.chunk(self.p, ids[a:a + T], ids[a + 1:a + T + 1], self.h)
        self.pos = a + T
        norm = np.sqrt(sum(float(np.sum(g[k] * g[k])) for k in NAMES))
        if norm > self.clip:
            for k in NAMES:
                g[k] *= self.clip / norm
        self.t += 1
        c1 = 1 - self.beta1 ** self.t
        c2 = 1 - self.beta2 ** self.t
        for k in NAMES:
            m, v = self.m[k], self.v[k]
            m *= self.beta1
            m += (1 - self.beta1) * g[k]
            v *= self.beta2
            v += (1 - self.beta2) * g[k] * g[k]
            self.p[k] -= (self.lr * (m / c1)) / (np.sqrt(v / c2) + self.eps)
        return loss


def main():
    job = json.load(sys.stdin)
    V, H = job["V"], job["H"]
    ids = np.array(job["ids"], dtype=np.int64)
    shapes = {"Wxh": (H, V), "Whh": (H, H), "Why": (V, H), "bh": (H,), "by": (V,)}
    p = {k: np.array(job["init"][k], dtype=np.float64).reshape(s) for k, s in shapes.items()}
    tr = Trainer(p, ids, job["seqLength"], job["lr"], job["clipNorm"], ARRANGEMENTS[job["arrangement"]])
    out = {"numpyVersion": np.__version__, "pythonVersion": sys.version.split()[0]}
    if job["mode"] == "check":
        # `check` iterations from the library's initial weights
        losses = [tr.step() for _ in range(job["check"])]
        out["meanLoss"] = float(np.mean(losses))
        out["params"] = {k: v.ravel().tolist() for k, v in tr.p.items()}
    else:
        for _ in range(job["warmup"]):
            tr.step()
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(job["iterations"]):
            tr.step()
        out["seconds"] = time.perf_counter() - t0
        out["cpuSeconds"] = time.process_time() - c0
    print(json.dumps(out))


if __name__ == "__main__":
    main()
