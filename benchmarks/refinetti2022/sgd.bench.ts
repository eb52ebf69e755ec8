/**
 * Online SGD steps per second for the Refinetti & Goldt 2022 autoencoder (erf, untied, vanilla, batch 1, sampling from
 * the spiked model included: exact eigendecomposition, O(D·M) per sample, M = K), against a minimal PyTorch loop of
 * the same model on the same distribution (sgd_torch.py, Debian's python3-torch, one thread), side by side in one run.
 * Targets (issue 3): ≥ 30× at D = 500, K = 2 and ≥ 10× at D = 1000, K = 8.
 *
 * Usage: npx tsx benchmarks/refinetti2022/sgd.bench.ts [--steps 200000] [--json]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRng } from '../../src/core/rng.ts';
import { spikedCovariance } from '../../src/data/spikedCovariance.ts';
import { getKernelSet } from '../../src/kernels/registry.ts';
import { onlineSgd } from '../../src/sim/refinetti2022/onlineSgd.ts';
import { initialWeights } from '../../src/sim/refinetti2022/weights.ts';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '200000' },
    torchSteps: { type: 'string', default: '5000' },
    reps: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
  },
});
/** The issue's two configurations and their targets. */
const CASES = [
  { dim: 500, hidden: 2, target: 30 },
  { dim: 1000, hidden: 8, target: 10 },
] as const;
const PYTHON = '/usr/bin/python3';
const TORCH_SCRIPT = fileURLToPath(new URL('./sgd_torch.py', import.meta.url));

const kernels = await getKernelSet('reference');
const rows: Record<string, number | string | null>[] = [];
for (const { dim: D, hidden: K, target } of CASES) {
  const rng = createRng(0);
  const source = spikedCovariance({ dim: D, spikes: K, rng: rng.fork('data') });
  const initial = initialWeights({ hidden: K, dim: D, rng: rng.fork('weights') });
  const steps = Number(values.steps);
  const run = (n: number) =>
    onlineSgd({
      kernels,
      source,
      activation: 'erf',
      learningRate: 0.4,
      initial,
      times: [n / D],
      rng,
      orderParameters: false,
    });
  run(Math.min(20_000, steps)); // warm-up (JIT)
  const rates: number[] = [];
  for (let r = 0; r < Number(values.reps); r++) {
    const t0 = performance.now();
    run(steps);
    rates.push(steps / ((performance.now() - t0) / 1000));
  }
  rates.sort((a, b) => a - b);
  const ts = rates[Math.floor(rates.length / 2)];
  const py = spawnSync(PYTHON, [TORCH_SCRIPT, String(D), String(K), values.torchSteps], { encoding: 'utf8' });
  let torch: number | null = null;
  let note = '';
  if (py.status === 0) torch = JSON.parse(py.stdout.trim().split('\n').pop() as string).stepsPerSecond;
  else
    note = `PyTorch baseline unavailable: ${(py.stderr || py.error?.message || 'no output').trim().split('\n').pop()}`;
  rows.push({
    D,
    K,
    aecheckStepsPerSecond: Math.round(ts),
    torchStepsPerSecond: torch === null ? null : Math.round(torch),
    ratio: torch === null ? null : Number((ts / torch).toFixed(2)),
    target,
    note,
  });
}
if (values.json) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  console.log('online SGD, erf, untied, batch 1, spiked sampling included (steps per second, median of reps)');
  console.log('   D   K   aecheck (TS)   PyTorch (1 thread)   ratio   target');
  for (const r of rows) {
    console.log(
      `${String(r.D).padStart(4)} ${String(r.K).padStart(3)} ${String(r.aecheckStepsPerSecond).padStart(14)} ${String(r.torchStepsPerSecond ?? 'n/a').padStart(20)} ${String(r.ratio ?? 'n/a').padStart(7)} ${String(`${r.target}×`).padStart(8)}${r.note ? `  ${r.note}` : ''}`,
    );
  }
}
