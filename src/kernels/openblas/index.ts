/**
 * The OpenBLAS backends: `openblas` (float64, cblas_d*) and `openblas:f32` (float32, cblas_s*), both over the system's
 * `libopenblas.so.0` through koffi. They implement the dense products — `gemm` (with ?syrk for Gram products and ?gemv
 * for matrix–vector ones), `aeForward` and `aeBackward` (GEMMs with the activation between); every other kernel falls
 * back to `reference`, visibly. Threads: AECHECK_THREADS (default every core). Without the library or koffi the probe
 * reports why and how to fix it, and nothing crashes.
 */
import type { Backend, BackendDescriptor, Precision } from '../kernelSpecs.ts';
import { probeByGemm } from '../probeGemm.ts';
import { makeAeBackward } from './aeBackward.ts';
import { makeAeForward } from './aeForward.ts';
import { makeGemm, makeGemmF32 } from './gemm.ts';
import { type OpenblasLibrary, openblasLibrary } from './openblasLibrary.ts';

/**
 * Creates the backend of one precision over `library` (default: the system's, loaded once); throws with the reason (and
 * the fix) when OpenBLAS cannot load.
 */
export function createOpenblasBackend(precision: Precision, library: OpenblasLibrary = openblasLibrary()): Backend {
  const gemm = makeGemm(library, precision);
  const aeForward = makeAeForward(gemm);
  const aeBackward = makeAeBackward(gemm, aeForward);
  return {
    id: precision === 'float64' ? 'openblas' : 'openblas:f32',
    precision,
    bitExact: false,
    kernels: { gemm, aeForward, aeBackward },
    ...(precision === 'float32' ? { f32: { on: 'openblas:f32' as const, gemm: makeGemmF32(library) } } : {}),
  };
}

/** Priority of the float64 backend (after wasm, before gpu.js); float32 follows. */
const OPENBLAS_PRIORITY = 20;

function descriptor(precision: Precision, offset: number): BackendDescriptor {
  const create = (): Backend => createOpenblasBackend(precision);
  return {
    id: precision === 'float64' ? 'openblas' : 'openblas:f32',
    precision,
    priority: OPENBLAS_PRIORITY + offset,
    create,
    probe: () => probeByGemm(create, `OpenBLAS (${precision})`),
  };
}

/** `openblas` (float64) and `openblas:f32`. */
export const openblasDescriptors: readonly BackendDescriptor[] = [descriptor('float64', 0), descriptor('float32', 1)];
