import { z } from 'zod';
import { defineTheoryFunction } from '../theoryFunction.ts';
import { sheppardSignCorrelation } from './sheppard.ts';

/** Sheppard's identity as an `aecheck theory` function. */
export const sheppardFunction = defineTheoryFunction({
  name: 'shevchenko2023.sheppard',
  paper: 'shevchenko2023',
  summary:
    'E[sign(u·x) sign(v·x)] = (2/π) arcsin(u·v) for unit u, v and x ~ N(0, I) (docs/theory-shevchenko2023.md (S3))',
  params: z.strictObject({ overlap: z.number().min(-1).max(1).describe('u·v, in [−1, 1]') }),
  evaluate: (p) => sheppardSignCorrelation(p.overlap),
  example: { overlap: 0.5 },
});
