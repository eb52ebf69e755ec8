/**
 * gpu.js sparse kernels. A GPU thread cannot scatter, and GL needs static loop bounds, so the host packs the nonzeros
 * once per call in O(nnz) into a padded layout (ELLPACK: every row — or, for the gradient, every column — holds the
 * same number of slots, the unused ones with value 0) and each thread gathers over its slots. Both kernels read only
 * the nonzeros of X: the dense X is never uploaded.
 */
import { checkSparseEncodeArgs, checkSparseGradientArgs } from '../checkArgs.ts';
import type { SparseEncodeArgs, SparseGradientArgs } from '../kernelSpecs.ts';
import { flatten, type GpujsContext } from './gpujsContext.ts';

/** A padded (ELLPACK) list: for each of `lists` lists, `width` slots of (index, value); unused slots hold (0, 0). */
interface Padded {
  width: number;
  index: Float32Array;
  value: Float32Array;
}

/** Packs the nonzeros of each row of X: slot q of row s is (column, X[s, column]). */
function packRows(args: SparseEncodeArgs | SparseGradientArgs): Padded {
  const { rows, cols, x, nz, counts, values } = args;
  let width = 1;
  for (let s = 0; s < rows; s++) width = Math.max(width, counts[s]);
  const index = new Float32Array(rows * width);
  const value = new Float32Array(rows * width);
  for (let s = 0; s < rows; s++) {
    for (let q = 0; q < counts[s]; q++) {
      const j = nz[s * cols + q];
      index[s * width + q] = j;
      value[s * width + q] = values ? values[s * cols + q] : (x as Float64Array)[s * cols + j];
    }
  }
  return { width, index, value };
}

/** Packs the nonzeros of each column of X (the transpose, in row order): slot of column j is (row s, X[s, j]). */
function packColumns(args: SparseGradientArgs): Padded {
  const { rows, cols, x, nz, counts, values } = args;
  const perColumn = new Int32Array(cols);
  for (let s = 0; s < rows; s++) for (let q = 0; q < counts[s]; q++) perColumn[nz[s * cols + q]]++;
  let width = 1;
  for (let j = 0; j < cols; j++) width = Math.max(width, perColumn[j]);
  const index = new Float32Array(cols * width);
  const value = new Float32Array(cols * width);
  perColumn.fill(0);
  for (let s = 0; s < rows; s++) {
    for (let q = 0; q < counts[s]; q++) {
      const j = nz[s * cols + q];
      const slot = j * width + perColumn[j]++;
      index[slot] = s;
      value[slot] = values ? values[s * cols + q] : (x as Float64Array)[s * cols + j];
    }
  }
  return { width, index, value };
}

/** gpu.js h = X Wᵀ over the nonzeros of X (thread (s, k) sums its row's slots; float32). */
export function makeSparseEncode(ctx: GpujsContext): (args: SparseEncodeArgs) => Float64Array {
  return (args) => {
    checkSparseEncodeArgs(args);
    const { rows, cols, outputs: m } = args;
    const h = args.out ?? new Float64Array(rows * m);
    if (rows === 0 || m === 0) return h;
    const packed = packRows(args);
    // W[k, j] at k·cols + j, or (transW) at j·m + k.
    const wIndex = args.transW ? 'j * this.constants.m + this.thread.x' : 'this.thread.x * this.constants.cols + j';
    const source = `function (index, value, w) {
      let s = 0;
      const base = this.thread.y * this.constants.width;
      for (let q = 0; q < this.constants.width; q++) {
        const j = index[base + q];
        s += value[base + q] * w[${wIndex}];
      }
      return s;
    }`;
    const kernel = ctx.kernel(`sparseEncode:${rows}:${cols}:${m}:${packed.width}:${args.transW === true}`, source, {
      output: [m, rows],
      constants: { m, cols, width: packed.width },
    });
    h.set(flatten(kernel(packed.index, packed.value, Float32Array.from(args.w)), rows * m));
    return h;
  };
}

/** gpu.js Xᵀ G over the nonzeros of X (thread (j, k) sums its column's slots; float32). */
export function makeSparseGradient(ctx: GpujsContext): (args: SparseGradientArgs) => Float64Array {
  return (args) => {
    checkSparseGradientArgs(args);
    const { rows, cols, outputs: m } = args;
    const out = args.out ?? new Float64Array(cols * m);
    if (cols === 0 || m === 0) return out;
    if (rows === 0) return out.fill(0, 0, cols * m);
    const packed = packColumns(args);
    const source = `function (index, value, g) {
      let s = 0;
      const base = this.thread.y * this.constants.width;
      for (let q = 0; q < this.constants.width; q++) {
        const row = index[base + q];
        s += value[base + q] * g[row * this.constants.m + this.thread.x];
      }
      return s;
    }`;
    const kernel = ctx.kernel(`sparseGradient:${rows}:${cols}:${m}:${packed.width}`, source, {
      output: [m, cols],
      constants: { m, width: packed.width },
    });
    out.set(flatten(kernel(packed.index, packed.value, Float32Array.from(args.g)), cols * m));
    return out;
  };
}
