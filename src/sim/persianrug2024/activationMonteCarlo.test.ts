import { describe, expect, test } from 'vitest';
import { createRng } from '../../core/rng.ts';
import { normalPdf } from '../../core/special.ts';
import { activationLossesMonteCarlo, offStratumNoiseScale, posteriorMean } from './activationMonteCarlo.ts';

/**
 * E[x | y] by brute force: the prior's atom at 0 and composite Simpson over u ∈ [0, 1] with 20 000 intervals (relative
 * error below 1e-12 for σ = 0.1, where the integrand's log-slope is at most (|y| + 1)/σ² ≈ 160).
 */
function bruteForcePosteriorMean(p: number, sigma: number, y: number): number {
  const steps = 20_000;
  let on = 0;
  let onTimesU = 0;
  for (let k = 0; k <= steps; k++) {
    const u = k / steps;
    const simpson = k === 0 || k === steps ? 1 : k % 2 === 1 ? 4 : 2;
    const w = (simpson * normalPdf((y - u) / sigma)) / sigma / (3 * steps);
    on += w;
    onTimesU += u * w;
  }
  const off = normalPdf(y / sigma) / sigma;
  return (p * onTimesU) / ((1 - p) * off + p * on);
}

describe('posteriorMean', () => {
  // σ = 0.1 keeps the midpoint rule's error below 1e-8 (200 intervals per σ); y inside, at the edges and outside [0, 1].
  for (const [p, y, sigmaOrDefault] of [
    [0.05, 0.5],
    [0.05, 0.02],
    [0.001, 0.3],
    [0.3, -0.25],
    [0.3, 1.2],
    [0.5, 0.97],
    // σ = 0.5: both tails of the on-mass are large, so either branch's difference of Φ must be a difference.
    [0.3, 0.2, 0.5],
    [0.3, 0.8, 0.5],
  ]) {
    test(`matches a brute-force integral over the prior at p = ${p}, y = ${y}, σ = ${sigmaOrDefault ?? 0.1}`, () => {
      const sigma = sigmaOrDefault ?? 0.1;
      const expected = bruteForcePosteriorMean(p, sigma, y);
      expect(Math.abs(posteriorMean(p, sigma)(y) - expected)).toBeLessThan(1e-9 * expected);
    });
  }

  test('keeps its digits far outside [0, 1], where the on-mass is a difference of two small tails', () => {
    // At y = −0.6 (6σ below 0) the on-mass is Φ(−6) − Φ(−16) ≈ 9.9e-10, a difference of two upper tails.
    const m = posteriorMean(0.5, 0.1);
    const v = m(-0.6);
    expect(v).toBeGreaterThan(0);
    expect(Math.abs(v / bruteForcePosteriorMean(0.5, 0.1, -0.6) - 1)).toBeLessThan(1e-9);
    expect(Math.abs(m(1.6) / bruteForcePosteriorMean(0.5, 0.1, 1.6) - 1)).toBeLessThan(1e-9);
  });
});

describe('activationLossesMonteCarlo', () => {
  test('JumpReLU with a threshold above every y has loss E[x²] = p/3 (within 4 SE)', () => {
    const p = 0.2;
    const mc = activationLossesMonteCarlo({ p, sigma: 0.05, theta: 1e9, samples: 20_000, rng: createRng(3) });
    expect(Math.abs(mc.jumpRelu.mean - p / 3)).toBeLessThan(4 * mc.jumpRelu.standardError);
    expect(mc.samplesPerStratum).toBe(20_000);
  });

  test('JumpReLU with threshold −∞ (the identity) has loss σ² (within 4 SE)', () => {
    const sigma = 0.07;
    const mc = activationLossesMonteCarlo({ p: 0.01, sigma, theta: -1e9, samples: 20_000, rng: createRng(4) });
    expect(Math.abs(mc.jumpRelu.mean - sigma * sigma)).toBeLessThan(4 * mc.jumpRelu.standardError);
  });

  test('the Bayes estimate of a decoder that outputs 0 is E[x²] = p/3 (within 4 SE)', () => {
    const p = 0.01;
    const mc = activationLossesMonteCarlo({
      p,
      sigma: 0.1,
      theta: 0,
      samples: 20_000,
      rng: createRng(5),
      posterior: () => 0,
    });
    expect(Math.abs(mc.bayes.mean - p / 3)).toBeLessThan(4 * mc.bayes.standardError);
  });

  test('a constant decoder c has loss (1 − p)c² + p·E[(u − c)²]: the importance weights average to 1 (within 4 SE)', () => {
    // The x = 0 stratum's value c² is multiplied by importance weights, so this tests that they are φ/q, not just ≤ 2.
    const p = 1e-3;
    const c = 0.5;
    const mc = activationLossesMonteCarlo({
      p,
      sigma: 0.1,
      theta: 0,
      samples: 20_000,
      rng: createRng(6),
      posterior: () => c,
    });
    const expected = (1 - p) * c * c + p * (1 / 3 - c + c * c);
    expect(Math.abs(mc.bayes.mean - expected)).toBeLessThan(4 * mc.bayes.standardError);
    expect(mc.bayes.standardError).toBeGreaterThan(0);
  });

  test('the wide half of the noise mixture grows like √(2 ln(1/p))', () => {
    expect(offStratumNoiseScale(1e-3)).toBeCloseTo(1 + Math.sqrt(2 * Math.log(1000)), 12);
    expect(offStratumNoiseScale(0.5)).toBeGreaterThan(1);
  });

  test('its standard error matches the spread of the estimate over 40 seeds (p = 0.5, where the weights (1 − p)² and p² differ from (1 ± p)²)', () => {
    const means: number[] = [];
    let se = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const mc = activationLossesMonteCarlo({ p: 0.5, sigma: 0.3, theta: 0.3, samples: 2000, rng: createRng(seed) });
      means.push(mc.bayes.mean);
      se += mc.bayes.standardError / 40;
    }
    const m = means.reduce((a, b) => a + b, 0) / means.length;
    const sd = Math.sqrt(means.reduce((a, b) => a + (b - m) ** 2, 0) / (means.length - 1));
    // 40 seeds estimate the spread to about 11%: the ratio must lie within 3 of those of 1.
    expect(se / sd).toBeGreaterThan(0.65);
    expect(se / sd).toBeLessThan(1.35);
  });

  test('accepts 2 samples per stratum, the fewest with a sample variance', () => {
    const mc = activationLossesMonteCarlo({ p: 0.1, sigma: 0.1, theta: 0, samples: 2, rng: createRng(1) });
    expect(Number.isFinite(mc.bayes.standardError)).toBe(true);
  });

  test('rejects fewer than 2 samples per stratum, naming the value', () => {
    expect(() => activationLossesMonteCarlo({ p: 0.1, sigma: 0.1, theta: 0, samples: 1, rng: createRng(1) })).toThrow(
      /samples must be an integer ≥ 2.*received 1/,
    );
    expect(() => activationLossesMonteCarlo({ p: 0.1, sigma: 0.1, theta: 0, samples: 2.5, rng: createRng(1) })).toThrow(
      /received 2.5/,
    );
  });
});
