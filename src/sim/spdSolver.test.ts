import { expect, test } from 'vitest';
import { choleskySolve } from '../core/linalg.ts';
import { matrix } from '../core/matrix.ts';
import type { KernelSet } from '../kernels/kernelSpecs.ts';
import { loadOpenblasLibrary, OPENBLAS_FIX, type OpenblasLibrary } from '../kernels/openblas/openblasLibrary.ts';
import { getKernelSet, probeBackends } from '../kernels/registry.ts';
import { spdSolver } from './spdSolver.ts';

/** The part of a KernelSet the choice reads: which backend runs `gemm`, and why. */
function kernelsWithGemmOn(id: string): Pick<KernelSet, 'resolved' | 'reasons'> {
  return { resolved: { gemm: id }, reasons: { gemm: `gemm runs on ${id}` } } as unknown as Pick<
    KernelSet,
    'resolved' | 'reasons'
  >;
}

const openblasOk = (await probeBackends()).find((s) => s.id === 'openblas')?.available === true;
const s = matrix(3, 3, Float64Array.of(2, 1, 0, 1, 3, 1, 0, 1, 4));
const b = matrix(3, 2, Float64Array.of(1, 0, 0, 1, 1, 1));

test('without the library the JavaScript solve runs, and the note says why and how to fix it', () => {
  const solver = spdSolver(kernelsWithGemmOn('openblas'), {
    library: () => loadOpenblasLibrary('libopenblas-missing.so.0'),
  });
  expect(solver.on).toBe('javascript');
  expect(solver.solve).toBe(choleskySolve);
  expect(solver.note).toMatch(/^javascript \(Cholesky\): OpenBLAS cannot load .*libopenblas-missing\.so\.0/);
  expect(solver.note).toContain(OPENBLAS_FIX);
});

test('an OpenBLAS without LAPACK falls back to the JavaScript solve with its reason', () => {
  const noLapack = { lapack: { available: false, reason: 'no dpotrf_ here' } } as unknown as OpenblasLibrary;
  const solver = spdSolver(kernelsWithGemmOn('openblas'), { library: () => noLapack });
  expect(solver.on).toBe('javascript');
  expect(solver.note).toBe('javascript (Cholesky): no dpotrf_ here');
});

test('a run whose kernels do not use OpenBLAS (--backend reference, wasm) keeps the JavaScript solve', () => {
  for (const id of ['reference', 'wasm', 'gpujs:cpu']) {
    const solver = spdSolver(kernelsWithGemmOn(id), {
      library: () => {
        throw new Error('must not be loaded');
      },
    });
    expect(solver.on).toBe('javascript');
    expect(solver.note).toContain(`do not use OpenBLAS (gemm on ${id}: gemm runs on ${id})`);
  }
});

test.skipIf(!openblasOk)('auto and openblas runs use dpotrf/dpotrs when the system OpenBLAS loads', async () => {
  for (const id of ['auto', 'openblas']) {
    const solver = spdSolver(await getKernelSet(id));
    expect(solver.on).toBe('openblas');
    expect(solver.note).toBe('openblas dpotrf/dpotrs');
    const native = solver.solve(s, b);
    const js = choleskySolve(s, b);
    for (let i = 0; i < 6; i++) expect(Math.abs(native.data[i] - js.data[i])).toBeLessThanOrEqual(1e-15);
  }
  expect(spdSolver(await getKernelSet('reference')).on).toBe('javascript');
});
