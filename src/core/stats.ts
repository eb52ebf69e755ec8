/** Arithmetic mean of a non-empty sample. */
export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}

/** Unbiased sample variance (n − 1 in the denominator); 0 for fewer than two values. */
export function variance(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n < 2) return 0;
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < n; i++) s += (xs[i] - m) ** 2;
  return s / (n - 1);
}

/** Standard error of the mean, sqrt(variance / n). */
export function standardError(xs: ArrayLike<number>): number {
  return xs.length < 2 ? Number.POSITIVE_INFINITY : Math.sqrt(variance(xs) / xs.length);
}

/** Welford's running mean and variance: numerically stable, O(1) memory. */
export class RunningStats {
  count = 0;
  private m = 0;
  private s = 0;
  push(x: number): void {
    this.count++;
    const d = x - this.m;
    this.m += d / this.count;
    this.s += d * (x - this.m);
  }
  get mean(): number {
    return this.m;
  }
  /** Unbiased variance. */
  get variance(): number {
    return this.count < 2 ? 0 : this.s / (this.count - 1);
  }
  get standardError(): number {
    return this.count < 2 ? Number.POSITIVE_INFINITY : Math.sqrt(this.variance / this.count);
  }
}
