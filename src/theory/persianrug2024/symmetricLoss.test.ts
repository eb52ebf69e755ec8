/**
 * The persian-rug loss functions (docs/theory-persianrug2024.md (P6)–(P14)) against independent values. Reference values
 * from fixtures/scripts/persianrug2024-loss-reference.py: SciPy's adaptive quadrature straight from the definitions (nested
 * over u and z; G and H as integrals over u), not the closed-form Gaussian moments, truncated normal moments and
 * piecewise cubics the code uses, and SciPy's Brent minimiser for L*(r, p), not the code's grid and golden section. The
 * rank-bound variance, the baselines and the asymptote are closed forms.
 */
import { describe, expect, test } from 'vitest';
import { ValidationError } from '../../core/errors.ts';
import {
  baselines,
  highSparsityAsymptote,
  lossByQuadrature,
  rankBoundNoiseVariance,
  reluMean,
  reluSecondMoment,
  symmetricOptimum,
  unitDiagonalExpectations,
  unitDiagonalLoss,
} from './symmetricLoss.ts';

/** |got − expected| ≤ rtol·|expected| + atol. */
function near(got: number, expected: number, rtol: number, atol = 0): void {
  expect(Math.abs(got - expected)).toBeLessThanOrEqual(rtol * Math.abs(expected) + atol);
}

describe('Gaussian ReLU moments', () => {
  test.each([
    [0.3, 0.5, 0.3843363661208778, 0.29673763039874496],
    [-0.4, 0.2, 0.0016981405233659277, 0.00023074906858079733],
    [1.2, 2.0, 1.5373454644835112, 4.747802086379919],
  ])('m = %s, σ = %s: E ReLU and E ReLU² match SciPy (rtol 1e-12)', (m, s, mean, second) => {
    near(reluMean(m, s), mean, 1e-12);
    near(reluSecondMoment(m, s), second, 1e-12);
  });
  test('σ = 0: ReLU(m) and ReLU(m)², also at m = 0', () => {
    expect([reluMean(0, 0), reluSecondMoment(0, 0)]).toEqual([0, 0]);
    expect([reluMean(0.7, 0), reluMean(-0.7, 0), reluSecondMoment(0.7, 0), reluSecondMoment(-0.7, 0)]).toEqual([
      0.7,
      0,
      0.7 ** 2,
      0,
    ]);
  });
});

describe('lossByQuadrature L(a, c, σ; p) (P6), (P7)', () => {
  test.each([
    [1.2, -0.25, 0.12, 0.1, 0.0027355899216645056],
    [2.0, -0.6, 0.05, 0.2, 0.008141666666666665],
    [-0.5, 0.2, 0.3, 0.05, 0.1257049603186526],
    [0.8, 0.3, 0, 0.5, 0.06666666666666667],
  ])('a = %s, c = %s, σ = %s, p = %s matches SciPy (rtol 1e-10)', (a, c, s, p, expected) => {
    near(lossByQuadrature(a, c, s, p), expected, 1e-10);
  });
  test('σ = 0 with the kink u* = −c/a = 0.4 inside (0, 1): the closed form u*³/3 + [((a − 1)u + c)³/(3(a − 1))] from u* to 1', () => {
    // a = 1.5, c = −0.6, p = 0.3: c < 0, so the off-term is 0; on [0, u*] the output is 0 and the error u²; above, the
    // error is ((a − 1)u + c)². The integral is 0.064/3 + (−0.001 + 0.064)/1.5 = 0.0633…, and L = 0.3 · 0.0633… = 0.019.
    near(lossByQuadrature(1.5, -0.6, 0, 0.3), 0.019, 1e-13);
  });
  test('a = 0 (no kink): L = (1 − p) E ReLU(c + σz)² + p (E ReLU² − E ReLU + 1/3)', () => {
    const [c, s, p] = [0.2, 0.3, 0.4];
    const expected = (1 - p) * reluSecondMoment(c, s) + p * (reluSecondMoment(c, s) - reluMean(c, s) + 1 / 3);
    near(lossByQuadrature(0, c, s, p), expected, 1e-13);
  });
  test('bad p and σ are refused, naming the field', () => {
    expect(() => lossByQuadrature(1, 0, 0.1, 0)).toThrow(ValidationError);
    expect(() => lossByQuadrature(1, 0, 0.1, 1.5)).toThrow(
      /p: received 1.5, expected a feature probability in \(0, 1\]/,
    );
    expect(() => lossByQuadrature(1, 0, -0.1, 0.5)).toThrow(
      /sigma: received -0.1, expected a noise standard deviation ≥ 0/,
    );
    expect(() => lossByQuadrature(1, 0, Number.NaN, 0.5)).toThrow(/sigma: received NaN/);
    expect(lossByQuadrature(1, 0, 0, 1)).toBeCloseTo(0, 15);
  });
});

describe('unit-diagonal form (P8), (P9)', () => {
  test.each([
    [-0.3, 0.4, 0.21253952829291864, 0.22304014072410483, 0.02052034623564053],
    [0.2, 1.5, 0.5676390949289839, 2.2944201843399674, 1.3850739693338214],
    [-1.5, 0.2, 2.2639823007956857e-5, 2.6932491023117767e-6, 4.180331878922899e-17],
    [-0.5, 0, 0.10416666666666669, 0.041666666666666664, 0],
    [0.3, 0, 0.4833333333333333, 0.7233333333333333, 0.09],
    [-2, 0, 0, 0, 0],
  ])('μ = %s, σ = %s: E G, E H, E ReLU² match SciPy (rtol 1e-11, atol 1e-15)', (mu, s, eg, eh, er2) => {
    // The closed forms add truncated-normal moments of order 1, so their absolute round-off is a few ε64: at μ = −1.5
    // E[H] ≈ 2.7e-6 comes out 6e-17 off.
    const got = unitDiagonalExpectations(mu, s);
    near(got.eg, eg, 1e-11, 1e-15);
    near(got.eh, eh, 1e-11, 1e-15);
    near(got.er2, er2, 1e-11, 1e-15);
  });
  test('L(μ) = p/3 − p² E[G]²/D and A* = p E[G]/D with D = p E[H] + (1 − p) E[ReLU²]', () => {
    const [eg, eh, er2, p] = [0.21253952829291864, 0.22304014072410483, 0.02052034623564053, 0.3];
    const den = p * eh + (1 - p) * er2;
    const got = unitDiagonalLoss(-0.3, 0.4, p);
    near(got.loss, p / 3 - (p * p * eg * eg) / den, 1e-11);
    near(got.scale, (p * eg) / den, 1e-11);
  });
  test('an output that is identically zero (σ = 0, μ ≤ −1) costs p/3 with scale 0; bad p is refused', () => {
    expect(unitDiagonalLoss(-1, 0, 0.2)).toEqual({ loss: 0.2 / 3, scale: 0 });
    expect(() => unitDiagonalLoss(0, 0.1, 0)).toThrow(/p: received 0/);
  });
});

describe('L*(r, p), the symmetric optimum (P12)', () => {
  test.each([
    [0.5, 0.1, 0.006375736733273067, -0.23110866328960505, 1.2065038430960107, 0.1755942292142123],
    [0.25, 0.02, 0.0011340794497016922, -0.28285532833469934, 1.393838067465188, 0.14035668847618202],
    [0.9, 0.5, 0.007432040115884386, -0.04784373165558569, 1.0280678736975328, 0.10758287072798382],
    // Dense regime: μ* ≈ (1/r − 1)p/2 = 49.5 lies far above 4 + 10σ0, so the search range must reach p/(2r); the
    // optimum is the linear model's (1 − r)(p/3 − p²/4) = 0.0825.
    [0.01, 1, 0.0824999999999998, 49.500001896461484, 0.009999999621967829, 2.872281323269014],
  ])(
    'r = %s, p = %s: loss, μ*, A* and σ0 match SciPy quadrature and its Brent minimiser',
    (r, p, loss, mu, scale, sigma) => {
      const got = symmetricOptimum(r, p);
      near(got.sigma, sigma, 1e-14);
      near(got.loss, loss, 1e-10);
      // The loss is flat at μ*, so two minimisers agree on μ* less well than on the loss: at r = 0.01, p = 1 they
      // differ by 9e-6 of 49.5 (2e-7 relative).
      near(got.mu, mu, 1e-6, 1e-6);
      near(got.scale, scale, 1e-6);
    },
  );
  test('r = 1: no noise, the linear model is exact (L* = 0)', () => {
    const got = symmetricOptimum(1, 0.3);
    expect(got.sigma).toBe(0);
    expect(got.loss).toBeLessThan(1e-14);
  });
});

describe('closed forms: rank-bound noise (P11), baselines (P13), (P18), asymptote (P14)', () => {
  test('σ0² = (1/r − 1)(p/3 − p²/4)', () => {
    near(rankBoundNoiseVariance(0.25, 0.2), 3 * (0.2 / 3 - 0.01), 1e-15);
    expect(rankBoundNoiseVariance(1, 0.2)).toBe(0);
  });
  test.each([0, -0.5, 1.5, Number.NaN])('r = %s is refused, naming r', (r) => {
    expect(() => rankBoundNoiseVariance(r, 0.2)).toThrow(ValidationError);
    expect(() => rankBoundNoiseVariance(r, 0.2)).toThrow(
      /r: received .*, expected a compression ratio m\/n in \(0, 1\]/,
    );
  });
  test('p is checked too', () => {
    expect(() => rankBoundNoiseVariance(0.5, 2)).toThrow(/p: received 2/);
    expect(() => baselines(0.5, -1)).toThrow(/p: received -1/);
  });
  test('zero output p/3, best constant p/3 − p²/4, linear (1 − r)(p/3 − p²/4)', () => {
    const b = baselines(0.25, 0.2);
    near(b.zero, 0.2 / 3, 1e-15);
    near(b.constant, 0.2 / 3 - 0.01, 1e-15);
    near(b.linear, 0.75 * (0.2 / 3 - 0.01), 1e-15);
  });
  test('asymptote (1/r − 1) p² ln(1/p)/6', () => {
    near(highSparsityAsymptote(0.5, 0.01), (1e-4 * Math.log(100)) / 6, 1e-14);
  });
});
