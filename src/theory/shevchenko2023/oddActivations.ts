/**
 * Other activations on orthonormal rows (docs/theory-shevchenko2023.md (S12), derived, not claimed to be in the paper).
 * For an odd σ and n ≤ d orthonormal unit rows, the codes σ(b_i·x) are independent and zero-mean, so the optimal
 * linear decoder is A = (μ₁/E σ²) B̂ᵀ and the per-coordinate risk is 1 − r μ₁² / E σ(z)², μ₁ = E[z σ(z)].
 */
import { ValidationError } from '../../core/errors.ts';
import { expectNormal1d } from '../../core/quadrature.ts';
import { erf } from '../../core/special.ts';

/** Odd activations covered here; `erf` is erf(x/√2), as in the kernels. */
export type OddActivation = 'linear' | 'erf' | 'sign';

/** σ(t) of an odd activation. */
export function oddActivation(activation: OddActivation, t: number): number {
  if (activation === 'linear') return t;
  if (activation === 'erf') return erf(t / Math.SQRT2);
  return t > 0 ? 1 : t < 0 ? -1 : 0;
}

/** μ₁ = E[z σ(z)] and E σ(z)² for z ~ N(0, 1): closed forms for linear and sign, Gauss–Hermite (96 points) for erf. */
export function oddActivationMoments(activation: OddActivation): { mu1: number; secondMoment: number } {
  if (activation === 'linear') return { mu1: 1, secondMoment: 1 };
  if (activation === 'sign') return { mu1: Math.sqrt(2 / Math.PI), secondMoment: 1 };
  const f = (z: number) => erf(z / Math.SQRT2);
  return {
    mu1: expectNormal1d((z) => z * f(z), { points: 96 }),
    secondMoment: expectNormal1d((z) => f(z) ** 2, { points: 96 }),
  };
}

/** Risk with the optimal decoder on n = r·d orthonormal rows (r ≤ 1): 1 − r μ₁²/E σ². Linear σ gives PCA's 1 − r. */
export function oddActivationRisk(rate: number, activation: OddActivation): number {
  if (!(rate > 0 && rate <= 1)) {
    throw new ValidationError({
      field: 'rate',
      received: rate,
      expected: 'r in (0, 1] (orthonormal rows need n ≤ d)',
    });
  }
  const { mu1, secondMoment } = oddActivationMoments(activation);
  return 1 - (rate * mu1 * mu1) / secondMoment;
}

/** Decoder scale μ₁/E σ² of the optimal decoder A = (μ₁/E σ²) B̂ᵀ on orthonormal rows. */
export function oddActivationDecoderScale(activation: OddActivation): number {
  const { mu1, secondMoment } = oddActivationMoments(activation);
  return mu1 / secondMoment;
}

/** Minimum risk of a linear autoencoder (PCA) on N(0, I_d): 1 − min(r, 1). */
export function linearAutoencoderRisk(rate: number): number {
  if (!(rate > 0)) throw new ValidationError({ field: 'rate', received: rate, expected: 'r > 0' });
  return 1 - Math.min(rate, 1);
}
