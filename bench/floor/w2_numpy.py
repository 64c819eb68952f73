#!/usr/bin/env python3
"""The NumPy floor for W2 (bench/lib/common.mjs): one SGD step of the MLP 784-256-10, batch 128, ReLU,
mean softmax cross-entropy, written by hand on NumPy (OpenBLAS sgemm) in float32, no AD.

    /usr/bin/python3 bench/floor/w2_numpy.py [--threads=N]     # default 1 thread

Forward x@W1+b1, ReLU, h@W2+b2, log-softmax; backward dz2 = (softmax - onehot)/B, dW2 = hᵀdz2,
db2 = Σ dz2, dh = dz2 W2ᵀ masked by h > 0, dW1 = xᵀdh, db1 = Σ dh; SGD with lr 0.1, the parameters
updated in place. Prints the median and min of 500 timed steps after 50 warm-up steps, in ms.
"""
import os
import sys

threads = next((a.split("=")[1] for a in sys.argv[1:] if a.startswith("--threads=")), "1")
os.environ["OPENBLAS_NUM_THREADS"] = threads  # before numpy loads OpenBLAS
from floor_common import time_step  # noqa: E402

import numpy as np  # noqa: E402

B, D, H, C, lr = 128, 784, 256, 10, np.float32(0.1)
rng = np.random.default_rng(31)
x = rng.uniform(0, 1, (B, D)).astype(np.float32)
labels = rng.integers(0, C, B)
onehot = np.zeros((B, C), np.float32)
onehot[np.arange(B), labels] = 1
g1, g2 = np.sqrt(6 / (D + H)), np.sqrt(6 / (H + C))
W1 = rng.uniform(-g1, g1, (D, H)).astype(np.float32)
b1 = rng.uniform(-0.1, 0.1, H).astype(np.float32)
W2 = rng.uniform(-g2, g2, (H, C)).astype(np.float32)
b2 = rng.uniform(-0.1, 0.1, C).astype(np.float32)


def step():
    h = x @ W1
    h += b1
    np.maximum(h, 0, out=h)
    z = h @ W2
    z += b2
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    s = e.sum(axis=1, keepdims=True)
    loss = -(z[np.arange(B), labels] - np.log(s[:, 0])).mean()
    dz2 = e / s
    dz2 -= onehot
    dz2 *= np.float32(1 / B)
    dh = dz2 @ W2.T
    dh *= h > 0
    np.subtract(W2, lr * (h.T @ dz2), out=W2)
    np.subtract(b2, lr * dz2.sum(axis=0), out=b2)
    np.subtract(W1, lr * (x.T @ dh), out=W1)
    np.subtract(b1, lr * dh.sum(axis=0), out=b1)
    return loss


median, best = time_step(step, 50, 500)
print(f"W2 floor (NumPy + OpenBLAS sgemm, float32, {threads} thread(s)): "
      f"median {median:.3f} ms, min {best:.3f} ms")
