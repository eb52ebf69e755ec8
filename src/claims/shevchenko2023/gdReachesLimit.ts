import { symmetricEigen } from '../../core/linalg.ts';
import { matrix } from '../../core/matrix.ts';
import { projectedGd } from '../../sim/shevchenko2023/projectedGd.ts';
import { C_SIGN, decoderScale, optimalRisk, shannonDistortion } from '../../theory/shevchenko2023/signRisk.ts';
import type { Check } from '../check.ts';
import { defineClaim, type MeasureContext, type ParamsOf } from '../claim.ts';
import { closeTo, relativeTo } from '../support/checks.ts';
import {
  BELOW_LIMIT_ROUND_OFF,
  checkpoints,
  codeLength,
  FINITE_D_GAP_CONSTANT,
  gapToLimitChecks,
  gaussianStart,
  type ProjectedGdFn,
} from './gdSetup.ts';
import { limitCurves } from './limitCurves.ts';
import { noOpProjectedGd } from './noOpOptimisers.ts';
import { requireFloat64 } from './requireFloat64.ts';

/**
 * r ≤ 1: GD converges to the exact limit; after the budget (800 iterations) the gap is round-off. The first iteration
 * with gap ≤ 1e-9 was at most 289 at n = d = 64 (150 seeds; n = d is the slow case, docs/regimes.md) and at most 264
 * over 1000 draws of r ∈ [0.25, 1], d ∈ [8, 64].
 */
const EXACT_GAP = 1e-9;
/** r ≤ 1 structure: rows orthonormal and A = √(2/π)B̂ᵀ to 1e-6 (measured ≤ 1e-15 at the end of the runs). */
const STRUCTURE_EXACT = 1e-6;
/** r > 1 structure: the d nonzero eigenvalues of B̂ᵀB̂ within ±SPECTRUM_BAND·r, and A ≈ αB̂ᵀ with α within ±ALPHA_BAND of
 * √(π/2)/(r + π/2 − 1). The bands measured at d = 100–200 (±1.5%, ±0.3%) are; at the quick d the tight-frame deviations are
 * O(1/√d) larger, so the bands scale as 1.5%·√(100/d) and 0.3%·(100/d) (empirical, measured at d = 24–60). */
const SPECTRUM_BAND_AT_100 = 0.015;
const ALPHA_BAND_AT_100 = 0.003;

/**
 * The regime: d ≥ 20, or r ≤ 2. Outside it the spectrum of B̂ᵀB̂ is not always flat within its band after the budget:
 * random initialisations at r ≥ 3 and d ≤ 16 end with max_j |λ_j/r − 1| 1.06–10× the band (quick scale, seeds 1–8 per
 * point: 2 of 6 runs at d = 8, r = 3.2; 1 of 6 at d = 11, r = 3.2; 1 of 8 at d = 13, r = 3.5 and 4; 1 of 8 at d = 16,
 * r = 4; none of 24 at d = 20, r = 3–4), a failure of a few seeds that the one-sample (r, d) map of docs/regimes.md
 * cannot see and its four-sample map locates.
 */
const REGIME_MIN_DIM = 20;
const REGIME_MAX_RATE_SMALL_D = 2;
/**
 * The regime also leaves out the realised rates just above 1, 1 < n/d < 1.2, at every d. There (n = d + 1, d + 2, …)
 * projected GD from a Gaussian start is drawn to a saddle: one row of B̂ orthogonal to all the others (an eigenvalue 1
 * of B̂ᵀB̂, so λ/r = d/n) and the other n − 1 rows a tight frame of its complement. The gradient keeps that split, so GD
 * stays near it until the unstable direction grows: at n = d + 1 it leaves after 1.5–12.5× the quick budget (seeds 1–20,
 * d = 8–40), then reaches the equiangular tight frame. The gap check cannot see the saddle (d = 16, n = 17: 5.4e-5 above
 * R_opt there, 1.6e-5 at the frame, allowance 4.0e-3); the spectrum check fails on it: at the quick budget 20 of 20 runs
 * at n = d + 1 for d = 20–40, 8–18 of 20 at d = 8–16, falling to 1 of 40 at n/d = 1.167 (d = 12) and none of the
 * runs at n/d ≥ 1.18 (counts in docs/regimes.md). Rates with n = d stay in: there r = 1, where the limit is exact.
 */
const NEAR_ONE_MIN_RATE = 1.2;

const domain = {
  rate: {
    kind: 'float',
    min: 0.25,
    max: 4,
    log: true,
    doc: 'rate r = n/d; the code length n = max(1, round(r·d)) is snapped to an integer, and the claim is judged at the snapped rate n/d',
  },
  dim: {
    kind: 'int',
    min: 8,
    max: 128,
    log: true,
    doc: 'input dimension d (quick-scale draws: 8–64; paper scale: run 0 at d = 100)',
  },
  seed: { kind: 'seed', doc: 'seed of the Gaussian initialisation' },
} as const;

/** The record points of the risk curve (the iteration budget scales with r). */
const RECORD = [0, 1, 2, 5, 10, 20, 50, 100, 150, 200, 300, 500, 1000, 1500, 2000, 3000];

function measureWith(deps: { gd: ProjectedGdFn }) {
  return (params: ParamsOf<typeof domain>, ctx: MeasureContext<{ iterations: number }>) => {
    requireFloat64(ctx.kernels.precision);
    const {
      d,
      n,
      decoder: a0,
      encoder: b0,
    } = gaussianStart({ dim: params.dim, rate: params.rate, rng: ctx.rng.fork(params.seed) });
    // The rate the code length realises: every prediction below is made at n/d, not at the requested r.
    const r = n / d;
    // The spectrum flattens more slowly at larger r (measured: 662 iterations to a 1e-3 gap at d = 200, r = 4, about 100 at
    // r ≤ 2), so the budget scales with r.
    const its = Math.round(ctx.sizes.iterations * Math.max(1, r));
    const res = deps.gd({
      decoder: a0,
      encoder: b0,
      iterations: its,
      record: checkpoints(its, RECORD),
      kernels: ctx.kernels,
      progress: ctx.progress,
    });
    const limit = optimalRisk(n / d);
    const final = res.risk[res.risk.length - 1];
    const gap = final - limit;
    const b = res.encoder;
    const a = res.decoder;
    const checks: Check[] = gapToLimitChecks({ risk: final, rate: n / d, d, exactGap: EXACT_GAP });
    if (r <= 1) {
      let mDev = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k < d; k++) s += b.data[i * d + k] * b.data[j * d + k];
          mDev = Math.max(mDev, Math.abs(s - (i === j ? 1 : 0)));
        }
      }
      let num = 0;
      let den = 0;
      for (let i = 0; i < d; i++) {
        for (let k = 0; k < n; k++) {
          num += (a.data[i * n + k] - C_SIGN * b.data[k * d + i]) ** 2;
          den += a.data[i * n + k] ** 2;
        }
      }
      checks.push(
        closeTo('rows-orthonormal', mDev, 0, { atol: STRUCTURE_EXACT, metric: 'max |B̂B̂ᵀ − I|' }),
        closeTo('decoder-tied', Math.sqrt(num / den), 0, { atol: STRUCTURE_EXACT, metric: '‖A − √(2/π)B̂ᵀ‖_F/‖A‖_F' }),
      );
    } else {
      const btb = matrix(d, d);
      for (let i = 0; i < d; i++)
        for (let j = 0; j < d; j++) {
          let s = 0;
          for (let k = 0; k < n; k++) s += b.data[k * d + i] * b.data[k * d + j];
          btb.data[i * d + j] = s;
        }
      const { values } = symmetricEigen(btb);
      const spectrumBand = SPECTRUM_BAND_AT_100 * Math.sqrt(100 / d);
      const spread = Math.max(...Array.from(values, (v) => Math.abs(v / r - 1)));
      // α by least squares: α = <A, B̂ᵀ>/‖B̂‖².
      let ab = 0;
      let bb = 0;
      for (let i = 0; i < d; i++)
        for (let k = 0; k < n; k++) {
          ab += a.data[i * n + k] * b.data[k * d + i];
          bb += b.data[k * d + i] ** 2;
        }
      const alpha = ab / bb;
      checks.push(
        closeTo('spectrum-flat', spread, 0, { atol: spectrumBand, metric: 'max_j |λ_j(B̂ᵀB̂)/r − 1|' }),
        relativeTo('decoder-scale', alpha, decoderScale(r), ALPHA_BAND_AT_100 * (100 / d)),
      );
    }
    return {
      checks,
      details: { rate: r, d, n, gap, iterations: its, startRisk: res.risk[0] },
      plots: [
        {
          kind: 'line' as const,
          id: 'risk-vs-iterations',
          title: `Projected GD, r = ${r}, d = ${d}: risk against iterations`,
          x: { label: 'iteration + 1', log: true },
          y: { label: 'risk R' },
          series: [
            { name: 'GD', x: res.iterations.map((t) => t + 1), y: res.risk, style: 'points' as const },
            { name: 'R_opt(r)', x: [1, its + 1], y: [limit, limit], style: 'dashed' as const },
            {
              name: 'Shannon 2^(−2r)',
              x: [1, its + 1],
              y: [shannonDistortion(r), shannonDistortion(r)],
              style: 'dashed' as const,
            },
          ],
        },
        limitCurves({ name: `GD end point (d = ${d})`, rate: n / d, risk: final }),
      ],
    };
  };
}

/**
 * docs/theory-shevchenko2023.md (S11a): projected GD on the closed-form risk from Gaussian initialisation reaches
 * R_opt(r), with the predicted structure: orthonormal rows and A = √(2/π)B̂ᵀ for r ≤ 1; a flat spectrum of B̂ᵀB̂ at r
 * and A ≈ αB̂ᵀ for r > 1.
 */
export const gdReachesLimit = defineClaim({
  id: 'shevchenko2023.gd-reaches-limit',
  paper: 'shevchenko2023',
  title: 'Projected gradient descent reaches R_opt(r) with the predicted structure',
  statement:
    'Projected GD on the population risk (step 0.05 on L = dR, rows renormalised) from Gaussian initialisation, at input dimension d and rate r = n/d (n = round(r·d): the rate is snapped to an integer code length and judged at n/d), reaches R_opt(r) exactly for r ≤ 1 (rows orthonormal, A = √(2/π)B̂ᵀ) and within the finite-d gap 0.06·r/d for r > 1 (spectrum of B̂ᵀB̂ flat at r, A ≈ αB̂ᵀ with α = √(π/2)/(r + π/2 − 1)). Regime: d ≥ 20 or r ≤ 2, and n/d not in (1, 1.2), located by the (r, d) maps and seed counts in docs/regimes.md (r ∈ [0.25, 4], d ∈ [8, 64]); the gap itself held everywhere measured, but at r ≥ 3 and d ≤ 16 some initialisations end with a spectrum that is not flat within its band, and just above r = 1 most initialisations are still at a saddle (one row orthogonal to the others, spectrum not flat) when the budget ends.',
  source: {
    paper: 'shevchenko2023',
    where: 'docs/theory-shevchenko2023.md (S11a)',
    confidence: 'NUM',
    note: 'the paper says "gradient methods"; the exact algorithm is [REC]',
  },
  kind: 'numerical',
  domain,
  regime: {
    description: `(d ≥ ${REGIME_MIN_DIM} or r ≤ ${REGIME_MAX_RATE_SMALL_D}) and not 1 < n/d < ${NEAR_ONE_MIN_RATE} (docs/regimes.md: at r ≥ 3 and d ≤ 16 some initialisations end with a spectrum not flat within its band; just above r = 1 GD lingers at a saddle, one row orthogonal to the rest, beyond the budget)`,
    holds: (p) => {
      const realised = codeLength(p.dim, p.rate) / p.dim;
      const nearOne = realised > 1 && realised < NEAR_ONE_MIN_RATE;
      return !nearOne && (p.dim >= REGIME_MIN_DIM || p.rate <= REGIME_MAX_RATE_SMALL_D);
    },
  },
  defaults: { rate: 2, dim: 24, seed: 8 },
  tolerance: {
    description: `gap ≤ ${EXACT_GAP} (r ≤ 1) or ≤ ${FINITE_D_GAP_CONSTANT}·r/d (r > 1) and ≥ −${BELOW_LIMIT_ROUND_OFF}; structure within the stated bands`,
    reason:
      'round-off for r ≤ 1; for r > 1 the finite-d optimum lies Θ(1/d) above R_opt and GD beats the Haar frame (docs/theory-shevchenko2023.md (S8), §8); below R_opt only by round-off (LB)',
  },
  budget: {
    // Quick draws stay at d ≤ 64 (the range the maps of docs/regimes.md cover, cheap in CI); paper scale starts at the
    // d = 100 this claim used before d became a domain field, and draws over the whole domain.
    quick: { runs: 6, sizes: { iterations: 800 }, ranges: { dim: { min: 8, max: 64 } } },
    paper: { runs: 6, sizes: { iterations: 1500 }, defaults: { dim: 100 } },
  },
  measure: measureWith({ gd: projectedGd }),
  controls: [
    {
      name: 'no-op-optimiser',
      description: 'a GD that returns its Gaussian start',
      measure: measureWith({ gd: noOpProjectedGd }),
      catches: ['gap'],
    },
  ],
});
