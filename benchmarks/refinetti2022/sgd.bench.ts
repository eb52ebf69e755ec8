/**
 * Online SGD steps per second for the Refinetti & Goldt 2022 autoencoder (erf, untied, vanilla, batch 1, sampling from
 * the spiked model included: exact eigendecomposition, O(D·M) per sample, M = K), against a minimal PyTorch loop of
 * the same model on the same distribution (sgd_torch.py, Debian's python3-torch, one thread), side by side in one run.
 * Targets (issue 3): ≥ 30× at D = 500, K = 2 and ≥ 10× at D = 1000, K = 8. Both engines of the simulator are measured:
 * WebAssembly SIMD (the default) and plain JavaScript (the fallback); they compute the same bits.
 *
 * Usage: npx tsx benchmarks/refinetti2022/sgd.bench.ts [--steps 200000] [--json]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRng } from '../../src/core/rng.ts';
import { spikedCovariance } from '../../src/data/spikedCovariance.ts';
import { getKernelSet } from '../../src/kernels/registry.ts';
import { probeOnlineSgdWasm } from '../../src/kernels/wasm/onlineSgdWasm.ts';
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
  const run = (n: number, engine: 'wasm' | 'js') =>
    onlineSgd({
      kernels,
      source,
      activation: 'erf',
      learningRate: 0.4,
      initial,
      times: [n / D],
      rng,
      orderParameters: false,
      engine,
    });
  /** Median steps per second of one engine (after a JIT warm-up run). */
  const rate = (engine: 'wasm' | 'js'): number => {
    run(Math.min(20_000, steps), engine);
    const rates: number[] = [];
    for (let r = 0; r < Number(values.reps); r++) {
      const t0 = performance.now();
      run(steps, engine);
      rates.push(steps / ((performance.now() - t0) / 1000));
    }
    rates.sort((a, b) => a - b);
    return rates[Math.floor(rates.length / 2)];
  };
  const wasmAvailable = probeOnlineSgdWasm();
  const ts = wasmAvailable.available ? rate('wasm') : Number.NaN;
  const js = rate('js');
  const py = spawnSync(PYTHON, [TORCH_SCRIPT, String(D), String(K), values.torchSteps], { encoding: 'utf8' });
  let torch: number | null = null;
  let note = '';
  if (py.status === 0) torch = JSON.parse(py.stdout.trim().split('\n').pop() as string).stepsPerSecond;
  else
    note = `PyTorch baseline unavailable: ${(py.stderr || py.error?.message || 'no output').trim().split('\n').pop()}`;
  rows.push({
    D,
    K,
    wasmStepsPerSecond: Number.isNaN(ts) ? null : Math.round(ts),
    jsStepsPerSecond: Math.round(js),
    torchStepsPerSecond: torch === null ? null : Math.round(torch),
    ratio: torch === null || Number.isNaN(ts) ? null : Number((ts / torch).toFixed(2)),
    jsRatio: torch === null ? null : Number((js / torch).toFixed(2)),
    target,
    note: wasmAvailable.available ? note : `wasm engine unavailable: ${wasmAvailable.reason}. ${note}`,
  });
}
if (values.json) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  console.log('online SGD, erf, untied, batch 1, spiked sampling included (steps per second, median of reps)');
  console.log('   D   K   wasm engine   js engine   PyTorch (1 thread)   wasm/torch   js/torch   target');
  for (const r of rows) {
    console.log(
      `${String(r.D).padStart(4)} ${String(r.K).padStart(3)} ${String(r.wasmStepsPerSecond ?? 'n/a').padStart(13)} ${String(r.jsStepsPerSecond).padStart(11)} ${String(r.torchStepsPerSecond ?? 'n/a').padStart(20)} ${String(r.ratio ?? 'n/a').padStart(12)} ${String(r.jsRatio ?? 'n/a').padStart(10)} ${String(`${r.target}×`).padStart(8)}${r.note ? `  ${r.note}` : ''}`,
    );
  }
}
