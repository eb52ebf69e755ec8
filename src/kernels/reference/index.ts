import type { Backend, BackendDescriptor } from '../kernelSpecs.ts';
import { aeBackward } from './aeBackward.ts';
import { aeForward } from './aeForward.ts';
import { elementwise } from './elementwise.ts';
import { gemm } from './gemm.ts';
import { onlineSgdStepper } from './onlineSgd.ts';
import { reduce } from './reduce.ts';
import { sparseEncode, sparseGradient } from './sparseEncode.ts';

/** The reference backend: plain TypedArray loops in float64. Every other backend is checked against it. */
export const referenceBackend: Backend = {
  id: 'reference',
  precision: 'float64',
  bitExact: true,
  kernels: { gemm, aeForward, aeBackward, elementwise, reduce, sparseEncode, sparseGradient, onlineSgdStepper },
};

/** The reference backend's descriptor: always available (it is the definition, and the fallback of every kernel). */
export const referenceDescriptor: BackendDescriptor = {
  id: 'reference',
  precision: 'float64',
  priority: 0,
  create: () => referenceBackend,
  probe: () => ({ available: true, backend: referenceBackend }),
};
