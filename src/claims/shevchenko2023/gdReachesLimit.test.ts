import { describe, expect, test } from 'vitest';
import { getKernelSet } from '../../kernels/registry.ts';
import { runClaim } from '../runClaim.ts';
import { gdReachesLimit } from './gdReachesLimit.ts';

// Found by a loop of quick verifies with random seeds (seed 1402731202): d = 16, r = 1.0825 snaps to n = 17, and projected
// GD ends the quick budget at a saddle, one row of B̂ orthogonal to the 16 others, so B̂ᵀB̂ has the eigenvalue 1 = r·16/17
// and `spectrum-flat` reads 1/17. The run was inside the regime then; the regime now leaves out 1 < n/d < 1.2
// (docs/regimes.md).
const FOUND = { seed: 1402731202, params: { dim: 16, rate: 1.0824947338805107, seed: 645267930 } };

describe('shevchenko2023.gd-reaches-limit just above r = 1', () => {
  test('the replayed run is outside the regime, and verify says so instead of failing', async () => {
    const result = await runClaim(gdReachesLimit, { ...FOUND, kernels: await getKernelSet('reference') });
    expect(result.status).toBe('error');
    if (result.status !== 'error') return;
    expect(result.error.message).toMatch(/regime/);
    expect(result.error.message).toMatch(/1 < n\/d < 1\.2/);
  });

  test('run anyway, it fails only the spectrum, at the saddle value 1/n (GD has not left the saddle)', async () => {
    const result = await runClaim(gdReachesLimit, {
      ...FOUND,
      outsideRegime: true,
      kernels: await getKernelSet('reference'),
    });
    expect(result.status).toBe('fail');
    if (result.status !== 'fail') return;
    const failed = result.measurement.checks.filter((c) => !c.pass).map((c) => c.name);
    expect(failed).toEqual(['spectrum-flat']);
    const spectrum = result.measurement.checks.find((c) => c.name === 'spectrum-flat');
    // The isolated row: min λ/r = d/n, so max |λ/r − 1| = 1/17 (measured 0.058822; the other rows sit at 16/15).
    expect(spectrum?.observed).toBeCloseTo(1 / 17, 4);
  });

  test('the regime edge is at the realised rate n/d: n = d (r = 1) and n/d = 1.2 are in, n = d + 1 is out', () => {
    const holds = gdReachesLimit.regime?.holds;
    expect(holds).toBeDefined();
    if (!holds) return;
    expect(holds({ dim: 16, rate: 1.02, seed: 1 })).toBe(true); // n = 16
    expect(holds({ dim: 16, rate: 1.0825, seed: 1 })).toBe(false); // n = 17
    expect(holds({ dim: 64, rate: 1.19, seed: 1 })).toBe(false); // n = 76, n/d = 1.1875
    expect(holds({ dim: 10, rate: 1.2, seed: 1 })).toBe(true); // n = 12
    expect(holds({ dim: 40, rate: 1.21, seed: 1 })).toBe(true); // n = 48, n/d = 1.2
  });
});
