import type { AeBackwardArgs, AeBackwardResult, ElementwiseOp, ReduceArgs } from '../kernelSpecs.ts';
import type { GpujsParts } from './aeForward.ts';

const DERIVATIVE: Record<AeBackwardArgs['activation'], ElementwiseOp> = {
  linear: 'dLinear',
  erf: 'dErf',
  relu: 'dRelu',
  sign: 'dSign',
};

/**
 * gpu.js backward pass, composed of the backend's own kernels: E = X̂ − X, ∂L/∂V = Eᵀh, Δ = (E V) ⊙ g'(λ),
 * ∂L/∂W = Δᵀ X/√D, ∂L/∂b = column sums of Δ, L = ½‖E‖².
 */
export function makeAeBackward(
  forward: (args: AeBackwardArgs) => { pre: Float64Array; hidden: Float64Array; out: Float64Array },
  parts: GpujsParts & { reduce: (args: ReduceArgs) => Float64Array },
): (args: AeBackwardArgs) => AeBackwardResult {
  return (args) => {
    const { batch: nb, inputDim: d, hidden: k } = args;
    const { pre, hidden, out } = forward(args);
    if (nb === 0)
      return { gradW: new Float64Array(k * d), gradBias: new Float64Array(k), gradV: new Float64Array(d * k), loss: 0 };
    const e = parts.elementwise({ op: 'axpy', x: args.x, y: out, alpha: -1 });
    const loss = 0.5 * parts.reduce({ op: 'sumSquares', x: e, rows: nb, cols: d, axis: 'all' })[0];
    if (k === 0) return { gradW: new Float64Array(0), gradBias: new Float64Array(0), gradV: new Float64Array(0), loss };
    const gradV = parts.gemm({ m: d, n: k, k: nb, a: e, b: hidden, transA: true });
    const back = parts.gemm({ m: nb, n: k, k: d, a: e, b: args.v });
    const delta = parts.elementwise({
      op: 'mul',
      x: back,
      y: parts.elementwise({ op: DERIVATIVE[args.activation], x: pre }),
    });
    const gradW = parts.gemm({ m: k, n: d, k: nb, a: delta, b: args.x, transA: true, alpha: 1 / Math.sqrt(d) });
    const gradBias = parts.reduce({ op: 'sum', x: delta, rows: nb, cols: k, axis: 'cols' });
    return { gradW, gradBias, gradV, loss };
  };
}
