import { describe, expect, test } from 'vitest';
import { createRng } from '../../core/rng.ts';
import { resolveActivation } from './odeActivation.ts';
import { coefficientCount, createVectorField } from './vectorField.ts';

/**
 * For linear g every Gaussian integral of (E12) is elementary over (λ, ν) ~ N((β, 0), [[Q, Rᵀ], [R, T]]):
 * φ_k = E g′ = 1, ψ_k = E[g″ ν] = 0, M1 = E[g″ g] = 0, M2 = E[g′ g′] = 1, I2^{ka} = E[λ^k λ^a] = Q^{ka} + β_k β_a, and
 * E[g′(λ^k) g(λ^a)] = β_a, E g″ = 0. The right-hand side is then, with A(k) = {1..K} (vanilla) or {1..k} (truncated,
 * (E14)), κ_τ = ρ_τ/D, Q^{ka} = Σ_τ κ_τ a_τ^k a_τ^a and T0^{ka} = Σ_τ b_τ^k b_τ^a (E6):
 *   da_τ^k = η κ_τ [ b_τ^k − Σ_{a∈A(k)} T0^{ka} a_τ^a ]
 *   db_τ^k = η [ κ_τ a_τ^k − Σ_{a∈A(k)} (Q^{ka} + β_k β_a) b_τ^a ]
 *   dβ_k   = −η Σ_{a∈A(k)} T0^{ka} β_a    (trained; 0 when fixed)
 * written here as plain loops over the definitions, without the order-parameter code.
 */
function linearField(
  K: number,
  n: number,
  kappa: Float64Array,
  eta: number,
  truncated: boolean,
  y: Float64Array,
  bias: 'none' | 'fixed' | 'trained',
): Float64Array {
  const a = (k: number, t: number) => y[k * n + t];
  const b = (k: number, t: number) => y[K * n + k * n + t];
  const beta = (k: number) => (bias === 'none' ? 0 : y[2 * K * n + k]);
  const Q = (k: number, l: number) => kappa.reduce((s, c, t) => s + c * a(k, t) * a(l, t), 0);
  const T0 = (k: number, l: number) => kappa.reduce((s, _c, t) => s + b(k, t) * b(l, t), 0);
  const out = new Float64Array(2 * K * n + (bias === 'none' ? 0 : K));
  for (let k = 0; k < K; k++) {
    const units = truncated ? k + 1 : K;
    for (let t = 0; t < n; t++) {
      let da = b(k, t);
      let db = kappa[t] * a(k, t);
      for (let j = 0; j < units; j++) {
        da -= T0(k, j) * a(j, t);
        db -= (Q(k, j) + beta(k) * beta(j)) * b(j, t);
      }
      out[k * n + t] = eta * kappa[t] * da;
      out[K * n + k * n + t] = eta * db;
    }
    if (bias === 'trained') {
      let s = 0;
      for (let j = 0; j < units; j++) s -= T0(k, j) * beta(j);
      out[2 * K * n + k] = eta * s;
    }
  }
  return out;
}

const K = 3;
const N = 4;
const ETA = 0.7;
const KAPPA = Float64Array.from([2.5, 1.1, 0.4, 0.15]);

function state(bias: boolean, seed: number): Float64Array {
  const rng = createRng(seed);
  const y = new Float64Array(2 * K * N + (bias ? K : 0));
  for (let i = 0; i < y.length; i++) y[i] = rng.normal() * (i < 2 * K * N ? 0.6 : 0.8);
  return y;
}

const cases = (['vanilla', 'truncated'] as const).flatMap((rule) =>
  (['none', 'fixed', 'trained'] as const).map((bias) => ({ rule, bias })),
);

describe('vector-form right-hand side (docs/theory-refinetti2022.md (E12), (E14)) against its linear closed form', () => {
  test.each(cases)('linear g, $rule, bias $bias: evaluate() equals the closed form', ({ rule, bias }) => {
    const field = createVectorField({
      hidden: K,
      directions: N,
      kappa: KAPPA,
      activation: resolveActivation('linear'),
      rule,
      learningRate: ETA,
      bias,
    });
    expect(field.size).toBe(2 * K * N + (bias === 'none' ? 0 : K));
    const y = state(bias !== 'none', 5);
    const dy = new Float64Array(field.size).fill(Number.NaN);
    field.evaluate(y, dy);
    const expected = linearField(K, N, KAPPA, ETA, rule === 'truncated', y, bias);
    const scale = Math.max(...expected.map(Math.abs));
    for (let i = 0; i < dy.length; i++) expect(Math.abs(dy[i] - expected[i])).toBeLessThan(1e-13 * scale);
  });

  test('the truncated field differs from the vanilla one (so the comparison above can tell them apart)', () => {
    const y = state(true, 5);
    const v = linearField(K, N, KAPPA, ETA, false, y, 'trained');
    const t = linearField(K, N, KAPPA, ETA, true, y, 'trained');
    // Unit 1 sees only itself in truncated SGD; the last unit sees every unit in both rules.
    expect(Math.abs(v[0] - t[0])).toBeGreaterThan(1e-2);
    expect(Math.abs(v[2 * K * N] - t[2 * K * N])).toBeGreaterThan(1e-2);
    expect(v[(K - 1) * N]).toBe(t[(K - 1) * N]);
  });

  test.each(cases)(
    'linear g, $rule, bias $bias: coefficients() are selfA = 0, φ = 1, mixA = T0, mixB = Q + ββᵀ on A(k)',
    ({ rule, bias }) => {
      const field = createVectorField({
        hidden: K,
        directions: N,
        kappa: KAPPA,
        activation: resolveActivation('linear'),
        rule,
        learningRate: ETA,
        bias,
      });
      const rng = createRng(9);
      // Order parameters of some state (any symmetric Q, T0 and any R will do for linear g).
      const sym = () => {
        const m = new Float64Array(K * K);
        for (let k = 0; k < K; k++) {
          for (let l = 0; l <= k; l++) m[k * K + l] = m[l * K + k] = (k === l ? 1.5 : 0) + 0.3 * rng.normal();
        }
        return m;
      };
      const Q = sym();
      const T0 = sym();
      const R = Float64Array.from({ length: K * K }, () => rng.normal());
      const beta = Float64Array.from([0.4, -0.7, 1.1]);
      const out = new Float64Array(coefficientCount(K)).fill(Number.NaN);
      expect(out.length).toBe(2 * K + 2 * K * K);
      field.coefficients(Q, R, T0, beta, out);
      const withBias = bias !== 'none';
      for (let k = 0; k < K; k++) {
        expect(out[k]).toBeCloseTo(0, 14);
        expect(out[K + k]).toBeCloseTo(1, 14);
        for (let j = 0; j < K; j++) {
          const inA = rule === 'vanilla' || j <= k;
          const mixA = inA ? T0[k * K + j] : 0;
          const mixB = inA ? Q[k * K + j] + (withBias ? beta[k] * beta[j] : 0) : 0;
          expect(Math.abs(out[2 * K + k * K + j] - mixA)).toBeLessThan(1e-13);
          expect(Math.abs(out[2 * K + K * K + k * K + j] - mixB)).toBeLessThan(1e-12);
        }
      }
    },
  );

  test('coefficientCount(K) = 2K + 2K²', () => {
    expect([1, 2, 5].map(coefficientCount)).toEqual([4, 12, 60]);
  });
});

describe('vector field edge cases found by mutation testing', () => {
  test('K = 4, truncated, trained bias: the closed form holds (units far apart in the order must not clobber each other)', () => {
    const K4 = 4;
    const rng = createRng(31);
    const y = Float64Array.from({ length: 2 * K4 * N + K4 }, () => 0.6 * rng.normal());
    for (const bias of ['none', 'trained'] as const) {
      const field = createVectorField({
        hidden: K4,
        directions: N,
        kappa: KAPPA,
        activation: resolveActivation('linear'),
        rule: 'truncated',
        learningRate: ETA,
        bias,
      });
      const state = y.subarray(0, field.size);
      const dy = new Float64Array(field.size);
      field.evaluate(state, dy);
      const expected = linearField(K4, N, KAPPA, ETA, true, state, bias);
      const scale = Math.max(...expected.map(Math.abs));
      for (let i = 0; i < dy.length; i++) expect(Math.abs(dy[i] - expected[i])).toBeLessThan(1e-13 * scale);
    }
  });

  test('a unit with a zero encoder (Q^{kk} = 0) and a bias: the field is finite and equals the closed form', () => {
    const y = state(true, 5);
    for (let t = 0; t < N; t++) y[N + t] = 0; // a of unit 2 is zero
    const field = createVectorField({
      hidden: K,
      directions: N,
      kappa: KAPPA,
      activation: resolveActivation('linear'),
      rule: 'vanilla',
      learningRate: ETA,
      bias: 'trained',
    });
    const dy = new Float64Array(field.size);
    field.evaluate(y, dy);
    const expected = linearField(K, N, KAPPA, ETA, false, y, 'trained');
    const scale = Math.max(...expected.map(Math.abs));
    for (let i = 0; i < dy.length; i++) expect(Math.abs(dy[i] - expected[i])).toBeLessThan(1e-13 * scale);
  });

  test('without a bias option the field has no bias (size 2Kn) and equals the no-bias closed form', () => {
    const field = createVectorField({
      hidden: K,
      directions: N,
      kappa: KAPPA,
      activation: resolveActivation('linear'),
      rule: 'vanilla',
      learningRate: ETA,
    });
    expect(field.size).toBe(2 * K * N);
    const y = state(false, 6);
    const dy = new Float64Array(field.size);
    field.evaluate(y, dy);
    const expected = linearField(K, N, KAPPA, ETA, false, y, 'none');
    for (let i = 0; i < dy.length; i++) expect(Math.abs(dy[i] - expected[i])).toBeLessThan(1e-13);
  });
});

describe('ReLU with a trained bias: each off-diagonal pair integrated once (pairBoth)', () => {
  const relu = resolveActivation('relu');
  /** The same activation whose biased integrals lack pairBoth: the field then calls pair both ways. */
  const reluOneWay = {
    ...relu,
    biasIntegrals: () => {
      const full = relu.biasIntegrals();
      return { single: full.single, pair: full.pair };
    },
  };
  const K3 = 3;
  const rng = createRng(77);
  const y = Float64Array.from({ length: 2 * K3 * N + K3 }, () => 0.6 * rng.normal());
  const field = (activation: typeof relu, rule: 'vanilla' | 'truncated') => {
    const f = createVectorField({
      hidden: K3,
      directions: N,
      kappa: KAPPA,
      activation,
      rule,
      learningRate: ETA,
      bias: 'trained',
    });
    const dy = new Float64Array(f.size);
    f.evaluate(y.subarray(0, f.size), dy);
    return dy;
  };

  test('vanilla: the field equals the one-way field to round-off, and differs from it (the shared integral is used)', () => {
    const shared = field(relu, 'vanilla');
    const oneWay = field(reluOneWay, 'vanilla');
    const scale = Math.max(...oneWay.map(Math.abs));
    let largest = 0;
    for (let i = 0; i < shared.length; i++) largest = Math.max(largest, Math.abs(shared[i] - oneWay[i]));
    expect(largest).toBeLessThan(1e-13 * scale);
    expect(largest).toBeGreaterThan(0);
  });

  test('truncated: only (k, j ≤ k) is needed, so pair is called one way and the fields are identical', () => {
    expect(field(relu, 'truncated')).toEqual(field(reluOneWay, 'truncated'));
  });
});
