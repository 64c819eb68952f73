#!/usr/bin/env python3
"""The machine floor for W7 (bench/lib/common.mjs): the GP log-likelihood of a 256x256 SPD K and
its gradient w.r.t. K, written by hand on NumPy/SciPy over LAPACK (OpenBLAS) in float64, one thread.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/floor/w7_lapack.py [n] [--threads=N]

Same math and matrix family as the bench workload (K = A·Aᵀ/n + I, A uniform in [-1, 1)):
L = potrf(K), z = L⁻¹y, α = L⁻ᵀz (two trsv), ℓ = −½ yᵀα − Σ log Lᵢᵢ, ∇ℓ = ½(ααᵀ − K⁻¹) with K⁻¹
from potri on L (what LAPACK offers for the inverse of an SPD matrix; symmetrised). Prints the
median and min of 200 timed calls after 20 warm-up calls, in ms.
"""
import os
import sys

threads = next((a.split("=")[1] for a in sys.argv[1:] if a.startswith("--threads=")), "1")
os.environ["OPENBLAS_NUM_THREADS"] = threads  # before numpy loads OpenBLAS
from floor_common import time_step  # noqa: E402

import numpy as np  # noqa: E402
from scipy.linalg import lapack, solve_triangular  # noqa: E402

n = int(next((a for a in sys.argv[1:] if not a.startswith("--")), "256"))
rng = np.random.default_rng(71)
A = rng.uniform(-1, 1, (n, n))
K = A @ A.T / n + np.eye(n)
y = rng.uniform(-1, 1, n)


def step():
    L, info = lapack.dpotrf(K, lower=1, clean=1)
    assert info == 0
    z = solve_triangular(L, y, lower=True, check_finite=False)
    alpha = solve_triangular(L, z, lower=True, trans="T", check_finite=False)
    value = -0.5 * y @ alpha - np.log(np.diagonal(L)).sum()
    inv, info = lapack.dpotri(L, lower=1)
    inv = np.tril(inv) + np.tril(inv, -1).T
    return value, 0.5 * (np.outer(alpha, alpha) - inv)


median, best = time_step(step, 20, 200)
print(f"W7 floor (NumPy/SciPy + OpenBLAS LAPACK, float64, {threads} thread(s), n={n}): "
      f"median {median:.3f} ms, min {best:.3f} ms")
