import { describe, expect, test } from 'vitest';
import { expectGaussianSplit } from '../../core/quadrature.ts';
import { erf } from '../../core/special.ts';
import type { AnyTheoryFunction } from '../theoryFunction.ts';
import { theoryFunctions } from './functions.ts';
import { integralFunctions } from './integralFunctions.ts';

/**
 * `aecheck theory refinetti2022.{J2, I2, I21, I22, I3}`: each evaluates its integral (checked against split quadrature
 * of the definition, docs/theory-refinetti2022.md (E8)), and each refuses a covariance that is not positive
 * semi-definite, naming the field.
 */
const G = {
  linear: { g: (x: number) => x, dg: (_x: number) => 1 },
  erf: { g: (x: number) => erf(x / Math.SQRT2), dg: (x: number) => Math.sqrt(2 / Math.PI) * Math.exp(-0.5 * x * x) },
  relu: { g: (x: number) => (x > 0 ? x : 0), dg: (x: number) => (x > 0 ? 1 : 0) },
};
type Act = keyof typeof G;

const byName = (name: string): AnyTheoryFunction => {
  const f = integralFunctions.find((t) => t.name === name);
  if (!f) throw new Error(`no theory function ${name}`);
  return f;
};

/** Parses like `aecheck theory` does and evaluates. */
function call(name: string, params: Record<string, unknown>): number {
  const f = byName(name);
  return f.evaluate(f.params.parse(params)) as number;
}

function issue(name: string, params: Record<string, unknown>): { message: string; path: PropertyKey[] } {
  const r = byName(name).params.safeParse(params);
  expect(r.success, `${name} accepted ${JSON.stringify(params)}`).toBe(false);
  if (r.success) throw new Error('unreachable');
  return { message: r.error.issues[0].message, path: r.error.issues[0].path };
}

const C2 = { c11: 0.7, c12: -0.31, c22: 1.9 };
const C3 = { c11: 0.7, c12: 0.31, c13: -0.22, c22: 1.9, c23: 0.45, c33: 0.5 };
const cov2 = [
  [C2.c11, C2.c12],
  [C2.c12, C2.c22],
];
const cov3 = [
  [C3.c11, C3.c12, C3.c13],
  [C3.c12, C3.c22, C3.c23],
  [C3.c13, C3.c23, C3.c33],
];

describe('refinetti2022 integral theory functions', () => {
  test('the catalog lists J2, I2, I21, I22, I3 under refinetti2022, and functions.ts exports them with the ODE ones', () => {
    expect(integralFunctions.map((f) => f.name)).toEqual([
      'refinetti2022.J2',
      'refinetti2022.I2',
      'refinetti2022.I21',
      'refinetti2022.I22',
      'refinetti2022.I3',
    ]);
    for (const f of integralFunctions) expect(f.paper).toBe('refinetti2022');
    expect(theoryFunctions.map((f) => f.name)).toEqual([
      ...integralFunctions.map((f) => f.name),
      'refinetti2022.testError',
      'refinetti2022.pcaError',
    ]);
  });

  for (const g of ['linear', 'erf', 'relu'] as const satisfies readonly Act[]) {
    test(`each evaluates its integral for g = ${g} (split quadrature of the definition, to 1e-11)`, () => {
      const { g: f, dg } = G[g];
      const want2: Record<string, (x: Float64Array) => number> = {
        J2: (x) => x[0] * f(x[1]),
        I2: (x) => f(x[0]) * f(x[1]),
        I21: (x) => dg(x[0]) * x[0] * x[1],
        I22: (x) => dg(x[0]) * x[1] * x[1],
      };
      for (const [name, integrand] of Object.entries(want2)) {
        const got = call(`refinetti2022.${name}`, { g, ...C2 });
        expect(Math.abs(got - expectGaussianSplit(integrand, cov2)), name).toBeLessThan(1e-11);
      }
      const i3 = call('refinetti2022.I3', { g, ...C3 });
      expect(Math.abs(i3 - expectGaussianSplit((x) => dg(x[0]) * x[1] * f(x[2]), cov3))).toBeLessThan(1e-11);
    });
  }

  test("every function's example parses and gives a finite value", () => {
    for (const f of integralFunctions as readonly AnyTheoryFunction[]) {
      const v = f.evaluate(f.params.parse(f.example));
      expect(Number.isFinite(v), f.name).toBe(true);
    }
    // The examples are the documented ones (the help shows them): erf at C = (1, 0.3, 0.8), ReLU for I2.
    expect(byName('refinetti2022.J2').example).toEqual({ g: 'erf', c11: 1, c12: 0.3, c22: 0.8 });
    expect(byName('refinetti2022.I2').example).toEqual({ g: 'relu', c11: 1, c12: 0.3, c22: 0.8 });
    expect(byName('refinetti2022.I3').example).toEqual({
      g: 'erf',
      c11: 1,
      c12: 0.3,
      c13: 0.2,
      c22: 0.8,
      c23: -0.1,
      c33: 1.2,
    });
  });
});

describe('refinetti2022 integral theory functions refuse bad covariances', () => {
  test('an unknown activation, a negative variance and an unknown field are refused, naming the field', () => {
    expect(issue('refinetti2022.J2', { ...C2, g: 'tanh' }).path).toEqual(['g']);
    expect(issue('refinetti2022.I2', { g: 'erf', ...C2, c22: -0.1 }).path).toEqual(['c22']);
    expect(issue('refinetti2022.I2', { g: 'erf', ...C2, c11: -0.1 }).path).toEqual(['c11']);
    expect(issue('refinetti2022.I3', { g: 'erf', ...C3, c33: -0.1 }).path).toEqual(['c33']);
    expect(issue('refinetti2022.I21', { g: 'erf', ...C2, c13: 0.1 }).message).toMatch(/c13/);
  });

  test('2×2: |c12| ≤ √(c11 c22) up to a relative 1e-12 of c11·c22; beyond it the error names c12', () => {
    const s = Math.sqrt(0.7 * 1.9);
    for (const name of ['refinetti2022.J2', 'refinetti2022.I2', 'refinetti2022.I21', 'refinetti2022.I22']) {
      // At the boundary (x2 = ±√(c22/c11)·x1) and within round-off of it: accepted.
      expect(Number.isFinite(call(name, { g: 'relu', c11: 0.7, c12: s, c22: 1.9 }))).toBe(true);
      expect(Number.isFinite(call(name, { g: 'relu', c11: 0.7, c12: -s * (1 + 2e-13), c22: 1.9 }))).toBe(true);
      for (const c12 of [s * (1 + 1e-11), -s * (1 + 1e-11), 2]) {
        const e = issue(name, { g: 'erf', c11: 0.7, c12, c22: 1.9 });
        expect(e.path).toEqual(['c12']);
        expect(e.message).toBe('a positive semi-definite covariance, |c12| ≤ √(c11·c22)');
      }
    }
  });

  test("every parameter's help text names it (what `aecheck theory --help` shows)", () => {
    for (const f of integralFunctions as readonly AnyTheoryFunction[]) {
      const shape = (f.params as unknown as { shape: Record<string, { description?: string }> }).shape;
      expect(shape.g.description).toBe("activation g: 'linear', 'erf' (g = erf(x/√2)) or 'relu'");
      for (const [key, field] of Object.entries(shape)) {
        if (key === 'g') continue;
        const name = key.toUpperCase();
        expect(field.description, `${f.name}.${key}`).toBe(
          key === 'c11' || key === 'c22' || key === 'c33' ? `variance ${name} (≥ 0)` : `covariance entry ${name}`,
        );
      }
    }
  });

  test('the zero covariance (x ≡ 0) is accepted, at zero allowance, and every integral of it is 0', () => {
    for (const g of ['linear', 'erf', 'relu']) {
      for (const name of ['J2', 'I2', 'I21', 'I22'])
        expect(call(`refinetti2022.${name}`, { g, c11: 0, c12: 0, c22: 0 })).toBe(0);
      expect(call('refinetti2022.I3', { g, c11: 0, c12: 0, c13: 0, c22: 0, c23: 0, c33: 0 })).toBe(0);
    }
  });

  test('3×3: every 2×2 principal minor and the determinant must be ≥ −1e-12·(trace)³; the error names c33', () => {
    // x3 ≡ x1 with variance 2: singular, PSD. Variances other than 1 tell c11·c22 from c11/c22 and c12·c33 from c12/c33.
    const base = { g: 'erf', c11: 2, c12: 0.3, c13: 2, c22: 0.8, c23: 0.3, c33: 2 };
    expect(Number.isFinite(call('refinetti2022.I3', base))).toBe(true);
    // Lowering c33 by δ makes det = −δ·(c11 c22 − c12²) = −1.51δ and the (1, 3) minor −2δ; the allowance at trace 4.8
    // is 1e-12·4.8³ = 1.1e-10. At δ = 2e-11 the minor, −4e-11, is inside it (and outside 1e-12·3.2³ = 3.3e-11).
    expect(Number.isFinite(call('refinetti2022.I3', { ...base, c33: 2 - 2e-11 }))).toBe(true);
    // A PSD covariance with unequal variances and correlation 0.9 throughout (det = 0.126): accepted.
    const c = { c11: 0.5, c22: 2, c33: 4.5, c12: 0.9, c13: 1.35, c23: 2.7 };
    expect(Number.isFinite(call('refinetti2022.I3', { g: 'relu', ...c }))).toBe(true);
    const refused = [
      { ...base, c33: 2 - 1e-9 }, // det (−1.5e-9) and the (1, 3) minor (−2e-9) below the allowance
      { g: 'erf', c11: 1, c12: 2, c13: 0, c22: 1, c23: 0, c33: 0 }, // only the (1, 2) minor negative; det = 0
      { g: 'erf', c11: 1, c12: 0, c13: 2, c22: 0, c23: 0, c33: 1 }, // only the (1, 3) minor negative; det = 0
      { g: 'erf', c11: 0, c12: 0, c13: 0, c22: 1, c23: 2, c33: 1 }, // only the (2, 3) minor negative; det = 0
      { g: 'erf', c11: 1, c12: 0.9, c13: -0.9, c22: 1, c23: 0.9, c33: 1 }, // minors 0.19 > 0, det = −2.888
      // x3 = x1 + x2 (var x1 = 2, var x2 = 0.8, cov 0.3) with c33 lowered by 1e-9: every minor 1.51, det = −1.5e-9.
      { g: 'erf', c11: 2, c12: 0.3, c13: 2.3, c22: 0.8, c23: 1.1, c33: 3.4 - 1e-9 },
    ];
    for (const p of refused) {
      const e = issue('refinetti2022.I3', p);
      expect(e.path, JSON.stringify(p)).toEqual(['c33']);
      expect(e.message).toBe('a positive semi-definite 3×3 covariance');
    }
  });
});
