import { describe, expect, it } from 'vitest';
import { getKernelSet } from '../../kernels/registry.ts';
import { runClaim } from '../runClaim.ts';
import { runControl } from '../runControl.ts';
import { highSparsityScaling } from './highSparsityScaling.ts';

/** The corrected regime p ≤ 2e-3·r, located by the map in docs/regimes.md ("Persian Rug maps"). */
describe('persianrug2024.high-sparsity-scaling in its corrected regime p ≤ 2e-3·r', () => {
  const run = async (params: { r: number; p: number }, outsideRegime = false) =>
    runClaim(highSparsityScaling, { seed: 1, kernels: await getKernelSet('reference'), params, outsideRegime });

  it.each([
    { r: 0.05, p: 1e-4 }, // on the regime edge at the smallest r
    { r: 0.1, p: 1.5e-4 }, // outside the old regime ((1/r − 1)·p = 1.35e-3 > 1e-3), inside the new one
    { r: 0.6, p: 1.2e-3 }, // on the edge, where the ratio is highest (1.022)
    { r: 0.9, p: 1.8e-3 }, // on the edge at the largest r, above the old domain's p ≤ 1e-3
    { r: 0.5, p: 1e-6 }, // the smallest p
  ])('passes inside it: %j', async (params) => {
    expect(highSparsityScaling.regime?.holds(params)).toBe(true);
    const result = await run(params);
    expect(result.status, JSON.stringify(result)).toBe('pass');
  });

  it.each([
    { r: 0.5, p: 2e-3 }, // p/r = 4e-3, above the boundary the map locates at p/r ≈ 3.3e-3 (r ≈ 0.57)
    { r: 0.05, p: 3e-4 }, // p/r = 6e-3, above 5.1e-3 at r = 0.05
    { r: 0.9, p: 4e-3 }, // p/r = 4.4e-3, above 3.9e-3 at r = 0.9
  ])('fails beyond the boundary the map located, where the regime says it need not hold: %j', async (params) => {
    expect(highSparsityScaling.regime?.holds(params)).toBe(false);
    expect((await run(params)).status).toBe('error'); // refused: outside the regime
    const result = await run(params, true);
    expect(result.status).toBe('fail');
    if (result.status === 'fail')
      expect(result.measurement.checks.find((c) => !c.pass)?.name).toBe('ratio-to-asymptote');
  });

  it.each([
    { r: 0.5, p: 1e-4 },
    { r: 0.05, p: 1e-4 },
    { r: 0.9, p: 1.8e-3 },
  ])(
    'its negative control (the linear loss in place of L*) fails in both checks inside the regime: %j',
    async (params) => {
      const kernels = await getKernelSet('reference');
      for (const control of highSparsityScaling.controls ?? []) {
        const outcome = await runControl(highSparsityScaling, { ...control, params }, { seed: 1, kernels });
        expect(outcome.caught, outcome.why).toBe(true);
      }
    },
  );
});
