/**
 * Training steps per second of the full toy model of superposition (Adam, batch 1024, p = 0.05, the authors' settings)
 * on each kernel backend that implements the step's products, against the same model in PyTorch on CPU
 * (train_torch.py, Debian's python3-torch, dense tensors as in the authors' code, one thread, float64 like aecheck, and
 * float32 — the authors' dtype — for reference), side by side in one run. Target (issue 5): at least 3×, by using the
 * sparsity of x (the encoder and its gradient cost O(m·p·n) per sample instead of O(m·n)).
 *
 * Usage: npx tsx benchmarks/persianrug2024/train.bench.ts [--steps 12] [--torchSteps 12] [--json]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRng } from '../../src/core/rng.ts';
import type { BackendId } from '../../src/kernels/kernelSpecs.ts';
import { getKernelSet, probeBackends } from '../../src/kernels/registry.ts';
import { trainToyModel } from '../../src/sim/persianrug2024/trainToyModel.ts';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '12' },
    torchSteps: { type: 'string', default: '12' },
    json: { type: 'boolean', default: false },
  },
});
/** The issue's two configurations. */
const CASES = [
  { n: 512, m: 64 },
  { n: 1024, m: 128 },
] as const;
const P = 0.05;
const BATCH = 1024;
const TARGET = 3;
const PYTHON = '/usr/bin/python3';
const TORCH_SCRIPT = fileURLToPath(new URL('./train_torch.py', import.meta.url));
/** Backends timed: the float64 CPU ones (the gpu.js float32 modes are compared on kernels by `aecheck bench`). */
const BACKENDS: BackendId[] = ['wasm', 'reference'];

const statuses = await probeBackends();
const torch = (n: number, m: number, dtype: string): { rate: number | null; note: string } => {
  const py = spawnSync(
    PYTHON,
    [TORCH_SCRIPT, String(n), String(m), String(P), String(BATCH), values.torchSteps, dtype, '1'],
    {
      encoding: 'utf8',
    },
  );
  if (py.status !== 0) {
    return {
      rate: null,
      note: `PyTorch baseline unavailable: ${(py.stderr || py.error?.message || 'no output').trim().split('\n').pop()}`,
    };
  }
  return { rate: JSON.parse(py.stdout.trim().split('\n').pop() as string).stepsPerSecond, note: '' };
};

const rows: Record<string, number | string | null>[] = [];
for (const { n, m } of CASES) {
  const t64 = torch(n, m, 'float64');
  const t32 = torch(n, m, 'float32');
  for (const id of BACKENDS) {
    const status = statuses.find((s) => s.id === id);
    if (!status?.available) {
      rows.push({
        n,
        m,
        backend: id,
        stepsPerSecond: null,
        note: `unavailable: ${status && !status.available ? status.reason : 'unknown'}`,
      });
      continue;
    }
    const kernels = await getKernelSet(id);
    const steps = Number(values.steps);
    const train = (k: number) => trainToyModel({ n, m, p: P, steps: k, rng: createRng(1), kernels, record: [] });
    train(2); // warm-up (JIT)
    const t0 = performance.now();
    train(steps);
    const rate = steps / ((performance.now() - t0) / 1000);
    rows.push({
      n,
      m,
      backend: id,
      stepsPerSecond: Number(rate.toFixed(2)),
      torchFloat64StepsPerSecond: t64.rate === null ? null : Number(t64.rate.toFixed(2)),
      ratio: t64.rate === null ? null : Number((rate / t64.rate).toFixed(2)),
      torchFloat32StepsPerSecond: t32.rate === null ? null : Number(t32.rate.toFixed(2)),
      ratioFloat32: t32.rate === null ? null : Number((rate / t32.rate).toFixed(2)),
      target: TARGET,
      note: t64.note,
    });
  }
}
if (values.json) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  console.log(
    `toy-model training, Adam, batch ${BATCH}, p = ${P}, PyTorch and the wasm backend on one thread; the reference GEMM splits large products over worker threads (steps per second)`,
  );
  console.log('    n    m  backend       aecheck  torch f64  ratio  torch f32  ratio  target');
  for (const r of rows) {
    const f = (v: unknown, w: number) => String(v ?? 'n/a').padStart(w);
    console.log(
      `${f(r.n, 5)} ${f(r.m, 4)}  ${String(r.backend).padEnd(10)} ${f(r.stepsPerSecond, 9)} ${f(r.torchFloat64StepsPerSecond, 10)} ${f(r.ratio, 6)} ${f(r.torchFloat32StepsPerSecond, 10)} ${f(r.ratioFloat32, 6)} ${f(`${TARGET}×`, 7)}${r.note ? `  ${r.note}` : ''}`,
    );
  }
}
process.exit(0);
