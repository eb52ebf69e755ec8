/**
 * One projected-GD iteration of the sign autoencoder at d = 800, r = 2 (n = 1600) on each available backend, against
 * the same iteration written with numpy (pgd_numpy.py, Debian's python3-numpy at 1 thread and at all cores, its BLAS
 * reported), measured side by side in one run. aecheck is timed at each of the baseline's thread counts (OpenBLAS set
 * to it, as `aecheck bench --threads` does), so every ratio compares equal thread counts; a ratio is given only against
 * an optimised BLAS. Both sides exclude one warm-up iteration and take the median of `--reps` timed ones.
 *
 * Usage: npx tsx benchmarks/shevchenko2023/pgd.bench.ts [--dim 800] [--rate 2] [--backend auto,wasm] [--json]
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
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
    json: { type: 'boolean', default: false },
  },
});
const d = Number(values.dim);
const n = Math.round(Number(values.rate) * d);
const reps = Number(values.reps);
const backends = (values.backend?.split(',') as BackendId[] | undefined) ?? (await availableBackendIds());

const rng = createRng(0);
const a = gaussianMatrix(d, n, rng, 1 / Math.sqrt(d));
const b = gaussianMatrix(n, d, rng);
/** A projected-GD iteration's largest products (B̂B̂ᵀ, A·arcsin M, AᵀA, G·B̂) have about n²·d multiply-adds. */
const multiplyAdds = n * n * d;
const rows: { backend: string; threads: number; seconds: number }[] = [];
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
    projectedGd({ decoder: a, encoder: b, iterations: 1, kernels }); // warm-up (and gpu.js compilation)
    const times: number[] = [];
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      // One step = the gradient at the start, the update, and the risk at the end; subtract a zero-step evaluation.
      projectedGd({ decoder: a, encoder: b, iterations: 1, kernels });
      const t1 = performance.now();
      projectedGd({ decoder: a, encoder: b, iterations: 0, kernels });
      const t2 = performance.now();
      times.push((t1 - t0 - (t2 - t1)) / 1000);
    }
    times.sort((x, y) => x - y);
    rows.push({ backend: id, threads, seconds: times[Math.floor(times.length / 2)] });
    if (!values.json)
      process.stderr.write(
        `${id} (${threads} thread(s)): ${times[Math.floor(times.length / 2)].toFixed(3)} s per iteration\n`,
      );
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
if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
else {
  process.stdout.write(
    `Projected GD, one iteration, d = ${d}, n = ${n}, float64 (seconds; speed = numpy ÷ aecheck at the same threads):\n`,
  );
  if (result.openblasCore) process.stdout.write(`  aecheck's OpenBLAS core: ${result.openblasCore}\n`);
  for (const base of numpyRuns)
    process.stdout.write(
      base.status === 'ok'
        ? `  numpy at ${base.threads} thread(s): ${base.data.seconds.toFixed(3)} s — ${base.label}\n`
        : `  numpy at ${base.threads} thread(s): missing — ${base.reason}\n`,
    );
  for (const r of result.backends)
    process.stdout.write(
      `  ${r.backend.padEnd(18)} ${String(r.threads).padStart(2)} thread(s) ${r.seconds.toFixed(3)} s   ${numpyRuns
        .map((base) => `vs numpy@${base.threads}: ${r.vsNumpy[String(base.threads)].text}`)
        .join('   ')}\n`,
    );
  process.stdout.write(
    '  (the reference backend splits large GEMMs over min(AECHECK_THREADS or cores, 8) threads; wasm and gpu.js run on one)\n',
  );
}
