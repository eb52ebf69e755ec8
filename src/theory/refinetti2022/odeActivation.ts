/**
 * The activation of the ODEs: a built-in with closed-form Gaussian integrals ('linear', 'erf' meaning erf(x/√2),
 * 'relu'), or a custom smooth activation given as a mathjs expression in x (`{ expression: 'tanh(x)' }`), whose
 * derivatives come from mathjs `derivative` and whose Gaussian integrals come from Gauss–Hermite quadrature.
 */
import { createRequire } from 'node:module';
import type { MathNode } from 'mathjs';

/** mathjs, loaded on first use: only custom activations need it, and it costs ~1 s to import (the CLI stays fast). */
let mathjs: typeof import('mathjs') | undefined;
function math(): typeof import('mathjs') {
  mathjs ??= createRequire(import.meta.url)('mathjs') as typeof import('mathjs');
  return mathjs;
}
import { ValidationError } from '../../core/errors.ts';
import { gaussHermiteNormal } from '../../core/quadrature.ts';
import { erf } from '../../core/special.ts';
import {
  type BiasIntegrals,
  createBiasQuadrature,
  createReluBiasIntegrals,
  type PointwiseActivation,
} from './biasIntegrals.ts';
import { I2, I3, I21, I22, type IntegralActivation, J2 } from './integrals.ts';
import { agreesWithMathjs, nativeExpression } from './nativeExpression.ts';
import { steinM1, steinM2, steinPhi, steinPsi } from './steinIntegrals.ts';

/** A built-in activation name, or a custom activation as a mathjs expression in the variable x. */
export type OdeActivation = IntegralActivation | { expression: string; points?: number };

/** The Gaussian integrals the ODEs and the test error need (covariance entries c11, c12, c22 of (x1, x2)). */
export interface ActivationIntegrals {
  /** Human-readable name ('erf', 'tanh(x)', …). */
  readonly name: string;
  /** φ = E[g'(x)], x ~ N(0, q). */
  phi(q: number): number;
  /** ψ = E[g''(x1) x2]. */
  psi(c11: number, c12: number): number;
  /** M1 = E[g''(x1) g(x2)]. */
  m1(c11: number, c12: number, c22: number): number;
  /** M2 = E[g'(x1) g'(x2)]. */
  m2(c11: number, c12: number, c22: number): number;
  /** I2 = E[g(x1) g(x2)]. */
  i2(c11: number, c12: number, c22: number): number;
  /**
   * M1, M2 and I2 of one covariance together, written to `out`, with the same values as the three calls (optional: the
   * quadrature of a custom activation offers it, so that the inner sums over g and g' are shared).
   */
  pairMoments?(c11: number, c12: number, c22: number, out: { m1: number; m2: number; i2: number }): void;
  /** J2 = E[x1 g(x2)]. */
  j2(c11: number, c12: number, c22: number): number;
  /** I21 = E[g'(x1) x1 x2] (density "code" form only). */
  i21(c11: number, c12: number, c22: number): number;
  /** I22 = E[g'(x1) x2²] (density "code" form only). */
  i22(c11: number, c12: number, c22: number): number;
  /** I3 = E[g'(x1) x2 g(x3)] (density "code" form only). */
  i3(c11: number, c12: number, c13: number, c22: number, c23: number, c33: number): number;
  /** Pointwise g, g', g'' (smooth activations only; absent for ReLU). */
  readonly pointwise?: PointwiseActivation;
  /** A fresh evaluator of the biased integrals (local fields N(β, Q)): quadrature of the pointwise functions, or ReLU's. */
  biasIntegrals(): BiasIntegrals;
  /** Gauss–Hermite points per dimension for quadrature-based integrals. */
  readonly points: number;
}

const SQRT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);

/** g, g', g'' of the built-in smooth activations. */
const POINTWISE: Partial<Record<IntegralActivation, PointwiseActivation>> = {
  linear: { g: (x) => x, g1: () => 1, g2: () => 0 },
  erf: {
    g: (x) => erf(x / Math.SQRT2),
    g1: (x) => SQRT_TWO_OVER_PI * Math.exp(-0.5 * x * x),
    g2: (x) => -x * SQRT_TWO_OVER_PI * Math.exp(-0.5 * x * x),
  },
};

/** Built-in activation names. */
export const BUILTIN_ACTIVATIONS = ['linear', 'erf', 'relu'] as const;

function builtin(g: IntegralActivation): ActivationIntegrals {
  return {
    name: g,
    phi: (q) => steinPhi(g, q),
    psi: (c11, c12) => steinPsi(g, c11, c12),
    m1: (c11, c12, c22) => steinM1(g, c11, c12, c22),
    m2: (c11, c12, c22) => steinM2(g, c11, c12, c22),
    i2: (c11, c12, c22) => I2(g, c11, c12, c22),
    j2: (c11, c12, c22) => J2(g, c11, c12, c22),
    i21: (c11, c12, c22) => I21(g, c11, c12, c22),
    i22: (c11, c12, c22) => I22(g, c11, c12, c22),
    i3: (c11, c12, c13, c22, c23, c33) => I3(g, c11, c12, c13, c22, c23, c33),
    pointwise: POINTWISE[g],
    biasIntegrals: () => {
      const fns = POINTWISE[g];
      return fns ? createBiasQuadrature(fns, BUILTIN_BIAS_POINTS) : createReluBiasIntegrals();
    },
    points: BUILTIN_BIAS_POINTS,
  };
}

/**
 * Gauss–Hermite points per dimension for the biased integrals of the built-in smooth activations. The erf integrands
 * (e^{−x²/2} against N(β, Q)) get narrower against the Gaussian as Q grows; largest error of the seven integrals
 * against a 400-point rule: 80 points 2e-14 at Q = 3, 1e-9 at Q = 5, 6e-7 at Q = 8; 120 points 3e-14 at Q = 5,
 * 3e-10 at Q = 8, 2e-8 at Q = 10. 80 points left ode-bias-is-gradient at 0.58 of its 1e-6 bound at Q = 5.05 (seed
 * 657121003); 120 cost twice the time (0.74 ms a pair).
 */
export const BUILTIN_BIAS_POINTS = 120;
/** Default Gauss–Hermite points per dimension for custom activations. */
export const DEFAULT_CUSTOM_POINTS = 40;
/** Probe points at which a custom expression and its derivatives must be finite. */
const PROBE_POINTS = [-6, -2.5, -1, -0.3, 0, 0.3, 1, 2.5, 6];

function invalid(expression: string, expected: string, hint: string): ValidationError {
  return new ValidationError({ field: 'activation.expression', received: expression, expected, hint });
}

/** Compiles a mathjs expression in x to a number → number function, checking it is real and finite on probes. */
function compileScalar(expression: string, what: string, node: MathNode): (x: number) => number {
  const code = node.compile();
  const scope = { x: 0 };
  const viaMathjs = (x: number): number => {
    scope.x = x;
    return code.evaluate(scope) as number;
  };
  for (const x of PROBE_POINTS) {
    let v: unknown;
    try {
      v = code.evaluate({ x });
    } catch (e) {
      throw invalid(expression, `${what} evaluable at x = ${x}`, `mathjs said: ${(e as Error).message}`);
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw invalid(
        expression,
        `${what} real and finite at x = ${x} (got ${String(v)})`,
        'use a smooth activation defined on the whole real line, e.g. tanh(x) or x/(1+x^2)',
      );
    }
  }
  // The quadrature calls these functions millions of times: plain closures over Math when the tree translates and
  // agrees with mathjs on a grid, mathjs's evaluator otherwise.
  const fast = nativeExpression(node);
  return fast && agreesWithMathjs(fast, (x) => code.evaluate({ x })) ? fast : viaMathjs;
}

/** A custom activation: derivatives by mathjs, integrals by Gauss–Hermite quadrature (`points` per dimension). */
export function customActivation(expression: string, points = DEFAULT_CUSTOM_POINTS): ActivationIntegrals {
  if (typeof expression !== 'string' || expression.trim() === '') {
    throw invalid(String(expression), 'a non-empty mathjs expression in x', "write e.g. { expression: 'tanh(x)' }");
  }
  let node: MathNode;
  try {
    node = math().parse(expression);
  } catch (e) {
    throw invalid(expression, 'a valid mathjs expression', `mathjs said: ${(e as Error).message}`);
  }
  const symbols = new Set(
    node
      .filter((n) => (n as { isSymbolNode?: boolean }).isSymbolNode === true)
      .map((n) => (n as unknown as { name: string }).name),
  );
  for (const s of symbols) {
    if (s === 'x') continue;
    const isFunction = node.filter(
      (n) =>
        (n as { isFunctionNode?: boolean }).isFunctionNode === true &&
        (n as unknown as { fn: { name: string } }).fn.name === s,
    ).length;
    const isConstant = s === 'pi' || s === 'e';
    if (!isFunction && !isConstant) {
      throw invalid(expression, 'an expression in the single variable x', `unknown symbol "${s}"; use x only`);
    }
  }
  if (!symbols.has('x')) throw invalid(expression, 'an expression that depends on x', 'e.g. tanh(x)');
  let d1: MathNode;
  let d2: MathNode;
  try {
    d1 = math().derivative(node, 'x');
    d2 = math().derivative(d1, 'x');
  } catch (e) {
    throw invalid(expression, 'an expression mathjs can differentiate', `mathjs said: ${(e as Error).message}`);
  }
  const g = compileScalar(expression, 'g', node);
  const g1 = compileScalar(expression, "g'", d1);
  const g2 = compileScalar(expression, "g''", d2);
  const { nodes, weights } = gaussHermiteNormal(points);
  const P = nodes.length;
  const e1 = (f: (x: number) => number, q: number): number => {
    const s = Math.sqrt(Math.max(q, 0));
    let acc = 0;
    for (let i = 0; i < P; i++) acc += weights[i] * f(s * nodes[i]);
    return acc;
  };
  /** E[f1(x1) f2(x2)] over N(0, [[c11, c12], [c12, c22]]) by tensor Gauss–Hermite through the Cholesky factor. */
  const e2 = (f1: (x: number) => number, f2: (x: number) => number, c11: number, c12: number, c22: number): number => {
    const l11 = Math.sqrt(Math.max(c11, 0));
    const l21 = l11 > 0 ? c12 / l11 : 0;
    const l22 = Math.sqrt(Math.max(c22 - l21 * l21, 0));
    let acc = 0;
    for (let i = 0; i < P; i++) {
      const x1 = l11 * nodes[i];
      const v1 = f1(x1);
      if (v1 === 0) continue;
      let inner = 0;
      for (let j = 0; j < P; j++) inner += weights[j] * f2(l21 * nodes[i] + l22 * nodes[j]);
      acc += weights[i] * v1 * inner;
    }
    return acc;
  };
  /**
   * M1 = E[g''(x1) g(x2)], M2 = E[g'(x1) g'(x2)] and I2 = E[g(x1) g(x2)] of one covariance from one pass over e2's grid:
   * the biased quadrature's `pair` at zero means shares the inner sums over g and g' between the three (two pointwise
   * evaluations per grid point instead of three), with e2's points, products and order for each, so the same values
   * as three e2 calls (tested bit for bit). The custom tanh's ODE spends most of its time here.
   */
  const centred = createBiasQuadrature({ g, g1, g2 }, points);
  const pairMoments = (c11: number, c12: number, c22: number, out: { m1: number; m2: number; i2: number }): void => {
    const moments = centred.pair(0, 0, c11, c12, c22);
    out.m1 = moments.m1;
    out.m2 = moments.m2;
    out.i2 = moments.i2;
  };
  return {
    name: expression,
    pairMoments,
    phi: (q) => e1(g1, q),
    // Gaussian conditioning: E[x2 | x1] = (c12/c11) x1.
    psi: (c11, c12) => (c11 > 0 ? (c12 / c11) * e1((x) => g2(x) * x, c11) : 0),
    m1: (c11, c12, c22) => e2(g2, g, c11, c12, c22),
    m2: (c11, c12, c22) => e2(g1, g1, c11, c12, c22),
    i2: (c11, c12, c22) => e2(g, g, c11, c12, c22),
    // Stein: E[x1 g(x2)] = c12 E[g'(x2)].
    j2: (c11, c12, c22) => {
      void c11;
      return c12 * e1(g1, c22);
    },
    i21: (c11, c12, c22) => {
      void c22;
      return c11 > 0 ? (c12 / c11) * e1((x) => g1(x) * x * x, c11) : 0;
    },
    i22: (c11, c12, c22) => {
      if (c11 <= 0) return c22 * e1(g1, 0);
      const beta = c12 / c11;
      const cond = c22 - beta * c12;
      return beta * beta * e1((x) => g1(x) * x * x, c11) + cond * e1(g1, c11);
    },
    i3: (c11, c12, c13, c22, c23, c33) => {
      void c22;
      // E[g'(x1) x2 g(x3)] = Cov(x2, ·) Stein over (x1, x3): c12 E[g''(x1) g(x3)] + c23 E[g'(x1) g'(x3)].
      return c12 * e2(g2, g, c11, c13, c33) + c23 * e2(g1, g1, c11, c13, c33);
    },
    pointwise: { g, g1, g2 },
    biasIntegrals: () => createBiasQuadrature({ g, g1, g2 }, points),
    points,
  };
}

/** Validates an activation and returns its integrals. */
export function resolveActivation(activation: OdeActivation, field = 'activation'): ActivationIntegrals {
  if (typeof activation === 'string') {
    if ((BUILTIN_ACTIVATIONS as readonly string[]).includes(activation)) return builtin(activation);
    throw new ValidationError({
      field,
      received: activation,
      expected: `one of ${BUILTIN_ACTIVATIONS.join(', ')} or { expression: '…' }`,
      hint: "give a built-in name, or a mathjs expression such as { expression: 'tanh(x)' }",
    });
  }
  if (activation && typeof activation === 'object' && typeof activation.expression === 'string') {
    const points = activation.points ?? DEFAULT_CUSTOM_POINTS;
    if (!Number.isInteger(points) || points < 4 || points > 200) {
      throw new ValidationError({
        field: `${field}.points`,
        received: points,
        expected: 'an integer number of Gauss–Hermite points in [4, 200]',
        hint: `leave it out for the default ${DEFAULT_CUSTOM_POINTS}`,
      });
    }
    return customActivation(activation.expression, points);
  }
  throw new ValidationError({
    field,
    received: activation,
    expected: `one of ${BUILTIN_ACTIVATIONS.join(', ')} or { expression: '…' }`,
  });
}

/** A short label of an activation, for configs and messages. */
export function activationLabel(activation: OdeActivation): string {
  return typeof activation === 'string' ? activation : activation.expression;
}
