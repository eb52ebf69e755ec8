#!/usr/bin/env python3
"""One projected-GD iteration of the sign autoencoder (Shevchenko et al. §3.6 a), written with numpy, for
benchmarks/shevchenko2023/pgd.bench.ts. Same algorithm as src/sim/shevchenko2023/projectedGd.ts: M = B̂B̂ᵀ, arcsin(M),
A·arcsin(M), AᵀA, G∘-weights, G·B̂, tangent projection, step, row renormalisation.

Usage: /usr/bin/python3 benchmarks/shevchenko2023/pgd_numpy.py --dim 800 --rate 2 --threads 1
Prints JSON: {"seconds": median seconds per iteration, "dtype", "threads", "runtime", ...}, where runtime
(blasinfo.py) says which BLAS numpy really ran on and with how many threads; a missing numpy makes the script fail
with the import error (the runner reports the baseline missing).
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "baselines"))
import blasinfo  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dim", type=int, default=800)
    p.add_argument("--rate", type=float, default=2.0)
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    blasinfo.set_threads(a.threads)
    try:
        import numpy as np
    except ImportError as e:
        sys.exit("python3-numpy is not installed (%s)" % e)
    d = a.dim
    n = int(round(a.rate * d))
    rng = np.random.default_rng(0)
    A = rng.standard_normal((d, n)) / np.sqrt(d)
    B = rng.standard_normal((n, d))
    B /= np.linalg.norm(B, axis=1, keepdims=True)
    c = np.sqrt(2 / np.pi)
    c2 = c * c
    eta = 0.05

    def step(A, B):
        M = B @ B.T
        M = np.clip(M, -1 + 1e-9, 1 - 1e-9)
        np.fill_diagonal(M, 1.0)
        S = np.arcsin(M)
        AS = A @ S
        loss = d - 2 * c * np.trace(A @ B) + c2 * np.sum(A * AS)
        gA = -2 * c * B.T + 2 * c2 * AS
        ATA = A.T @ A
        Mo = M.copy()
        np.fill_diagonal(Mo, 0.0)
        G = c2 * ATA / np.sqrt(1 - Mo * Mo)
        np.fill_diagonal(G, 0.0)
        gB = -2 * c * A.T + 2 * (G @ B)
        gB -= np.sum(gB * B, axis=1, keepdims=True) * B
        A2 = A - eta * gA
        B2 = B - eta * gB
        B2 /= np.linalg.norm(B2, axis=1, keepdims=True)
        return A2, B2, loss

    step(A, B)
    times = []
    for _ in range(a.reps):
        t0 = time.perf_counter()
        A, B, loss = step(A, B)
        times.append(time.perf_counter() - t0)
    times.sort()
    out = {"seconds": times[len(times) // 2], "dim": d, "codeLength": n, "dtype": "float64", "threads": a.threads,
           "loss": float(loss), "runtime": blasinfo.runtime(a.threads, ["numpy"])}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
