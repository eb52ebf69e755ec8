import { expect, test } from 'vitest';
import { symmetricEigen } from '../core/linalg.ts';
import { matrix } from '../core/matrix.ts';
import type { KernelSet } from '../kernels/kernelSpecs.ts';
import { loadOpenblasLibrary, OPENBLAS_FIX, type OpenblasLibrary } from '../kernels/openblas/openblasLibrary.ts';
import { getKernelSet, probeBackends } from '../kernels/registry.ts';
import { symmetricEigenSolver } from './symmetricEigenSolver.ts';

/** The part of a KernelSet the solver reads: which backend runs `gemm`, and why. */
function kernelsWithGemmOn(id: string): Pick<KernelSet, 'resolved' | 'reasons'> {
  return { resolved: { gemm: id }, reasons: { gemm: `gemm runs on ${id}` } } as unknown as Pick<
    KernelSet,
    'resolved' | 'reasons'
  >;
}

const openblasOk = (await probeBackends()).find((s) => s.id === 'openblas')?.available === true;
const m = matrix(3, 3, Float64Array.of(2, 1, 0, 1, 3, 1, 0, 1, 4));

test('without the library the JavaScript solver runs, and the note says why and how to fix it', () => {
  const solver = symmetricEigenSolver(kernelsWithGemmOn('openblas'), {
    library: () => loadOpenblasLibrary('libopenblas-missing.so.0'),
  });
  expect(solver.on).toBe('javascript');
  expect(solver.solve).toBe(symmetricEigen);
  expect(solver.note).toMatch(/^javascript \(ml-matrix\): OpenBLAS cannot load .*libopenblas-missing\.so\.0/);
  expect(solver.note).toContain(OPENBLAS_FIX);
  expect(Array.from(solver.solve(m).values)).toEqual(Array.from(symmetricEigen(m).values));
});

test('an OpenBLAS without LAPACK falls back to the JavaScript solver with its reason', () => {
  const noLapack = { lapack: { available: false, reason: 'no dsyevd_ here' } } as unknown as OpenblasLibrary;
  const solver = symmetricEigenSolver(kernelsWithGemmOn('openblas'), { library: () => noLapack });
  expect(solver.on).toBe('javascript');
  expect(solver.note).toBe('javascript (ml-matrix): no dsyevd_ here');
});

test('a run whose kernels do not use OpenBLAS (--backend reference, wasm) keeps the JavaScript solver', () => {
  let loaded = false;
  for (const id of ['reference', 'wasm', 'gpujs:cpu']) {
    const solver = symmetricEigenSolver(kernelsWithGemmOn(id), {
      library: () => {
        loaded = true;
        throw new Error('must not be loaded');
      },
    });
    expect(solver.on).toBe('javascript');
    expect(solver.note).toContain(`do not use OpenBLAS (gemm on ${id}: gemm runs on ${id})`);
  }
  expect(loaded).toBe(false);
});

test.skipIf(!openblasOk)('auto and openblas runs use dsyevd when the system OpenBLAS loads', async () => {
  for (const id of ['auto', 'openblas']) {
    const solver = symmetricEigenSolver(await getKernelSet(id));
    expect(solver.on).toBe('openblas');
    expect(solver.note).toBe('openblas dsyevd');
    const native = solver.solve(m);
    const js = symmetricEigen(m);
    for (let t = 0; t < 3; t++) expect(Math.abs(native.values[t] - js.values[t])).toBeLessThanOrEqual(1e-14 * 5);
  }
  expect(symmetricEigenSolver(await getKernelSet('reference')).on).toBe('javascript');
});
