/**
 * The GEMM micro-kernel: rows [i0, i1) of C = A·Btᵀ for row-major A (m×k) and Bt (n×k), as 4×4 register tiles of
 * unit-stride dot products summed in order p = 0..k−1 (edges one dot product at a time). With `symmetric`, only entries
 * with j ≥ i are computed (the caller mirrors). Self-contained on purpose: its source text also runs in the worker
 * threads of `gemmPool.ts`, so it must not close over anything.
 */
export function gemmTiles(
  a: Float64Array,
  bt: Float64Array,
  c: Float64Array,
  m: number,
  n: number,
  k: number,
  i0: number,
  i1: number,
  symmetric: boolean,
): void {
  const mt = m - (m % 4);
  const nt = n - (n % 4);
  const tileEnd = Math.min(i1, mt);
  for (let i = i0; i < tileEnd; i += 4) {
    const a0 = i * k;
    const a1 = a0 + k;
    const a2 = a1 + k;
    const a3 = a2 + k;
    for (let j = symmetric ? i : 0; j < nt; j += 4) {
      const b0 = j * k;
      const b1 = b0 + k;
      const b2 = b1 + k;
      const b3 = b2 + k;
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      let s20 = 0;
      let s21 = 0;
      let s22 = 0;
      let s23 = 0;
      let s30 = 0;
      let s31 = 0;
      let s32 = 0;
      let s33 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = a[a0 + p];
        const x1 = a[a1 + p];
        const x2 = a[a2 + p];
        const x3 = a[a3 + p];
        const y0 = bt[b0 + p];
        const y1 = bt[b1 + p];
        const y2 = bt[b2 + p];
        const y3 = bt[b3 + p];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
        s20 += x2 * y0;
        s21 += x2 * y1;
        s22 += x2 * y2;
        s23 += x2 * y3;
        s30 += x3 * y0;
        s31 += x3 * y1;
        s32 += x3 * y2;
        s33 += x3 * y3;
      }
      let o = i * n + j;
      c[o] = s00;
      c[o + 1] = s01;
      c[o + 2] = s02;
      c[o + 3] = s03;
      o += n;
      c[o] = s10;
      c[o + 1] = s11;
      c[o + 2] = s12;
      c[o + 3] = s13;
      o += n;
      c[o] = s20;
      c[o + 1] = s21;
      c[o + 2] = s22;
      c[o + 3] = s23;
      o += n;
      c[o] = s30;
      c[o + 1] = s31;
      c[o + 2] = s32;
      c[o + 3] = s33;
    }
  }
  // Edges: in tiled rows the last n % 4 columns; below the tiles every column (j ≥ i when symmetric).
  for (let i = i0; i < i1; i++) {
    const jStart = i < mt ? nt : symmetric ? i : 0;
    for (let j = symmetric ? Math.max(jStart, i) : jStart; j < n; j++) {
      let s = 0;
      const ao = i * k;
      const bo = j * k;
      for (let p = 0; p < k; p++) s += a[ao + p] * bt[bo + p];
      c[i * n + j] = s;
    }
  }
}
