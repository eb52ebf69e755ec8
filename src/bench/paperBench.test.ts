import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { type BenchFile, benchCase } from './benchFile.ts';
import { collectBenchMetadata } from './collectBenchMetadata.ts';
import { pairedSlopeSamples, tinybenchSamples } from './paperBench.ts';
import { scaledTimeout } from '../testing/scaledTimeout.ts';

const FWHT_BENCH = fileURLToPath(new URL('../../benchmarks/persianrug2024/fwht.bench.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

describe('paper benchmarks: shared timing and regression guard', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aecheck-paper-bench-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('pairedSlopeSamples: (long − short) / k per pair, the order alternating, after one untimed call of each', () => {
    // A fake clock in ms that the runs advance: the short run costs 500 + drift, the long one 500 + drift + 3·180,
    // and the machine slows by 40 ms at every call (a drift that alternation puts on both sides in turn).
    let now = 0;
    let drift = 0;
    const calls: string[] = [];
    const run = (name: string, iterations: number) => () => {
      calls.push(name);
      now += 500 + drift + 180 * iterations;
      drift += 40;
    };
    const { perIteration, long } = pairedSlopeSamples(run('short', 0), run('long', 3), 3, 4, () => now);
    expect(calls).toEqual(['long', 'short', 'long', 'short', 'short', 'long', 'long', 'short', 'short', 'long']);
    // pairs: long first gives (540 + 40·i − (540 + 40·(i + 1)) … the drift of one call, ±40 ms over 3 iterations
    expect(perIteration.map((s) => Math.round(s * 3e3))).toEqual([540 - 40, 540 + 40, 540 - 40, 540 + 40]);
    expect(long.length).toBe(4);
    expect(long.every((t) => t > 1)).toBe(true);
    expect(() => pairedSlopeSamples(run('s', 0), run('l', 1), 0, 3)).toThrow(/k must be a whole number/);
    expect(() => pairedSlopeSamples(run('s', 0), run('l', 1), 1, 0)).toThrow(/reps must be a whole number/);
  });

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
