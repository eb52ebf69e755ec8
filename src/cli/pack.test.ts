/**
 * aecheck as a package: `npm pack` (which builds dist/ through `prepare`), install the tarball in a scratch project,
 * import it from plain Node ESM and run a claim, then run a user's claim module through the installed CLI.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { scaledTimeout } from '../testing/scaledTimeout.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 400_000 });
}

describe('the packed package', () => {
  test('installs from its tarball, imports from plain Node ESM, and runs claims (library and CLI)', {
    timeout: scaledTimeout(600_000),
  }, () => {
    const out = mkdtempSync(join(tmpdir(), 'aecheck-pack-'));
    run('npm', ['pack', '--pack-destination', out, '--silent'], ROOT);
    const tarball = readdirSync(out).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    const project = mkdtempSync(join(tmpdir(), 'aecheck-user-'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
    // --ignore-scripts: the optional gl module (gpu.js headlessgl) would build from source for minutes; without it that
    // backend reports itself unavailable, which is what a user without the X11 headers sees too.
    run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', join(out, tarball as string)],
      project,
    );
    writeFileSync(
      join(project, 'use.mjs'),
      `import { defineClaim, findClaim, relativeTo, runClaims } from 'aecheck';
const mine = defineClaim({
  id: 'scratch.square', paper: 'scratch', title: 't', statement: 's',
  source: { paper: 'scratch', where: '-', confidence: 'DER' }, kind: 'exact',
  domain: { x: { kind: 'float', min: 1, max: 2, doc: 'x' } }, defaults: { x: 1.5 },
  tolerance: { description: '1e-12', reason: 'exact' },
  budget: { quick: { runs: 3, sizes: {} }, paper: { runs: 3, sizes: {} } },
  measure: (p) => ({ checks: [relativeTo('square', p.x * p.x, Math.pow(p.x, 2), 1e-12)] }),
});
const report = await runClaims({ claims: [mine, findClaim('shevchenko2023.curve-shape')], seed: 3, runs: 2 });
console.log(JSON.stringify(report.summary));
`,
    );
    expect(JSON.parse(run('node', ['use.mjs'], project))).toEqual({ pass: 2, fail: 0, error: 0, skipped: 0 });
    writeFileSync(
      join(project, 'my-claims.mjs'),
      `import { defineClaim, atMost } from 'aecheck';
export const claims = [defineClaim({
  id: 'scratch.bound', paper: 'scratch', title: 't', statement: 's',
  source: { paper: 'scratch', where: '-', confidence: 'DER' }, kind: 'exact',
  domain: { x: { kind: 'float', min: 0, max: 1, doc: 'x' } }, defaults: { x: 0.5 },
  tolerance: { description: 'x² ≤ x', reason: 'x in [0, 1]' },
  budget: { quick: { runs: 4, sizes: {} }, paper: { runs: 4, sizes: {} } },
  measure: (p) => ({ checks: [atMost('square-below', p.x * p.x, p.x, 1e-15)] }),
})];
`,
    );
    const cli = run(
      'npx',
      [
        'aecheck',
        'verify',
        '--claims',
        './my-claims.mjs',
        '--claim',
        'scratch.bound',
        '--seed',
        '2',
        '--jobs',
        '1',
        '--json',
        '--report',
        'rep',
      ],
      project,
    );
    const report = JSON.parse(cli);
    expect(report.summary.pass).toBe(1);
    expect(readdirSync(join(project, 'rep'))).toContain('index.html');
  });
});
