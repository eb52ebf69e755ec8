import { describe, expect, test } from 'vitest';
import { getKernelSet } from '../../kernels/registry.ts';
import { runClaim } from '../runClaim.ts';
import { gdFeatures } from './gdFeatures.ts';

// Found by a loop of quick verifies with random seeds (seed 367581554): at r = 1 (n = d = 40) projected GD lingered at
// the saddle where the 40 rows of B̂ span 39 dimensions (gap 0.0105–0.0095 for iterations 100–150; the saddle value is 0.0102) and was still converging
// when the fixed budget of 300 iterations ended: gap 1.40e-9 against the allowed 1e-9. At 304 iterations it is below
// 1e-9, at 350 5.8e-12 (docs/shevchenko2023.md).
const FOUND = { seed: 367581554, params: { rate: '1', seed: 403413772 } };

describe('shevchenko2023.gd-features-delocalised at r = 1, a slow start', () => {
  test('the replayed run passes: GD continues one chunk past the budget and ends on the limit', async () => {
    const result = await runClaim(gdFeatures, { ...FOUND, kernels: await getKernelSet('reference') });
    expect(result.status).toBe('pass');
    if (result.status !== 'pass') return;
    const details = result.measurement.details as { iterations: number; gapAtBudget: number };
    // After the 300-iteration budget the gap is still above 1e-9 (1.40e-9), so the stopping rule runs 50 more.
    expect(details.gapAtBudget).toBeGreaterThan(1e-9);
    expect(details.gapAtBudget).toBeLessThan(2e-9);
    expect(details.iterations).toBe(350);
    const gap = result.measurement.checks.find((c) => c.name === 'gap');
    expect(gap?.error).toBeLessThan(1e-10);
  });

  test('a start that converges within the budget runs exactly the budget', async () => {
    const result = await runClaim(gdFeatures, {
      seed: FOUND.seed,
      params: { rate: '1', seed: 403413773 },
      kernels: await getKernelSet('reference'),
    });
    expect(result.status).toBe('pass');
    if (result.status !== 'pass') return;
    const details = result.measurement.details as { iterations: number; gapAtBudget: number };
    expect(details.iterations).toBe(300);
    expect(details.gapAtBudget).toBeLessThanOrEqual(1e-9);
  });
});
