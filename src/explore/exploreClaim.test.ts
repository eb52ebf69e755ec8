import { describe, expect, it } from 'vitest';
import { runClaim } from '../claims/runClaim.ts';
import { ValidationError } from '../core/errors.ts';
import { getKernelSet } from '../kernels/registry.ts';
import { type Evaluator, type ExploreMap, exploreClaim } from './exploreClaim.ts';
import { NOISE_SD, productClaim } from './productClaim.ts';
import { renderAsciiMap } from './renderAsciiMap.ts';

async function inThread(): Promise<Evaluator> {
  const kernels = await getKernelSet('reference');
  return async (requests) => {
    const out = [];
    for (const r of requests) out.push(await runClaim(productClaim, { seed: r.seed, kernels, params: r.params }));
    return out;
  };
}

/** Every boundary cell straddles x·y = 1, and the curve x·y = 1 is covered by boundary cells at the finest level. */
function expectBoundaryFound(map: ExploreMap, slackCells: number) {
  const res = map.resolution * Math.log(100); // finest cell side in log units
  for (const c of map.crossings) expect(Math.abs(Math.log(c.x * c.y))).toBeLessThanOrEqual(2 * res * slackCells);
  for (let k = 1; k < 40; k++) {
    const x = 0.1 * 100 ** (k / 40);
    const y = 1 / x;
    const covered = map.boundaryCells.some(
      (c) =>
        c.depth === map.maxDepth &&
        x >= c.xMin * Math.exp(-res * (slackCells - 1)) &&
        x <= c.xMax * Math.exp(res * (slackCells - 1)) &&
        y >= c.yMin * Math.exp(-res * (slackCells - 1)) &&
        y <= c.yMax * Math.exp(res * (slackCells - 1)),
    );
    expect(covered, `x·y = 1 at x = ${x} lies in a finest boundary cell`).toBe(true);
  }
}

describe('exploreClaim', () => {
  it('finds x·y = 1 within one finest cell (1/64 of each log axis) with 493 evaluations, vs 4225 for a uniform 65 × 65 grid', async () => {
    const map = await exploreClaim({ claim: productClaim, axes: ['x', 'y'], budget: 5000, evaluate: await inThread() });
    expect(map.lattice).toBe(64);
    expect(map.truncated).toBe(false);
    expect(map.uniformEvaluations).toBe(65 * 65);
    process.stdout.write(
      `exact x·y ≤ 1: adaptive ${map.evaluations} evaluations, uniform grid ${map.uniformEvaluations}\n`,
    );
    expect(map.evaluations).toBe(493);
    expect(map.evaluations).toBeLessThan(map.uniformEvaluations / 4);
    expectBoundaryFound(map, 1);
    expect(map.points.every((p) => (p.cls === 'pass') === p.x * p.y <= 1)).toBe(true);
  });

  it('handles noise (sd 0.05): uncertain points get more samples; finds x·y = 1 within 2 finest cells with 1654 evaluations, vs 8450 for a uniform 65 × 65 grid at 2 samples', async () => {
    const map = await exploreClaim({
      claim: productClaim,
      axes: ['x', 'y'],
      fixed: { noise: NOISE_SD },
      budget: 20_000,
      samples: 2,
      evaluate: await inThread(),
    });
    process.stdout.write(
      `noisy x·y ≤ 1 (sd ${NOISE_SD}): adaptive ${map.evaluations} evaluations, uniform grid ${map.uniformEvaluations}, ` +
        `${map.points.filter((p) => p.ratios.length > 2).length} points resampled, ` +
        `${map.points.filter((p) => p.cls === 'uncertain').length} left uncertain\n`,
    );
    expect(map.truncated).toBe(false);
    expect(map.uniformEvaluations).toBe(65 * 65 * 2);
    expect(map.evaluations).toBe(1654);
    expect(map.evaluations).toBeLessThan(map.uniformEvaluations / 4);
    expect(map.points.some((p) => p.ratios.length > 2)).toBe(true);
    // With noise of sd 0.05 in log(x·y) the crossing may sit a few finest cells (0.072 each) off: allow 2.
    expectBoundaryFound(map, 2);
    // A decided point is on the right side (its mean is > 2 SE from the boundary).
    for (const p of map.points) {
      if (p.cls === 'pass') expect(Math.log(p.x * p.y)).toBeLessThan(4 * NOISE_SD);
      if (p.cls === 'fail') expect(Math.log(p.x * p.y)).toBeGreaterThan(-4 * NOISE_SD);
    }
  });

  it('same seed, same map', async () => {
    const run = async () =>
      exploreClaim({
        claim: productClaim,
        axes: ['x', 'y'],
        fixed: { noise: NOISE_SD },
        budget: 300,
        seed: 7,
        samples: 2,
        evaluate: await inThread(),
      });
    const [a, b] = [await run(), await run()];
    // Everything but the wall-clock time of each failing run is equal.
    const text = (m: ExploreMap) => JSON.stringify(m, (k, v) => (k === 'ms' ? undefined : v));
    expect(text(b) === text(a), 'the two maps are equal').toBe(true);
    expect(a.truncated).toBe(true);
    expect(a.evaluations).toBe(300);
    expect(renderAsciiMap(a)).toBe(renderAsciiMap(b));
  });

  it('rejects a choice axis, an unknown axis, an unknown --fixed key and a budget below the coarse grid', async () => {
    const evaluate = await inThread();
    const attempt = (o: Partial<Parameters<typeof exploreClaim>[0]>) =>
      exploreClaim({ claim: productClaim, axes: ['x', 'y'], budget: 100, evaluate, ...o });
    await expect(attempt({ axes: ['x', 'mode'] })).rejects.toThrow(/--axes.*mode.*numeric/);
    await expect(attempt({ axes: ['x', 'yy'] })).rejects.toThrow(/--axes.*yy.*did you mean y/);
    await expect(attempt({ fixed: { nois: 1 } })).rejects.toThrow(/--fixed.*nois.*did you mean noise/);
    await expect(attempt({ budget: 10 })).rejects.toThrow(ValidationError);
    await expect(attempt({ budget: 10 })).rejects.toThrow(/--budget.*25 evaluations/);
  });

  it('draws an ASCII map with pass, fail and labelled log ticks', async () => {
    const map = await exploreClaim({ claim: productClaim, axes: ['x', 'y'], budget: 500, evaluate: await inThread() });
    const text = renderAsciiMap(map);
    expect(text).toContain('x (log)');
    expect(text).toContain('y (log)');
    expect(text).toMatch(/·/);
    expect(text).toMatch(/#/);
  });
});
