import { checkReduceArgs } from '../checkArgs.ts';
import type { ReduceArgs } from '../kernelSpecs.ts';

/** Reference reduction (float64): sum, sum of squares, max or min over all entries, each row, or each column.
 * max/min of an empty set are −∞/+∞; sums of an empty set are 0. */
export function reduce(args: ReduceArgs): Float64Array {
  checkReduceArgs(args);
  const { op, x, rows, cols, axis } = args;
  const outLength = axis === 'all' ? 1 : axis === 'rows' ? rows : cols;
  const init = op === 'max' ? Number.NEGATIVE_INFINITY : op === 'min' ? Number.POSITIVE_INFINITY : 0;
  const out = new Float64Array(outLength).fill(init);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = x[i * cols + j];
      const o = axis === 'all' ? 0 : axis === 'rows' ? i : j;
      switch (op) {
        case 'sum':
          out[o] += v;
          break;
        case 'sumSquares':
          out[o] += v * v;
          break;
        case 'max':
          if (v > out[o] || Number.isNaN(v)) out[o] = v;
          break;
        case 'min':
          if (v < out[o] || Number.isNaN(v)) out[o] = v;
          break;
      }
    }
  }
  return out;
}
