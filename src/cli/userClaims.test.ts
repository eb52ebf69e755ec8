import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCliInProcess } from './runCliInProcess.ts';
import { scaledTimeout } from '../testing/scaledTimeout.ts';

const EXAMPLE = 'examples/linear-pca/claims.ts';

describe('your own claims', () => {
  test('verify --claims runs a user claim through the same runner, with a report', {
    timeout: scaledTimeout(120_000),
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aecheck-user-'));
    const run = await runCliInProcess([
      'verify',
      '--claims',
      EXAMPLE,
      '--claim',
      'examples.linear-pca-subspace',
      '--runs',
      '2',
      '--jobs',
      '1',
      '--seed',
      '5',
      '--json',
      '--report',
      dir,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.claims.map((c: { id: string }) => c.id)).toEqual(['examples.linear-pca-subspace']);
    expect(report.claims[0].results[0].measurement.checks[0].name).toBe('subspace-distance');
  });
  test('an aecheck.config.json with a mistyped key is a usage error naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aecheck-config-'));
    const file = join(dir, 'aecheck.config.json');
    writeFileSync(file, JSON.stringify({ claim: ['x.ts'] }));
    const run = await runCliInProcess(['verify', '--config', file, '--claim', 'shevchenko2023.curve-shape']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/config\.claim.*did you mean claims\?/);
  });
  test('a module that exports no claim is a usage error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aecheck-empty-'));
    const file = join(dir, 'empty.mjs');
    writeFileSync(file, 'export const x = 1;\n');
    const run = await runCliInProcess(['verify', '--claims', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/exports at least one claim/);
  });
});
