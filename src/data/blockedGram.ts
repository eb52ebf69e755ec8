/**
 * XᵀX of a tall data matrix (count × dim, row-major) on a kernel set's `gemm`, over blocks of rows: one symmetric Gram
 * product per block, accumulated through β = 1. The data side's dense second moments (the whitening covariance, the
 * images' Ω of Refinetti & Goldt's real-data ODE) run here, so a run on OpenBLAS makes them with dsyrk instead of plain
 * loops (about 18 G multiply-adds for 60 000 FashionMNIST images at d = 784).
 */
import type { KernelSpecs } from '../kernels/kernelSpecs.ts';

/** The product the data side's dense steps run on: a kernel set's `gemm`. */
export type DataGemm = KernelSpecs['gemm'];

/** Rows per block: 2048 × 784 float64 is a 12.8 MB scratch block. */
export const BLOCK_ROWS = 2048;

/**
 * Σ_blocks BᵀB over the row blocks B that `block(from, rows)` returns (rows × dim each, for from = 0, BLOCK_ROWS, … <
 * count): dim × dim, with the upper triangle valid (the symmetric product may leave the lower one unwritten).
 */
export function blockedGram(
  count: number,
  dim: number,
  block: (from: number, rows: number) => Float64Array,
  gemm: DataGemm,
): Float64Array {
  // Accumulated through β = 1 into alternating buffers (`out` must not alias `c`).
  let acc: Float64Array = new Float64Array(dim * dim);
  let spare: Float64Array = new Float64Array(dim * dim);
  for (let from = 0; from < count; from += BLOCK_ROWS) {
    const rows = Math.min(BLOCK_ROWS, count - from);
    const b = block(from, rows);
    // A backend may return a new array instead of writing `out` (the reference one does): keep what it returns.
    const next = gemm({ m: dim, n: dim, k: rows, a: b, b, transA: true, symmetric: true, beta: 1, c: acc, out: spare });
    spare = acc;
    acc = next;
  }
  return acc;
}
