import { z } from 'zod';
import { defineTheoryFunction } from '../theoryFunction.ts';
import {
  baselines,
  highSparsityAsymptote,
  lossByQuadrature,
  rankBoundNoiseVariance,
  symmetricOptimum,
} from './symmetricLoss.ts';

const r = z.number().gt(0).lte(1).describe('compression ratio r = m/n, in (0, 1]');
const p = z.number().gt(0).lte(1).describe('feature probability p, in (0, 1]');

/** Persian-rug theory functions for `aecheck theory`. */
export const lossFunctions = [
  defineTheoryFunction({
    name: 'persianrug2024.symmetricOptimum',
    paper: 'persianrug2024',
    summary:
      'L*(r, p), the optimal symmetric loss, with its μ_s*, output scale A*, noise σ0, the high-sparsity asymptote and the baselines',
    params: z.strictObject({ r, p }),
    evaluate: (x) => {
      const opt = symmetricOptimum(x.r, x.p);
      return {
        loss: opt.loss,
        mu: opt.mu,
        scale: opt.scale,
        sigma: opt.sigma,
        asymptote: highSparsityAsymptote(x.r, x.p),
        ...baselines(x.r, x.p),
      };
    },
    example: { r: 0.5, p: 0.1 },
  }),
  defineTheoryFunction({
    name: 'persianrug2024.loss',
    paper: 'persianrug2024',
    summary: 'L(a, c, σ; p) from the large-scale statistics (diagonal a, effective bias c, noise σ)',
    params: z.strictObject({
      a: z.number().describe('diagonal a'),
      c: z.number().describe('effective bias c = b + μ'),
      sigma: z.number().min(0).describe('noise standard deviation σ ≥ 0'),
      p,
    }),
    evaluate: (x) => lossByQuadrature(x.a, x.c, x.sigma, x.p),
    example: { a: 1.2, c: -0.25, sigma: 0.12, p: 0.1 },
  }),
  defineTheoryFunction({
    name: 'persianrug2024.baselines',
    paper: 'persianrug2024',
    summary:
      'zero output p/3, best constant p/3 − p²/4, exact optimal linear (1 − r)(p/3 − p²/4), and the rank-bound noise variance',
    params: z.strictObject({ r, p }),
    evaluate: (x) => ({ ...baselines(x.r, x.p), rankBoundNoiseVariance: rankBoundNoiseVariance(x.r, x.p) }),
    example: { r: 0.5, p: 0.05 },
  }),
] as const;
