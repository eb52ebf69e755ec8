/**
 * OpenBLAS GEMM: C = α·op(A)·op(B) + β·C through cblas_dgemm (float64: the caller's arrays are passed by pointer, nothing
 * is copied) or cblas_sgemm (float32: inputs rounded into float32 scratch buffers kept between calls, the result widened
 * back). Special shapes map to the routine made for them: a symmetric Gram product A·Aᵀ or Aᵀ·A (`symmetric`, one
 * operand passed twice) to ?syrk, which computes the upper triangle only (half the work), mirrored tile by tile so the
 * result is exactly symmetric — or not at all when the caller reads only the upper triangle (`upperOnly`); a
 * matrix–vector product (n = 1 or m = 1) to ?gemv.
 */
import { checkGemmArgs } from '../checkArgs.ts';
import type { GemmArgs, GemmArgsF32, Precision } from '../kernelSpecs.ts';
import { type BlasRoutines, CBLAS, type OpenblasLibrary } from './openblasLibrary.ts';

type Real = Float64Array | Float32Array;

/** Side of the square tiles of the mirror: 32×32 doubles (8 KiB) per side keep reads and writes in L1. */
const MIRROR_TILE = 32;

/**
 * Copies the upper triangle of the n×n row-major `src` into the lower triangle of `dst` (dst[i][j] = src[j][i], i > j),
 * tile by tile (a plain strided loop misses the cache on every write once a column outgrows it).
 */
export function mirrorUpper(src: Real, dst: Real, n: number): void {
  for (let j0 = 0; j0 < n; j0 += MIRROR_TILE) {
    const j1 = Math.min(n, j0 + MIRROR_TILE);
    for (let i0 = j0; i0 < n; i0 += MIRROR_TILE) {
      const i1 = Math.min(n, i0 + MIRROR_TILE);
      for (let i = i0; i < i1; i++) {
        const row = i * n;
        const jEnd = Math.min(i, j1);
        for (let j = j0; j < jEnd; j++) dst[row + j] = src[j * n + i];
      }
    }
  }
}

/** Float32 scratch buffers that grow and are reused: no allocation per call once the largest shape has been seen. */
class Scratch {
  private buf = new Float32Array(0);
  get(length: number): Float32Array {
    if (this.buf.length < length) this.buf = new Float32Array(Math.max(length, this.buf.length * 2));
    return this.buf.subarray(0, length);
  }
}

/** Rounds x[0..length) into a float32 scratch array. */
function toF32(x: Float64Array, length: number, scratch: Scratch): Float32Array {
  const y = scratch.get(length);
  for (let i = 0; i < length; i++) y[i] = x[i];
  return y;
}

/** The GEMM kernel of one precision. */
export function makeGemm(library: OpenblasLibrary, precision: Precision): (args: GemmArgs) => Float64Array {
  const f32 = precision === 'float32';
  const blas: BlasRoutines = f32 ? library.f32 : library.f64;
  const scratchA = new Scratch();
  const scratchB = new Scratch();
  const scratchC = new Scratch();
  const input = (x: Float64Array, length: number, scratch: Scratch): Real =>
    f32 ? toF32(x, length, scratch) : x.length === length ? x : x.subarray(0, length);
  return (args) => {
    checkGemmArgs(args);
    const { m, n, k, transA = false, transB = false, alpha = 1, beta = 0 } = args;
    const c = args.out ?? new Float64Array(m * n);
    if (m === 0 || n === 0 || k === 0 || alpha === 0) {
      for (let i = 0; i < m * n; i++) c[i] = beta !== 0 && args.c ? beta * args.c[i] : 0;
      return c;
    }
    const a = input(args.a, m * k, scratchA);
    // The same array as both operands, one of them transposed: a Gram matrix.
    const gram = args.symmetric === true && m === n && args.a === args.b && transA !== transB;
    const upperOnly = gram && args.upperOnly === true;
    const b = gram ? a : input(args.b, k * n, scratchB);
    // Where BLAS writes: the result itself (float64), or a float32 buffer widened afterwards.
    const target: Real = f32 ? scratchC.get(m * n) : c;
    const withBeta = beta !== 0 && args.c !== undefined;
    const betaHere = withBeta && !gram ? beta : 0;
    if (betaHere !== 0) target.set(args.c?.subarray(0, m * n) as Float64Array);
    callBlas(blas, args, a, b, betaHere, target, gram);
    if (f32) {
      if (gram) {
        // Widen the upper triangle row by row, then mirror it (from the widened copy: the same values).
        for (let i = 0; i < m; i++) for (let j = i; j < n; j++) c[i * n + j] = target[i * n + j];
      } else c.set(target); // widening: TypedArray.set is 2× a plain loop here
    }
    if (gram && !upperOnly) mirrorUpper(c, c, m);
    if (gram && withBeta) {
      const cc = args.c as Float64Array;
      if (upperOnly) for (let i = 0; i < m; i++) for (let j = i; j < n; j++) c[i * n + j] += beta * cc[i * n + j];
      else for (let i = 0; i < m * n; i++) c[i] += beta * cc[i];
    }
    return c;
  };
}

/**
 * The BLAS call of one product: ?syrk for a Gram product (upper triangle, β = 0), ?gemv for a matrix–vector product,
 * ?gemm otherwise; writes `target`, whose first m·n entries hold β·C already when `betaHere` ≠ 0.
 */
function callBlas(
  blas: BlasRoutines,
  args: Pick<GemmArgs, 'm' | 'n' | 'k' | 'transA' | 'transB' | 'alpha'>,
  a: Real,
  b: Real,
  betaHere: number,
  target: Real,
  gram: boolean,
): void {
  const { m, n, k, transA = false, transB = false, alpha = 1 } = args;
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  if (gram) {
    // A·Aᵀ (transB; A stored m×k) or Aᵀ·A (transA; A stored k×m): the upper triangle only.
    blas.syrk(CBLAS.rowMajor, CBLAS.upper, transA ? CBLAS.trans : CBLAS.noTrans, m, k, alpha, a, lda, 0, target, n);
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
}

/**
 * The float32 GEMM on Float32Array operands ({@link NativeF32}): the same routines as `openblas:f32`'s `gemm`, with the
 * caller's arrays passed by pointer — no rounding copies in, no widening out. A Gram product's β·C is added in the
 * upper triangle before mirroring, each sum rounded to float32.
 */
export function makeGemmF32(library: OpenblasLibrary): (args: GemmArgsF32) => Float32Array {
  const blas = library.f32;
  return (args) => {
    checkGemmArgs(args as unknown as GemmArgs);
    const { m, n, k, transA = false, transB = false, alpha = 1, beta = 0 } = args;
    const c = args.out ?? new Float32Array(m * n);
    const withBeta = beta !== 0 && args.c !== undefined;
    if (m === 0 || n === 0 || k === 0 || alpha === 0) {
      for (let i = 0; i < m * n; i++) c[i] = withBeta ? beta * (args.c as Float32Array)[i] : 0;
      return c;
    }
    const a = args.a.length === m * k ? args.a : args.a.subarray(0, m * k);
    const gram = args.symmetric === true && m === n && args.a === args.b && transA !== transB;
    const upperOnly = gram && args.upperOnly === true;
    const b = gram ? a : args.b.length === k * n ? args.b : args.b.subarray(0, k * n);
    const betaHere = withBeta && !gram ? beta : 0;
    if (betaHere !== 0) c.set((args.c as Float32Array).subarray(0, m * n));
    callBlas(blas, args, a, b, betaHere, c, gram);
    if (gram && withBeta) {
      const cc = args.c as Float32Array;
      for (let i = 0; i < m; i++) for (let j = i; j < n; j++) c[i * n + j] += beta * cc[i * n + j];
    }
    if (gram && !upperOnly) mirrorUpper(c, c, m);
    return c;
  };
}
