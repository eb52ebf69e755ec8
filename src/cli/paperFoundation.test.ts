import { describe, expect, test } from 'vitest';
import { claimsOfPaper, selectablePapers } from '../claims/catalog.ts';
import { claims as foundationClaims } from '../claims/foundation/index.ts';
import { runCliInProcess } from './runCliInProcess.ts';
import { scaledTimeout } from '../testing/scaledTimeout.ts';

const FOUNDATION_IDS = foundationClaims.map((c) => c.id);

describe('--paper foundation', () => {
  test('selects the shared checks of src/claims/foundation/ (they also stay under their papers)', () => {
    expect(FOUNDATION_IDS.length).toBeGreaterThanOrEqual(5);
    expect(claimsOfPaper('foundation').map((c) => c.id)).toEqual(FOUNDATION_IDS);
    expect(selectablePapers()[0]).toBe('foundation');
    const refinetti = claimsOfPaper('refinetti2022').map((c) => c.id);
    expect(refinetti).toContain('refinetti2022.integrals-quadrature');
  });
  test('verify --paper foundation runs those claims (not 0 claims) and exits 0', {
    timeout: scaledTimeout(120_000),
  }, async () => {
    const run = await runCliInProcess([
      'verify',
      '--paper',
      'foundation',
      '--runs',
      '1',
      '--seed',
      '3',
      '--jobs',
      '1',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.claims.map((c: { id: string }) => c.id)).toEqual(FOUNDATION_IDS);
    expect(report.summary.pass).toBe(FOUNDATION_IDS.length);
  });
  test('list --paper foundation lists them; an unknown paper still exits 2 with the papers named', async () => {
    const list = await runCliInProcess(['list', '--paper', 'foundation', '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).map((c: { id: string }) => c.id)).toEqual(FOUNDATION_IDS);
    const bad = await runCliInProcess(['verify', '--paper', 'foundatoin']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /--paper: received "foundatoin", expected a paper with claims: foundation, refinetti2022/,
    );
    expect(bad.stderr).toMatch(/did you mean foundation/);
  });
});
