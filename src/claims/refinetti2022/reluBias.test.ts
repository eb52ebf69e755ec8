import { expect, test } from 'vitest';
import { getKernelSet } from '../../kernels/registry.ts';
import { scaledTimeout } from '../../testing/scaledTimeout.ts';
import { runClaim } from '../runClaim.ts';
import { reluBias } from './reluBias.ts';

// Found by a loop of quick verifies with random seeds (seed 2094716836): the claim FAILed sgd-majority-improved, 2 of
// the 4 runs whose bias left 0 being ≥ 0.01 lower, 3 needed. Runs 1 and 4 are in the β ≈ 1 attractor, but the exact
// ODE from their weights ends only 0.0095 and 0.0096 lower than without a bias (t = 12800): the old 0.01 asked SGD
// for more than the theory predicts there. Run 3 is genuinely antipodal in SGD (|β| ≈ 4e-4 from 0.3 at t = 200, units
// on ±PC 1) while the ODE from the same weights reaches β ≈ 1.4: finite-D noise picked the other basin.
test('seed 2094716836: runs whose exact (ODE) gain is below 0.01 count as improved; the antipodal SGD run is left out', {
  timeout: scaledTimeout(300_000),
}, async () => {
  const result = await runClaim(reluBias, {
    seed: 2094716836,
    kernels: await getKernelSet('reference'),
    params: { seed: 11 },
  });
  expect(result.status).toBe('pass');
  if (result.status !== 'pass') return;
  const d = result.measurement.details ?? {};
  expect(d.sgdAntipodalRuns).toEqual([3]);
  expect(d.antipodalRunsOde).toBe(0);
  expect(d.runsNeeded).toBe(3);
  expect(d.runsImproved).toBe(4);
  const odeGap = d.odeGapPerRun as number[];
  const sgdGap = d.sgdGapPerRun as number[];
  // The theory's own gain in runs 1 and 4 is below the old threshold, and SGD follows it.
  for (const run of [1, 4]) {
    expect(odeGap[run]).toBeGreaterThan(0.009);
    expect(odeGap[run]).toBeLessThan(0.01);
    expect(sgdGap[run]).toBeGreaterThan(0.006);
    expect(sgdGap[run]).toBeLessThan(0.01);
  }
  // The antipodal SGD run: no gain at all (both networks on ±PC 1).
  expect(Math.abs(sgdGap[3])).toBeLessThan(1e-4);
});
