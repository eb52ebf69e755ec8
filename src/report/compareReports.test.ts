import { describe, expect, test } from 'vitest';
import type { AnyClaim, ClaimResult } from '../claims/claim.ts';
import { defineClaim } from '../claims/claim.ts';
import { judgeMeasurement } from '../claims/runClaim.ts';
import { buildReport } from './buildReport.ts';
import { compareReports } from './compareReports.ts';
import { mergeReports } from './mergeReports.ts';
import { reportSchema } from './reportSchema.ts';

const claim = defineClaim({
  id: 'foundation.compare-test',
  paper: 'foundation',
  title: 't',
  statement: 's',
  source: { paper: 'foundation', where: '—', confidence: 'DER' },
  kind: 'exact',
  domain: { a: { kind: 'float', min: 0, max: 1, doc: 'a' } },
  defaults: { a: 0.5 },
  tolerance: { description: 'd', reason: 'r' },
  budget: { quick: { runs: 1, sizes: {} }, paper: { runs: 1, sizes: {} } },
  measure: () => ({ checks: [] }),
});

/** A result whose single check has error/allowed = ratio. */
function result(run: number, ratio: number): ClaimResult {
  const measurement = judgeMeasurement({
    checks: [{ name: 'value', observed: ratio, expected: 0, error: ratio, allowed: 1, metric: '|Δ|' }],
  });
  return {
    claimId: claim.id,
    seed: 1,
    run,
    backend: 'reference',
    scale: 'quick',
    params: { a: run / 10 },
    ms: 1,
    status: measurement.checks[0].pass ? 'pass' : 'fail',
    measurement,
    ratio,
  };
}

function report(ratios: number[], shard?: { index: number; count: number }) {
  const all = ratios.map((r, i) => result(i, r));
  const results = shard ? all.filter((_, i) => i % shard.count === shard.index - 1) : all;
  return buildReport({
    version: '0',
    seed: 1,
    scale: 'quick',
    backend: 'reference',
    backends: [],
    runs: [{ claim: claim as AnyClaim, results }],
    shard: shard ? { ...shard, claimIds: [claim.id], totalRuns: ratios.length } : undefined,
  });
}

describe('verify --baseline', () => {
  test('an identical run passes', () => {
    const cmp = compareReports(report([0.2, 0.5]), report([0.2, 0.5]), 0.1);
    expect(cmp.regressions).toEqual([]);
    expect(cmp.comparedChecks).toBe(1);
  });
  test('a worsened margin beyond the tolerance regresses; within it does not', () => {
    expect(compareReports(report([0.2, 0.5]), report([0.2, 0.65]), 0.1).regressions.map((r) => r.what)).toEqual([
      'value',
    ]);
    expect(compareReports(report([0.2, 0.5]), report([0.2, 0.58]), 0.1).regressions).toEqual([]);
  });
  test('a verdict that turns to FAIL regresses', () => {
    const cmp = compareReports(report([0.2, 0.5]), report([0.2, 1.5]), 10);
    expect(cmp.regressions.map((r) => `${r.what}:${r.before}→${r.after}`)).toEqual(['verdict:pass→fail']);
  });
});

describe('merge-reports', () => {
  test('the shards merge into the unsharded report (all but createdAt)', () => {
    const ratios = [0.1, 0.9, 0.3, 0.4, 0.2];
    const full = report(ratios);
    const merged = mergeReports([report(ratios, { index: 2, count: 2 }), report(ratios, { index: 1, count: 2 })]);
    expect(() => reportSchema.parse(merged)).not.toThrow();
    expect({ ...merged, createdAt: '' }).toEqual({ ...full, createdAt: '' });
  });
  test('a missing shard is refused', () => {
    expect(() => mergeReports([report([0.1, 0.2, 0.3], { index: 1, count: 2 })])).toThrow(/shard\(s\) 2/);
  });
});
