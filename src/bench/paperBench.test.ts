import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { type BenchFile, benchCase } from './benchFile.ts';
import { collectBenchMetadata } from './collectBenchMetadata.ts';
import { tinybenchSamples } from './paperBench.ts';
import { scaledTimeout } from '../testing/scaledTimeout.ts';

const FWHT_BENCH = fileURLToPath(new URL('../../benchmarks/persianrug2024/fwht.bench.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

describe('paper benchmarks: shared timing and regression guard', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aecheck-paper-bench-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('tinybenchSamples gives one positive time in seconds per timed iteration', async () => {
    let calls = 0;
    const samples = await tinybenchSamples('count', () => calls++, { iterations: 7, warmupIterations: 2 });
    expect(samples.length).toBe(7);
    expect(calls).toBe(9);
    for (const s of samples) expect(s).toBeGreaterThanOrEqual(0);
    expect(Math.max(...samples)).toBeLessThan(1);
  });

  test('tinybenchSamples takes an overridden duration (ms) as the sample', async () => {
    const samples = await tinybenchSamples('fixed', () => ({ overriddenDuration: 250 }), { iterations: 3 });
    expect(samples).toEqual([0.25, 0.25, 0.25]);
  });

  test(
    'a paper benchmark compares two saved files without measuring: 0 identical, 1 worse, 2 bad flag',
    async () => {
      const metadata = await collectBenchMetadata({ benchmark: 'persianrug2024-fwht', options: {} });
      const file = (factor: number): BenchFile => ({
        format: 'aecheck-bench',
        version: 1,
        metadata,
        cases: [
          benchCase(
            'fwht/n8192-m2048',
            [1, 1.1, 0.9, 1.05, 0.95].map((v) => v * factor * 1e-4),
          ),
        ],
      });
      const saved = join(dir, 'saved.json');
      const worse = join(dir, 'worse.json');
      writeFileSync(saved, JSON.stringify(file(1)));
      writeFileSync(worse, JSON.stringify(file(2)));
      const run = (...args: string[]) => spawnSync(TSX, [FWHT_BENCH, ...args], { encoding: 'utf8', timeout: 60_000 });
      const same = run('--compare', saved, '--current', saved);
      expect(same.status).toBe(0);
      expect(same.stdout).toContain('no regression in 1 cases');
      const slower = run('--compare', saved, '--current', worse, '--fail-above', '10%');
      expect(slower.status).toBe(1);
      expect(slower.stdout).toContain('REGRESSED');
      const bad = run('--compare', saved, '--current', worse, '--fail-above', 'ten');
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/--fail-above: received "ten", expected a percentage/);
      expect(bad.stderr).not.toMatch(/\n\s+at /);
    },
    scaledTimeout(120_000),
  );
});
