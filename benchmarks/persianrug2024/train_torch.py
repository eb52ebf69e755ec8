"""Minimal PyTorch training loop of the toy model of superposition (baseline for train.bench.ts).

Same model, data and optimiser as aecheck's trainToyModel (and the authors' code; docs/theory-persianrug2024.md §2): x has each of n
features nonzero with probability p, then U[0,1); x_hat = ReLU(W_out W_in x + b) with nn.Linear default inits; loss
= mean squared error over batch and features; Adam(lr 3e-3/sqrt(n), eps 1e-7); fresh data every step. Dense tensors,
as the authors' code does. float64 by default (aecheck trains in float64); pass float32 for the authors' dtype.
Usage: python3 train_torch.py N M P BATCH STEPS [float64|float32] [THREADS]
Prints one JSON line {"n","m","p","batch","steps","dtype","threads","seconds","stepsPerSecond","runtime"}, where
runtime (blasinfo.py) says which BLAS torch really ran on and with how many threads.
"""
import json
import math
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "baselines"))
import blasinfo  # noqa: E402

n, m, p, batch, steps = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
threads = int(sys.argv[7]) if len(sys.argv) > 7 else 1
blasinfo.set_threads(threads)
import torch  # noqa: E402

dtype = torch.float32 if len(sys.argv) > 6 and sys.argv[6] == "float32" else torch.float64
torch.set_num_threads(threads)
torch.manual_seed(0)
enc = torch.nn.Linear(n, m, bias=False).to(dtype)
dec = torch.nn.Linear(m, n, bias=True).to(dtype)
opt = torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()), lr=3e-3 / math.sqrt(n), eps=1e-7)


def step():
    mask = torch.rand(batch, n, dtype=dtype) < p
    x = torch.rand(batch, n, dtype=dtype) * mask
    x_hat = torch.relu(dec(enc(x)))
    loss = ((x_hat - x) ** 2).mean()
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()


for _ in range(min(5, steps)):
    step()
t0 = time.perf_counter()
for _ in range(steps):
    step()
dt = time.perf_counter() - t0
print(json.dumps({"n": n, "m": m, "p": p, "batch": batch, "steps": steps, "dtype": str(dtype).split(".")[-1],
                  "threads": threads, "seconds": dt, "stepsPerSecond": steps / dt,
                  "runtime": blasinfo.runtime(threads, ["torch"])}))
