import type { Backend } from '../kernelSpecs.ts';
import { aeBackward } from './aeBackward.ts';
import { aeForward } from './aeForward.ts';
import { elementwise } from './elementwise.ts';
import { gemm } from './gemm.ts';
import { reduce } from './reduce.ts';
import { sparseEncode, sparseGradient } from './sparseEncode.ts';

/** The reference backend: plain TypedArray loops in float64. Every other backend is checked against it. */
export const referenceBackend: Backend = {
  id: 'reference',
  precision: 'float64',
  kernels: { gemm, aeForward, aeBackward, elementwise, reduce, sparseEncode, sparseGradient },
};
