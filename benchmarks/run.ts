/**
 * `npm run bench`: every kernel × available backend × size (interleaved rounds, each result checked against the reference before
 * timing), then GEMM against numpy and PyTorch measured in the same run at 1 thread and at all cores. Each baseline
 * names the BLAS it really ran on (Debian's reference BLAS is labelled and given no ratio) and its threads; each aecheck
 * row names its own threads and dtype, and a ratio is printed only at equal threads and dtype.
 *
 * Usage: npm run bench -- [--json] [--no-baseline] [--backend wasm,reference] [--kernel gemm] [--sizes 64,128,256,512]
 *        [--time 300]
 */
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { BENCH_KERNELS, type BenchKernel, runKernelBench } from '../src/bench/runKernelBench.ts';
import {
  comparisonThreads,
  compareGemm,
  formatGemmComparison,
  gemmRatesOf,
  runPythonBaseline,
} from '../src/bench/runPythonBaseline.ts';
import { BACKEND_IDS, type BackendId } from '../src/kernels/kernelSpecs.ts';
import { getKernelSet } from '../src/kernels/registry.ts';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    'no-baseline': { type: 'boolean', default: false },
    backend: { type: 'string' },
    kernel: { type: 'string' },
    sizes: { type: 'string', default: '64,128,256,512' },
    time: { type: 'string', default: '300' },
  },
});

/** A comma-separated list checked against `allowed`; an unknown entry is an error naming it and the choices. */
function listOf<T extends string>(name: string, raw: string | undefined, allowed: readonly T[]): T[] | undefined {
  if (raw === undefined) return undefined;
  const items = raw.split(',').filter(Boolean);
  for (const item of items)
    if (!allowed.includes(item as T))
      throw new Error(`--${name}: unknown "${item}"; expected one of ${allowed.join(', ')}`);
  return items as T[];
}
const sizes = values.sizes.split(',').map(Number);
if (!sizes.every((s) => Number.isInteger(s) && s >= 1 && s <= 4096))
  throw new Error(`--sizes: got "${values.sizes}"; expected comma-separated integers 1…4096, e.g. 64,128,256,512`);
const timeMs = Number(values.time);
if (!(Number.isInteger(timeMs) && timeMs >= 10))
  throw new Error(`--time: got "${values.time}"; expected milliseconds, an integer ≥ 10`);

const progress = !values.json && process.stderr.isTTY;
const rows = await runKernelBench({
  kernels: listOf<BenchKernel>('kernel', values.kernel, BENCH_KERNELS),
  backends: listOf<BackendId>('backend', values.backend, BACKEND_IDS),
  sizes,
  timeMs,
  onRow: (row) => {
    if (progress && row.status === 'ok')
      process.stderr.write(`  ${row.kernel} ${row.backend} ${row.size}: ${row.rate.toPrecision(3)} ${row.rateUnit}\n`);
  },
});
const precision = new Map<BackendId, 'float64' | 'float32'>();
for (const r of rows)
  if (r.status === 'ok' && !precision.has(r.ranOn)) precision.set(r.ranOn, (await getKernelSet(r.ranOn)).precision);
const rates = gemmRatesOf(rows, (id) => precision.get(id) ?? 'float64');
const baselines = values['no-baseline'] ? [] : comparisonThreads().map((t) => runPythonBaseline(sizes, t));
const gemm = compareGemm(rates, baselines);

if (values.json) {
  process.stdout.write(`${JSON.stringify({ rows, baselines, gemm }, null, 2)}\n`);
} else {
  const table = new Table({
    head: ['kernel', 'backend', 'size', 'median time', 'rate', 'rel. error vs reference'],
    style: { head: [], border: [] },
  });
  for (const r of rows) {
    if (r.status === 'ok')
      table.push([
        r.kernel,
        r.ranOn === r.backend ? r.backend : `${r.backend} (lacks it: ran on ${r.ranOn})`,
        r.size,
        `${(r.seconds * 1e3).toPrecision(3)} ms`,
        `${r.rate.toPrecision(3)} ${r.rateUnit}`,
        r.relativeError.toExponential(1),
      ]);
    else if (r.status === 'wrong')
      table.push([r.kernel, r.backend, r.size, 'WRONG RESULT', '—', `${r.relativeError.toExponential(1)}`]);
    else table.push(['—', r.backend, '—', 'unavailable', r.reason.slice(0, 60), '']);
  }
  process.stdout.write(`${table.toString()}\n`);
  if (baselines.length > 0 && rates.length > 0) process.stdout.write(`\n${formatGemmComparison(gemm, baselines)}\n`);
}
