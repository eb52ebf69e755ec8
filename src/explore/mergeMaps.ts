import { ValidationError } from '../core/errors.ts';
import { boundaryOf, compareCells, type ExploreCell } from './exploreClaim.ts';
import { type ExploreMapJson, type ExplorePointJson, mapFromJson, mapToJson } from './mapToJson.ts';

/** The fields every shard of one map must share (they define the map). */
const SHARED = [
  'claimId',
  'axes',
  'fixed',
  'seedFields',
  'seed',
  'coarse',
  'maxDepth',
  'lattice',
  'regime',
  'guides',
] as const;

/**
 * Merges the map.json files of `explore --shard 1/n … n/n` into the map of the unsharded run: the union of their
 * points and leaves (a point that two strips share must be identical in both, samples included), the boundary
 * recomputed from the merged leaves, the failing runs in point order. `evaluations` counts each run once (a shared
 * point's samples are not counted twice); `truncated` is set when any shard ran out of budget (then the merged map
 * may differ from an unsharded run's, which spends one budget on all strips). Throws a ValidationError naming the
 * file index when the files are not the n shards of one map.
 */
export function mergeMaps(parts: readonly ExploreMapJson[]): ExploreMapJson {
  const field = (k: number) => `FILES[${k}]`;
  if (parts.length === 0) {
    throw new ValidationError({ field: 'FILES', received: 0, expected: 'the map.json of every shard', hint: '' });
  }
  const first = parts[0];
  const count = first.shard?.count;
  parts.forEach((part, k) => {
    if (!part.shard || part.shard.count !== count) {
      throw new ValidationError({
        field: field(k),
        received: part.shard ? `shard ${part.shard.index}/${part.shard.count}` : 'an unsharded map',
        expected: `a shard of ${count ?? 'n'} made by \`explore --shard i/${count ?? 'n'}\``,
        hint: 'give the map.json files of `explore --shard 1/n` … `n/n` of one map',
      });
    }
    for (const key of SHARED) {
      if (JSON.stringify(part[key]) !== JSON.stringify(first[key])) {
        throw new ValidationError({
          field: `${field(k)}.${key}`,
          received: part[key],
          expected: `the same ${key} as FILES[0] (${JSON.stringify(first[key])?.slice(0, 80)})`,
          hint: 'merge only the shards of one explore command (same claim, axes, fixed values, seed, coarse, depth)',
        });
      }
    }
  });
  const indexes = parts.map((p) => p.shard?.index ?? 0).sort((a, b) => a - b);
  const expected = Array.from({ length: count ?? 0 }, (_, k) => k + 1);
  if (JSON.stringify(indexes) !== JSON.stringify(expected)) {
    throw new ValidationError({
      field: 'FILES',
      received: indexes.map((i) => `${i}/${count}`).join(', '),
      expected: `each of the shards ${expected.map((i) => `${i}/${count}`).join(', ')} exactly once`,
      hint: 'give every shard of the map once',
    });
  }

  const points = new Map<string, { point: ExplorePointJson; owner: number }>();
  let evaluations = 0;
  parts.forEach((part, k) => {
    evaluations += part.evaluations;
    for (const p of part.points) {
      const key = `${p.i},${p.j}`;
      const seen = points.get(key);
      if (!seen) {
        points.set(key, { point: p, owner: k });
        continue;
      }
      if (JSON.stringify(seen.point) !== JSON.stringify(p)) {
        throw new ValidationError({
          field: `${field(k)}.points`,
          received: `point (${p.x}, ${p.y}) with ratios ${JSON.stringify(p.ratios)}`,
          expected: `the same samples as ${field(seen.owner)} has there (${JSON.stringify(seen.point.ratios)})`,
          hint: 'the shards were made with different code, backend or scale: rerun them with one command line',
        });
      }
      evaluations -= p.samples; // run by both strips, counted once (as the unsharded map runs it once)
    }
  });
  const merged = [...points.values()].sort((a, b) => a.point.j - b.point.j || a.point.i - b.point.i);
  const leaves = new Map<string, ExploreCell>();
  for (const part of parts) for (const c of part.leaves) leaves.set(`${c.i},${c.j},${c.size}`, c);

  const map = mapFromJson({
    ...first,
    evaluations,
    truncated: parts.some((p) => p.truncated),
    points: merged.map((m) => m.point),
    leaves: [...leaves.values()].sort(compareCells),
  });
  delete map.shard;
  Object.assign(map, boundaryOf(map.axes, map.lattice, map.leaves, map.points));
  // The failing runs of each point, from the shard that owns it, in point order (as the unsharded map lists them).
  const failing = merged.flatMap((m) => parts[m.owner].failing.filter((f) => f.x === m.point.x && f.y === m.point.y));
  return { ...mapToJson(map), failing };
}
