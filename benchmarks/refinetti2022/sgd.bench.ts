/**
 * Online SGD steps per second for the Refinetti & Goldt 2022 autoencoder (erf, untied, vanilla, batch 1, sampling from
 * the spiked model included: exact eigendecomposition, O(D·M) per sample, M = K), against a minimal PyTorch loop of
 * the same model on the same distribution (sgd_torch.py, Debian's python3-torch, at 1 thread and at all cores, its BLAS
 * reported), side by side in one run. The aecheck engines are single-threaded, so only the 1-thread row has a ratio.
 * Targets (issue 12; issue 3 had 30× and 10×): ≥ 50× at D = 500, K = 2 and ≥ 20× at D = 1000, K = 8. Both engines of the simulator are measured:
 * WebAssembly SIMD (the default) and plain JavaScript (the fallback); they compute the same bits.
 *
 * Each engine is timed with tinybench (`--reps` runs of `--steps` steps after a shorter warm-up run, every run kept as
 * a sample of seconds per step): `--json` gives the median and spread beside the ratio, the baseline's BLAS and both
 * sides' threads, and the run's metadata; `--save`/`--compare` guard against regressions (docs/ci.md).
 *
 * Usage: npx tsx benchmarks/refinetti2022/sgd.bench.ts [--steps 200000] [--torchSteps 5000] [--reps 3] [--json]
 *        [--save FILE] [--compare FILE [--fail-above 10%] [--current FILE]]
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { type BenchCase, benchCase } from '../../src/bench/benchFile.ts';
import { finishPaperBench, GUARD_ARGS, planPaperGuard, tinybenchSamples } from '../../src/bench/paperBench.ts';
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
    ...GUARD_ARGS,
  },
});
const plan = planPaperGuard(values, values.json);
/** The issue's two configurations and their targets. */
const CASES = [
  { dim: 500, hidden: 2, target: 50 },
  { dim: 1000, hidden: 8, target: 20 },
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
const cases: BenchCase[] = [];
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
  /** Steps per second of one engine: the inverse of its median seconds per step (after a JIT warm-up run). */
  const rate = async (engine: 'wasm' | 'js'): Promise<{ rate: number; step: BenchCase }> => {
    run(Math.min(20_000, steps), engine);
    const perStep = (
      await tinybenchSamples(`sgd ${engine}`, () => run(steps, engine), {
        iterations: Number(values.reps),
        warmupIterations: 0,
      })
    ).map((s) => s / steps);
    const step = benchCase(`D${D}-K${K}/${engine}`, perStep, { D, K, engine, threads: 1, stepsPerRun: steps });
    cases.push(step);
    return { rate: 1 / step.median, step };
  };
  const wasmAvailable = probeOnlineSgdWasm();
  const wasmRun = wasmAvailable.available ? await rate('wasm') : undefined;
  const ts = wasmRun ? wasmRun.rate : Number.NaN;
  const jsRun = await rate('js');
  const js = jsRun.rate;
  /** Half the IQR over the median, in percent. */
  const spread = (c: BenchCase | undefined) => (c ? Number(((50 * c.iqr) / c.median).toFixed(1)) : null);
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
      wasmSpreadPercent: spread(wasmRun?.step),
      jsStepsPerSecond: Math.round(js),
      jsSpreadPercent: spread(jsRun.step),
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
const lines = [
  `online SGD, erf, untied, batch 1, float64, spiked sampling included (steps per second from the median of ${values.reps} tinybench runs); both aecheck engines are single-threaded (1 thread), so only the 1-thread PyTorch row has a ratio`,
  ...new Set(rows.map((r) => `  PyTorch at ${r.torchThreads} thread(s): ${r.baseline}`)),
  '   D   K  wasm (1 thr)  ±IQR/2  js (1 thr)  PyTorch  thr  wasm/torch  js/torch  target',
];
for (const r of rows) {
  const f = (v: unknown, w: number) => String(v ?? 'n/a').padStart(w);
  lines.push(
    `${f(r.D, 4)} ${f(r.K, 3)} ${f(r.wasmStepsPerSecond, 13)} ${f(r.wasmSpreadPercent === null ? null : `${r.wasmSpreadPercent}%`, 7)} ${f(r.jsStepsPerSecond, 11)} ${f(r.torchStepsPerSecond, 8)} ${f(r.torchThreads, 4)} ${f(r.ratio === null ? null : `${r.ratio}×`, 11)} ${f(r.jsRatio === null ? null : `${r.jsRatio}×`, 9)} ${f(`${r.target}×`, 7)}${r.ratioNote ? `  ${r.ratioNote}` : ''}${r.note ? `  ${r.note}` : ''}`,
  );
}
await finishPaperBench({
  benchmark: 'refinetti2022-sgd',
  plan,
  cases,
  options: { steps: Number(values.steps), torchSteps: Number(values.torchSteps), reps: Number(values.reps) },
  baselineThreads: comparisonThreads(),
  json: values.json,
  payload: { rows },
  text: lines.join('\n'),
});
