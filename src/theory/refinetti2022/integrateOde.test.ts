import { describe, expect, test } from 'vitest';
import { DivergenceError, ValidationError } from '../../core/errors.ts';
import { integrateOde } from './integrateOde.ts';
import { orderParametersFromState } from './orderParameters.ts';
import { pcaError } from './pcaError.ts';

/** The deterministic reference case of docs/theory-refinetti2022.md §7: D = 10, K = 2, η = 1, ρ = (5, 2, 1, 0.5×7). */
function referenceCase() {
  const D = 10;
  const K = 2;
  const values = new Float64Array([5, 2, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
  const a = new Float64Array(K * D);
  const b = new Float64Array(K * D);
  for (let k = 0; k < K; k++) {
    for (let t = 0; t < D; t++) {
      a[k * D + t] = 0.3 * Math.sin(1 + t + 2 * k);
      b[k * D + t] = 0.2 * Math.cos(1 + 2 * t + k);
    }
  }
  return { spectrum: { dim: D, values }, initial: { hidden: K, directions: D, a, b } };
}

describe('refinetti2022 ODE reference case (docs/theory-refinetti2022.md §7)', () => {
  test('order parameters at t = 0', () => {
    const { spectrum, initial } = referenceCase();
    const op = orderParametersFromState(initial, spectrum);
    const expected = {
      Q: [0.0624351226, -0.0131330705, -0.0131330705, 0.0340715063],
      R: [0.0015629143, 0.008827216, -0.0172102728, -0.0012830345],
      T: [0.021705837, 0.0052332264, 0.0052332264, 0.0165205889],
      T0: [0.2081943833, 0.0970619295, 0.0970619295, 0.1799205527],
    };
    for (const key of ['Q', 'R', 'T', 'T0'] as const) {
      for (let i = 0; i < 4; i++) expect(op[key][i]).toBeCloseTo(expected[key][i], 9);
    }
  });

  test.each(['adaptive', 'rk4'] as const)('ε(t) for erf, vanilla (%s)', (method) => {
    const { spectrum, initial } = referenceCase();
    const r = integrateOde({
      spectrum,
      activation: 'erf',
      rule: 'vanilla',
      learningRate: 1,
      initial,
      times: [0, 1, 2, 5],
      method,
      tolerance: 1e-11,
      step: 0.005,
    });
    const reference = [0.5798066614, 0.5593907426, 0.5329479854, 0.4076626582];
    for (let i = 0; i < 4; i++) expect(Math.abs(r.error[i] - reference[i])).toBeLessThan(2e-10);
  });

  test('ε_PCA(2) = ½(1 + 3.5)/10', () => {
    expect(pcaError({ spectrum: referenceCase().spectrum, components: 2 })).toBeCloseTo(0.225, 14);
  });

  test('bad options give ValidationErrors; blow-up gives a DivergenceError', () => {
    const { spectrum, initial } = referenceCase();
    const base = {
      spectrum,
      activation: 'erf' as const,
      rule: 'vanilla' as const,
      learningRate: 1,
      initial,
      times: [1],
    };
    expect(() => integrateOde({ ...base, learningRate: -1 })).toThrow(ValidationError);
    expect(() => integrateOde({ ...base, times: [2, 1] })).toThrow(ValidationError);
    expect(() => integrateOde({ ...base, tied: true })).toThrow(ValidationError);
    expect(() => integrateOde({ ...base, activation: { expression: 'log(x)' } })).toThrow(ValidationError);
    expect(() => integrateOde({ ...base, activation: { expression: 'tanh(y)' } })).toThrow(ValidationError);
    // Linear g with a huge η and an explicit step far beyond RK4's stability region diverges.
    expect(() =>
      integrateOde({ ...base, activation: 'linear', learningRate: 1e3, method: 'rk4', step: 1, times: [200] }),
    ).toThrow(DivergenceError);
  });
});

describe('custom activations (mathjs + Gauss–Hermite)', () => {
  test("the expression 'x' reproduces the built-in linear ODE (quadrature exact for polynomials)", () => {
    const { spectrum, initial } = referenceCase();
    const base = {
      spectrum,
      rule: 'truncated' as const,
      learningRate: 0.7,
      initial,
      times: [0, 1, 3],
      tolerance: 1e-11,
    };
    const builtin = integrateOde({ ...base, activation: 'linear' });
    const custom = integrateOde({ ...base, activation: { expression: 'x', points: 8 } });
    for (let i = 0; i < 3; i++) expect(Math.abs(custom.error[i] - builtin.error[i])).toBeLessThan(1e-12);
  });

  test("a cubic expression's integrals are exact with enough points: ε(t) agrees between 12 and 30 points", () => {
    const { spectrum, initial } = referenceCase();
    const base = { spectrum, rule: 'vanilla' as const, learningRate: 1, initial, times: [0, 2], tolerance: 1e-11 };
    const coarse = integrateOde({ ...base, activation: { expression: 'x - x^3/10', points: 12 } });
    const fine = integrateOde({ ...base, activation: { expression: 'x - x^3/10', points: 30 } });
    expect(Math.abs(coarse.error[1] - fine.error[1])).toBeLessThan(1e-11);
  });
});

describe('trained encoder bias', () => {
  test('erf is odd: a zero bias stays zero and the trajectory equals the bias-free one', () => {
    const { spectrum, initial } = referenceCase();
    const base = {
      spectrum,
      activation: 'erf' as const,
      rule: 'vanilla' as const,
      learningRate: 1,
      times: [0, 2],
      tolerance: 1e-10,
    };
    const free = integrateOde({ ...base, initial });
    const biased = integrateOde({ ...base, initial: { ...initial, bias: new Float64Array(2) }, trainBias: true });
    expect(Math.abs(biased.error[1] - free.error[1])).toBeLessThan(1e-9);
    expect(Math.max(...Array.from(biased.states[1].bias ?? [1]).map(Math.abs))).toBeLessThan(1e-12);
  });

  test('a trained bias lowers ε monotonically (gradient flow) and moves', () => {
    const { spectrum, initial } = referenceCase();
    const r = integrateOde({
      spectrum,
      activation: 'erf',
      rule: 'vanilla',
      learningRate: 1,
      initial: { ...initial, bias: new Float64Array([0.5, -0.3]) },
      trainBias: true,
      times: [0, 0.5, 1, 2, 4],
      tolerance: 1e-9,
    });
    for (let i = 1; i < r.error.length; i++) expect(r.error[i]).toBeLessThanOrEqual(r.error[i - 1] + 1e-12);
    expect(r.states[4].bias?.[0]).not.toBeCloseTo(0.5, 3);
  });

  test('ReLU with a trained bias: ε falls monotonically (gradient flow) and the bias moves', () => {
    const { spectrum, initial } = referenceCase();
    const r = integrateOde({
      spectrum,
      activation: 'relu',
      rule: 'vanilla',
      learningRate: 1,
      initial: { ...initial, bias: new Float64Array([0.2, -0.1]) },
      trainBias: true,
      times: [0, 0.5, 1, 2, 4, 8],
      tolerance: 1e-9,
    });
    for (let i = 1; i < r.error.length; i++) expect(r.error[i]).toBeLessThanOrEqual(r.error[i - 1] + 1e-12);
    expect(r.error[5]).toBeLessThan(r.error[0]);
    expect(r.states[5].bias?.[0]).not.toBeCloseTo(0.2, 3);
  });
});

describe('lumping degenerate directions (exact)', () => {
  test('a spiked spectrum with a flat bulk: D = 300 directions → ≤ M + 2K, same ε(t) and order parameters', async () => {
    const { createRng } = await import('../../core/rng.ts');
    const { randomOdeState } = await import('./odeState.ts');
    const { spikedSpectrum } = await import('./spikedSpectrum.ts');
    const { lumpDirections } = await import('./lumpDirections.ts');
    const D = 300;
    const spectrum = spikedSpectrum({ dim: D, spikes: [0.6, 0.2, 0.05], bulk: 0.3 });
    const initial = randomOdeState({ hidden: 2, inputDim: D, directions: D, rng: createRng(4) });
    const lumped = lumpDirections({ state: initial, spectrum });
    expect(lumped.state.directions).toBeLessThanOrEqual(3 + 4);
    const base = {
      activation: 'erf' as const,
      rule: 'vanilla' as const,
      learningRate: 0.4,
      times: [0, 5, 30, 100],
      tolerance: 1e-10,
    };
    const full = integrateOde({ ...base, spectrum, initial });
    const small = integrateOde({
      ...base,
      spectrum: lumped.spectrum,
      initial: lumped.state,
      traceOmegaOverD: 0.85 + (0.3 * 297) / 300,
    });
    // t = 0: exact up to round-off; later: two independent adaptive integrations at tolerance 1e-10 (global ≈ 1e-9).
    for (let i = 0; i < 4; i++) {
      const allowed = i === 0 ? 1e-13 : 1e-8;
      expect(Math.abs(small.error[i] - full.error[i])).toBeLessThan(allowed);
      for (let j = 0; j < 4; j++) {
        expect(Math.abs(small.orderParameters[i].T0[j] - full.orderParameters[i].T0[j])).toBeLessThan(allowed);
      }
    }
  });
});
