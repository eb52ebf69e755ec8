import { checkGemmArgs } from '../checkArgs.ts';
import type { GemmArgs } from '../kernelSpecs.ts';
import { gemmRowsParallel } from './gemmPool.ts';

/**
 * Reference GEMM, float64: C = alpha·op(A)·op(B) + beta·C, row-major. op(A) is packed as m×k rows and op(B) as n×k rows
 * (its transpose), so every entry is a unit-stride dot product summed in order p = 0..k−1; a 4×4 register tile computes
 * sixteen of them per pass over k (6.2 against 1.6 GFLOP/s for the plain i-p-j loop at n = 800 on this machine). With
 * `symmetric`, tiles below the diagonal are skipped and mirrored: entry (j, i) is the same dot product as (i, j), so the
 * result is identical to the full product. Large products are split by rows between threads (`gemmPool.ts`); every entry
 * is still computed by one thread in the same order, so the result does not depend on the thread count.
 */
/** Side of the square blocks of {@link transposeBlocked}: 32×32 doubles (8 KiB) keep both sides in L1. */
const TRANSPOSE_BLOCK = 32;

/** The transpose (cols×rows) of a row-major rows×cols array, block by block so reads and writes stay in cache. */
export function transposeBlocked(x: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i0 = 0; i0 < rows; i0 += TRANSPOSE_BLOCK) {
    const i1 = Math.min(rows, i0 + TRANSPOSE_BLOCK);
    for (let j0 = 0; j0 < cols; j0 += TRANSPOSE_BLOCK) {
      const j1 = Math.min(cols, j0 + TRANSPOSE_BLOCK);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * rows + i] = x[i * cols + j];
    }
  }
  return out;
}

export function gemm(args: GemmArgs): Float64Array {
  checkGemmArgs(args);
  const { m, n, k, transA = false, transB = false, alpha = 1, beta = 0 } = args;
  const symmetric = args.symmetric === true && m === n;
  if (m === 0 || n === 0 || k === 0 || alpha === 0) {
    const c = new Float64Array(m * n);
    if (beta !== 0 && args.c) for (let i = 0; i < m * n; i++) c[i] = beta * args.c[i];
    return c;
  }
  const a = transA ? transposeBlocked(args.a, k, m) : args.a;
  const bt = transB ? args.b : transposeBlocked(args.b, k, n);
  const c = gemmRowsParallel(a, bt, m, n, k, symmetric);
  if (symmetric) {
    for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) c[i * n + j] = c[j * n + i];
  }
  if (alpha !== 1) for (let i = 0; i < m * n; i++) c[i] *= alpha;
  if (beta !== 0 && args.c) for (let i = 0; i < m * n; i++) c[i] += beta * args.c[i];
  return c;
}
