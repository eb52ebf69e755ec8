/**
 * Monte Carlo of the elementwise-activation losses of Cowsik, Dolev, Infanger 2024 (§4.6 of docs/theory-persianrug2024.md):
 * a feature x ~ (1 − p)δ₀ + p·U[0, 1) seen as y = x + σz, decoded by the posterior mean E[x | y] (the Bayes MMSE) or
 * by JumpReLU y·1[y > θ]. This is the sampling side of `persianrug2024.activation-gain`; the theory computes the same
 * losses by quadrature over y (src/theory/persianrug2024/activationBounds.ts), this module never imports it.
 */
import type { Rng } from '../../core/rng.ts';
import { normalCdf, normalPdf } from '../../core/special.ts';
import { RunningStats } from '../../core/stats.ts';

/** The posterior mean E[x | y], as a function of y (the decoder whose loss is estimated). */
export type PosteriorMean = (y: number) => number;

/**
 * E[x | y] for x ~ (1 − p)δ₀ + p·U[0, 1), y = x + σz: the probability that x is on, times the mean of N(y, σ²) truncated
 * to [0, 1]. Given x on, u | y is N(y, σ²) restricted to [0, 1], with mass I = Φ(β) − Φ(α) (α = −y/σ, β = (1 − y)/σ)
 * and mean y + σ(φ(α) − φ(β))/I; P(on | y) = p·I / (p·I + (1 − p)φ(y/σ)/σ). I is taken as a difference of the two
 * small tails where they are small (y below 1/2: upper tails), so it keeps its digits for y outside [0, 1].
 */
export function posteriorMean(p: number, sigma: number): PosteriorMean {
  return (y) => {
    const alpha = -y / sigma;
    const beta = (1 - y) / sigma;
    const mass = y < 0.5 ? normalCdf(-alpha) - normalCdf(-beta) : normalCdf(beta) - normalCdf(alpha);
    if (!(mass > 0)) return 0;
    const truncatedMean = y + (sigma * (normalPdf(alpha) - normalPdf(beta))) / mass;
    const offOverOn = ((1 - p) * normalPdf(y / sigma)) / (sigma * p * mass);
    return truncatedMean / (1 + offOverOn);
  };
}

/**
 * Scale s of the wide half of the off stratum's noise mixture: 1 + √(2 ln(1/p)), about where the posterior starts to
 * believe the feature is on (φ(z) ≈ p) and where JumpReLU's best threshold lies in units of σ (4.7σ at p = 1e-3). Plain
 * N(0, 1) draws reach that tail with probability ~p: at p = 1e-3, 20 000 draws of x = 0 see no z above JumpReLU's 4.5σ
 * threshold in most runs, though those z carry 5% of its loss, and the estimate comes out 3 to 5 standard errors low.
 */
export function offStratumNoiseScale(p: number): number {
  return 1 + Math.sqrt(2 * Math.log(1 / p));
}

/** A Monte Carlo estimate of a mean and its standard error. */
export interface MonteCarloEstimate {
  mean: number;
  standardError: number;
}

/** The two losses estimated from one set of samples. */
export interface ActivationLossesMonteCarlo {
  /** E[(x − m(y))²] for the given posterior mean m (the Bayes MMSE when m is {@link posteriorMean}). */
  bayes: MonteCarloEstimate;
  /** E[(x − y·1[y > θ])²], JumpReLU's loss at θ. */
  jumpRelu: MonteCarloEstimate;
  /** Samples per stratum (x off, x on). */
  samplesPerStratum: number;
}

/** Options of {@link activationLossesMonteCarlo}. */
export interface ActivationLossesOptions {
  p: number;
  sigma: number;
  /** JumpReLU's threshold. */
  theta: number;
  /** Samples in each of the two strata (x = 0 and x on); the estimate uses 2·samples draws of (x, z). */
  samples: number;
  rng: Rng;
  /** The decoder of the Bayes estimate (default {@link posteriorMean}(p, σ); a negative control passes a wrong one). */
  posterior?: PosteriorMean;
}

/**
 * Stratified Monte Carlo over the two components of x: `samples` draws with x = 0 and `samples` with x ~ U[0, 1), each
 * with its own noise z, combined with the exact weights 1 − p and p. The x = 0 stratum samples its noise by importance
 * (a defensive mixture, weights ≤ 2; see {@link offStratumNoiseScale}), so the rare large z that carry part of the
 * loss are seen. Stratifying keeps the relative standard error of
 * order 1/√samples at every p, where plain sampling would see only p·N nonzero features (none at p = 1e-5). The
 * standard error is √((1 − p)²s₀²/N + p²s₁²/N) from the two strata's sample variances.
 */
export function activationLossesMonteCarlo(options: ActivationLossesOptions): ActivationLossesMonteCarlo {
  const { p, sigma, theta, samples, rng } = options;
  if (!Number.isInteger(samples) || samples < 2) {
    throw new RangeError(
      `activationLossesMonteCarlo: samples must be an integer ≥ 2 (one per stratum is not enough for a variance), received ${samples}`,
    );
  }
  const m = options.posterior ?? posteriorMean(p, sigma);
  const strata = [0, 0].map(() => ({ bayes: new RunningStats(), jump: new RunningStats() }));
  // x = 0: y = σz with z drawn from the defensive mixture ½N(0, 1) + ½N(0, s²) and weighted by φ(z)/q(z) ≤ 2.
  const s = offStratumNoiseScale(p);
  for (let i = 0; i < samples; i++) {
    const z = i % 2 === 0 ? rng.normal() : s * rng.normal();
    const w = normalPdf(z) / (0.5 * normalPdf(z) + (0.5 * normalPdf(z / s)) / s);
    const y = sigma * z;
    const eb = m(y);
    const ej = y > theta ? y : 0;
    strata[0].bayes.push(w * eb * eb);
    strata[0].jump.push(w * ej * ej);
  }
  // x ~ U[0, 1): plain sampling (every loss term here is of order σ² or x², none is rare).
  for (let i = 0; i < samples; i++) {
    const x = rng.uniform();
    const y = x + sigma * rng.normal();
    const eb = x - m(y);
    const ej = x - (y > theta ? y : 0);
    strata[1].bayes.push(eb * eb);
    strata[1].jump.push(ej * ej);
  }
  const combine = (key: 'bayes' | 'jump'): MonteCarloEstimate => {
    const off = strata[0][key];
    const on = strata[1][key];
    return {
      mean: (1 - p) * off.mean + p * on.mean,
      standardError: Math.sqrt(((1 - p) ** 2 * off.variance + p ** 2 * on.variance) / samples),
    };
  };
  return { bayes: combine('bayes'), jumpRelu: combine('jump'), samplesPerStratum: samples };
}
