import { checkSparseEncodeArgs, checkSparseGradientArgs } from '../checkArgs.ts';
import type { SparseEncodeArgs, SparseGradientArgs } from '../kernelSpecs.ts';

/** Reference sparse encoder: h[s, k] = Σ over the nonzeros j of row s of W[k, j]·X[s, j] (float64). */
export function sparseEncode(args: SparseEncodeArgs): Float64Array {
  checkSparseEncodeArgs(args);
  const { rows, cols, outputs: m, x, nz, counts, w, values } = args;
  const h = args.out ?? new Float64Array(rows * m);
  if (args.out) h.fill(0, 0, rows * m);
  if (args.transW) {
    // W is cols×outputs: each nonzero adds a contiguous row of W, scaled, to h_s.
    for (let s = 0; s < rows; s++) {
      const ho = s * m;
      for (let q = 0; q < counts[s]; q++) {
        const j = nz[s * cols + q];
        const v = values ? values[s * cols + q] : (x as Float64Array)[s * cols + j];
        const wo = j * m;
        for (let k = 0; k < m; k++) h[ho + k] += w[wo + k] * v;
      }
    }
    return h;
  }
  for (let s = 0; s < rows; s++) {
    const ho = s * m;
    for (let q = 0; q < counts[s]; q++) {
      const j = nz[s * cols + q];
      const v = values ? values[s * cols + q] : (x as Float64Array)[s * cols + j];
      for (let k = 0; k < m; k++) h[ho + k] += w[k * cols + j] * v;
    }
  }
  return h;
}

/** Reference sparse gradient: out[j, k] = Σ over rows s with j among their nonzeros of X[s, j]·G[s, k] (float64). */
export function sparseGradient(args: SparseGradientArgs): Float64Array {
  checkSparseGradientArgs(args);
  const { rows, cols, outputs: m, x, nz, counts, g, values } = args;
  const out = args.out ?? new Float64Array(cols * m);
  if (args.out) out.fill(0, 0, cols * m);
  for (let s = 0; s < rows; s++) {
    const go = s * m;
    for (let q = 0; q < counts[s]; q++) {
      const j = nz[s * cols + q];
      const v = values ? values[s * cols + q] : (x as Float64Array)[s * cols + j];
      const wo = j * m;
      for (let k = 0; k < m; k++) out[wo + k] += v * g[go + k];
    }
  }
  return out;
}
