import { checkGemmArgs } from '../checkArgs.ts';
import type { GemmArgs } from '../kernelSpecs.ts';
import { flatten, type GpujsContext, toF32 } from './gpujsContext.ts';

/**
 * gpu.js GEMM: one thread per entry of C computes the length-k dot product of op(A)'s row and op(B)'s column in
 * single precision; alpha and beta·C are applied on the host in float64.
 */
export function makeGemm(ctx: GpujsContext): (args: GemmArgs) => Float64Array {
  return (args) => {
    checkGemmArgs(args);
    const { m, n, k, transA = false, transB = false, alpha = 1, beta = 0 } = args;
    const c = new Float64Array(m * n);
    if (m === 0 || n === 0) return c;
    if (k > 0 && alpha !== 0) {
      const aIndex = transA ? 'p * this.constants.m + this.thread.y' : 'this.thread.y * this.constants.k + p';
      const bIndex = transB ? 'this.thread.x * this.constants.k + p' : 'p * this.constants.n + this.thread.x';
      const source = `function (a, b) {
        let s = 0;
        for (let p = 0; p < this.constants.k; p++) {
          s += a[${aIndex}] * b[${bIndex}];
        }
        return s;
      }`;
      const kernel = ctx.kernel(`gemm:${m}:${n}:${k}:${transA}:${transB}`, source, {
        output: [n, m],
        constants: { m, n, k },
      });
      const product = flatten(kernel(toF32(args.a), toF32(args.b)), m * n);
      for (let i = 0; i < m * n; i++) c[i] = alpha * product[i];
    }
    if (beta !== 0 && args.c) for (let i = 0; i < m * n; i++) c[i] += beta * args.c[i];
    return c;
  };
}
