/**
 * The mean-field estimate of a given model's loss from its row statistics (docs/theory-persianrug2024.md §4.2 (P10)):
 * for x̂ = ReLU(W x + b), feature i sees its own value with gain a_i = W_ii plus the interference ν_i = Σ_{j≠i} W_ij
 * x_j, treated as Gaussian with mean μ_i = (p/2) Σ_{j≠i} W_ij and variance σ_i² = (p/3 − p²/4) Σ_{j≠i} W_ij²; the
 * estimate is (1/n) Σ_i L(a_i, b_i + μ_i, σ_i; p) with the per-feature loss L of `lossByQuadrature`. Exact for the
 * symmetric Gaussian model; for a finite W only as good as the Gaussian approximation of ν_i (p·n large, spread rows).
 */
import { ValidationError } from '../../core/errors.ts';
import { lossByQuadrature } from './symmetricLoss.ts';

/** The estimate and the row statistics it used. */
export interface MeanFieldEstimate {
  loss: number;
  /** Per row: a_i, c_i = b_i + μ_i, σ_i. */
  a: Float64Array;
  c: Float64Array;
  sigma: Float64Array;
}

/** Mean-field loss of x̂ = ReLU(W x + b), W n×n row-major (e.g. W_out W_in), b of length n. */
export function meanFieldLoss(n: number, w: Float64Array, bias: Float64Array, p: number): MeanFieldEstimate {
  if (!Number.isInteger(n) || n < 1) throw new ValidationError({ field: 'n', received: n, expected: 'an integer ≥ 1' });
  if (w.length !== n * n)
    throw new ValidationError({ field: 'w', received: `length ${w.length}`, expected: `n² = ${n * n}` });
  if (bias.length !== n)
    throw new ValidationError({ field: 'bias', received: `length ${bias.length}`, expected: `n = ${n}` });
  if (!(p > 0 && p <= 1)) throw new ValidationError({ field: 'p', received: p, expected: 'a probability in (0, 1]' });
  const variance = p / 3 - (p * p) / 4;
  const a = new Float64Array(n);
  const c = new Float64Array(n);
  const sigma = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    let sumSq = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const v = w[i * n + j];
      sum += v;
      sumSq += v * v;
    }
    a[i] = w[i * n + i];
    c[i] = bias[i] + (p / 2) * sum;
    sigma[i] = Math.sqrt(variance * sumSq);
    total += lossByQuadrature(a[i], c[i], sigma[i], p);
  }
  return { loss: total / n, a, c, sigma };
}
