/** The example claim under vitest, as a user's project would run it: a fast-check property plus its control. */
import { describe, expect, test } from 'vitest';
import { getKernelSet, runControl } from '../../src/index.ts';
import { claimProperty } from '../../src/vitest.ts';
import { linearPcaSubspace } from './claims.ts';

describe('examples: linear autoencoder learns PCA', () => {
  claimProperty(linearPcaSubspace, { numRuns: 4 });
  test('its negative control fails', async () => {
    const kernels = await getKernelSet('reference');
    for (const control of linearPcaSubspace.controls ?? []) {
      const outcome = await runControl(linearPcaSubspace, control, { seed: 3, kernels });
      expect(outcome.caught, outcome.why).toBe(true);
    }
  });
});
