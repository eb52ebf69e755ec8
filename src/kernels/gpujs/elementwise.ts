import { ValidationError } from '../../core/errors.ts';
import type { ElementwiseArgs, ElementwiseOp } from '../kernelSpecs.ts';
import { flatten, type GpujsContext, toF32 } from './gpujsContext.ts';

/** The expression of each op in terms of v = x[i], w = y[i] and alpha (gpu.js kernel language). */
const EXPRESSIONS: Record<ElementwiseOp, string> = {
  linear: 'v',
  erf: 'erfApprox(v * 0.7071067811865476)',
  relu: 'Math.max(v, 0)',
  sign: '(v > 0 ? 1 : (v < 0 ? -1 : 0))',
  dLinear: '1',
  dErf: '0.7978845608028654 * Math.exp(-0.5 * v * v)',
  dRelu: '(v > 0 ? 1 : 0)',
  dSign: '0',
  arcsin: 'asinApprox(v)',
  square: 'v * v',
  scale: 'alpha * v',
  add: 'v + w',
  mul: 'v * w',
  axpy: 'alpha * v + w',
};

const BINARY: readonly ElementwiseOp[] = ['add', 'mul', 'axpy'];

/** gpu.js elementwise map: one thread per entry. */
export function makeElementwise(ctx: GpujsContext): (args: ElementwiseArgs) => Float64Array {
  return (args) => {
    const { op, x, alpha = 1 } = args;
    const n = x.length;
    const binary = BINARY.includes(op);
    if (binary && (!args.y || args.y.length !== n)) {
      throw new ValidationError({
        field: 'elementwise.y',
        received: args.y ? `length ${args.y.length}` : args.y,
        expected: `length ${n} for op ${op}`,
      });
    }
    if (n === 0) return new Float64Array(0);
    const source = `function (x, y, alpha) {
      const v = x[this.thread.x];
      const w = y[this.thread.x];
      return ${EXPRESSIONS[op]};
    }`;
    const kernel = ctx.kernel(`elementwise:${op}:${n}`, source, { output: [n] });
    const y = binary ? toF32(args.y as Float64Array) : new Float32Array(n);
    return flatten(kernel(toF32(x), y, alpha), n);
  };
}
