import type { Backend } from '../kernelSpecs.ts';
import { makeAeBackward } from './aeBackward.ts';
import { makeAeForward } from './aeForward.ts';
import { makeElementwise } from './elementwise.ts';
import { makeGemm } from './gemm.ts';
import { createGpujsContext, type GpujsMode } from './gpujsContext.ts';
import { makeReduce } from './reduce.ts';
import { makeSparseEncode, makeSparseGradient } from './sparse.ts';

/** A gpu.js backend of one mode (float32). Throws when the mode cannot run here; the registry's probe catches it. */
export function createGpujsBackend(mode: GpujsMode): Backend {
  const ctx = createGpujsContext(mode);
  const gemm = makeGemm(ctx);
  const elementwise = makeElementwise(ctx);
  const reduce = makeReduce(ctx);
  const aeForward = makeAeForward(ctx, { gemm, elementwise });
  const aeBackward = makeAeBackward(aeForward, { gemm, elementwise, reduce });
  return {
    id: `gpujs:${mode}`,
    precision: 'float32',
    bitExact: false,
    kernels: {
      gemm,
      elementwise,
      reduce,
      aeForward,
      aeBackward,
      sparseEncode: makeSparseEncode(ctx),
      sparseGradient: makeSparseGradient(ctx),
    },
    dispose: () => ctx.dispose(),
  };
}
