import { describe, expect, it } from 'vitest';
import { getKernelSet } from '../../kernels/registry.ts';
import { runClaim } from '../runClaim.ts';
import { runControl } from '../runControl.ts';
import { rugScalarsTrained } from './rugScalarsTrained.ts';
import { scaledTimeout } from '../../testing/scaledTimeout.ts';

/** The regime p ≥ 0.2 and r ≥ 0.15, corrected by the map over (r, p) in docs/regimes.md ("Persian Rug maps"). */
describe('persianrug2024.rug-scalars-trained in its corrected regime', () => {
  const run = async (params: { r: number; p: number; seed: number }, outsideRegime = false) =>
    runClaim(rugScalarsTrained, { seed: params.seed, kernels: await getKernelSet('reference'), params, outsideRegime });

  it('passes on the new edge r = 0.15 (m = 38 rows at the quick n = 256)', {
    timeout: scaledTimeout(300_000),
  }, async () => {
    const result = await run({ r: 0.15, p: 0.2, seed: 1 });
    expect(result.status).toBe('pass');
  });

  it('fails at r = 0.05 (m = 13), where the map found it failing: outside the regime only with --outside-regime', {
    timeout: scaledTimeout(300_000),
  }, async () => {
    const params = { r: 0.05, p: 0.4, seed: 2 };
    expect(rugScalarsTrained.regime?.holds(params)).toBe(false);
    expect((await run(params)).status).toBe('error');
    const result = await run(params, true);
    expect(result.status).toBe('fail');
    // A stops near 0.15, about 3 a*: training, not the prediction, is what breaks at small m.
    if (result.status === 'fail')
      expect(result.measurement.details?.a).toBeGreaterThan(2 * Number(result.measurement.details?.aStar));
  });

  it('its negative control (no Adam step) fails on the new edge', { timeout: scaledTimeout(300_000) }, async () => {
    const kernels = await getKernelSet('reference');
    for (const control of rugScalarsTrained.controls ?? []) {
      const outcome = await runControl(
        rugScalarsTrained,
        { ...control, params: { r: 0.15, p: 0.2 } },
        { seed: 1, kernels },
      );
      expect(outcome.caught, outcome.why).toBe(true);
    }
  });
});
