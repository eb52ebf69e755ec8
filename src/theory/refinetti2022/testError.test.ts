import { describe, expect, test } from 'vitest';
import { ValidationError } from '../../core/errors.ts';
import { createRng } from '../../core/rng.ts';
import { erf } from '../../core/special.ts';
import { resolveActivation } from './odeActivation.ts';
import { testError, testErrorTerms } from './testError.ts';

/**
 * A network in D dimensions with a diagonal covariance Ω = diag(ρ) (the basis does not matter for ε): encoder W (K×D),
 * decoder V (D×K), effective bias β. λ^k = w^k·x/√D + β_k, x̂ = Σ_k v^k g(λ^k), ε = (1/2D) E‖x − x̂‖²
 * (docs/theory-refinetti2022.md (E2), (E7)). The order parameters follow from their definitions (E6).
 */
function network(K: number, D: number, seed: number) {
  const rng = createRng(seed);
  const rho = Array.from({ length: D }, () => 0.2 + 1.8 * rng.uniform());
  const w = Array.from({ length: K }, () => Array.from({ length: D }, () => 0.8 * rng.normal()));
  const v = Array.from({ length: K }, () => Array.from({ length: D }, () => 0.5 * rng.normal()));
  const beta = Array.from({ length: K }, () => 0.6 * rng.normal());
  const Q: number[] = [];
  const R: number[] = [];
  const T: number[] = [];
  const T0: number[] = [];
  for (let k = 0; k < K; k++) {
    for (let l = 0; l < K; l++) {
      let q = 0;
      let r = 0;
      let t = 0;
      let t0 = 0;
      for (let i = 0; i < D; i++) {
        q += rho[i] * w[k][i] * w[l][i];
        r += rho[i] * v[k][i] * w[l][i];
        t += rho[i] * v[k][i] * v[l][i];
        t0 += v[k][i] * v[l][i];
      }
      Q.push(q / D);
      R.push(r / D ** 1.5);
      T.push(t / D ** 2);
      T0.push(t0 / D);
    }
  }
  const traceOmegaOverD = rho.reduce((s, x) => s + x, 0) / D;
  return { K, D, rho, w, v, beta, Q, R, T, T0, traceOmegaOverD };
}

type Network = ReturnType<typeof network>;

/** ε of a linear network with bias, in closed form: (1/2D) [tr((I − M) Ω (I − M)ᵀ) + ‖V β‖²], M = V W / √D. */
function linearEpsilon(net: Network, withBias: boolean): number {
  const { K, D, rho, w, v, beta } = net;
  let s = 0;
  for (let i = 0; i < D; i++) {
    for (let j = 0; j < D; j++) {
      let m = 0;
      for (let k = 0; k < K; k++) m += (v[k][i] * w[k][j]) / Math.sqrt(D);
      const entry = (i === j ? 1 : 0) - m;
      s += entry * entry * rho[j];
    }
    if (withBias) {
      let vb = 0;
      for (let k = 0; k < K; k++) vb += v[k][i] * beta[k];
      s += vb * vb;
    }
  }
  return s / (2 * D);
}

/** Monte Carlo of ε = (1/2D) E‖x − x̂‖² over x ~ N(0, Ω): mean and standard error. */
function monteCarloEpsilon(net: Network, g: (x: number) => number, withBias: boolean, samples: number, seed: number) {
  const { K, D, rho, w, v } = net;
  const beta = withBias ? net.beta : net.beta.map(() => 0);
  const rng = createRng(seed);
  const x = new Float64Array(D);
  const h = new Float64Array(K);
  let sum = 0;
  let sumSq = 0;
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < D; i++) x[i] = Math.sqrt(rho[i]) * rng.normal();
    for (let k = 0; k < K; k++) {
      let lambda = 0;
      for (let i = 0; i < D; i++) lambda += w[k][i] * x[i];
      h[k] = g(lambda / Math.sqrt(D) + beta[k]);
    }
    let loss = 0;
    for (let i = 0; i < D; i++) {
      let xhat = 0;
      for (let k = 0; k < K; k++) xhat += v[k][i] * h[k];
      loss += (x[i] - xhat) ** 2;
    }
    loss /= 2 * D;
    sum += loss;
    sumSq += loss * loss;
  }
  const mean = sum / samples;
  return { mean, se: Math.sqrt((sumSq / samples - mean * mean) / (samples - 1)) };
}

describe('ε from the order parameters (docs/theory-refinetti2022.md (E7))', () => {
  test('linear g: each term is its closed form (½TrΩ/D, Σ R^{kk}, ½ Σ T0^{kl} Q^{kl}) and ε is the direct (1/2D) tr((I−M)Ω(I−M)ᵀ)', () => {
    const net = network(3, 8, 11);
    const terms = testErrorTerms({ ...net, activation: 'linear' });
    expect(terms.data).toBeCloseTo(0.5 * net.traceOmegaOverD, 14);
    const overlap = net.R[0] + net.R[4] + net.R[8];
    expect(Math.abs(terms.overlap - overlap)).toBeLessThan(1e-14);
    let self = 0;
    for (let i = 0; i < 9; i++) self += net.T0[i] * net.Q[i];
    expect(Math.abs(terms.selfOverlap - 0.5 * self)).toBeLessThan(1e-14);
    const direct = linearEpsilon(net, false);
    expect(Math.abs(terms.error - direct)).toBeLessThan(1e-13 * direct);
    expect(testError({ ...net, activation: 'linear' })).toBe(terms.error);
  });

  test('linear g with an encoder bias: ε is the direct (1/2D)[tr((I−M)Ω(I−M)ᵀ) + ‖Vβ‖²], J2 = R^{kk}, I2 = Q^{kl} + β_kβ_l', () => {
    const net = network(3, 8, 12);
    const bias = Float64Array.from(net.beta);
    const terms = testErrorTerms({ ...net, activation: 'linear', bias });
    const direct = linearEpsilon(net, true);
    expect(Math.abs(terms.error - direct)).toBeLessThan(1e-12 * direct);
    expect(Math.abs(terms.overlap - (net.R[0] + net.R[4] + net.R[8]))).toBeLessThan(1e-12);
    let self = 0;
    for (let k = 0; k < 3; k++) {
      for (let l = 0; l < 3; l++) self += net.T0[k * 3 + l] * (net.Q[k * 3 + l] + net.beta[k] * net.beta[l]);
    }
    expect(Math.abs(terms.selfOverlap - 0.5 * self)).toBeLessThan(1e-12);
    expect(terms.data).toBeCloseTo(0.5 * net.traceOmegaOverD, 14);
    // The bias matters here: ‖Vβ‖²/(2D) is not negligible against the tolerance above.
    expect(direct - linearEpsilon(net, false)).toBeGreaterThan(1e-3);
  });

  // 200 000 draws: standard error about 0.3% of ε; the allowance is 5 standard errors (a false alarm about 1 in 1.7
  // million for a correct ε). Seeded, so the outcome is fixed.
  test.each([
    { name: 'erf, no bias', g: (x: number) => erf(x / Math.SQRT2), activation: 'erf' as const, bias: false },
    { name: 'erf, with bias', g: (x: number) => erf(x / Math.SQRT2), activation: 'erf' as const, bias: true },
    { name: 'ReLU, with bias', g: (x: number) => Math.max(x, 0), activation: 'relu' as const, bias: true },
  ])(
    '$name: ε equals a Monte Carlo of (1/2D) E‖x − x̂‖² over the D-dimensional network (5 SE)',
    ({ g, activation, bias }) => {
      // A bias of order 1 (in units of √Q ≈ 0.8) moves ε by many standard errors for both activations.
      const net = { ...network(2, 6, 13), beta: [1.2, -0.9] };
      const eps = testError({ ...net, activation, ...(bias ? { bias: Float64Array.from(net.beta) } : {}) });
      const mc = monteCarloEpsilon(net, g, bias, 200_000, 99);
      expect(mc.se).toBeLessThan(0.005 * mc.mean);
      expect(Math.abs(eps - mc.mean)).toBeLessThan(5 * mc.se);
      // With a bias, dropping it moves ε by more than 15 standard errors (21 for erf, 44 for ReLU): the check sees it.
      if (bias) expect(Math.abs(testError({ ...net, activation }) - eps)).toBeGreaterThan(15 * mc.se);
    },
  );

  test('a resolved activation (ActivationIntegrals) gives the same ε as its name', () => {
    const net = network(2, 5, 3);
    const bias = Float64Array.from(net.beta);
    expect(testError({ ...net, activation: resolveActivation('erf') })).toBe(testError({ ...net, activation: 'erf' }));
    expect(testError({ ...net, activation: resolveActivation('relu'), bias })).toBe(
      testError({ ...net, activation: 'relu', bias }),
    );
  });

  test('bad input: ValidationErrors name the field', () => {
    const net = network(2, 4, 5);
    const base = { ...net, activation: 'erf' as const };
    const sizes = /Q, R, T, T0/;
    expect(() => testError({ ...base, Q: [1, 0, 0] })).toThrow(ValidationError);
    expect(() => testError({ ...base, Q: [1, 0, 0] })).toThrow(sizes);
    expect(() => testError({ ...base, R: [1, 0, 0] })).toThrow(sizes);
    expect(() => testError({ ...base, T: [1, 0, 0, 0, 0] })).toThrow(sizes);
    expect(() => testError({ ...base, T0: [1] })).toThrow(sizes);
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => testError({ ...base, traceOmegaOverD: bad })).toThrow(/traceOmegaOverD/);
    }
    expect(() => testError({ ...base, bias: [0.1, 0.2, 0.3] })).toThrow(/bias.*length 3.*K = 2/s);
    expect(() => testError({ ...base, activation: 'tanh' as never })).toThrow(/activation/);
  });
});
