/**
 * Test (generalisation) error of Refinetti & Goldt 2022 from the order parameters (docs/theory-refinetti2022.md (E7)),
 * exact for Gaussian inputs at any D, in the ε = ½·MSE convention of the authors' code ((E2); the paper's eq. (2) may
 * be 2ε): ε = (1/2D) E‖x − x̂‖².
 *
 * ε = ½ TrΩ/D − Σ_k J2(T^{kk}, R^{kk}, Q^{kk}) + ½ Σ_{k,l} T0^{kl} I2(Q^{kk}, Q^{kl}, Q^{ll}).
 */
import { ValidationError } from '../../core/errors.ts';
import { type ActivationIntegrals, type OdeActivation, resolveActivation } from './odeActivation.ts';

/** Options of {@link testError}. */
export interface TestErrorOptions {
  /** Q, K × K row-major. */
  Q: ArrayLike<number>;
  /** R, K × K row-major (R^{kl} = E[ν^k λ^l]). */
  R: ArrayLike<number>;
  /** T, K × K row-major. */
  T: ArrayLike<number>;
  /** T0, K × K row-major. */
  T0: ArrayLike<number>;
  /** TrΩ/D = (1/D) Σ_τ ρ_τ over all D directions. */
  traceOmegaOverD: number;
  /** Activation g. */
  activation: OdeActivation | ActivationIntegrals;
  /**
   * Effective encoder bias β_k = b_k/√D (length K; default none). With a bias the local fields are N(β, Q):
   * J2^{kk} = R^{kk} E g′(λ^k) and I2 = E[g(λ^k) g(λ^l)] from `biasIntegrals.ts` (every activation, ReLU included).
   */
  bias?: ArrayLike<number>;
}

/** The three terms of ε and their sum. */
export interface TestErrorTerms {
  /** ε. */
  error: number;
  /** ½ TrΩ/D. */
  data: number;
  /** Σ_k J2^{kk}. */
  overlap: number;
  /** ½ Σ_{kl} T0^{kl} I2^{kl}. */
  selfOverlap: number;
}

function isIntegrals(a: OdeActivation | ActivationIntegrals): a is ActivationIntegrals {
  return typeof a === 'object' && a !== null && 'i2' in a;
}

/** ε and its three terms. Allocates nothing for a resolved activation. */
export function testErrorTerms(options: TestErrorOptions): TestErrorTerms {
  const { Q, R, T, T0, traceOmegaOverD } = options;
  const K = Math.round(Math.sqrt(Q.length));
  if (K * K !== Q.length || R.length !== Q.length || T.length !== Q.length || T0.length !== Q.length) {
    throw new ValidationError({
      field: 'Q, R, T, T0',
      received: [Q.length, R.length, T.length, T0.length],
      expected: 'four K×K row-major arrays of the same length',
    });
  }
  if (!Number.isFinite(traceOmegaOverD)) {
    throw new ValidationError({ field: 'traceOmegaOverD', received: traceOmegaOverD, expected: 'a finite number' });
  }
  const g = isIntegrals(options.activation) ? options.activation : resolveActivation(options.activation);
  let overlap = 0;
  let selfOverlap = 0;
  const bias = options.bias;
  if (bias !== undefined) {
    if (bias.length !== K) {
      throw new ValidationError({ field: 'bias', received: `length ${bias.length}`, expected: `length K = ${K}` });
    }
    const quad = g.biasIntegrals();
    for (let k = 0; k < K; k++) {
      const qkk = Q[k * K + k];
      overlap += R[k * K + k] * quad.single(bias[k], qkk).phi;
      for (let l = 0; l < K; l++) {
        selfOverlap += T0[k * K + l] * quad.pair(bias[k], bias[l], qkk, Q[k * K + l], Q[l * K + l]).i2;
      }
    }
    const data = 0.5 * traceOmegaOverD;
    selfOverlap *= 0.5;
    return { error: data - overlap + selfOverlap, data, overlap, selfOverlap };
  }
  for (let k = 0; k < K; k++) {
    const qkk = Q[k * K + k];
    overlap += g.j2(T[k * K + k], R[k * K + k], qkk);
    for (let l = 0; l < K; l++) {
      selfOverlap += T0[k * K + l] * g.i2(qkk, Q[k * K + l], Q[l * K + l]);
    }
  }
  const data = 0.5 * traceOmegaOverD;
  selfOverlap *= 0.5;
  return { error: data - overlap + selfOverlap, data, overlap, selfOverlap };
}

/** ε = (1/2D) E‖x − x̂‖² from the order parameters (docs/theory-refinetti2022.md (E7)). */
export function testError(options: TestErrorOptions): number {
  return testErrorTerms(options).error;
}
