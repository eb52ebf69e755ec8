import { createRequire } from 'node:module';
import type { MathNode } from 'mathjs';
import { ValidationError } from '../core/errors.ts';

/** A comparison curve drawn on a map: `lhs = rhs`, an equation in the claim's numeric fields (`explore --guide`). */
export interface Guide {
  /** The equation as given, e.g. `(1/r-1)*p=1e-3`. */
  expression: string;
  /** lhs − rhs at the parameters (NaN where either side is not finite); the curve is where it changes sign. */
  difference(params: Record<string, unknown>): number;
}

/** Functions a guide may call (pure, one real result); anything else is refused before evaluation. */
const FUNCTIONS = new Set(['log', 'log10', 'log2', 'exp', 'sqrt', 'abs', 'min', 'max', 'floor', 'ceil', 'round']);
/** Operators a guide may use: arithmetic and powers. */
const OPERATORS = new Set(['add', 'subtract', 'multiply', 'divide', 'pow', 'unaryMinus', 'unaryPlus']);
/** Constants a guide may name besides the fields. */
const CONSTANTS = new Set(['pi', 'e']);

/** mathjs, loaded on first use: only `--guide` needs it, and it costs about a second to import. */
let mathjs: typeof import('mathjs') | undefined;
function math(): typeof import('mathjs') {
  mathjs ??= createRequire(import.meta.url)('mathjs') as typeof import('mathjs');
  return mathjs;
}

/**
 * Parses `--guide lhs=rhs` for a map whose claim has the given numeric fields. The expression is parsed by mathjs and
 * its tree checked before anything is evaluated: only numbers, the fields, pi and e, arithmetic (+ − · / ^), brackets
 * and the functions log, log10, log2, exp, sqrt, abs, min, max, floor, ceil and round are allowed, so no
 * assignment, function definition, import or property access can run. Throws a ValidationError naming `--guide`.
 */
export function parseGuide(expression: string, fields: readonly string[]): Guide {
  const fail = (expected: string, hint: string): never => {
    throw new ValidationError({ field: '--guide', received: expression, expected, hint });
  };
  const sides = expression.split('=');
  if (sides.length !== 2 || sides.some((s) => s.trim() === '') || /[<>!]$/.test(sides[0])) {
    fail(
      'one equation lhs=rhs in the fields, e.g. (1/r-1)*p=1e-3',
      "give exactly one '=' with an expression on each side",
    );
  }
  const parsed = sides.map((side) => {
    let node: MathNode;
    try {
      node = math().parse(side);
    } catch (e) {
      return fail(
        'an arithmetic expression on each side of =',
        `mathjs could not parse "${side.trim()}": ${(e as Error).message}`,
      );
    }
    node.traverse((n, _path, parent) => {
      if (n.type === 'ConstantNode') {
        if (typeof (n as unknown as { value: unknown }).value !== 'number')
          fail('numbers only as constants', `remove ${n.toString()}`);
      } else if (n.type === 'SymbolNode') {
        const name = (n as unknown as { name: string }).name;
        const isCallee = parent?.type === 'FunctionNode' && (parent as unknown as { fn: MathNode }).fn === n;
        if (isCallee ? !FUNCTIONS.has(name) : !fields.includes(name) && !CONSTANTS.has(name)) {
          fail(
            isCallee
              ? `a function among ${[...FUNCTIONS].join(', ')}`
              : `a numeric field of the claim (${fields.join(', ')}) or pi, e`,
            `"${name}" is not allowed`,
          );
        }
      } else if (n.type === 'OperatorNode') {
        const fn = (n as unknown as { fn: string }).fn;
        if (!OPERATORS.has(fn)) fail('arithmetic operators + - * / ^ only', `remove the operator ${fn}`);
      } else if (n.type === 'FunctionNode') {
        if ((n as unknown as { fn: MathNode }).fn.type !== 'SymbolNode')
          fail('a named function call', `rewrite ${n.toString()}`);
      } else if (n.type !== 'ParenthesisNode') {
        fail('an arithmetic expression (numbers, fields, + - * / ^, brackets, functions)', `remove ${n.toString()}`);
      }
    });
    return node.compile();
  });
  return {
    expression,
    difference(params) {
      const scope: Record<string, number> = {};
      for (const f of fields) if (typeof params[f] === 'number') scope[f] = params[f] as number;
      const [lhs, rhs] = parsed.map((c) => c.evaluate({ ...scope }) as unknown);
      return typeof lhs === 'number' && typeof rhs === 'number' && Number.isFinite(lhs - rhs) ? lhs - rhs : Number.NaN;
    },
  };
}
