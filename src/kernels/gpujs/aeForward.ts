import { checkAeArgs } from '../checkArgs.ts';
import type { AeForwardArgs, AeForwardResult, ElementwiseArgs, GemmArgs } from '../kernelSpecs.ts';
import { flatten, type GpujsContext, toF32 } from './gpujsContext.ts';

/** The kernels the composite passes reuse. */
export interface GpujsParts {
  gemm: (args: GemmArgs) => Float64Array;
  elementwise: (args: ElementwiseArgs) => Float64Array;
}

/** gpu.js forward pass: a pre-activation kernel (one thread per (sample, unit)), then g and X̂ = h Vᵀ by the backend's
 * own elementwise and gemm kernels. */
export function makeAeForward(ctx: GpujsContext, parts: GpujsParts): (args: AeForwardArgs) => AeForwardResult {
  return (args) => {
    checkAeArgs(args);
    const { batch: nb, inputDim: d, hidden: k } = args;
    if (nb === 0 || k === 0) {
      return { pre: new Float64Array(nb * k), hidden: new Float64Array(nb * k), out: new Float64Array(nb * d) };
    }
    const source = `function (x, w, bias) {
      let s = 0;
      for (let p = 0; p < this.constants.d; p++) {
        s += x[this.thread.y * this.constants.d + p] * w[this.thread.x * this.constants.d + p];
      }
      return s * this.constants.invSqrtD + bias[this.thread.x];
    }`;
    const kernel = ctx.kernel(`aePre:${nb}:${d}:${k}`, source, {
      output: [k, nb],
      constants: { d, invSqrtD: 1 / Math.sqrt(d) },
    });
    const bias = args.bias ? toF32(args.bias) : new Float32Array(k);
    const pre = flatten(kernel(toF32(args.x), toF32(args.w), bias), nb * k);
    const hidden = parts.elementwise({ op: args.activation, x: pre });
    const out = parts.gemm({ m: nb, n: d, k, a: hidden, b: args.v, transB: true });
    return { pre, hidden, out };
  };
}
