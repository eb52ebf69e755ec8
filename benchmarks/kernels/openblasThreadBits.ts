/**
 * Does OpenBLAS give the same bits on 1 and 2 threads? For the GEMM shapes of tied SGD at paper scale (batch 500,
 * n = 200, d = 100) and two square ones, prints how many entries differ between a call on 1 thread and the same call on
 * 2 threads. Measured 2026-12-01 (OpenBLAS 0.3.21, 2 cores): the tied-SGD shapes differ (689 of 100 000 entries of
 * X·Bᵀ on the Haswell kernels, 14 916 of 20 000 of Sᵀ·R), the square ones do not. This is why `verify` runs every
 * claim on one BLAS thread whatever `--jobs` is (src/claims/pool/runPool.ts, docs/verdicts.md).
 *
 *   npx tsx benchmarks/kernels/openblasThreadBits.ts
 */
import { createRng } from '../../src/core/rng.ts';
import { openblasLibrary } from '../../src/kernels/openblas/openblasLibrary.ts';
import { getKernelSet } from '../../src/kernels/registry.ts';

const library = openblasLibrary();
const kernels = await getKernelSet('openblas');
console.log(`OpenBLAS: ${library.config} (core ${library.coreName})`);
const rng = createRng(1);
const normal = (size: number): Float64Array => {
  const out = new Float64Array(size);
  rng.fillNormal(out);
  return out;
};
const [batch, n, d] = [500, 200, 100];
const x = normal(batch * d);
const b = normal(n * d);
const s = normal(batch * n).map(Math.sign);
const sq160 = normal(160 * 160);
const sq512 = normal(512 * 512);
const cases: Record<string, () => Float64Array> = {
  'X·Bᵀ (500×100 · 100×200)': () => kernels.gemm({ m: batch, n, k: d, a: x, b, transB: true }),
  'S·B (500×200 · 200×100)': () => kernels.gemm({ m: batch, n: d, k: n, a: s, b }),
  'Sᵀ·X (200×500 · 500×100)': () => kernels.gemm({ m: n, n: d, k: batch, a: s, b: x, transA: true }),
  'square 160': () => kernels.gemm({ m: 160, n: 160, k: 160, a: sq160, b: sq160 }),
  'square 512': () => kernels.gemm({ m: 512, n: 512, k: 512, a: sq512, b: sq512 }),
};
for (const [name, product] of Object.entries(cases)) {
  library.setThreads(1);
  const one = product();
  library.setThreads(2);
  const two = product();
  let differ = 0;
  for (let i = 0; i < one.length; i++) if (one[i] !== two[i]) differ++;
  console.log(`${name}: ${differ} of ${one.length} entries differ between 1 and 2 threads`);
}
