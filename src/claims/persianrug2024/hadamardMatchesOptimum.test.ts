import { describe, expect, it } from 'vitest';
import { getKernelSet } from '../../kernels/registry.ts';
import { runClaim } from '../runClaim.ts';
import { hadamardMatchesOptimum } from './hadamardMatchesOptimum.ts';

/** r is a numeric field (snapped to m = round(r·n) rows) and p·n ≥ 100 its regime (docs/regimes.md, Persian Rug maps). */
describe('persianrug2024.hadamard-matches-optimum over numeric r', () => {
  const run = async (params: { r: number; p: number; seed: number }, outsideRegime = false) =>
    runClaim(hadamardMatchesOptimum, { seed: 1, kernels: await getKernelSet('reference'), params, outsideRegime });

  it('snaps r to m = round(r·n) rows and passes inside its regime at an r that was not a choice before', async () => {
    const result = await run({ r: 0.3, p: 0.1, seed: 3 });
    expect(result.status).toBe('pass');
    if (result.status === 'pass') expect(result.measurement.details?.m).toBe(Math.round(0.3 * 1024));
  });

  it('fails below p·n ≈ 20, where the map finds every column failing; outside the regime only with --outside-regime', async () => {
    const params = { r: 0.7, p: 0.01, seed: 3 };
    expect(hadamardMatchesOptimum.regime?.holds(params)).toBe(false);
    expect((await run(params)).status).toBe('error');
    expect((await run(params, true)).status).toBe('fail');
  });
});
