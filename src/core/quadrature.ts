/**
 * Gaussian quadrature. Gauss–Hermite rules are built by Golub–Welsch (eigen-decomposition of the Jacobi matrix of the
 * probabilists' Hermite polynomials), so they integrate against N(0, 1) directly; Gauss–Legendre rules by Newton's
 * method on the three-term recurrence. Rules are cached by size.
 */
import { cholesky, symmetricEigen } from './linalg.ts';
import { ValidationError } from './errors.ts';
import { matrix } from './matrix.ts';

/** Nodes and weights of a quadrature rule. */
export interface QuadratureRule {
  nodes: Float64Array;
  weights: Float64Array;
}

/** Largest rule size accepted. */
const MAX_POINTS = 400;
/** Newton tolerance for Legendre nodes. */
const LEGENDRE_NEWTON_TOL = 1e-15;

const hermiteCache = new Map<number, QuadratureRule>();
const legendreCache = new Map<number, QuadratureRule>();

function checkPoints(field: string, n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_POINTS) {
    throw new ValidationError({ field, received: n, expected: `an integer in [1, ${MAX_POINTS}]` });
  }
}

/** n-point Gauss–Hermite rule for E f(z), z ~ N(0, 1): Σ w_i f(x_i), weights summing to 1. Exact for degree ≤ 2n − 1. */
export function gaussHermiteNormal(n: number): QuadratureRule {
  checkPoints('points', n);
  const cached = hermiteCache.get(n);
  if (cached) return cached;
  const jac = matrix(n, n);
  for (let i = 1; i < n; i++) {
    const b = Math.sqrt(i);
    jac.data[(i - 1) * n + i] = b;
    jac.data[i * n + i - 1] = b;
  }
  const { values, vectors } = symmetricEigen(jac);
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const k = n - 1 - j; // ascending order
    nodes[j] = values[k];
    weights[j] = vectors.data[k] ** 2; // first component of eigenvector k
  }
  // Symmetrise: the rule is exactly symmetric about 0.
  for (let j = 0; j < n >> 1; j++) {
    const x = 0.5 * (nodes[n - 1 - j] - nodes[j]);
    const w = 0.5 * (weights[j] + weights[n - 1 - j]);
    nodes[j] = -x;
    nodes[n - 1 - j] = x;
    weights[j] = w;
    weights[n - 1 - j] = w;
  }
  if (n % 2 === 1) nodes[n >> 1] = 0;
  let total = 0;
  for (let j = 0; j < n; j++) total += weights[j];
  for (let j = 0; j < n; j++) weights[j] /= total;
  const rule = { nodes, weights };
  hermiteCache.set(n, rule);
  return rule;
}

/** n-point Gauss–Legendre rule on [a, b] (default [−1, 1]). Exact for degree ≤ 2n − 1. */
export function gaussLegendre(n: number, a = -1, b = 1): QuadratureRule {
  checkPoints('points', n);
  let base = legendreCache.get(n);
  if (!base) {
    const nodes = new Float64Array(n);
    const weights = new Float64Array(n);
    for (let i = 0; i < (n + 1) >> 1; i++) {
      let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
      let dp = 0;
      for (let iter = 0; iter < 100; iter++) {
        let p0 = 1;
        let p1 = x;
        for (let k = 2; k <= n; k++) {
          const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
          p0 = p1;
          p1 = p2;
        }
        if (n === 1) {
          p1 = x;
          p0 = 1;
        }
        dp = (n * (x * p1 - p0)) / (x * x - 1);
        const dx = p1 / dp;
        x -= dx;
        if (Math.abs(dx) < LEGENDRE_NEWTON_TOL) break;
      }
      nodes[i] = -x;
      nodes[n - 1 - i] = x;
      const w = 2 / ((1 - x * x) * dp * dp);
      weights[i] = w;
      weights[n - 1 - i] = w;
    }
    if (n % 2 === 1) nodes[n >> 1] = 0;
    base = { nodes, weights };
    legendreCache.set(n, base);
  }
  const half = 0.5 * (b - a);
  const mid = 0.5 * (a + b);
  return { nodes: base.nodes.map((x) => mid + half * x), weights: base.weights.map((w) => w * half) };
}

/** Options of the Gaussian expectations. */
export interface ExpectationOptions {
  /** Gauss–Hermite points per dimension (default 64). Smooth integrands converge fast; kinks (ReLU, sign) slowly. */
  points?: number;
}

/** Default number of Gauss–Hermite points per dimension. */
const DEFAULT_POINTS = 64;

/** E f(z) for z ~ N(0, 1) by Gauss–Hermite. */
export function expectNormal1d(f: (z: number) => number, options: ExpectationOptions = {}): number {
  const { nodes, weights } = gaussHermiteNormal(options.points ?? DEFAULT_POINTS);
  let s = 0;
  for (let i = 0; i < nodes.length; i++) s += weights[i] * f(nodes[i]);
  return s;
}

/**
 * E f(x) for x ~ N(0, cov), cov of dimension 1..3, by a tensor-product Gauss–Hermite rule mapped through the
 * Cholesky factor of cov (a tiny jitter of 1e-14·trace is added when cov is singular, e.g. x2 = x1).
 */
export function expectGaussian(
  f: (x: Float64Array) => number,
  cov: readonly (readonly number[])[],
  options: ExpectationOptions = {},
): number {
  const d = cov.length;
  if (d < 1 || d > 3)
    throw new ValidationError({ field: 'cov', received: `${d}×${d}`, expected: 'a covariance of dimension 1, 2 or 3' });
  const c = matrix(d, d);
  let trace = 0;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) c.data[i * d + j] = 0.5 * (cov[i][j] + cov[j][i]);
    trace += cov[i][i];
  }
  let l: Float64Array;
  try {
    l = cholesky(c).data;
  } catch {
    for (let i = 0; i < d; i++) c.data[i * d + i] += 1e-14 * Math.max(trace, 1e-300);
    l = cholesky(c).data;
  }
  const { nodes, weights } = gaussHermiteNormal(options.points ?? DEFAULT_POINTS);
  const n = nodes.length;
  const x = new Float64Array(d);
  const z = new Float64Array(d);
  let s = 0;
  const total = n ** d;
  for (let idx = 0; idx < total; idx++) {
    let rem = idx;
    let w = 1;
    for (let k = 0; k < d; k++) {
      const i = rem % n;
      rem = (rem - i) / n;
      z[k] = nodes[i];
      w *= weights[i];
    }
    for (let i = 0; i < d; i++) {
      let v = 0;
      for (let k = 0; k <= i; k++) v += l[i * d + k] * z[k];
      x[i] = v;
    }
    s += w * f(x);
  }
  return s;
}

/** Half-width of the truncated domain of {@link expectGaussianSplit} in standard deviations (tail mass < 1e-18). */
const SPLIT_HALF_WIDTH = 9;
/** Default Gauss–Legendre points per piece for {@link expectGaussianSplit}. */
const DEFAULT_SPLIT_POINTS = 64;

/**
 * E f(x) for x ~ N(mean, cov) (dimension 1..3; mean 0 by default) when f is smooth except where some coordinate x_i
 * crosses 0 (ReLU, sign, step): x = mean + L z with L the Cholesky factor, so x_i depends on z_1..z_i only, and the integral is iterated over
 * z_1, z_2, z_3 with Gauss–Legendre on [−9, 9], each level split at the point where x_i = 0. Every piece is smooth,
 * so the rule keeps spectral convergence that plain Gauss–Hermite loses at a kink.
 */
export function expectGaussianSplit(
  f: (x: Float64Array) => number,
  cov: readonly (readonly number[])[],
  options: ExpectationOptions & {
    /** Mean of x (default 0): x = mean + L z, and each level is split where x_i = 0. */
    mean?: readonly number[];
  } = {},
): number {
  const d = cov.length;
  if (d < 1 || d > 3) {
    throw new ValidationError({ field: 'cov', received: `${d}×${d}`, expected: 'a covariance of dimension 1, 2 or 3' });
  }
  const c = matrix(d, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) c.data[i * d + j] = 0.5 * (cov[i][j] + cov[j][i]);
  const l = cholesky(c).data;
  const mean = options.mean ?? new Array<number>(d).fill(0);
  if (mean.length !== d) {
    throw new ValidationError({ field: 'mean', received: `length ${mean.length}`, expected: `length ${d} (as cov)` });
  }
  const n = options.points ?? DEFAULT_SPLIT_POINTS;
  const base = gaussLegendre(n);
  const x = new Float64Array(d);
  const z = new Float64Array(d);
  const piece = (level: number, lo: number, hi: number): number => {
    const half = 0.5 * (hi - lo);
    const mid = 0.5 * (hi + lo);
    let s = 0;
    for (let q = 0; q < n; q++) {
      const zq = mid + half * base.nodes[q];
      z[level] = zq;
      s += base.weights[q] * half * INV_SQRT_2PI_Q * Math.exp(-0.5 * zq * zq) * integrate(level + 1);
    }
    return s;
  };
  const integrate = (level: number): number => {
    if (level === d) {
      for (let i = 0; i < d; i++) {
        let v = mean[i];
        for (let k = 0; k <= i; k++) v += l[i * d + k] * z[k];
        x[i] = v;
      }
      return f(x);
    }
    let offset = mean[level];
    for (let k = 0; k < level; k++) offset += l[level * d + k] * z[k];
    const diag = l[level * d + level];
    const kink = diag > 0 ? -offset / diag : Number.NaN;
    if (kink > -SPLIT_HALF_WIDTH && kink < SPLIT_HALF_WIDTH) {
      return piece(level, -SPLIT_HALF_WIDTH, kink) + piece(level, kink, SPLIT_HALF_WIDTH);
    }
    return piece(level, -SPLIT_HALF_WIDTH, SPLIT_HALF_WIDTH);
  };
  return integrate(0);
}

/** 1/√(2π). */
const INV_SQRT_2PI_Q = 1 / Math.sqrt(2 * Math.PI);
