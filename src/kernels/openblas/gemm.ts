/**
 * OpenBLAS GEMM: C = α·op(A)·op(B) + β·C through cblas_dgemm (float64) or cblas_sgemm (float32: inputs rounded to
 * float32, the result widened back). Special shapes map to the routine made for them: a symmetric Gram product A·Aᵀ or
 * Aᵀ·A (`symmetric`, one operand passed twice) to ?syrk, which computes the upper triangle only (half the work) and is
 * mirrored, so the result is exactly symmetric; a matrix–vector product (n = 1 or m = 1) to ?gemv.
 */
import { checkGemmArgs } from '../checkArgs.ts';
import type { GemmArgs, Precision } from '../kernelSpecs.ts';
import { type BlasRoutines, CBLAS, type OpenblasLibrary } from './openblasLibrary.ts';

type Real = Float64Array | Float32Array;

/** The GEMM kernel of one precision. */
export function makeGemm(library: OpenblasLibrary, precision: Precision): (args: GemmArgs) => Float64Array {
  const f32 = precision === 'float32';
  const blas: BlasRoutines = f32 ? library.f32 : library.f64;
  const input = (x: Float64Array, length: number): Real =>
    f32 ? Float32Array.from(x.subarray(0, length)) : x.subarray(0, length);
  return (args) => {
    checkGemmArgs(args);
    const { m, n, k, transA = false, transB = false, alpha = 1, beta = 0 } = args;
    const c = args.out ?? new Float64Array(m * n);
    if (m === 0 || n === 0 || k === 0 || alpha === 0) {
      for (let i = 0; i < m * n; i++) c[i] = beta !== 0 && args.c ? beta * args.c[i] : 0;
      return c;
    }
    const a = input(args.a, m * k);
    // The same array as both operands, one of them transposed: a Gram matrix.
    const gram = args.symmetric === true && m === n && args.a === args.b && transA !== transB;
    const b = gram ? a : input(args.b, k * n);
    // Where BLAS writes: the result itself (float64), or a float32 buffer widened afterwards.
    const target: Real = f32 ? new Float32Array(m * n) : c;
    const withBeta = beta !== 0 && args.c !== undefined;
    const betaHere = withBeta && !gram ? beta : 0;
    if (betaHere !== 0) target.set(args.c?.subarray(0, m * n) as Float64Array);
    const lda = transA ? m : k;
    const ldb = transB ? k : n;
    if (gram) {
      // A·Aᵀ (transB; A stored m×k) or Aᵀ·A (transA; A stored k×m): the upper triangle, then mirrored.
      blas.syrk(CBLAS.rowMajor, CBLAS.upper, transA ? CBLAS.trans : CBLAS.noTrans, m, k, alpha, a, lda, 0, target, n);
      for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) target[i * n + j] = target[j * n + i];
    } else if (n === 1) {
      // C (m×1) = α·op(A)·b + β·C, b of length k either way.
      blas.gemv(
        CBLAS.rowMajor,
        transA ? CBLAS.trans : CBLAS.noTrans,
        transA ? k : m,
        transA ? m : k,
        alpha,
        a,
        lda,
        b,
        1,
        betaHere,
        target,
        1,
      );
    } else if (m === 1) {
      // C (1×n) = α·op(B)ᵀ·a + β·C, a of length k either way.
      blas.gemv(
        CBLAS.rowMajor,
        transB ? CBLAS.noTrans : CBLAS.trans,
        transB ? n : k,
        transB ? k : n,
        alpha,
        b,
        ldb,
        a,
        1,
        betaHere,
        target,
        1,
      );
    } else {
      blas.gemm(
        CBLAS.rowMajor,
        transA ? CBLAS.trans : CBLAS.noTrans,
        transB ? CBLAS.trans : CBLAS.noTrans,
        m,
        n,
        k,
        alpha,
        a,
        lda,
        b,
        ldb,
        betaHere,
        target,
        n,
      );
    }
    if (f32) for (let i = 0; i < m * n; i++) c[i] = target[i];
    if (gram && withBeta) for (let i = 0; i < m * n; i++) c[i] += beta * (args.c as Float64Array)[i];
    return c;
  };
}
