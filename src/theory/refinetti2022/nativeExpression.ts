/**
 * A mathjs expression tree in x turned into plain JavaScript closures over `Math`, for the hot loops of quadrature.
 * mathjs's own `compile().evaluate` dispatches every operator through typed functions (≈ 1 µs a call, measured for
 * tanh(x), sech(x)^2 and −2·sech(x)²·tanh(x)); the closures take tens of nanoseconds. Only a known subset of nodes is
 * translated (numbers, x, pi, e, + − × ÷ ^, unary ±, parentheses and the real elementary functions below); anything
 * else returns undefined and the caller keeps mathjs. The caller must also compare the result with mathjs on a grid
 * ({@link agreesWithMathjs}): mathjs may answer a complex number where `Math` answers NaN (sqrt of a negative).
 */
import type { MathNode } from 'mathjs';

type Fn = (x: number) => number;

/** One-argument functions with the same meaning for real numbers in mathjs and here. */
const UNARY: Readonly<Record<string, (v: number) => number>> = {
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  log2: Math.log2,
  log10: Math.log10,
  sqrt: Math.sqrt,
  cbrt: Math.cbrt,
  abs: Math.abs,
  sign: Math.sign,
  square: (v) => v * v,
  cube: (v) => v * v * v,
  sec: (v) => 1 / Math.cos(v),
  csc: (v) => 1 / Math.sin(v),
  cot: (v) => 1 / Math.tan(v),
  sech: (v) => 1 / Math.cosh(v),
  csch: (v) => 1 / Math.sinh(v),
  coth: (v) => 1 / Math.tanh(v),
};

/** The fields of the mathjs node types read here (mathjs's own types are a union that is awkward to narrow). */
interface NodeLike {
  type: string;
  value?: unknown;
  name?: string;
  fn?: string | NodeLike;
  args?: NodeLike[];
  content?: NodeLike;
}

function translate(node: NodeLike): Fn | undefined {
  switch (node.type) {
    case 'ConstantNode': {
      const v = node.value;
      if (typeof v !== 'number') return undefined;
      return () => v;
    }
    case 'SymbolNode': {
      if (node.name === 'x') return (x) => x;
      if (node.name === 'pi') return () => Math.PI;
      if (node.name === 'e') return () => Math.E;
      return undefined;
    }
    case 'ParenthesisNode':
      return node.content ? translate(node.content) : undefined;
    case 'OperatorNode': {
      const args = (node.args ?? []).map(translate);
      if (args.some((a) => a === undefined)) return undefined;
      const [a, b] = args as Fn[];
      const op = typeof node.fn === 'string' ? node.fn : undefined;
      if (args.length === 1) {
        if (op === 'unaryMinus') return (x) => -a(x);
        if (op === 'unaryPlus') return a;
        return undefined;
      }
      if (args.length !== 2) return undefined;
      if (op === 'add') return (x) => a(x) + b(x);
      if (op === 'subtract') return (x) => a(x) - b(x);
      if (op === 'multiply') return (x) => a(x) * b(x);
      if (op === 'divide') return (x) => a(x) / b(x);
      if (op === 'pow') {
        const exponent = (node.args as NodeLike[])[1];
        if (exponent.type === 'ConstantNode' && exponent.value === 2) return (x) => a(x) ** 2;
        return (x) => a(x) ** b(x);
      }
      return undefined;
    }
    case 'FunctionNode': {
      // Only a call by name: an accessor's name is its property ({sin: cos}.sin(u) calls cos), not the function.
      const name = typeof node.fn === 'object' && node.fn.type === 'SymbolNode' ? node.fn.name : undefined;
      const f = name !== undefined && Object.hasOwn(UNARY, name) ? UNARY[name] : undefined;
      if (!f || node.args?.length !== 1) return undefined;
      const inner = translate(node.args[0]);
      if (!inner) return undefined;
      return (x) => f(inner(x));
    }
    default:
      return undefined;
  }
}

/** The expression as a closure over `Math`, or undefined when it uses anything outside the translated subset. */
export function nativeExpression(node: MathNode): Fn | undefined {
  return translate(node as unknown as NodeLike);
}

/** Points at which a translated expression is compared with mathjs: 161 from −8 to 8 (the quadrature's range). */
const AGREEMENT_GRID = Array.from({ length: 161 }, (_, i) => -8 + i / 10);
/** Allowed relative difference from mathjs (its own sech, coth, … differ from 1/cosh, 1/tanh by a few ulps). */
const AGREEMENT_RTOL = 1e-12;

/**
 * True when `fast` equals mathjs's `reference` to {@link AGREEMENT_RTOL} (relative, with an absolute floor of the same
 * size) on the grid, and mathjs answers a real number at every point.
 */
export function agreesWithMathjs(fast: Fn, reference: (x: number) => unknown): boolean {
  for (const x of AGREEMENT_GRID) {
    const want = reference(x);
    if (typeof want !== 'number') return false;
    const got = fast(x);
    if (Number.isNaN(want) !== Number.isNaN(got)) return false;
    if (Number.isNaN(want)) continue;
    if (!Number.isFinite(want)) {
      if (got !== want) return false;
      continue;
    }
    if (Math.abs(got - want) > AGREEMENT_RTOL * Math.max(1, Math.abs(want))) return false;
  }
  return true;
}
