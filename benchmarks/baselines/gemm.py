#!/usr/bin/env python3
"""GEMM baseline for `aecheck bench` / `npm run bench`: times C = A·B with numpy and PyTorch (Debian's python3-numpy
and python3-torch) at the sizes given, in float64 and float32, and prints one JSON object on stdout.

Usage: /usr/bin/python3 benchmarks/baselines/gemm.py --sizes 64,128,256,512 [--threads 1]
The JSON carries a "runtime" block (blasinfo.py): the BLAS each library really ran on (read from the loaded shared
objects, so Debian's reference BLAS is told apart from OpenBLAS), its core type and thread count. A library that is not
installed is reported under "missing" with the import error; nothing is estimated.
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import blasinfo  # noqa: E402


def median_time(fn, min_time=0.3, rounds=5, max_reps=10000):
    """The fastest of `rounds` per-round medians of per-call times, each round at least min_time/rounds seconds (after
    one warm-up call): the same estimator as aecheck's side (src/bench/runKernelBench.ts), since load from other jobs
    only ever slows a round down."""
    fn()
    best = float("inf")
    for _ in range(rounds):
        times = []
        start = time.perf_counter()
        while ((time.perf_counter() - start) < min_time / rounds or len(times) < 3) and len(times) < max_reps:
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        times.sort()
        best = min(best, times[len(times) // 2])
    return best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="64,128,256,512")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    blasinfo.set_threads(args.threads)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    out = {"results": [], "missing": {}}
    libraries = []
    described = {}
    try:
        import numpy as np

        rng = np.random.default_rng(0)
        for n in sizes:
            for dtype in ("float64", "float32"):
                a = rng.standard_normal((n, n)).astype(dtype)
                b = rng.standard_normal((n, n)).astype(dtype)
                t = median_time(lambda: a @ b)
                out["results"].append({"library": "numpy", "dtype": dtype, "size": n, "seconds": t, "gflops": 2 * n**3 / t / 1e9})
        # Described before torch is imported, so the mapped BLAS is numpy's own.
        described["numpy"] = blasinfo.describe("numpy")
        libraries.append("numpy")
    except ImportError as e:
        out["missing"]["numpy"] = "python3-numpy is not installed (%s)" % e
    try:
        import torch

        torch.set_num_threads(args.threads)
        g = torch.Generator().manual_seed(0)
        for n in sizes:
            for dtype in (torch.float64, torch.float32):
                a = torch.randn(n, n, generator=g, dtype=dtype)
                b = torch.randn(n, n, generator=g, dtype=dtype)
                t = median_time(lambda: a @ b)
                name = "float64" if dtype == torch.float64 else "float32"
                out["results"].append({"library": "torch", "dtype": name, "size": n, "seconds": t, "gflops": 2 * n**3 / t / 1e9})
        described["torch"] = blasinfo.describe("torch")
        libraries.append("torch")
    except ImportError as e:
        out["missing"]["torch"] = "python3-torch is not installed (%s)" % e
    out["runtime"] = blasinfo.runtime(args.threads, [])
    out["runtime"]["libraries"] = [described[name] for name in libraries]
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
