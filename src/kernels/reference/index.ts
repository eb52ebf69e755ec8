import type { Backend } from '../kernelSpecs.ts';

/** The reference backend: plain TypedArray loops in float64. (Skeleton: the kernels helper fills it in.) */
export const referenceBackend: Backend = { id: 'reference', precision: 'float64', kernels: {} };
