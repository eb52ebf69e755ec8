import { ValidationError } from '../core/errors.ts';
import type { AeForwardArgs, GemmArgs, ReduceArgs } from './kernelSpecs.ts';

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
