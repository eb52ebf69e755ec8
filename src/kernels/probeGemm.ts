/**
 * The start-up check every backend's probe runs: small GEMMs of small integers with every combination of transposes,
 * α and β, compared with the reference. Small integers keep every partial sum exact in float32 as in float64, so the
 * result must be exact on every backend — a wrong stride, a swapped transpose or a dropped β shows at once.
 */
import type { Backend, GemmArgs } from './kernelSpecs.ts';
import { gemm as referenceGemm } from './reference/gemm.ts';

/** Shapes of the smoke products (m, n, k): not square, not powers of two, so a swapped dimension cannot hide. */
const SMOKE_SHAPES = [
  [5, 6, 3],
  [3, 7, 9],
] as const;

/** The first line of an error, for a probe's reason. */
export function firstLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e)
    .split('\n')[0]
    .slice(0, 240);
}

/** Runs the smoke GEMMs on `backend`; returns undefined when every one is exact, else what went wrong. */
export function probeGemm(backend: Backend): string | undefined {
  const gemm = backend.kernels.gemm;
  if (!gemm) return undefined;
  for (const [m, n, k] of SMOKE_SHAPES) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const args: GemmArgs = {
          m,
          n,
          k,
          a: Float64Array.from({ length: m * k }, (_, i) => ((i * 7) % 11) - 5),
          b: Float64Array.from({ length: k * n }, (_, i) => ((i * 5) % 13) - 6),
          transA,
          transB,
          alpha: transA ? 2 : 1,
          beta: transB ? -1 : 0,
          c: Float64Array.from({ length: m * n }, (_, i) => (i % 5) - 2),
        };
        const want = referenceGemm(args);
        let got: Float64Array;
        try {
          got = gemm(args);
        } catch (e) {
          return `its GEMM threw on a ${m}×${n}×${k} product: ${firstLine(e)}`;
        }
        if (got.length !== want.length || got.some((v, i) => v !== want[i])) {
          return `its GEMM gave wrong results on a ${m}×${n}×${k} product of small integers (transA ${transA}, transB ${transB}): ${Array.from(got.subarray(0, 6)).join(',')}… against ${Array.from(want.subarray(0, 6)).join(',')}…`;
        }
      }
    }
  }
  return undefined;
}

/** A probe built from `create`: the backend if it can be created and passes {@link probeGemm}, else the reason. */
export function probeByGemm(
  create: () => Backend,
  describe: string,
): { available: true; backend: Backend } | { available: false; reason: string } {
  let backend: Backend;
  try {
    backend = create();
  } catch (e) {
    return { available: false, reason: firstLine(e) };
  }
  const problem = probeGemm(backend);
  if (problem) {
    backend.dispose?.();
    return { available: false, reason: `${describe}: ${problem}` };
  }
  return { available: true, backend };
}
