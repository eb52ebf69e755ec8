/**
 * One projected-GD iteration of the sign autoencoder at d = 800, r = 2 (n = 1600) on each available backend, against
 * the same iteration written with numpy (pgd_numpy.py, Debian's python3-numpy), measured side by side in one run.
 *
 * Usage: npx tsx benchmarks/shevchenko2023/pgd.bench.ts [--dim 800] [--rate 2] [--backend reference,gpujs:webasm] [--json]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRng } from '../../src/core/rng.ts';
import type { BackendId } from '../../src/kernels/kernelSpecs.ts';
import { availableBackendIds, getKernelSet } from '../../src/kernels/registry.ts';
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
const rows: { backend: string; seconds: number }[] = [];
for (const id of backends) {
  const kernels = await getKernelSet(id);
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
  rows.push({ backend: id, seconds: times[Math.floor(times.length / 2)] });
  if (!values.json) process.stderr.write(`${id}: ${times[Math.floor(times.length / 2)].toFixed(2)} s per iteration\n`);
}
const script = fileURLToPath(new URL('./pgd_numpy.py', import.meta.url));
/** Runs the numpy iteration with `threads` BLAS threads; a missing numpy is reported, never estimated. */
function numpyRun(threads: number): { seconds?: number; missing?: string; numpy?: string; threads: number } {
  const py = spawnSync(
    '/usr/bin/python3',
    [script, '--dim', String(d), '--rate', String(values.rate), '--reps', String(reps), '--threads', String(threads)],
    {
      encoding: 'utf8',
      env: { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) },
    },
  );
  try {
    return {
      ...(py.status === 0
        ? JSON.parse(py.stdout)
        : { missing: `baseline failed: ${py.stderr.trim().split('\n').pop()}` }),
      threads,
    };
  } catch {
    return { missing: 'baseline printed no JSON', threads };
  }
}
const numpyRuns = [numpyRun(1), numpyRun(2)];
const numpy = numpyRuns.reduce((best, r) =>
  r.seconds !== undefined && (best.seconds === undefined || r.seconds < best.seconds) ? r : best,
);
const result = {
  dim: d,
  codeLength: n,
  backends: rows,
  numpy,
  ratios: Object.fromEntries(rows.map((r) => [r.backend, numpy.seconds ? numpy.seconds / r.seconds : null])),
};
if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
else {
  process.stdout.write(`Projected GD, one iteration, d = ${d}, n = ${n}:\n`);
  for (const r of rows)
    process.stdout.write(
      `  ${r.backend.padEnd(18)} ${r.seconds.toFixed(2)} s   speed vs numpy: ${numpy.seconds ? `${(numpy.seconds / r.seconds).toFixed(2)}×` : 'numpy missing'}\n`,
    );
  for (const r of numpyRuns) {
    process.stdout.write(
      r.seconds
        ? `  numpy ${r.numpy} (${r.threads} BLAS threads)  ${r.seconds.toFixed(2)} s\n`
        : `  baseline missing: ${r.missing}\n`,
    );
  }
  process.stdout.write(
    '  ratios use the faster numpy run; the reference backend splits large GEMMs over the available cores\n',
  );
}
