import { expect, test } from 'vitest';
import { createRng } from '../../core/rng.ts';
import { getKernelSet } from '../../kernels/registry.ts';
import { runClaim } from '../runClaim.ts';
import { sheppardArcsin } from './sheppardArcsin.ts';
import { unitVectorsWithOverlap } from './unitVectors.ts';

// The claims that use these vectors allow 8·d ulps (of 1) between the built u·v and the requested overlap.
test('u and v are unit vectors with u·v = rho to 8·d ulps, also when the draw of w is nearly parallel to u', () => {
  const rng = createRng(20261130);
  let worst = 0;
  for (let trial = 0; trial < 20_000; trial++) {
    const d = 2 + (trial % 4);
    const rho = 2 * rng.uniform() - 1;
    const { u, v, overlap } = unitVectorsWithOverlap(d, rho, rng.fork(`t${trial}`));
    let uu = 0;
    let vv = 0;
    let uv = 0;
    for (let i = 0; i < d; i++) {
      uu += u[i] * u[i];
      vv += v[i] * v[i];
      uv += u[i] * v[i];
    }
    expect(overlap).toBe(uv);
    expect(Math.abs(uu - 1)).toBeLessThanOrEqual(8 * Number.EPSILON);
    expect(Math.abs(vv - 1)).toBeLessThanOrEqual(8 * Number.EPSILON);
    worst = Math.max(worst, Math.abs(overlap - rho) / (d * Number.EPSILON));
  }
  expect(worst).toBeLessThanOrEqual(8); // measured 1.25 with two passes; one pass fails the norms above
});

// Found by a random-seed `npx aecheck verify` (seed 1016369473): one Gram–Schmidt pass at d = 2 built u·v 142.8 ulps
// away from the requested 0.4772, and `overlap-as-requested` FAILed although Sheppard's identity held.
test('replay of seed 1016369473: the overlap is built as requested', async () => {
  const result = await runClaim(sheppardArcsin, {
    seed: 1016369473,
    kernels: await getKernelSet('reference'),
    params: { dim: 2, overlap: 0.47720507958241576, vectorSeed: 3965434873 },
  });
  expect(result.status).toBe('pass');
});
