/**
 * A synthetic claim with a known boundary, for the tests of `explore` and as a demonstration:
 * `npx aecheck explore --claims src/explore/productClaim.ts --claim synthetic.product --axes x,y`.
 */
import { defineClaim } from '../claims/claim.ts';
import { atMost } from '../claims/support/checks.ts';

/** Standard deviation of the noisy variant's observed log(x·y) (small next to the axes' range of log 100² ≈ 9.2). */
export const NOISE_SD = 0.05;

/** Synthetic claim: passes iff x·y ≤ 1 on [0.1, 10]² (log axes), checked as log(x·y) ≤ 0. */
export const productClaim = defineClaim({
  id: 'synthetic.product',
  paper: 'synthetic',
  title: 'x·y ≤ 1',
  statement: 'A synthetic claim with a known boundary: passes iff x·y ≤ 1 (identity of the test, no control).',
  source: { paper: 'synthetic', where: 'test', confidence: 'DER' },
  kind: 'exact',
  domain: {
    x: { kind: 'float', min: 0.1, max: 10, log: true, doc: 'x' },
    y: { kind: 'float', min: 0.1, max: 10, log: true, doc: 'y' },
    noise: { kind: 'float', min: 0, max: 1, doc: 'standard deviation of the noise on log(x·y)' },
    mode: { kind: 'choice', values: ['a', 'b'], doc: 'unused choice' },
    seed: { kind: 'seed', doc: 'seed of the noise' },
  },
  defaults: { x: 1, y: 1, noise: 0, mode: 'a', seed: 0 },
  tolerance: { description: 'log(x·y) ≤ 0', reason: 'the synthetic boundary' },
  budget: { quick: { runs: 1, sizes: {} }, paper: { runs: 1, sizes: {} } },
  noControlReason: 'synthetic',
  // atMost(o, bound −1, slack 1) has error o + 1 and allowed 1: ratio = o + 1 ≤ 1 iff o ≤ 0 iff x·y ≤ 1.
  measure: (p, ctx) => ({
    checks: [atMost('product', Math.log(p.x * p.y) + p.noise * ctx.rng.normal(), -1, 1)],
  }),
});

/** Where {@link productRegimeClaim} asserts that it holds: x·y ≤ 1/4 (well inside its PASS region x·y ≤ 1). */
export const PRODUCT_REGIME_BOUND = 0.25;

/** The same claim with a declared regime x·y ≤ 1/4, for the tests of the regime edge on maps. */
export const productRegimeClaim = defineClaim({
  ...productClaim,
  id: 'synthetic.product-regime',
  title: 'x·y ≤ 1, asserted where x·y ≤ 1/4',
  statement: 'The synthetic x·y ≤ 1 claim with a declared regime x·y ≤ 1/4 (identity of the test, no control).',
  regime: { description: `x·y ≤ ${PRODUCT_REGIME_BOUND}`, holds: (p) => p.x * p.y <= PRODUCT_REGIME_BOUND },
  defaults: { x: 0.25, y: 0.25, noise: 0, mode: 'a', seed: 0 },
});

/** The module form `--claims` loads. */
export const claims = [productClaim, productRegimeClaim];
