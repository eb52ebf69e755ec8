/**
 * Online SGD steps per second for the Refinetti & Goldt 2022 autoencoder (erf, untied, vanilla, batch 1, sampling from
 * the spiked model included: exact eigendecomposition, O(D·M) per sample, M = K), against a minimal PyTorch loop of
 * the same model on the same distribution (sgd_torch.py, Debian's python3-torch, at 1 thread and at all cores, its BLAS
 * reported), side by side in one run. The aecheck engines are single-threaded, so only the 1-thread row has a ratio.
 * Targets (issue 3): ≥ 30× at D = 500, K = 2 and ≥ 10× at D = 1000, K = 8. Both engines of the simulator are measured:
 * WebAssembly SIMD (the default) and plain JavaScript (the fallback); they compute the same bits.
 *
 * Usage: npx tsx benchmarks/refinetti2022/sgd.bench.ts [--steps 200000] [--json]
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import {
  comparisonThreads,
  compareSpeed,
  runLibraryBaseline,
  runtimeSchema,
} from '../../src/bench/runPythonBaseline.ts';
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
const TORCH_SCRIPT = fileURLToPath(new URL('./sgd_torch.py', import.meta.url));
/** What sgd_torch.py prints. */
const torchSchema = z.object({
  stepsPerSecond: z.number().positive(),
  threads: z.number().int().positive(),
  dtype: z.literal('float64'),
  runtime: runtimeSchema,
});

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
  for (const threads of comparisonThreads()) {
    const torch = runLibraryBaseline({
      script: TORCH_SCRIPT,
      args: [String(D), String(K), values.torchSteps, String(threads)],
      threads,
      schema: torchSchema,
      library: 'torch',
    });
    const vs = (rate: number) =>
      torch.status === 'ok'
        ? compareSpeed({
            aecheck: { value: rate, threads: 1 },
            baseline: { value: torch.data.stepsPerSecond, threads, library: torch.library },
            higherIsBetter: true,
          })
        : { value: null, text: 'baseline missing — no ratio' };
    const wasmRatio = Number.isNaN(ts) ? { value: null, text: 'wasm unavailable' } : vs(ts);
    const jsRatio = vs(js);
    rows.push({
      D,
      K,
      dtype: 'float64',
      aecheckThreads: 1,
      wasmStepsPerSecond: Number.isNaN(ts) ? null : Math.round(ts),
      jsStepsPerSecond: Math.round(js),
      torchThreads: threads,
      torchStepsPerSecond: torch.status === 'ok' ? Math.round(torch.data.stepsPerSecond) : null,
      baseline: torch.status === 'ok' ? torch.label : `missing: ${torch.reason}`,
      baselineBlas: torch.status === 'ok' ? torch.library.blas.kind : null,
      baselineCoretype: torch.status === 'ok' ? torch.library.blas.coretype : null,
      ratio: wasmRatio.value === null ? null : Number(wasmRatio.value.toFixed(2)),
      ratioNote: wasmRatio.value === null ? wasmRatio.text : '',
      jsRatio: jsRatio.value === null ? null : Number(jsRatio.value.toFixed(2)),
      target,
      note: wasmAvailable.available ? '' : `wasm engine unavailable: ${wasmAvailable.reason}`,
    });
  }
}
if (values.json) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  console.log(
    'online SGD, erf, untied, batch 1, float64, spiked sampling included (steps per second, median of reps); both aecheck engines are single-threaded (1 thread), so only the 1-thread PyTorch row has a ratio',
  );
  for (const b of new Set(rows.map((r) => `  PyTorch at ${r.torchThreads} thread(s): ${r.baseline}`))) console.log(b);
  console.log('   D   K  wasm (1 thr)  js (1 thr)  PyTorch  thr  wasm/torch  js/torch  target');
  for (const r of rows) {
    const f = (v: unknown, w: number) => String(v ?? 'n/a').padStart(w);
    console.log(
      `${f(r.D, 4)} ${f(r.K, 3)} ${f(r.wasmStepsPerSecond, 13)} ${f(r.jsStepsPerSecond, 11)} ${f(r.torchStepsPerSecond, 8)} ${f(r.torchThreads, 4)} ${f(r.ratio === null ? null : `${r.ratio}×`, 11)} ${f(r.jsRatio === null ? null : `${r.jsRatio}×`, 9)} ${f(`${r.target}×`, 7)}${r.ratioNote ? `  ${r.ratioNote}` : ''}${r.note ? `  ${r.note}` : ''}`,
    );
  }
}
