import { createRequire } from 'node:module';
import type { MathNode } from 'mathjs';
import { describe, expect, test } from 'vitest';
import { customActivation } from './odeActivation.ts';
import { agreesWithMathjs, nativeExpression } from './nativeExpression.ts';

const math = createRequire(import.meta.url)('mathjs') as typeof import('mathjs');

/** mathjs's own evaluation of a tree at x. */
function viaMathjs(node: MathNode): (x: number) => unknown {
  const code = node.compile();
  return (x) => code.evaluate({ x });
}

describe('nativeExpression', () => {
  test.each([
    'tanh(x)',
    'x / (1 + x^2)',
    'sin(x) + 2x - pi * e',
    'sech(x)^2 * coth(x + 20)',
    '-(x^3) / 3 + sqrt(1 + x^2)',
    'log(1 + exp(x))',
  ])('%s and its two derivatives equal mathjs on the grid', (expression) => {
    let node = math.parse(expression);
    for (let order = 0; order < 3; order++) {
      const fast = nativeExpression(node);
      expect(fast, `order ${order}: ${node.toString()}`).toBeDefined();
      expect(agreesWithMathjs(fast as (x: number) => number, viaMathjs(node))).toBe(true);
      node = math.derivative(node, 'x');
    }
  });

  test('an expression outside the subset is not translated (the caller keeps mathjs)', () => {
    expect(nativeExpression(math.parse('erf(x)'))).toBeUndefined();
    expect(nativeExpression(math.parse('max(x, 0)'))).toBeUndefined();
    expect(nativeExpression(math.parse('x * y'))).toBeUndefined();
  });

  test('a translation that differs from mathjs is refused: sqrt of a negative is complex in mathjs, NaN in Math', () => {
    const node = math.parse('sqrt(x)');
    const fast = nativeExpression(node);
    expect(fast).toBeDefined();
    expect(agreesWithMathjs(fast as (x: number) => number, viaMathjs(node))).toBe(false);
    // A wrong translation (a perturbed function) is refused too.
    expect(agreesWithMathjs((x) => Math.tanh(x) * (1 + 1e-9), viaMathjs(math.parse('tanh(x)')))).toBe(false);
  });

  test('the custom activation gives the same integrals through the fast path as through mathjs (tanh, 24 points)', () => {
    const fast = customActivation('tanh(x)', 24);
    // pow(x, 2) as a function is outside the subset, so g runs on mathjs's evaluator (its derivatives simplify to
    // the same trees as tanh's): the same function, evaluated the slow way.
    const slow = customActivation('tanh(x) + 0 * pow(x, 2)', 24);
    expect(nativeExpression(math.parse('tanh(x) + 0 * pow(x, 2)'))).toBeUndefined();
    for (const [c11, c12, c22] of [
      [0.5, 0.2, 0.8],
      [2, -1.1, 1.5],
      [0.05, 0.01, 0.3],
    ]) {
      for (const k of ['m1', 'i2'] as const) {
        expect(fast[k](c11, c12, c22)).toBeCloseTo(slow[k](c11, c12, c22), 13);
      }
      expect(fast.phi(c11)).toBeCloseTo(slow.phi(c11), 13);
    }
  });
});
