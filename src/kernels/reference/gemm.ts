import { checkGemmArgs } from '../checkArgs.ts';
import type { GemmArgs } from '../kernelSpecs.ts';

/**
 * Reference GEMM, float64: C = alpha·op(A)·op(B) + beta·C, row-major. op(A) is packed as m×k rows and op(B) as n×k
 * rows (its transpose), so every entry is a unit-stride dot product; a 2×2 register tile computes four dot products per
 * pass over k (about 3× the plain i-p-j loop: 5.2 against 1.6 GFLOP/s at n = 512 on this machine). Each dot product is
 * summed in order p = 0..k−1.
 */
export function gemm(args: GemmArgs): Float64Array {
  checkGemmArgs(args);
  const { m, n, k, transA = false, transB = false, alpha = 1, beta = 0 } = args;
  const c = new Float64Array(m * n);
  if (beta !== 0 && args.c) for (let i = 0; i < m * n; i++) c[i] = beta * args.c[i];
  if (m === 0 || n === 0 || k === 0 || alpha === 0) return c;
  let a = args.a;
  if (transA) {
    a = new Float64Array(m * k);
    for (let p = 0; p < k; p++) for (let i = 0; i < m; i++) a[i * k + p] = args.a[p * m + i];
  }
  let bt = args.b;
  if (!transB) {
    bt = new Float64Array(n * k);
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) bt[j * k + p] = args.b[p * n + j];
  }
  const m2 = m - (m % 2);
  const n2 = n - (n % 2);
  for (let i = 0; i < m2; i += 2) {
    const a0 = i * k;
    const a1 = a0 + k;
    for (let j = 0; j < n2; j += 2) {
      const b0 = j * k;
      const b1 = b0 + k;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = a[a0 + p];
        const x1 = a[a1 + p];
        const y0 = bt[b0 + p];
        const y1 = bt[b1 + p];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      c[i * n + j] += alpha * s00;
      c[i * n + j + 1] += alpha * s01;
      c[(i + 1) * n + j] += alpha * s10;
      c[(i + 1) * n + j + 1] += alpha * s11;
    }
  }
  // Edges: the last row and/or column when m or n is odd.
  const dot = (i: number, j: number) => {
    let s = 0;
    const ao = i * k;
    const bo = j * k;
    for (let p = 0; p < k; p++) s += a[ao + p] * bt[bo + p];
    return s;
  };
  if (n2 < n) for (let i = 0; i < m; i++) c[i * n + n - 1] += alpha * dot(i, n - 1);
  if (m2 < m) for (let j = 0; j < n2; j++) c[(m - 1) * n + j] += alpha * dot(m - 1, j);
  return c;
}
