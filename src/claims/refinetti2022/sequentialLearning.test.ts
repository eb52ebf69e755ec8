import { describe, expect, test } from 'vitest';
import { getKernelSet } from '../../kernels/registry.ts';
import { runClaim } from '../runClaim.ts';
import { growthOverlaps, sequentialLearning } from './sequentialLearning.ts';
import { scaledTimeout } from '../../testing/scaledTimeout.ts';

describe('growthOverlaps', () => {
  test('Gram–Schmidt residuals of the modes (a + b)/2 over the units', () => {
    // K = 2 units, stride 3 directions; u_1 = (1, 0), u_2 = (0.6, 0.8) before the residual.
    const a = Float64Array.from([2, 1.2, 9, 0, 1.6, 9]);
    const b = new Float64Array(6);
    const o = growthOverlaps(a, b, 2, 3, 2);
    expect(o[0]).toBeCloseTo(1, 12);
    expect(o[1]).toBeCloseTo(0.8, 12);
  });
  test('a mode parallel to the earlier ones has no room left', () => {
    const a = Float64Array.from([1, 2, 1, 2]);
    const o = growthOverlaps(a, new Float64Array(4), 2, 2, 2);
    expect(o[1]).toBeCloseTo(0, 12);
  });
});

/** The claim at `params` on the reference kernels, with the verify seed `seed`. */
async function runOnReference(params: Record<string, unknown>, seed: number) {
  return runClaim(sequentialLearning, { seed, kernels: await getKernelSet('reference'), params });
}

describe('sequential-pcs on unlucky initial overlaps', () => {
  // Both failed with the initial std s in the step-time unit: a small overlap with PC 2 delays step 2.
  test(
    'step 2 of a run whose overlap with PC 2 is 0.069 s (η κ₂ t₂ was 4.9 ln(1/s)/φ; 2.6 ln(1/o₂)/φ)',
    async () => {
      const params = {
        activation: 'erf',
        rule: 'vanilla',
        spikes: 2,
        topSpike: 0.78,
        ratio: 4.88,
        bulk: 0.0138,
        learningRate: 0.113,
        initialScale: 0.05,
        seed: 1076,
      };
      const r = await runOnReference(params, 1048);
      expect(r.status).toBe('pass');
    },
    scaledTimeout(60_000),
  );
  test(
    'merged steps 2 and 3 (predicted 1.35× apart) leave plateau 2 unjudged',
    async () => {
      const params = {
        activation: 'erf',
        rule: 'vanilla',
        spikes: 3,
        topSpike: 0.7972868711221943,
        ratio: 3.1826445253633757,
        bulk: 0.01560347452098665,
        initialScale: 0.04406564007921639,
        learningRate: 0.13119070500859045,
        seed: 461179542,
      };
      const r = await runOnReference(params, 11);
      expect(r.status).toBe('pass');
      if (r.status !== 'pass') return;
      const details = r.measurement.details as { unresolvedPlateaus: number; predictedSeparation: number[] };
      expect(details.unresolvedPlateaus).toBe(1);
      expect(details.predictedSeparation[1]).toBeLessThan(2);
      expect(r.measurement.checks.map((c) => c.name)).not.toContain('plateau-2');
    },
    scaledTimeout(60_000),
  );
});
