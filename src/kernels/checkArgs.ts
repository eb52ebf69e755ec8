import { ValidationError } from '../core/errors.ts';
import type {
  AeForwardArgs,
  GemmArgs,
  ReduceArgs,
  SparseEncodeArgs,
  SparseGradientArgs,
  SparseRows,
} from './kernelSpecs.ts';

function checkDim(field: string, v: number): void {
  if (!Number.isInteger(v) || v < 0)
    throw new ValidationError({ field, received: v, expected: 'a non-negative integer' });
}

function checkLength(field: string, arr: ArrayLike<number> | undefined, expected: number, shape: string): void {
  if (!arr || arr.length !== expected) {
    throw new ValidationError({
      field,
      received: arr ? `length ${arr.length}` : arr,
      expected: `length ${expected} (${shape})`,
    });
  }
}

/** Like checkLength, for arrays whose first `expected` entries are used (callers may pass larger scratch buffers). */
function checkMinLength(field: string, arr: ArrayLike<number> | undefined, expected: number, shape: string): void {
  if (!arr || arr.length < expected) {
    throw new ValidationError({
      field,
      received: arr ? `length ${arr.length}` : arr,
      expected: `length at least ${expected} (${shape})`,
    });
  }
}

/** Validates GEMM arguments (shared by every backend). */
export function checkGemmArgs(args: GemmArgs): void {
  checkDim('gemm.m', args.m);
  checkDim('gemm.n', args.n);
  checkDim('gemm.k', args.k);
  checkLength('gemm.a', args.a, args.m * args.k, args.transA ? 'k×m' : 'm×k');
  checkLength('gemm.b', args.b, args.k * args.n, args.transB ? 'n×k' : 'k×n');
  if ((args.beta ?? 0) !== 0) checkLength('gemm.c', args.c, args.m * args.n, 'm×n');
  if (args.out) checkLength('gemm.out', args.out, args.m * args.n, 'm×n');
}

/** Validates autoencoder arguments (shared by every backend). */
export function checkAeArgs(args: AeForwardArgs): void {
  checkDim('ae.batch', args.batch);
  checkDim('ae.inputDim', args.inputDim);
  checkDim('ae.hidden', args.hidden);
  if (args.inputDim === 0)
    throw new ValidationError({
      field: 'ae.inputDim',
      received: 0,
      expected: 'at least 1 (the pre-activation divides by √D)',
    });
  checkLength('ae.x', args.x, args.batch * args.inputDim, 'batch×inputDim');
  checkLength('ae.w', args.w, args.hidden * args.inputDim, 'hidden×inputDim');
  checkLength('ae.v', args.v, args.inputDim * args.hidden, 'inputDim×hidden');
  if (args.bias) checkLength('ae.bias', args.bias, args.hidden, 'hidden');
}

/** Validates reduction arguments. */
export function checkReduceArgs(args: ReduceArgs): void {
  checkDim('reduce.rows', args.rows);
  checkDim('reduce.cols', args.cols);
  checkLength('reduce.x', args.x, args.rows * args.cols, 'rows×cols');
}

/**
 * Validates the arguments of the sparse kernels (shared by every backend): shapes (arrays may be longer — their first
 * entries are used, as training loops pass scratch buffers sized for the largest batch), counts within 0..cols, and
 * every listed nonzero a column index in 0..cols − 1 — O(nnz), small beside the kernels' O(nnz · outputs).
 */
function checkSparseArgs(
  kernel: 'sparseEncode' | 'sparseGradient',
  args: SparseRows & { out?: Float64Array },
  dense: { name: string; length: number; shape: string },
  out: { length: number; shape: string },
  indices: boolean,
): void {
  const { rows, cols, outputs, nz, counts } = args;
  checkDim(`${kernel}.rows`, rows);
  checkDim(`${kernel}.cols`, cols);
  checkDim(`${kernel}.outputs`, outputs);
  if (args.values === undefined || args.x !== undefined)
    checkMinLength(`${kernel}.x`, args.x, rows * cols, "rows×cols (or give the nonzeros' values as `values`)");
  if (args.values !== undefined)
    checkMinLength(`${kernel}.values`, args.values, rows * cols, "rows×cols (row s lists its nonzeros' values first)");
  checkMinLength(`${kernel}.nz`, nz, rows * cols, 'rows×cols (row s lists its nonzero columns first)');
  checkMinLength(`${kernel}.counts`, counts, rows, 'rows');
  checkMinLength(
    `${kernel}.${dense.name}`,
    (args as unknown as Record<string, Float64Array>)[dense.name],
    dense.length,
    dense.shape,
  );
  if (args.out) checkMinLength(`${kernel}.out`, args.out, out.length, out.shape);
  for (let s = 0; s < rows; s++) {
    const c = counts[s];
    if (!(c >= 0 && c <= cols))
      throw new ValidationError({ field: `${kernel}.counts[${s}]`, received: c, expected: `an integer in 0..${cols}` });
    if (!indices) continue;
    for (let q = 0; q < c; q++) {
      const j = nz[s * cols + q];
      if (!(j >= 0 && j < cols)) throw nonzeroIndexError(kernel, cols, s, q, j);
    }
  }
}

/**
 * The error for nonzero q of row s whose column j is outside 0..cols − 1. A kernel that validates the columns while
 * it copies them (the wasm backend's, one pass instead of two) throws this, as the check would.
 */
export function nonzeroIndexError(kernel: string, cols: number, s: number, q: number, j: number): ValidationError {
  return new ValidationError({
    field: `${kernel}.nz[${s * cols + q}]`,
    received: j,
    expected: `a column index in 0..${cols - 1} (nonzero ${q} of row ${s})`,
  });
}

/**
 * Validates sparseEncode's arguments; `indices: false` leaves the nonzeros' columns to the caller, which must check
 * each before it is used ({@link nonzeroIndexError}).
 */
export function checkSparseEncodeArgs(args: SparseEncodeArgs, indices = true): void {
  const shape = args.transW ? 'cols×outputs (transW)' : 'outputs×cols';
  checkSparseArgs(
    'sparseEncode',
    args,
    { name: 'w', length: args.outputs * args.cols, shape },
    { length: args.rows * args.outputs, shape: 'rows×outputs' },
    indices,
  );
}

/** Validates sparseGradient's arguments (`indices` as {@link checkSparseEncodeArgs}). */
export function checkSparseGradientArgs(args: SparseGradientArgs, indices = true): void {
  checkSparseArgs(
    'sparseGradient',
    args,
    { name: 'g', length: args.rows * args.outputs, shape: 'rows×outputs' },
    { length: args.cols * args.outputs, shape: 'cols×outputs' },
    indices,
  );
}
