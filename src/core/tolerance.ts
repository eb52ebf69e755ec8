import { DivergenceError } from './errors.ts';

/** Machine epsilon of float64, 2^-52. */
export const EPS64 = 2 ** -52;
/** Machine epsilon of float32, 2^-23. */
export const EPS32 = 2 ** -23;

/** |observed − predicted| / max(|predicted|, floor). `floor` (default 1e-300) avoids dividing by zero. */
export function relativeError(observed: number, predicted: number, floor = 1e-300): number {
  return Math.abs(observed - predicted) / Math.max(Math.abs(predicted), floor);
}

/** |observed − predicted|. */
export function absoluteError(observed: number, predicted: number): number {
  return Math.abs(observed - predicted);
}

/** max_i |a_i − b_i| over two arrays of equal length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`maxAbsDiff: lengths differ (${a.length} vs ${b.length})`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > m || Number.isNaN(d)) m = d;
  }
  return m;
}

/**
 * max_i |a_i − b_i| / max_i |b_i| (b is the reference): the largest difference relative to the result's scale, for
 * results whose entries may cancel to near zero; NaN when a difference is NaN, and when b is all zero.
 */
export function maxRelativeDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  return maxAbsDiff(a, b) / scale;
}

/** ‖a − b‖_F / ‖b‖_F (b is the reference); 0 when both are zero. */
export function frobeniusRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length)
    throw new RangeError(`frobeniusRelativeError: lengths differ (${a.length} vs ${b.length})`);
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    num += d * d;
    den += b[i] * b[i];
  }
  if (den === 0) return num === 0 ? 0 : Number.POSITIVE_INFINITY;
  return Math.sqrt(num / den);
}

/** Options of {@link isClose}. */
export interface CloseOptions {
  /** Relative tolerance (default 0). */
  rtol?: number;
  /** Absolute tolerance (default 0). */
  atol?: number;
}

/** |a − b| ≤ atol + rtol·|b|, false for any NaN. */
export function isClose(a: number, b: number, options: CloseOptions = {}): boolean {
  const { rtol = 0, atol = 0 } = options;
  return Math.abs(a - b) <= atol + rtol * Math.abs(b);
}

/** Where a non-finite value was found, for {@link assertFinite}. */
export interface FiniteContext {
  step: number;
  quantity: string;
  config: Record<string, unknown>;
}

/** Throws a {@link DivergenceError} at the first NaN/Inf in `values`. */
export function assertFinite(values: ArrayLike<number> | number, context: FiniteContext): void {
  if (typeof values === 'number') {
    if (!Number.isFinite(values)) throw new DivergenceError({ ...context, value: values });
    return;
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new DivergenceError({ ...context, value: values[i] });
  }
}
