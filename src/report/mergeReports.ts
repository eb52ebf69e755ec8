import { ValidationError } from '../core/errors.ts';
import { reportVerdict, summarize, worstOfReportResults } from './buildReport.ts';
import type { Report, ReportClaim, ReportResult } from './reportSchema.ts';

/** Key of a run across shards: backend, claim and run index. */
function runKey(r: ReportResult): string {
  return `${r.backend} ${r.claimId} run ${r.run}`;
}

/**
 * Merges the reports of `verify --shard 1/n … n/n` into the report an unsharded run writes: the claims in the
 * unsharded order, each claim's results in run order (backend by backend), verdicts, worst checks and summary
 * recomputed from the results. Everything but `createdAt` and the runs' wall times equals the unsharded report.
 * Refuses shards of different runs (seed, scale, backend, version, shard count), a missing or repeated shard, and a run
 * that appears twice.
 */
export function mergeReports(reports: readonly Report[]): Report {
  if (reports.length === 0) {
    throw new ValidationError({ field: 'FILES', received: [], expected: 'at least one shard report' });
  }
  const first = reports[0];
  const shard = first.shard;
  if (!shard) {
    throw new ValidationError({
      field: 'FILES[0].shard',
      received: undefined,
      expected: 'a report written by `verify --shard i/n`',
      hint: 'merge the reports of one sharded run',
    });
  }
  const seen = new Set<number>();
  reports.forEach((r, i) => {
    for (const key of ['seed', 'scale', 'backend', 'version'] as const) {
      if (r[key] !== first[key]) {
        throw new ValidationError({
          field: `FILES[${i}].${key}`,
          received: r[key],
          expected: `${JSON.stringify(first[key])}, as in the first shard`,
          hint: 'merge the shards of one run only',
        });
      }
    }
    if (!r.shard || r.shard.count !== shard.count || seen.has(r.shard.index)) {
      throw new ValidationError({
        field: `FILES[${i}].shard`,
        received: r.shard,
        expected: `a distinct shard i/${shard.count}`,
        hint: 'give each shard report once',
      });
    }
    seen.add(r.shard.index);
  });
  if (seen.size !== shard.count) {
    const missing = Array.from({ length: shard.count }, (_, i) => i + 1).filter((i) => !seen.has(i));
    throw new ValidationError({
      field: 'FILES',
      received: [...seen].sort((a, b) => a - b),
      expected: `all ${shard.count} shards`,
      hint: `add the reports of shard(s) ${missing.join(', ')}`,
    });
  }
  const backendOrder = new Map<string, number>();
  const byClaim = new Map<string, { info: ReportClaim; results: ReportResult[] }>();
  const runs = new Set<string>();
  for (const r of reports) {
    for (const c of r.claims) {
      const entry = byClaim.get(c.id) ?? { info: c, results: [] };
      for (const res of c.results) {
        const key = runKey(res);
        if (runs.has(key)) {
          throw new ValidationError({
            field: 'FILES',
            received: key,
            expected: 'each run in one shard only',
          });
        }
        runs.add(key);
        if (!backendOrder.has(res.backend)) backendOrder.set(res.backend, backendOrder.size);
        entry.results.push(res);
      }
      byClaim.set(c.id, entry);
    }
  }
  const claims: ReportClaim[] = [];
  for (const id of shard.claimIds) {
    const entry = byClaim.get(id);
    if (!entry) continue;
    const results = [...entry.results].sort(
      (a, b) => (backendOrder.get(a.backend) ?? 0) - (backendOrder.get(b.backend) ?? 0) || a.run - b.run,
    );
    claims.push({ ...entry.info, verdict: reportVerdict(results), worst: worstOfReportResults(results), results });
  }
  if (runs.size !== shard.totalRuns) {
    throw new ValidationError({
      field: 'FILES',
      received: `${runs.size} runs`,
      expected: `the ${shard.totalRuns} runs of the unsharded run`,
      hint: 'a shard report is incomplete (did a shard crash?)',
    });
  }
  const { shard: _drop, ...rest } = first;
  return { ...rest, createdAt: new Date().toISOString(), summary: summarize(claims), claims };
}
