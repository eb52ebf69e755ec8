/**
 * The shared check builders every claim uses instead of its own copy: closeness (absolute, relative, in ulps), a
 * Monte Carlo z-test, a band, and one-sided inequalities with their signed slack. Each returns a {@link Check}; the
 * runner judges it (pass iff error ≤ allowed, all finite) and reports ratio and margin. None clamps: a violation
 * below its tolerance still shows its size, and an inequality that holds shows how much room it has.
 */
import { EPS64 } from '../../core/tolerance.ts';
import type { Check } from '../check.ts';

/** Default z of a Monte Carlo test: a correct claim fails a run with probability 6.3e-5 (two-sided normal tail at 4σ). */
export const Z_DEFAULT = 4;

function requirePositive(name: string, what: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(`check '${name}': ${what} must be a finite number > 0, received ${value}`);
  }
}

/** Options of {@link closeTo}. */
export interface CloseToOptions {
  /** Relative tolerance, times |expected| (default 0). */
  rtol?: number;
  /** Absolute tolerance (default 0). rtol·|expected| + atol must be > 0. */
  atol?: number;
  /** Metric name (default `|observed − expected|`). */
  metric?: string;
}

/** |observed − expected| ≤ atol + rtol·|expected|. */
export function closeTo(name: string, observed: number, expected: number, options: CloseToOptions): Check {
  const allowed = (options.atol ?? 0) + (options.rtol ?? 0) * Math.abs(expected);
  requirePositive(name, 'atol + rtol·|expected|', allowed);
  return {
    name,
    observed,
    expected,
    error: Math.abs(observed - expected),
    allowed,
    metric: options.metric ?? '|observed − expected|',
  };
}

/** |observed − expected| / max(|expected|, floor) ≤ rtol. `floor` (default 1e-300) guards a zero expectation. */
export function relativeTo(name: string, observed: number, expected: number, rtol: number, floor = 1e-300): Check {
  requirePositive(name, 'rtol', rtol);
  return {
    name,
    observed,
    expected,
    error: Math.abs(observed - expected) / Math.max(Math.abs(expected), floor),
    allowed: rtol,
    metric: 'relative error',
  };
}

/** Options of {@link withinUlps}. */
export interface WithinUlpsOptions {
  /** Scale the ulp is taken of (default |expected|); pass the size of the terms when the result cancels. */
  scale?: number;
  /** Machine epsilon (default float64's 2^-52). */
  eps?: number;
}

/** |observed − expected| ≤ ulps · eps · scale, reported in ulps of the scale. */
export function withinUlps(
  name: string,
  observed: number,
  expected: number,
  ulps: number,
  options: WithinUlpsOptions = {},
): Check {
  requirePositive(name, 'ulps', ulps);
  const unit = (options.eps ?? EPS64) * Math.max(options.scale ?? Math.abs(expected), Number.MIN_VALUE);
  return { name, observed, expected, error: Math.abs(observed - expected) / unit, allowed: ulps, metric: 'ulps' };
}

/** Inputs of {@link monteCarloMean}. */
export interface MonteCarloMeanInput {
  /** The sample mean. */
  mean: number;
  /** Its standard error, estimated from the samples. */
  standardError: number;
  /** The theory's value. */
  expected: number;
  /** z (default {@link Z_DEFAULT}). */
  z?: number;
  /**
   * A systematic term added to z·SE (default 0): a finite-size correction such as C/√D, or the round-off of the
   * expectation when every sample is identical and the standard error is 0. Name its origin in the claim.
   */
  bias?: number;
}

/** A z-test of a Monte Carlo mean: |mean − expected| ≤ z·SE + bias (absolute units, so the bias can add). */
export function monteCarloMean(name: string, input: MonteCarloMeanInput): Check {
  const z = input.z ?? Z_DEFAULT;
  const bias = input.bias ?? 0;
  const allowed = z * input.standardError + bias;
  requirePositive(name, 'z·SE + bias', allowed);
  return {
    name,
    observed: input.mean,
    expected: input.expected,
    error: Math.abs(input.mean - input.expected),
    allowed,
    metric: bias > 0 ? `|Δ| vs ${+z.toPrecision(4)}·SE + ${bias.toPrecision(3)}` : `|Δ| vs ${+z.toPrecision(4)}·SE`,
  };
}

/** lo ≤ observed ≤ hi, as a closeness check around the band's middle (error |observed − mid|, allowed half-width). */
export function inBand(name: string, observed: number, lo: number, hi: number): Check {
  requirePositive(name, 'the band width hi − lo', hi - lo);
  const mid = 0.5 * (lo + hi);
  return {
    name,
    observed,
    expected: mid,
    error: Math.abs(observed - mid),
    allowed: 0.5 * (hi - lo),
    metric: `|observed − mid| in [${lo.toPrecision(4)}, ${hi.toPrecision(4)}]`,
  };
}

/**
 * observed ≤ bound, with `slack` > 0 (round-off or a stated tolerance): error = observed − bound, signed, so the
 * margin slack − error shows the room left. A strict inequality with nothing to spare passes only within `slack`.
 */
export function atMost(name: string, observed: number, bound: number, slack: number): Check {
  requirePositive(name, 'slack', slack);
  return { name, observed, expected: bound, error: observed - bound, allowed: slack, metric: 'observed − bound' };
}

/** observed ≥ bound, with `slack` > 0: error = bound − observed (signed). */
export function atLeast(name: string, observed: number, bound: number, slack: number): Check {
  requirePositive(name, 'slack', slack);
  return { name, observed, expected: bound, error: bound - observed, allowed: slack, metric: 'bound − observed' };
}
