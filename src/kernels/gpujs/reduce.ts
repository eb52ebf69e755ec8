import { checkReduceArgs } from '../checkArgs.ts';
import type { ReduceArgs, ReduceOp } from '../kernelSpecs.ts';
import { flatten, type GpujsContext, toF32 } from './gpujsContext.ts';

/** How each op folds the next value v into the accumulator s. */
const FOLD: Record<ReduceOp, string> = {
  sum: 's + v',
  sumSquares: 's + v * v',
  max: 'Math.max(s, v)',
  min: 'Math.min(s, v)',
};
/** The accumulator's start from the first value v0. */
const START: Record<ReduceOp, string> = { sum: 'v0', sumSquares: 'v0 * v0', max: 'v0', min: 'v0' };

/** gpu.js reduction: one thread per output entry loops over its row, column or the whole array. */
export function makeReduce(ctx: GpujsContext): (args: ReduceArgs) => Float64Array {
  return (args) => {
    checkReduceArgs(args);
    const { op, x, rows, cols, axis } = args;
    const outLength = axis === 'all' ? 1 : axis === 'rows' ? rows : cols;
    const count = axis === 'all' ? rows * cols : axis === 'rows' ? cols : rows;
    if (outLength === 0) return new Float64Array(0);
    if (count === 0) {
      const empty = op === 'max' ? Number.NEGATIVE_INFINITY : op === 'min' ? Number.POSITIVE_INFINITY : 0;
      return new Float64Array(outLength).fill(empty);
    }
    const index =
      axis === 'all'
        ? 'q'
        : axis === 'rows'
          ? 'this.thread.x * this.constants.cols + q'
          : 'q * this.constants.cols + this.thread.x';
    const first = index.replace(/\bq\b/g, '0');
    const source = `function (x) {
      const v0 = x[${first}];
      let s = ${START[op]};
      for (let q = 1; q < this.constants.count; q++) {
        const v = x[${index}];
        s = ${FOLD[op]};
      }
      return s;
    }`;
    const kernel = ctx.kernel(`reduce:${op}:${axis}:${rows}:${cols}`, source, {
      output: [outLength],
      constants: { cols, count },
    });
    return flatten(kernel(toF32(x)), outLength);
  };
}
