import type { GemmArgs } from '../kernelSpecs.ts';
import { checkGemmArgs } from '../checkArgs.ts';

/**
 * Reference GEMM, float64: C = alpha·op(A)·op(B) + beta·C, row-major. The loops run i-p-j over a transposed copy where
 * needed, so the innermost loop is unit-stride in both B and C.
 */
export function gemm(args: GemmArgs): Float64Array {
  checkGemmArgs(args);
  const { m, n, k, transA = false, transB = false, alpha = 1, beta = 0 } = args;
  const c = new Float64Array(m * n);
  if (beta !== 0 && args.c) for (let i = 0; i < m * n; i++) c[i] = beta * args.c[i];
  if (m === 0 || n === 0 || k === 0 || alpha === 0) return c;
  // op(B) as a k×n row-major array.
  let b = args.b;
  if (transB) {
    b = new Float64Array(k * n);
    for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) b[p * n + j] = args.b[j * k + p];
  }
  const a = args.a;
  for (let i = 0; i < m; i++) {
    const co = i * n;
    for (let p = 0; p < k; p++) {
      const aip = alpha * (transA ? a[p * m + i] : a[i * k + p]);
      if (aip === 0) continue;
      const bo = p * n;
      for (let j = 0; j < n; j++) c[co + j] += aip * b[bo + j];
    }
  }
  return c;
}
