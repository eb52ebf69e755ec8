import type { SparseEncodeArgs } from '../kernelSpecs.ts';

/** Reference sparse encoder: h[s, k] = Σ over the nonzeros j of row s of W[k, j]·X[s, j] (float64). */
export function sparseEncode(args: SparseEncodeArgs): Float64Array {
  const { rows, cols, outputs: m, x, nz, counts, w } = args;
  const h = new Float64Array(rows * m);
  for (let s = 0; s < rows; s++) {
    const ho = s * m;
    for (let q = 0; q < counts[s]; q++) {
      const j = nz[s * cols + q];
      const v = x[s * cols + j];
      for (let k = 0; k < m; k++) h[ho + k] += w[k * cols + j] * v;
    }
  }
  return h;
}
