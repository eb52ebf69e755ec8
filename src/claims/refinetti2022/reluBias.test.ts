import { expect, test } from 'vitest';
import { getKernelSet } from '../../kernels/registry.ts';
import { scaledTimeout } from '../../testing/scaledTimeout.ts';
import { runClaim } from '../runClaim.ts';
import { createRng } from '../../core/rng.ts';
import { biasSettled, continuationSamples, reluBias } from './reluBias.ts';

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

// Found by the tenth session's fresh-clone `npm test` (the README's verify draws a seed): seed 3086947857 FAILed
// sgd-majority-improved, 2 of 4 where 3 were needed. Runs 3 and 4 were still on the half-rectified plateau at t = 800,
// both networks (ε 0.240 with the bias, 0.258 without; 0.242 and 0.252), their biases between the attractors
// (β 0.33–0.45): a long-time claim read before the long time. Such runs now run on until the bias settles.
test('seed 3086947857: the two runs still on the plateau at t = 800 run on until their bias settles, then count', {
  timeout: scaledTimeout(300_000),
}, async () => {
  const result = await runClaim(reluBias, {
    seed: 3086947857,
    kernels: await getKernelSet('reference'),
    params: { seed: 11 },
  });
  expect(result.status).toBe('pass');
  if (result.status !== 'pass') return;
  const d = result.measurement.details ?? {};
  expect(d.sgdRunsExtended).toEqual([3, 4]);
  expect(d.sgdAntipodalRuns).toEqual([1]);
  expect(d.runsNeeded).toBe(3);
  expect(d.runsImproved).toBe(4);
  const bias = d.finalEffectiveBias as number[];
  // Both extended runs end in the β ≈ 1 attractor, below ε_PCA(1) with the bias.
  for (const run of [3, 4]) {
    expect(Math.min(Math.abs(bias[2 * run]), Math.abs(bias[2 * run + 1]))).toBeGreaterThanOrEqual(0.8);
    expect((d.errorWithBias as number[])[run]).toBeLessThan((d.pca1PerRun as number[])[run]);
  }
});

test('a bias is settled when every |β| is below 0.05 (antipodal) or every |β| is at least 0.8 (β ≈ 1), not otherwise', () => {
  expect(biasSettled(undefined)).toBe(true);
  expect(biasSettled([0.01, -0.03])).toBe(true);
  expect(biasSettled([0.95, -1.1])).toBe(true);
  expect(biasSettled([0.33, 0.45])).toBe(false); // seed 3086947857's runs 3 and 4
  expect(biasSettled([0.9, 0.5])).toBe(false); // one unit on its way
  expect(biasSettled([0.01, 0.9])).toBe(false); // one unit in each
  expect(biasSettled([0.05, 0.01])).toBe(false); // 0.05 is not below the antipodal threshold
});

test("a continuation's samples are a stream of their own: neither the first phase's nor another continuation's", () => {
  const run = createRng(7).fork('run');
  const first = (r: ReturnType<typeof createRng>) => [r.normal(), r.normal(), r.normal()];
  const a = first(continuationSamples(run, 800));
  expect(a).not.toEqual(first(run.fork('samples')));
  expect(a).not.toEqual(first(continuationSamples(run, 1600)));
  expect(a).toEqual(first(continuationSamples(run, 800)));
});
