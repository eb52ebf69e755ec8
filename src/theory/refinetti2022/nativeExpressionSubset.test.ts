import { createRequire } from 'node:module';
import type { MathNode } from 'mathjs';
import { describe, expect, test } from 'vitest';
import { agreesWithMathjs, nativeExpression } from './nativeExpression.ts';

const math = createRequire(import.meta.url)('mathjs') as typeof import('mathjs');

/**
 * Every function and operator of the translated subset equals mathjs where mathjs answers a real number, and
 * everything outside the subset is left to mathjs (nativeExpression.ts). The reference is mathjs's own evaluation.
 */
const evaluate = (node: MathNode) => {
  const code = node.compile();
  return (x: number) => code.evaluate({ x }) as unknown;
};

/** Each translated function with points inside its real domain. */
const FUNCTIONS: readonly [string, readonly number[]][] = [
  ['sin', [-2.1, 0.3, 1.7]],
  ['cos', [-2.1, 0.3, 1.7]],
  ['tan', [-1.2, 0.3, 1.1]],
  ['asin', [-0.9, 0.3, 0.7]],
  ['acos', [-0.9, 0.3, 0.7]],
  ['atan', [-4, 0.3, 2.5]],
  ['sinh', [-2.1, 0.3, 1.7]],
  ['cosh', [-2.1, 0.3, 1.7]],
  ['tanh', [-2.1, 0.3, 1.7]],
  ['asinh', [-2.1, 0.3, 1.7]],
  ['acosh', [1.1, 2.3, 7]],
  ['atanh', [-0.9, 0.3, 0.7]],
  ['exp', [-2.1, 0.3, 1.7]],
  ['expm1', [-2.1, 1e-9, 1.7]],
  ['log', [0.2, 1.3, 7]],
  ['log1p', [-0.5, 1e-9, 7]],
  ['log2', [0.2, 1.3, 7]],
  ['log10', [0.2, 1.3, 7]],
  ['sqrt', [0.2, 1.3, 7]],
  ['cbrt', [-2.1, 0.3, 8]],
  ['abs', [-2.1, 0.3, 1.7]],
  ['sign', [-2.1, 0.3, 1.7]],
  ['square', [-2.1, 0.3, 1.7]],
  ['cube', [-2.1, 0.3, 1.7]],
  ['sec', [-1.2, 0.3, 1.1]],
  ['csc', [-1.2, 0.3, 1.1]],
  ['cot', [-1.2, 0.3, 1.1]],
  ['sech', [-2.1, 0.3, 1.7]],
  ['csch', [-2.1, 0.3, 1.7]],
  ['coth', [-2.1, 0.3, 1.7]],
];

describe('nativeExpression: the translated subset', () => {
  test.each(FUNCTIONS)('%s(x) equals mathjs inside its domain, to 1e-13 relative', (name, points) => {
    const node = math.parse(`${name}(x)`);
    const fast = nativeExpression(node);
    if (!fast) throw new Error(`${name} not translated`);
    const slow = evaluate(node);
    for (const x of points) {
      const want = slow(x) as number;
      expect(typeof want).toBe('number');
      expect(Math.abs(fast(x) - want), `${name}(${x})`).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(want)));
    }
  });

  test.each([
    ['x + 2', 3.5],
    ['x - 2', -0.5],
    ['3 * x', 4.5],
    ['3 / x', 2],
    ['x ^ 3', 3.375],
    ['x ^ 2', 2.25],
    ['2 ^ x', 2 ** 1.5],
    ['-x', -1.5],
    ['+x', 1.5],
    ['(x + 1) * 2', 5],
    ['pi * x', Math.PI * 1.5],
    ['e + x', Math.E + 1.5],
  ])('%s at x = 1.5 is %d', (expression, want) => {
    const fast = nativeExpression(math.parse(expression));
    if (!fast) throw new Error(`${expression} not translated`);
    expect(fast(1.5)).toBeCloseTo(want, 14);
  });

  test.each([
    'x!', // a unary operator outside the subset
    'x mod 2', // a binary one
    'atan2(x, 1)', // a function outside the subset
    'log(x, 2)', // a listed function with two arguments
    'toString(x)', // an Object.prototype name is not a function of the subset
    'tanh(y)', // another symbol
    'x * "a"', // a string constant
    'sin(y) + x', // an untranslatable argument deep inside
    'x ? 1 : 2', // another node type
  ])('%s is not translated', (expression) => {
    expect(nativeExpression(math.parse(expression))).toBeUndefined();
  });

  test('a call through an accessor is not translated: {sin: cos}.sin(u) is cos(u) in mathjs, not sin(u)', () => {
    // The accessor's name is the property, 'sin'; the function called is the object's value, cos.
    const node = math.parse('{sin: cos}.sin(cos(x))');
    expect(evaluate(node)(0.5)).toBeCloseTo(Math.cos(Math.cos(0.5)), 15);
    expect(nativeExpression(node)).toBeUndefined();
    expect(nativeExpression(math.parse('{a: 1}.a'))).toBeUndefined();
  });

  test('an operator node with three arguments is not translated: mathjs adds all three, a binary closure would drop one', () => {
    // mathjs's parser nests x + 2 + 3 as binary nodes, but its trees may hold n-ary add/multiply (add is variadic).
    const node = new math.OperatorNode('+', 'add', [
      new math.SymbolNode('x'),
      new math.ConstantNode(2),
      new math.ConstantNode(3),
    ]) as unknown as MathNode;
    expect(evaluate(node)(1.5)).toBe(6.5);
    expect(nativeExpression(node)).toBeUndefined();
  });
});

describe('agreesWithMathjs', () => {
  const parse = (e: string) => math.parse(e);
  test('equal infinities and NaNs agree; a mismatch in either refuses the translation', () => {
    // coth(0) = +∞ in both; 0/0 = NaN in both.
    for (const e of ['coth(x)', 'x / x']) {
      const node = parse(e);
      const fast = nativeExpression(node);
      if (!fast) throw new Error(`${e} not translated`);
      expect(agreesWithMathjs(fast, evaluate(node)), e).toBe(true);
    }
    const coth = evaluate(parse('coth(x)'));
    expect(agreesWithMathjs((x) => (x === 0 ? Number.NEGATIVE_INFINITY : 1 / Math.tanh(x)), coth)).toBe(false);
    expect(agreesWithMathjs((x) => (x === 0 ? Number.NaN : 1 / Math.tanh(x)), coth)).toBe(false);
    const ratio = evaluate(parse('x / x'));
    expect(agreesWithMathjs(() => 1, ratio)).toBe(false);
  });

  test('the tolerance is 1e-12 relative above 1 and absolute below: 1e-13 passes, 1e-11 does not', () => {
    const exp = evaluate(parse('exp(x)'));
    expect(agreesWithMathjs((x) => Math.exp(x) * (1 + 1e-13), exp)).toBe(true);
    expect(agreesWithMathjs((x) => Math.exp(x) * (1 + 1e-11), exp)).toBe(false);
    const small = evaluate(parse('x / 1e6'));
    expect(agreesWithMathjs((x) => x / 1e6 + 1e-13, small)).toBe(true);
    expect(agreesWithMathjs((x) => x / 1e6 + 1e-11, small)).toBe(false);
  });

  test('the tolerance is inclusive: a difference of exactly 1e-12 where |mathjs| ≤ 1 agrees, the next double above does not', () => {
    const zero = () => 0;
    expect(agreesWithMathjs(() => 1e-12, zero)).toBe(true);
    expect(agreesWithMathjs(() => -1e-12, zero)).toBe(true);
    const above = 1e-12 * (1 + Number.EPSILON);
    expect(above).toBeGreaterThan(1e-12);
    expect(agreesWithMathjs(() => above, zero)).toBe(false);
  });

  test('a non-number from mathjs (a complex sqrt, a matrix) refuses the translation', () => {
    expect(agreesWithMathjs(Math.sqrt, evaluate(parse('sqrt(x)')))).toBe(false);
    expect(
      agreesWithMathjs(
        (x) => x,
        () => [1],
      ),
    ).toBe(false);
  });
});
