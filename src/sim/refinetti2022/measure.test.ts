/**
 * The simulator's measurements against independent computations (Refinetti & Goldt 2022; docs/refinetti2022-sim.md):
 * the order parameters against the dense Ω = Σ_τ (ρ_τ − β) e_τe_τᵀ + βI built here, the test-set error against a
 * forward pass written out in the test, and the exact Gaussian error against a Monte Carlo of ½‖x − x̂‖²/D.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.ts';
import { erf } from '../../core/special.ts';
import { type GaussianSource, sampleGaussianSource } from '../../data/gaussianSource.ts';
import { spikedCovariance } from '../../data/spikedCovariance.ts';
import { getKernelSet } from '../../kernels/registry.ts';
import { empiricalTestError, gaussianTestError, orderParametersFromWeights } from './measure.ts';
import type { SimActivation } from './onlineSgd.ts';
import { type AutoencoderWeights, initialWeights } from './weights.ts';
import { validationIssue } from '../../testing/validationIssue.ts';

const reference = await getKernelSet('reference');

const g = (act: SimActivation, l: number): number =>
  act === 'linear' ? l : act === 'erf' ? erf(l / Math.SQRT2) : Math.max(l, 0);

/** Ω as a dense D × D matrix from the source's spectral form. */
function denseOmega(s: GaussianSource): Float64Array {
  const D = s.dim;
  const omega = new Float64Array(D * D);
  for (let i = 0; i < D; i++) omega[i * D + i] = s.bulk;
  for (let t = 0; t < s.directions; t++) {
    const c = s.values[t] - s.bulk;
    for (let i = 0; i < D; i++)
      for (let j = 0; j < D; j++) omega[i * D + j] += c * s.basis[t * D + i] * s.basis[t * D + j];
  }
  return omega;
}

/** a Ω bᵀ for rows a, b of length D. */
function quad(a: Float64Array, omega: Float64Array, b: Float64Array): number {
  const D = a.length;
  let s = 0;
  for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) s += a[i] * omega[i * D + j] * b[j];
  return s;
}

/** ½‖x − x̂‖²/D for one sample, x̂ = Σ_k v^k g(w^k·x/√D + β_k). */
function sampleLoss(w: AutoencoderWeights, x: Float64Array, act: SimActivation, tied: boolean): number {
  const { hidden: K, dim: D } = w;
  const V = tied ? w.W : w.V;
  const r = Float64Array.from(x);
  for (let k = 0; k < K; k++) {
    let l = 0;
    for (let i = 0; i < D; i++) l += w.W[k * D + i] * x[i];
    const h = g(act, l / Math.sqrt(D) + (w.bias ? w.bias[k] : 0));
    for (let i = 0; i < D; i++) r[i] -= V[k * D + i] * h;
  }
  let s = 0;
  for (let i = 0; i < D; i++) s += r[i] * r[i];
  return s / (2 * D);
}

const row = (m: Float64Array, k: number, D: number): Float64Array => m.subarray(k * D, (k + 1) * D);

describe('orderParametersFromWeights', () => {
  for (const tied of [false, true]) {
    it(`Q = wΩwᵀ/D, R = vΩwᵀ/D^1.5, T = vΩvᵀ/D², T0 = vvᵀ/D against the dense Ω${tied ? ' (tied: v ≡ w)' : ''}`, () => {
      const D = 9;
      const K = 3;
      const source = spikedCovariance({ dim: D, spikes: 2, rng: createRng(4) });
      expect(source.bulk).toBeGreaterThan(0);
      const w = initialWeights({ hidden: K, dim: D, rng: createRng(6), initialScale: 1 });
      const op = orderParametersFromWeights(w, source, tied);
      const omega = denseOmega(source);
      const V = tied ? w.W : w.V;
      expect(op.hidden).toBe(K);
      for (let k = 0; k < K; k++) {
        for (let l = 0; l < K; l++) {
          const wk = row(w.W, k, D);
          const wl = row(w.W, l, D);
          const vk = row(V, k, D);
          const vl = row(V, l, D);
          const cases: [string, number, number][] = [
            ['Q', op.Q[k * K + l], quad(wk, omega, wl) / D],
            ['R', op.R[k * K + l], quad(vk, omega, wl) / D ** 1.5],
            ['T', op.T[k * K + l], quad(vk, omega, vl) / D ** 2],
            [
              'T0',
              op.T0[k * K + l],
              quad(
                vk,
                new Float64Array(D * D).map((_, i) => (i % (D + 1) === 0 ? 1 : 0)),
                vl,
              ) / D,
            ],
          ];
          for (const [name, got, want] of cases) {
            expect(Math.abs(got - want), `${name}[${k},${l}]: ${got} vs ${want}`).toBeLessThan(
              1e-13 * Math.max(1, Math.abs(want)),
            );
          }
        }
      }
    });
  }
});

describe('empiricalTestError', () => {
  const D = 7;
  const K = 2;
  const N = 300; // more than one chunk of 256 samples, and not a multiple of it
  const testSet = Float64Array.from({ length: N * D }, (_, i) => Math.sin(0.37 * i) * 2);
  it('rejects a test set that is not N ≥ 1 samples of D numbers, naming the test set', () => {
    const w = initialWeights({ hidden: K, dim: D, rng: createRng(13) });
    for (const length of [0, D + 3]) {
      expect(validationIssue(() => empiricalTestError(w, testSet.subarray(0, length), 'erf', reference))).toEqual({
        field: 'testSet',
        received: `${length} numbers`,
        expected: 'N × D = N × 7 numbers with N ≥ 1 (samples row-major)',
      });
    }
  });
  for (const act of ['linear', 'erf', 'relu'] as const) {
    for (const [tied, bias] of [
      [false, false],
      [true, false],
      [false, true],
    ] as const) {
      it(`${act}${tied ? ', tied' : ''}${bias ? ', with bias' : ''}: the mean of ½‖x − x̂‖²/D over all ${N} samples`, () => {
        const w = initialWeights({ hidden: K, dim: D, rng: createRng(13), initialScale: 0.9, bias });
        if (bias) w.bias = Float64Array.from([0.4, -0.7]);
        let want = 0;
        for (let p = 0; p < N; p++) want += sampleLoss(w, testSet.subarray(p * D, (p + 1) * D), act, tied);
        want /= N;
        const got = empiricalTestError(w, testSet, act, reference, tied);
        expect(Math.abs(got - want)).toBeLessThan(1e-12 * want);
      });
    }
  }
});

describe('gaussianTestError', () => {
  it('rejects the sign activation, which has no Refinetti ODE', () => {
    const source = spikedCovariance({ dim: 4, spikes: 1, rng: createRng(1) });
    const w = initialWeights({ hidden: 1, dim: 4, rng: createRng(2) });
    // Its own error, not the theory's generic one (which would offer custom expressions, which this function does not take).
    expect(validationIssue(() => gaussianTestError(orderParametersFromWeights(w, source), source, 'sign'))).toEqual({
      field: 'activation',
      received: 'sign',
      expected: "'linear', 'erf' or 'relu' (the sign activation has no Refinetti ODE)",
      hint: 'the sign autoencoder is Shevchenko et al. 2023 (src/theory/shevchenko2023)',
    });
  });
  for (const [act, bias] of [
    ['linear', false],
    ['erf', false],
    ['erf', true],
    ['relu', true],
  ] as const) {
    it(`${act}${bias ? ' with bias' : ''}: the exact ε agrees with a Monte Carlo of ½‖x − x̂‖²/D within 4 SE`, () => {
      const D = 8;
      const K = 2;
      const source = spikedCovariance({ dim: D, spikes: 2, rng: createRng(21) });
      const w = initialWeights({ hidden: K, dim: D, rng: createRng(22), initialScale: 1.2 });
      if (bias) w.bias = Float64Array.from([0.5, -0.3]);
      const exact = gaussianTestError(orderParametersFromWeights(w, source), source, act, w.bias);
      const rng = createRng(23);
      const x = new Float64Array(D);
      const z = new Float64Array(2);
      const n = 40_000;
      let s = 0;
      let s2 = 0;
      for (let p = 0; p < n; p++) {
        sampleGaussianSource(source, rng, x, z);
        const l = sampleLoss(w, x, act, false);
        s += l;
        s2 += l * l;
      }
      const mean = s / n;
      const se = Math.sqrt((s2 / n - mean * mean) / n);
      expect(Math.abs(exact - mean), `exact ${exact}, Monte Carlo ${mean} ± ${se}`).toBeLessThan(4 * se);
    });
  }
});
