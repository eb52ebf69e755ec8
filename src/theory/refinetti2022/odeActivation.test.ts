import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import { expectGaussianSplit } from '../../core/quadrature.ts';
import { erf } from '../../core/special.ts';
import { createReluBiasIntegrals } from './biasIntegrals.ts';
import { I2, I3, I21, I22, J2 } from './integrals.ts';
import {
  activationLabel,
  BUILTIN_ACTIVATIONS,
  BUILTIN_BIAS_POINTS,
  customActivation,
  DEFAULT_CUSTOM_POINTS,
  resolveActivation,
} from './odeActivation.ts';
import { steinM1, steinM2, steinPhi, steinPsi } from './steinIntegrals.ts';
import { validationIssue } from '../../testing/validationIssue.ts';

/**
 * The activation layer of the ODEs: built-ins route each integral to its closed form (the closed forms themselves are
 * checked against quadrature in integrals.test.ts and steinIntegrals.test.ts); a custom expression's integrals, by
 * Gauss–Hermite on mathjs derivatives, equal split Gauss–Legendre quadrature of the definitions with g, g′, g″ written
 * out here; bad input is refused with a ValidationError naming the field.
 */
const C = { c11: 0.7, c12: -0.31, c13: 0.22, c22: 1.9, c23: 0.45, c33: 0.5 };

describe('built-in activations route each integral to its closed form', () => {
  test('every integral of linear, erf and ReLU is the closed form of the same name and activation', () => {
    expect(BUILTIN_ACTIVATIONS).toEqual(['linear', 'erf', 'relu']);
    for (const g of BUILTIN_ACTIVATIONS) {
      const a = resolveActivation(g);
      expect(a.name).toBe(g);
      expect(a.points).toBe(BUILTIN_BIAS_POINTS);
      expect(a.phi(C.c11)).toBe(steinPhi(g, C.c11));
      expect(a.psi(C.c11, C.c12)).toBe(steinPsi(g, C.c11, C.c12));
      expect(a.m1(C.c11, C.c12, C.c22)).toBe(steinM1(g, C.c11, C.c12, C.c22));
      expect(a.m2(C.c11, C.c12, C.c22)).toBe(steinM2(g, C.c11, C.c12, C.c22));
      expect(a.i2(C.c11, C.c12, C.c22)).toBe(I2(g, C.c11, C.c12, C.c22));
      expect(a.j2(C.c11, C.c12, C.c22)).toBe(J2(g, C.c11, C.c12, C.c22));
      expect(a.i21(C.c11, C.c12, C.c22)).toBe(I21(g, C.c11, C.c12, C.c22));
      expect(a.i22(C.c11, C.c12, C.c22)).toBe(I22(g, C.c11, C.c12, C.c22));
      expect(a.i3(C.c11, C.c12, C.c13, C.c22, C.c23, C.c33)).toBe(I3(g, C.c11, C.c12, C.c13, C.c22, C.c23, C.c33));
    }
  });

  test("erf's pointwise g, g′, g″ are erf(x/√2) and its derivatives; linear's are x, 1, 0; ReLU has none", () => {
    const e = resolveActivation('erf').pointwise;
    const l = resolveActivation('linear').pointwise;
    expect(resolveActivation('relu').pointwise).toBeUndefined();
    if (!e || !l) throw new Error('pointwise missing');
    for (const x of [-2.3, -0.4, 0, 0.9, 3.1]) {
      expect(e.g(x)).toBeCloseTo(erf(x / Math.SQRT2), 15);
      // Central differences of the previous function (step 1e-5, error ~1e-10).
      const h = 1e-5;
      expect(e.g1(x)).toBeCloseTo((erf((x + h) / Math.SQRT2) - erf((x - h) / Math.SQRT2)) / (2 * h), 9);
      expect(e.g2(x)).toBeCloseTo((e.g1(x + h) - e.g1(x - h)) / (2 * h), 9);
      expect([l.g(x), l.g1(x), l.g2(x)]).toEqual([x, 1, 0]);
    }
  });

  test('the biased integrals: Gauss–Hermite for erf, the closed-form ReLU evaluator for ReLU', () => {
    const relu = resolveActivation('relu').biasIntegrals();
    const reference = createReluBiasIntegrals();
    expect({ ...relu.pair(0.3, -0.2, 0.8, 0.25, 1.1) }).toEqual({ ...reference.pair(0.3, -0.2, 0.8, 0.25, 1.1) });
    // erf with a bias: E g′(λ), λ ~ N(μ, q), is √(2/π)/√(1+q)·e^{−μ²/(2(1+q))}.
    const erfBias = resolveActivation('erf').biasIntegrals();
    const [mu, q] = [0.6, 1.3];
    expect(erfBias.single(mu, q).phi).toBeCloseTo(
      (Math.sqrt(2 / Math.PI) / Math.sqrt(1 + q)) * Math.exp((-mu * mu) / (2 * (1 + q))),
      14,
    );
    const lin = resolveActivation('linear').biasIntegrals();
    expect(lin.pair(0.3, -0.2, 0.8, 0.25, 1.1).i2).toBeCloseTo(0.25 + 0.3 * -0.2, 13);
  });
});

describe('custom activations: integrals by Gauss–Hermite on mathjs derivatives', () => {
  // An entire function (Gauss–Hermite converges fast), neither odd nor even, so no integral vanishes by symmetry.
  const EXPRESSION = 'sin(x) + x^2/5';
  const g = (x: number) => Math.sin(x) + (x * x) / 5;
  const g1 = (x: number) => Math.cos(x) + (2 * x) / 5;
  const g2 = (x: number) => -Math.sin(x) + 2 / 5;
  const cov2 = [
    [C.c11, C.c12],
    [C.c12, C.c22],
  ];
  const cov3 = [
    [C.c11, C.c12, C.c13],
    [C.c12, C.c22, C.c23],
    [C.c13, C.c23, C.c33],
  ];
  const e2 = (f: (x: Float64Array) => number) => expectGaussianSplit(f, cov2);

  test('sin(x) + x²/5 with 60 points: every integral equals split quadrature of its definition, to 1e-12', () => {
    const a = customActivation(EXPRESSION, 60);
    expect(a.name).toBe(EXPRESSION);
    expect(a.points).toBe(60);
    const want = {
      phi: expectGaussianSplit((x) => g1(x[0]), [[C.c11]]),
      psi: e2((x) => g2(x[0]) * x[1]),
      m1: e2((x) => g2(x[0]) * g(x[1])),
      m2: e2((x) => g1(x[0]) * g1(x[1])),
      i2: e2((x) => g(x[0]) * g(x[1])),
      j2: e2((x) => x[0] * g(x[1])),
      i21: e2((x) => g1(x[0]) * x[0] * x[1]),
      i22: e2((x) => g1(x[0]) * x[1] * x[1]),
      i3: expectGaussianSplit((x) => g1(x[0]) * x[1] * g(x[2]), cov3),
    };
    const got = {
      phi: a.phi(C.c11),
      psi: a.psi(C.c11, C.c12),
      m1: a.m1(C.c11, C.c12, C.c22),
      m2: a.m2(C.c11, C.c12, C.c22),
      i2: a.i2(C.c11, C.c12, C.c22),
      j2: a.j2(C.c11, C.c12, C.c22),
      i21: a.i21(C.c11, C.c12, C.c22),
      i22: a.i22(C.c11, C.c12, C.c22),
      i3: a.i3(C.c11, C.c12, C.c13, C.c22, C.c23, C.c33),
    };
    for (const k of Object.keys(want) as (keyof typeof want)[]) {
      expect(Math.abs(got[k] - want[k]), `${k}: ${got[k]} vs ${want[k]}`).toBeLessThan(1e-12);
    }
  });

  test('with x1 ≡ 0 (c11 = 0): ψ = 0, I21 = 0, I22 = c22·g′(0), φ(0) = g′(0), M2 = g′(0)·E g′(x2)', () => {
    // g = 2 sin x + x²/5: g′(0) = 2, so a product and a quotient by g′(0) differ.
    const a = customActivation('2 * sin(x) + x^2/5', 40);
    const d1 = (x: number) => 2 * Math.cos(x) + (2 * x) / 5;
    expect(a.psi(0, 0)).toBe(0);
    expect(a.i21(0, 0, 1.3)).toBe(0);
    expect(a.i22(0, 0, 1.3)).toBeCloseTo(1.3 * 2, 14);
    expect(a.phi(0)).toBeCloseTo(2, 14);
    expect(a.m2(0, 0, 1.3)).toBeCloseTo(2 * expectGaussianSplit((x) => d1(x[0]), [[1.3]]), 13);
  });

  test('the pointwise functions are g and its mathjs derivatives, and feed the biased quadrature', () => {
    const a = customActivation(EXPRESSION, 60);
    const p = a.pointwise;
    if (!p) throw new Error('pointwise missing');
    for (const x of [-1.7, 0.2, 2.4]) {
      expect(p.g(x)).toBeCloseTo(g(x), 14);
      expect(p.g1(x)).toBeCloseTo(g1(x), 14);
      expect(p.g2(x)).toBeCloseTo(g2(x), 14);
    }
    const bias = a.biasIntegrals();
    expect(bias.single(0.4, 0.9).phi).toBeCloseTo(
      expectGaussianSplit((x) => g1(x[0]), [[0.9]], { mean: [0.4] }),
      13,
    );
  });

  test("'x' reproduces the built-in linear integrals exactly (Gauss–Hermite is exact for polynomials)", () => {
    const a = customActivation('x', 8);
    const l = resolveActivation('linear');
    expect(a.phi(C.c11)).toBeCloseTo(l.phi(C.c11), 14);
    expect(a.i2(C.c11, C.c12, C.c22)).toBeCloseTo(l.i2(C.c11, C.c12, C.c22), 14);
    expect(a.i22(C.c11, C.c12, C.c22)).toBeCloseTo(l.i22(C.c11, C.c12, C.c22), 14);
    expect(a.i3(C.c11, C.c12, C.c13, C.c22, C.c23, C.c33)).toBeCloseTo(
      l.i3(C.c11, C.c12, C.c13, C.c22, C.c23, C.c33),
      14,
    );
  });

  test('with x1 ≡ 0 and g″(0) = 0 the integrand of M1 = E[g″(x1) g(x2)] vanishes: M1 = 0 even where g(x2) overflows', () => {
    // g = x·exp(x²): g″(x) = (6x + 4x³)·exp(x²), so g″(0) = 0; at c22 = 20 the outer nodes of x2 reach |x2| ≈ 50,
    // where g overflows to ±∞. g″(x1)·g(x2) is 0 at every point of the support, so M1 is exactly 0.
    const a = customActivation('x * exp(x^2)', 40);
    expect(a.pointwise?.g2(0)).toBe(0);
    expect(a.pointwise?.g(50)).toBe(Number.POSITIVE_INFINITY);
    expect(a.m1(0, 0, 20)).toBe(0);
  });

  test('an expression in the fast subset is evaluated by the closures over Math, not by mathjs', () => {
    // mathjs's csch differs from 1/Math.sinh in the last bits at some points (nativeExpression.ts); the pointwise g
    // of a translated expression is the Math closure (the quadrature's hot loop), bit for bit.
    const math = createRequire(import.meta.url)('mathjs') as typeof import('mathjs');
    const viaMathjs = math.parse('csch(x^2 + 1)').compile();
    const g = customActivation('csch(x^2 + 1)', 8).pointwise?.g;
    if (!g) throw new Error('pointwise missing');
    const xs = Array.from({ length: 200 }, (_, i) => -2 + i / 50);
    const native = (x: number) => 1 / Math.sinh(x ** 2 + 1);
    expect(xs.filter((x) => native(x) !== viaMathjs.evaluate({ x })).length).toBeGreaterThan(0);
    for (const x of xs) expect(g(x)).toBe(native(x));
  });

  test('constants pi and e and function names are not unknown symbols', () => {
    const a = customActivation('sin(pi * x) / e + x', 40);
    expect(a.pointwise?.g(0.5)).toBeCloseTo(Math.sin(Math.PI / 2) / Math.E + 0.5, 14);
  });
});

describe('bad activations are refused, naming the field', () => {
  test.each([
    ['', 'a non-empty mathjs expression in x'],
    ['   ', 'a non-empty mathjs expression in x'],
    ['tanh(x) +', 'a valid mathjs expression'],
    ['tanh(y)', 'an expression in the single variable x'],
    ['x * pie', 'an expression in the single variable x'],
    ['2', 'an expression that depends on x'],
    ['max(x, 0)', 'an expression mathjs can differentiate'],
    ['tanh(x, 2)', 'g evaluable at x = -6'],
    ['log(x)', 'g real and finite at x = -6'],
    ['x/0', 'g real and finite at x = -6'],
    ['abs(x)', "g' real and finite at x = 0"],
    ['x * abs(x)', "g'' real and finite at x = 0"],
  ])('%j: %s', (expression, expected) => {
    const issue = validationIssue(() => customActivation(expression));
    expect(issue.field).toBe('activation.expression');
    expect(issue.received).toBe(expression);
    expect(issue.expected.startsWith(expected)).toBe(true);
    expect(issue.hint).toBeTruthy();
  });

  test('the error texts say what mathjs said and how to fix', () => {
    expect(validationIssue(() => customActivation('tanh(y)')).hint).toBe('unknown symbol "y"; use x only');
    expect(validationIssue(() => customActivation('2')).hint).toBe('e.g. tanh(x)');
    expect(validationIssue(() => customActivation('')).hint).toBe("write e.g. { expression: 'tanh(x)' }");
    expect(validationIssue(() => customActivation('tanh(x) +')).hint).toMatch(/^mathjs said: Unexpected end/);
    expect(validationIssue(() => customActivation('max(x, 0)')).hint).toMatch(
      /^mathjs said: Cannot process function "max"/,
    );
    expect(validationIssue(() => customActivation('tanh(x, 2)')).hint).toMatch(/^mathjs said: Too many arguments/);
    expect(validationIssue(() => customActivation('x/0')).expected).toBe('g real and finite at x = -6 (got -Infinity)');
    expect(validationIssue(() => customActivation('x/0')).hint).toBe(
      'use a smooth activation defined on the whole real line, e.g. tanh(x) or x/(1+x^2)',
    );
    // A non-string (from an untyped config) is refused, not crashed on.
    expect(validationIssue(() => customActivation(3 as unknown as string)).received).toBe('3');
  });

  test('resolveActivation: unknown names, bad point counts and non-activations name their field', () => {
    const unknown = validationIssue(() => resolveActivation('tanh' as never, 'config.activation'));
    expect(unknown).toEqual({
      field: 'config.activation',
      received: 'tanh',
      expected: "one of linear, erf, relu or { expression: '…' }",
      hint: "give a built-in name, or a mathjs expression such as { expression: 'tanh(x)' }",
    });
    expect(validationIssue(() => resolveActivation('sigmoid' as never)).field).toBe('activation');
    for (const points of [3, 201, 4.5, Number.NaN]) {
      const issue = validationIssue(() => resolveActivation({ expression: 'tanh(x)', points }, 'cfg.act'));
      expect(issue.field).toBe('cfg.act.points');
      expect(issue.received).toBe(points);
      expect(issue.expected).toBe('an integer number of Gauss–Hermite points in [4, 200]');
      expect(issue.hint).toBe(`leave it out for the default ${DEFAULT_CUSTOM_POINTS}`);
    }
    expect(resolveActivation({ expression: 'tanh(x)', points: 4 }).points).toBe(4);
    expect(resolveActivation({ expression: 'tanh(x)', points: 200 }).points).toBe(200);
    expect(resolveActivation({ expression: 'tanh(x)' }).points).toBe(DEFAULT_CUSTOM_POINTS);
    expect(DEFAULT_CUSTOM_POINTS).toBe(40);
    for (const bad of [null, 7, { expression: 3 }, {}]) {
      const issue = validationIssue(() => resolveActivation(bad as never, 'cfg.act'));
      expect(issue.field).toBe('cfg.act');
      expect(issue.received).toBe(bad);
      expect(issue.expected).toBe("one of linear, erf, relu or { expression: '…' }");
    }
  });

  test('activationLabel is the name or the expression', () => {
    expect(activationLabel('relu')).toBe('relu');
    expect(activationLabel({ expression: 'tanh(x)', points: 12 })).toBe('tanh(x)');
  });
});

describe('pairMoments of a custom activation', () => {
  test('gives M1, M2 and I2 bit for bit as the three separate integrals', () => {
    // tanh (nothing vanishes on the grid), x^2 (g' = 2x and g = x² vanish at the middle node of an odd rule, g'' = 2
    // does not) and x^3 (all three vanish there): the fused loop must skip exactly what each integral skips.
    for (const [expression, points] of [
      ['tanh(x)', 40],
      ['x^2', 41],
      ['x^3', 41],
      ['sin(x) + 0.3 * x', 24],
    ] as const) {
      const g = customActivation(expression, points);
      const fused = { m1: 0, m2: 0, i2: 0 };
      for (const [c11, c12, c22] of [
        [1, 0.3, 0.8],
        [0.2, -0.15, 2.5],
        [4, 3.9, 4],
        [1, 0, 1],
        [0, 0, 1],
        [2, 0.5, 0.125],
      ]) {
        g.pairMoments?.(c11, c12, c22, fused);
        expect(fused).toEqual({ m1: g.m1(c11, c12, c22), m2: g.m2(c11, c12, c22), i2: g.i2(c11, c12, c22) });
      }
      expect(g.pairMoments).toBeDefined();
    }
  });
});
