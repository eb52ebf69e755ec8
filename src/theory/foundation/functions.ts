import { z } from 'zod';
import { erf, erfc, normalCdf, normalQuantile } from '../../core/special.ts';
import type { AnyTheoryFunction } from '../theoryFunction.ts';
import { defineTheoryFunction } from '../theoryFunction.ts';

const x = z.strictObject({ x: z.number().describe('argument x (any real)') });

/** Shared theory functions: the special functions every paper uses. */
export const theoryFunctions: readonly AnyTheoryFunction[] = [
  defineTheoryFunction({
    name: 'erf',
    paper: 'foundation',
    summary: 'error function erf(x)',
    params: x,
    evaluate: (p) => erf(p.x),
    example: { x: 0.5 },
  }),
  defineTheoryFunction({
    name: 'erfc',
    paper: 'foundation',
    summary: 'complementary error function 1 − erf(x), accurate in the tail',
    params: x,
    evaluate: (p) => erfc(p.x),
    example: { x: 3 },
  }),
  defineTheoryFunction({
    name: 'normalCdf',
    paper: 'foundation',
    summary: 'standard normal distribution function Φ(x)',
    params: x,
    evaluate: (p) => normalCdf(p.x),
    example: { x: 1.96 },
  }),
  defineTheoryFunction({
    name: 'normalQuantile',
    paper: 'foundation',
    summary: 'inverse of Φ: the x with Φ(x) = p',
    params: z.strictObject({ p: z.number().gt(0).lt(1).describe('probability in (0, 1)') }),
    evaluate: (p) => normalQuantile(p.p),
    example: { p: 0.975 },
  }),
];
