/**
 * Right-hand side of the rank-one "vector" form of the Refinetti & Goldt 2022 ODEs (docs/theory-refinetti2022.md
 * (E12)), for vanilla (A(k) = {1..K}) and truncated (A(k) = {1..k}, (E14)) SGD:
 *
 *   d a_τ^k/dt = η κ_τ [ (ψ_k − Σ_{a∈A(k)} T0^{ka} M1^{ka}) a_τ^k + φ_k b_τ^k − Σ_{a∈A(k)} T0^{ka} M2^{ka} a_τ^a ]
 *   d b_τ^k/dt = η [ κ_τ φ_k a_τ^k − Σ_{a∈A(k)} I2^{ka} b_τ^a ]
 *
 * with κ_τ = ρ_τ/D, φ_k = E g'(λ^k), ψ_k = E[g''(λ^k) ν^k], M1^{ka} = E[g''(λ^k) g(λ^a)], M2^{ka} = E[g'(λ^k) g'(λ^a)],
 * I2^{ka} = E[g(λ^k) g(λ^a)], all over (λ, ν) ~ N(0, [[Q, Rᵀ], [R, T]]). Time t = SGD steps / D.
 *
 * The flat ODE vector y is [a (K·n) | b (K·n)], both row-major over (k, τ), followed by the effective encoder bias
 * β (K) when `bias` is 'fixed' or 'trained'. With a bias the local fields are N(β, Q) and the integrals come from
 * `biasIntegrals.ts` (Gauss–Hermite quadrature for smooth activations, the conditional Gaussian and a split 1-D rule for
 * ReLU); a trained bias follows
 *   dβ_k/dt = η [ R^{kk} E g''(λ^k) − Σ_{a∈A(k)} T0^{ka} E[g'(λ^k) g(λ^a)] ]   (= −η ∂ε/∂β_k for vanilla).
 * `evaluate` allocates nothing (for the built-in activations).
 */
import type { ActivationIntegrals } from './odeActivation.ts';
import { orderParametersInto } from './orderParameters.ts';

/**
 * The SGD rule: `vanilla` (all units) or `truncated` (unit k sees units 1..k only, docs/theory-refinetti2022.md (E14)).
 */
export type OdeRule = 'vanilla' | 'truncated';

/** A compiled right-hand side. */
export interface VectorField {
  /** Length of the flat state vector, 2·K·n. */
  readonly size: number;
  /** dy = f(y). Allocates nothing (for the built-in activations). */
  evaluate(y: Float64Array, dy: Float64Array): void;
  /**
   * The K-dependent coefficients of the right-hand side at given order parameters (Q, R, T0, each K×K row-major) and
   * effective bias β (K numbers, or undefined without a bias), written to `out` as
   * [selfA (K) | φ (K) | mixA (K²) | mixB (K²)] (layout {@link coefficientCount}); then, per direction τ,
   *   da_τ^k = η κ_τ [ selfA_k a_τ^k + φ_k b_τ^k − Σ_j mixA^{kj} a_τ^j ],  db_τ^k = η [ κ_τ φ_k a_τ^k − Σ_j mixB^{kj} b_τ^j ].
   * Used by the stiff integrator to differentiate the coefficients with respect to the order parameters.
   */
  coefficients(
    Q: Float64Array,
    R: Float64Array,
    T0: Float64Array,
    beta: Float64Array | undefined,
    out: Float64Array,
  ): void;
}

/** Number of coefficients {@link VectorField.coefficients} writes: 2K + 2K². */
export function coefficientCount(hidden: number): number {
  return 2 * hidden + 2 * hidden * hidden;
}

/** Options of {@link createVectorField}. */
export interface VectorFieldOptions {
  hidden: number;
  directions: number;
  /** κ_τ = ρ_τ / D. */
  kappa: Float64Array;
  activation: ActivationIntegrals;
  rule: OdeRule;
  /** η. */
  learningRate: number;
  /** Encoder bias: none (default), fixed at its initial value, or trained. */
  bias?: 'none' | 'fixed' | 'trained';
}

/** Builds the vector-form right-hand side with preallocated K×K work arrays. */
export function createVectorField(options: VectorFieldOptions): VectorField {
  const { hidden: K, directions: n, kappa, activation: g, rule, learningRate: eta } = options;
  const biasMode = options.bias ?? 'none';
  const withBias = biasMode !== 'none';
  const quad = withBias ? g.biasIntegrals() : undefined;
  const chi = new Float64Array(K);
  const KK = K * K;
  const mixN = new Float64Array(KK); // E[g'(λ^k) g(λ^a)] for a ∈ A(k)
  const kn = K * n;
  const Q = new Float64Array(KK);
  const R = new Float64Array(KK);
  const T0 = new Float64Array(KK);
  const phi = new Float64Array(K);
  const selfA = new Float64Array(K); // ψ_k − Σ_a T0^{ka} M1^{ka}
  const mixA = new Float64Array(KK); // T0^{ka} M2^{ka} for a ∈ A(k), else 0
  const mixB = new Float64Array(KK); // I2^{ka} for a ∈ A(k), else 0
  const truncated = rule === 'truncated';
  const dBeta = new Float64Array(K);
  // Pair moments M1, M2, I2, N for (k, j), filled before they are used: with the vanilla rule both (k, j) and (j, k)
  // are needed, and integrals that offer `pairBoth` give the two from one integral (ReLU: the off-diagonal pairs cost
  // half as much).
  const pairM1 = new Float64Array(KK);
  const pairM2 = new Float64Array(KK);
  const pairI2 = new Float64Array(KK);
  const pairN = new Float64Array(KK);
  const forward = { m1: 0, m2: 0, i2: 0, n: 0 };
  const moments = { m1: 0, m2: 0, i2: 0 };
  const backward = { m1: 0, m2: 0, i2: 0, n: 0 };
  const store = (at: number, m: { m1: number; m2: number; i2: number; n: number }) => {
    pairM1[at] = m.m1;
    pairM2[at] = m.m2;
    pairI2[at] = m.i2;
    pairN[at] = m.n;
  };
  /** selfA, φ, mixA, mixB (and dβ/dt with a trained bias) at the order parameters (q = Q, r = R, t0m = T0) and bias β. */
  const computeCoefficients = (
    q: Float64Array,
    r: Float64Array,
    t0m: Float64Array,
    beta: Float64Array | undefined,
  ): void => {
    if (quad && beta) {
      const both = truncated ? undefined : quad.pairBoth;
      for (let k = 0; k < K; k++) {
        if (both) {
          // Vanilla: the diagonal one way, then (k, j) and (j, k) together for j > k.
          store(k * K + k, quad.pair(beta[k], beta[k], q[k * K + k], q[k * K + k], q[k * K + k]));
          for (let j = k + 1; j < K; j++) {
            both(beta[k], beta[j], q[k * K + k], q[k * K + j], q[j * K + j], forward, backward);
            store(k * K + j, forward);
            store(j * K + k, backward);
          }
        } else {
          const last = truncated ? k + 1 : K;
          for (let j = 0; j < last; j++) {
            store(k * K + j, quad.pair(beta[k], beta[j], q[k * K + k], q[k * K + j], q[j * K + j]));
          }
        }
      }
      for (let k = 0; k < K; k++) {
        const qkk = q[k * K + k];
        const one = quad.single(beta[k], qkk);
        phi[k] = one.phi;
        chi[k] = one.chi;
        let s = qkk > 0 ? (r[k * K + k] / qkk) * one.g2x : 0;
        const last = truncated ? k + 1 : K;
        for (let j = 0; j < K; j++) {
          if (j < last) {
            const t0 = t0m[k * K + j];
            s -= t0 * pairM1[k * K + j];
            mixA[k * K + j] = t0 * pairM2[k * K + j];
            mixB[k * K + j] = pairI2[k * K + j];
            mixN[k * K + j] = pairN[k * K + j];
          } else {
            mixA[k * K + j] = 0;
            mixB[k * K + j] = 0;
            mixN[k * K + j] = 0;
          }
        }
        selfA[k] = s;
      }
      for (let k = 0; k < K; k++) {
        let s = r[k * K + k] * chi[k];
        for (let j = 0; j < K; j++) s -= t0m[k * K + j] * mixN[k * K + j];
        dBeta[k] = eta * s;
      }
    } else {
      for (let k = 0; k < K; k++) {
        const qkk = q[k * K + k];
        phi[k] = g.phi(qkk);
        let s = g.psi(qkk, r[k * K + k]);
        const last = truncated ? k + 1 : K;
        for (let j = 0; j < K; j++) {
          if (j < last) {
            const qkj = q[k * K + j];
            const qjj = q[j * K + j];
            const t0 = t0m[k * K + j];
            if (g.pairMoments) {
              g.pairMoments(qkk, qkj, qjj, moments);
              s -= t0 * moments.m1;
              mixA[k * K + j] = t0 * moments.m2;
              mixB[k * K + j] = moments.i2;
            } else {
              s -= t0 * g.m1(qkk, qkj, qjj);
              mixA[k * K + j] = t0 * g.m2(qkk, qkj, qjj);
              mixB[k * K + j] = g.i2(qkk, qkj, qjj);
            }
          } else {
            mixA[k * K + j] = 0;
            mixB[k * K + j] = 0;
          }
        }
        selfA[k] = s;
      }
    }
  };
  return {
    size: 2 * kn + (withBias ? K : 0),
    evaluate(y: Float64Array, dy: Float64Array): void {
      const a = y.subarray(0, kn);
      const b = y.subarray(kn, 2 * kn);
      orderParametersInto(K, n, kappa, a, b, Q, R, T0);
      computeCoefficients(Q, R, T0, withBias ? y.subarray(2 * kn, 2 * kn + K) : undefined);
      if (withBias) {
        for (let k = 0; k < K; k++) dy[2 * kn + k] = biasMode === 'trained' ? dBeta[k] : 0;
      }
      // Row k of da and db, one pass over τ per k with the sums over j in registers (no re-reading of dy); units
      // outside A(k) have zero coefficients and are skipped by `last`.
      for (let k = 0; k < K; k++) {
        const ok = k * n;
        const sk = selfA[k];
        const pk = phi[k];
        const last = truncated ? k + 1 : K;
        const row = k * K;
        for (let tau = 0; tau < n; tau++) {
          let da = sk * a[ok + tau] + pk * b[ok + tau];
          let db = 0;
          for (let j = 0, oj = tau; j < last; j++, oj += n) {
            da -= mixA[row + j] * a[oj];
            db -= mixB[row + j] * b[oj];
          }
          const c = eta * kappa[tau];
          dy[ok + tau] = c * da;
          dy[kn + ok + tau] = c * pk * a[ok + tau] + eta * db;
        }
      }
    },
    coefficients(q, r, t0, beta, out): void {
      computeCoefficients(q, r, t0, withBias ? beta : undefined);
      out.set(selfA, 0);
      out.set(phi, K);
      out.set(mixA, 2 * K);
      out.set(mixB, 2 * K + KK);
    },
  };
}
