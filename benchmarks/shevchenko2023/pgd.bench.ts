/**
 * One projected-GD iteration of the sign autoencoder at d = 800, r = 2 (n = 1600) on each available backend, against
 * the same iteration written with numpy (pgd_numpy.py, Debian's python3-numpy at 1 thread and at all cores, its BLAS
 * reported), measured side by side in one run. aecheck is timed at each of the baseline's thread counts (OpenBLAS set
 * to it, as `aecheck bench --threads` does), so every ratio compares equal thread counts; a ratio is given only against
 * an optimised BLAS. Both sides exclude one warm-up iteration and take the median of `--reps` timed ones (aecheck's
 * with tinybench, every run kept as a sample): `--json` gives each backend's median and spread beside the ratio,
 * the baseline's BLAS and both sides' threads, and `--save`/`--compare` guard against regressions (docs/ci.md).
 *
 * Usage: npx tsx benchmarks/shevchenko2023/pgd.bench.ts [--dim 800] [--rate 2] [--backend auto,wasm] [--reps 3] [--steps 3]
 *        [--json] [--save FILE] [--compare FILE [--fail-above 10%] [--current FILE]]
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { type BenchCase, benchCase } from '../../src/bench/benchFile.ts';
import { finishPaperBench, GUARD_ARGS, pairedSlopeSamples, planPaperGuard } from '../../src/bench/paperBench.ts';
import {
  backendThreads,
  comparisonThreads,
  compareSpeed,
  runLibraryBaseline,
  runtimeSchema,
} from '../../src/bench/runPythonBaseline.ts';
import { createRng } from '../../src/core/rng.ts';
import type { BackendId } from '../../src/kernels/kernelSpecs.ts';
import { openblasLibrary } from '../../src/kernels/openblas/openblasLibrary.ts';
import { availableBackendIds, getKernelSet, probeBackends } from '../../src/kernels/registry.ts';
import { gaussianMatrix } from '../../src/sim/shevchenko2023/constructions.ts';
import { projectedGd } from '../../src/sim/shevchenko2023/projectedGd.ts';

const { values } = parseArgs({
  options: {
    dim: { type: 'string', default: '800' },
    rate: { type: 'string', default: '2' },
    backend: { type: 'string' },
    reps: { type: 'string', default: '3' },
    steps: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
    ...GUARD_ARGS,
  },
});
const plan = planPaperGuard(values, values.json);
const d = Number(values.dim);
const n = Math.round(Number(values.rate) * d);
const reps = Number(values.reps);
const extraSteps = Number(values.steps);
if (!(Number.isInteger(extraSteps) && extraSteps >= 1)) {
  throw new Error(
    `--steps: expected a whole number ≥ 1 (the extra iterations of each paired sample), got ${values.steps}`,
  );
}
const backends = (values.backend?.split(',') as BackendId[] | undefined) ?? (await availableBackendIds());

const rng = createRng(0);
const a = gaussianMatrix(d, n, rng, 1 / Math.sqrt(d));
const b = gaussianMatrix(n, d, rng);
/** A projected-GD iteration's largest products (B̂B̂ᵀ, A·arcsin M, AᵀA, G·B̂) have about n²·d multiply-adds. */
const multiplyAdds = n * n * d;
const rows: { backend: string; threads: number; seconds: number; iqrSeconds: number; samples: number }[] = [];
const cases: BenchCase[] = [];
const blasAvailable = (await probeBackends()).some((s) => s.id === 'openblas' && s.available);
for (const threadsWanted of comparisonThreads()) {
  process.env.AECHECK_THREADS = String(threadsWanted);
  if (blasAvailable) openblasLibrary().setThreads(threadsWanted);
  for (const id of backends) {
    const kernels = await getKernelSet(id);
    // Only GEMM is multi-threaded (OpenBLAS, or the reference backend's row split); the rest runs on the calling thread.
    const threads = backendThreads(kernels.resolved.gemm, multiplyAdds);
    // A single-threaded backend is timed once (at the first thread count).
    if (rows.some((r) => r.backend === id && r.threads === threads)) continue;
    // One warm-up call of each (and gpu.js compilation), then `reps` timed pairs: a run of 1 + k iterations and a run of
    // one (each with its set-up and the risk at the end), in alternating order. A sample is their difference over k:
    // what k steady-state iterations add, the quantity numpy's per-step timing measures. The earlier estimate, the
    // median of one-step runs minus the median of zero-step runs taken after them, carried the JIT's warm-up and the
    // risk evaluation's own spread (224–683 ms from run to run) into the difference: it gave 0.25–0.43 s where the
    // paired samples give 0.16–0.22 s (docs/kernels.md). The saved case (for --compare) is the long runs themselves,
    // whose samples are all real measurements (a difference of two timings can come out negative under load).
    const run = (iterations: number) => () => projectedGd({ decoder: a, encoder: b, iterations, kernels });
    const { perIteration, long } = pairedSlopeSamples(run(1), run(1 + extraSteps), extraSteps, reps);
    const longRuns = benchCase(`d${d}-n${n}/${id}@${threads}`, long, {
      dim: d,
      codeLength: n,
      backend: id,
      threads,
      measures: `${1 + extraSteps} projected-GD steps plus the set-up and the risk evaluation`,
    });
    cases.push(longRuns);
    const iteration = benchCase('iteration', perIteration);
    const seconds = iteration.median;
    rows.push({ backend: id, threads, seconds, iqrSeconds: iteration.iqr, samples: iteration.count });
    if (!values.json) process.stderr.write(`${id} (${threads} thread(s)): ${seconds.toFixed(3)} s per iteration\n`);
  }
}
const script = fileURLToPath(new URL('./pgd_numpy.py', import.meta.url));
/** What pgd_numpy.py prints. */
const numpySchema = z.object({
  seconds: z.number().positive(),
  threads: z.number().int().positive(),
  dtype: z.literal('float64'),
  runtime: runtimeSchema,
});
/** The numpy iteration at 1 thread and at all cores; a missing numpy is reported, never estimated. */
const numpyRuns = comparisonThreads().map((threads) =>
  runLibraryBaseline({
    script,
    args: ['--dim', String(d), '--rate', String(values.rate), '--reps', String(reps), '--threads', String(threads)],
    threads,
    schema: numpySchema,
    library: 'numpy',
  }),
);
const ratioOf = (r: (typeof rows)[number], base: (typeof numpyRuns)[number]) =>
  base.status === 'ok'
    ? compareSpeed({
        aecheck: { value: r.seconds, threads: r.threads },
        baseline: { value: base.data.seconds, threads: base.threads, library: base.library },
        higherIsBetter: false,
      })
    : { value: null, text: `baseline missing — ${base.reason}` };
const result = {
  dim: d,
  codeLength: n,
  dtype: 'float64',
  /** The core type aecheck's OpenBLAS selected (OPENBLAS_CORETYPE overrides it), beside the baseline's. */
  openblasCore: blasAvailable ? openblasLibrary().coreName : null,
  backends: rows.map((r) => ({
    ...r,
    // Speed over numpy (numpy seconds ÷ aecheck seconds) at each baseline thread count, or why there is none.
    vsNumpy: Object.fromEntries(numpyRuns.map((base) => [String(base.threads), ratioOf(r, base)])),
  })),
  numpy: numpyRuns.map((base) =>
    base.status === 'ok'
      ? {
          threads: base.threads,
          seconds: base.data.seconds,
          baseline: base.label,
          blas: base.library.blas.kind,
          coretype: base.library.blas.coretype,
        }
      : { threads: base.threads, missing: base.reason },
  ),
};
const lines: string[] = [];
lines.push(
  `Projected GD, one iteration, d = ${d}, n = ${n}, float64 (seconds: median over ${reps} pairs of (a ${1 + extraSteps}-iteration run − a 1-iteration run) / ${extraSteps}, ± half their IQR; speed = numpy ÷ aecheck at the same threads):`,
);
if (result.openblasCore) lines.push(`  aecheck's OpenBLAS core: ${result.openblasCore}`);
for (const base of numpyRuns)
  lines.push(
    base.status === 'ok'
      ? `  numpy at ${base.threads} thread(s): ${base.data.seconds.toFixed(3)} s — ${base.label}`
      : `  numpy at ${base.threads} thread(s): missing — ${base.reason}`,
  );
for (const r of result.backends)
  lines.push(
    `  ${r.backend.padEnd(18)} ${String(r.threads).padStart(2)} thread(s) ${r.seconds.toFixed(3)} s ±${((50 * r.iqrSeconds) / r.seconds).toFixed(0)}%   ${numpyRuns
      .map((base) => `vs numpy@${base.threads}: ${r.vsNumpy[String(base.threads)].text}`)
      .join('   ')}`,
  );
lines.push(
  '  (the reference backend splits large GEMMs over min(AECHECK_THREADS or cores, 8) threads; wasm and gpu.js run on one)',
);
await finishPaperBench({
  benchmark: 'shevchenko2023-pgd',
  plan,
  cases,
  options: { dim: d, rate: Number(values.rate), reps, steps: extraSteps, backends },
  baselineThreads: comparisonThreads(),
  json: values.json,
  payload: result,
  text: lines.join('\n'),
});
