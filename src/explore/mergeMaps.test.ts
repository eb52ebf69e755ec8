import { describe, expect, it } from 'vitest';
import { runClaim } from '../claims/runClaim.ts';
import { getKernelSet } from '../kernels/registry.ts';
import { type Evaluator, exploreClaim } from './exploreClaim.ts';
import { mapToJson } from './mapToJson.ts';
import { mergeMaps } from './mergeMaps.ts';
import { NOISE_SD, productClaim } from './productClaim.ts';
import { renderAsciiMap } from './renderAsciiMap.ts';
import { mapFromJson } from './mapToJson.ts';

async function inThread(): Promise<Evaluator> {
  const kernels = await getKernelSet('reference');
  return async (requests) => {
    const out = [];
    for (const r of requests) out.push(await runClaim(productClaim, { seed: r.seed, kernels, params: r.params }));
    return out;
  };
}

describe('explore --shard i/n and mergeMaps', () => {
  it.each([
    ['exact x·y ≤ 1 map merged from 3 shards', {}, 1, 3],
    ['noisy x·y ≤ 1 map (sd 0.05) merged from 2 shards', { noise: NOISE_SD }, 2, 2],
  ])('the %s is the unsharded map, point for point', async (_name, fixed, samples, n) => {
    const evaluate = await inThread();
    const options = { claim: productClaim, axes: ['x', 'y'] as const, fixed, samples, budget: 20_000, evaluate };
    const whole = mapToJson(await exploreClaim(options));
    const shards = [];
    for (let index = 1; index <= n; index++) {
      const part = mapToJson(await exploreClaim({ ...options, shard: { index, count: n } }));
      expect(part.shard).toEqual({ index, count: n });
      // Each shard evaluates its strip only: fewer runs than the whole map.
      expect(part.evaluations).toBeLessThan(whole.evaluations);
      shards.push(part);
    }
    // Shards given in any order merge to the same map.
    const merged = mergeMaps([...shards].reverse());
    expect(whole.truncated).toBe(false);
    expect(merged.boundaryCells).toEqual(whole.boundaryCells);
    expect(merged.crossings).toEqual(whole.crossings);
    expect(merged.points).toEqual(whole.points);
    expect(merged.leaves).toEqual(whole.leaves);
    expect(merged.evaluations).toBe(whole.evaluations);
    expect(merged.failing).toEqual(whole.failing);
    expect(merged).toEqual(whole);
    expect(renderAsciiMap(mapFromJson(merged))).toBe(renderAsciiMap(mapFromJson(whole)));
  });

  it('refuses a missing shard, a shard of another map, an unsharded map and --shard beyond the coarse columns', async () => {
    const evaluate = await inThread();
    const options = { claim: productClaim, axes: ['x', 'y'] as const, budget: 2000, maxDepth: 1, evaluate };
    const a = mapToJson(await exploreClaim({ ...options, shard: { index: 1, count: 2 } }));
    const b = mapToJson(await exploreClaim({ ...options, shard: { index: 2, count: 2 } }));
    const other = mapToJson(await exploreClaim({ ...options, seed: 2, shard: { index: 2, count: 2 } }));
    expect(() => mergeMaps([a])).toThrow(/each of the shards 1\/2, 2\/2/);
    expect(() => mergeMaps([a, other])).toThrow(/FILES\[1\]\.seed/);
    const whole = mapToJson(await exploreClaim(options));
    expect(() => mergeMaps([a, whole])).toThrow(/FILES\[1\].*unsharded/);
    expect(() => mergeMaps([a, a])).toThrow(/exactly once/);
    expect(mergeMaps([a, b]).points.length).toBeGreaterThan(a.points.length);
    await expect(exploreClaim({ ...options, shard: { index: 1, count: 5 } })).rejects.toThrow(/--shard.*1\/5.*n ≤ 4/);
  });
});
