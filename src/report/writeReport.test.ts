import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { AnyClaim, ClaimResult } from '../claims/claim.ts';
import { defineClaim } from '../claims/claim.ts';
import { judgeMeasurement } from '../claims/runClaim.ts';
import { asciiPlot } from './asciiPlot.ts';
import { buildReport, replayCommand } from './buildReport.ts';
import { reportSchema } from './reportSchema.ts';
import { reportJsonSchema, writeReport } from './writeReport.ts';

const claim = defineClaim({
  id: 'foundation.test-claim',
  paper: 'foundation',
  title: 'a test claim',
  statement: 'x equals x',
  source: { paper: 'foundation', where: 'here', confidence: 'DERIVED' },
  kind: 'exact',
  domain: { a: { kind: 'float', min: 0, max: 1, doc: 'a' } },
  defaults: { a: 0.5 },
  tolerance: { description: 'exact', reason: 'identity' },
  budget: { quick: { runs: 1, sizes: {} }, paper: { runs: 1, sizes: {} } },
  measure: () => ({ checks: [{ name: 'value', observed: 1, expected: 1, error: 0, allowed: 1e-12, metric: 'abs' }] }),
});

const plot = {
  kind: 'line' as const,
  id: 'eps',
  title: 'ε(t)',
  x: { label: 't', log: true },
  y: { label: 'ε', log: true },
  series: [
    { name: 'theory', x: [1, 10, 100], y: [0.5, 0.1, 0.01] },
    { name: 'simulation', x: [1, 10, 100], y: [0.51, 0.11, 0.012], style: 'points' as const },
  ],
};

const results: ClaimResult[] = [
  {
    claimId: claim.id,
    seed: 3,
    run: 0,
    backend: 'reference',
    scale: 'quick',
    params: { a: 0.5 },
    ms: 1,
    status: 'fail',
    measurement: judgeMeasurement({
      checks: [
        {
          name: 'value',
          expected: 1,
          observed: Number.NaN,
          error: Number.POSITIVE_INFINITY,
          allowed: 1,
          metric: 'abs',
        },
        { name: 'slack', expected: 1, observed: 0.5, error: -0.5, allowed: 0.1, metric: 'observed − bound' },
      ],
      plots: [plot],
    }),
    ratio: Number.NaN,
  },
  {
    claimId: claim.id,
    seed: 3,
    run: 1,
    backend: 'reference',
    scale: 'quick',
    params: { a: 0.1 },
    ms: 1,
    status: 'skipped',
    reason: 'no data',
  },
];

describe('reports', () => {
  const report = buildReport({
    version: '0.0.0',
    seed: 3,
    scale: 'quick',
    backend: 'reference',
    backends: [{ id: 'reference', available: true }],
    runs: [{ claim: claim as AnyClaim, results }],
  });
  test('the report satisfies its own schema, with NaN/Infinity written as null', () => {
    expect(() => reportSchema.parse(report)).not.toThrow();
    expect(report.summary).toEqual({ pass: 0, fail: 1, error: 0, skipped: 0 });
    const r0 = report.claims[0].results[0];
    expect(r0.status === 'fail' && r0.measurement.checks[0].observed).toBeNull();
    // The worst check of the worst run is the non-finite one, and the inequality keeps its signed slack (no clamping).
    expect(report.claims[0].worst?.check?.name).toBe('value');
    expect(r0.status === 'fail' && r0.measurement.checks[1].margin).toBeCloseTo(0.6, 12);
    expect(r0.status === 'fail' && r0.measurement.checks[1].ratio).toBeCloseTo(-5, 12);
    expect(JSON.parse(JSON.stringify(reportJsonSchema())).type).toBe('object');
  });
  test('the replay command names the claim, the seed and the parameters', () => {
    expect(replayCommand(results[0])).toBe(
      `npx aecheck verify --claim foundation.test-claim --seed 3 --params '{"a":0.5}'`,
    );
  });
  test('writeReport writes JSON, schema, Markdown, HTML and one SVG per plot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aecheck-report-'));
    await writeReport(report, dir);
    for (const f of ['report.json', 'report.schema.json', 'report.md', 'index.html'])
      expect(existsSync(join(dir, f))).toBe(true);
    const svg = readFileSync(join(dir, 'plots', 'foundation.test-claim.eps.svg'), 'utf8');
    expect(svg).toMatch(/^<svg/);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toMatch(/foundation\.test-claim.*fail/s);
  });
  test('ASCII plots draw line plots and skip heatmaps', () => {
    expect(asciiPlot(plot)).toMatch(/ε\(t\)/);
    expect(asciiPlot({ kind: 'heatmap', id: 'h', title: 'h', rows: 1, cols: 1, values: [1] })).toBeUndefined();
  });
  test('ASCII plots survive single points, partial ranges, flat lines and NaN (each drawn where it has points)', () => {
    const text = asciiPlot({
      ...plot,
      series: [
        { name: 'curve', x: [1, 10, 100], y: [0.3, 0.3, 0.3] },
        { name: 'one point', x: [5], y: [0.2], style: 'points' },
        { name: 'partial', x: [20, 30], y: [Number.NaN, 0.1] },
      ],
    });
    expect(text).toMatch(/\+ one point/);
  });
});

describe('the published schema', () => {
  test('docs/report.schema.json is the schema generated from reportSchema (regenerate: npx aecheck schema > docs/report.schema.json)', () => {
    const published = JSON.parse(readFileSync(new URL('../../docs/report.schema.json', import.meta.url), 'utf8'));
    expect(published).toEqual(JSON.parse(JSON.stringify(reportJsonSchema())));
  });
});
