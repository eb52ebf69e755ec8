"""CPU-time variant of benchmarks/refinetti2022/sgd_torch.py (time.process_time instead of perf_counter), for a
side-by-side comparison under load. Otherwise identical.

Minimal PyTorch online-SGD loop for the Refinetti & Goldt 2022 autoencoder (baseline for sgd.bench.ts).

Same model and distribution as the TypeScript simulator: x = sigma*xi + E^T (amp * z) (spiked model, M spikes, exact
eigendecomposition, O(D*M) sampling), x_hat = sum_k v^k g(w^k.x/sqrt(D)), g = erf(x/sqrt 2), loss 0.5*||x - x_hat||^2/D,
encoder lr eta/D, decoder lr eta (the authors' train_autoencoder.py groups), batch size 1, float64, THREADS CPU
threads (default 1).
Usage: python3 sgd_torch.py D K STEPS [THREADS]
  -> prints one JSON line {"D","K","steps","dtype","threads","seconds","stepsPerSecond","runtime"}, where runtime
     (blasinfo.py) says which BLAS torch really ran on and with how many threads.
"""
import json
import math
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "baselines"))
import blasinfo  # noqa: E402

D, K, STEPS = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
THREADS = int(sys.argv[4]) if len(sys.argv) > 4 else 1
blasinfo.set_threads(THREADS)
import torch  # noqa: E402

M = K
torch.set_num_threads(THREADS)
torch.manual_seed(0)
dtype = torch.float64
E = torch.linalg.qr(torch.randn(D, M, dtype=dtype))[0].T.contiguous()  # M x D orthonormal spike directions
amp = torch.tensor([math.sqrt((2 ** (m + 1) + 1) ** 2 * D / 100.0) for m in range(M)], dtype=dtype)
W = (0.1 * torch.randn(K, D, dtype=dtype)).requires_grad_()
V = (0.1 * torch.randn(D, K, dtype=dtype)).requires_grad_()
eta = 0.4
opt = torch.optim.SGD([{"params": [W], "lr": eta / D}, {"params": [V], "lr": eta}])
sq = math.sqrt(D)


def step():
    x = torch.randn(D, dtype=dtype) + (amp * torch.randn(M, dtype=dtype)) @ E
    h = torch.erf((W @ x) / sq / math.sqrt(2))
    xh = V @ h
    loss = 0.5 * ((x - xh) ** 2).sum() / D
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()


for _ in range(min(200, STEPS)):
    step()
t0 = time.process_time()
for _ in range(STEPS):
    step()
dt = time.process_time() - t0
print(json.dumps({"D": D, "K": K, "steps": STEPS, "dtype": "float64", "threads": THREADS, "seconds": dt,
                  "stepsPerSecond": STEPS / dt, "runtime": blasinfo.runtime(THREADS, ["torch"])}))
