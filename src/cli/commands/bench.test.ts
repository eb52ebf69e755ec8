import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type BenchFile, benchCase, benchFileSchema } from '../../bench/benchFile.ts';
import { createRng } from '../../core/rng.ts';
import { MAX_KEPT_SAMPLES } from '../../bench/summarizeSamples.ts';
import { runCliInProcess } from '../runCliInProcess.ts';
import { scaledTimeout } from '../../testing/scaledTimeout.ts';

/** The tiniest real workload: one 16×16×16 GEMM on the reference backend, 20 ms, no Python baseline. */
const TINY = ['bench', '--kernel', 'gemm', '--sizes', '16', '--backend', 'reference', '--time', '20', '--no-baseline'];

/**
 * A copy of a saved run (its metadata and case names) whose samples are replaced by 60 seeded draws with 10%
 * log-normal noise around `factor` × the case's median. The real samples of a run on a loaded machine can be bimodal
 * (calls slowed by bursts of load), and then the bootstrap interval of their median rightly spans both modes: a
 * 1.5× copy of such a run is not a detectable slowdown. The copies here make the decision independent of the load
 * during the test; the decision on noisy samples is tested in src/bench/compareSamples.test.ts.
 */
function synthetic(file: BenchFile, factor: number, seed: number): BenchFile {
  const rng = createRng(seed);
  return {
    ...file,
    cases: file.cases.map((c) =>
      benchCase(
        c.id,
        Array.from({ length: 60 }, () => factor * c.median * Math.exp(0.1 * rng.normal())),
        c.details,
      ),
    ),
  };
}

describe('aecheck bench --save / --compare', () => {
  let dir: string;
  let savedPath: string;
  let saved: BenchFile;
  const threadsBefore = process.env.AECHECK_THREADS;
  const write = (name: string, content: unknown) => {
    const p = join(dir, name);
    writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
    return p;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aecheck-bench-'));
    savedPath = join(dir, 'nested', 'saved.json');
    const run = await runCliInProcess([...TINY, '--save', savedPath]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    saved = benchFileSchema.parse(JSON.parse(readFileSync(savedPath, 'utf8')));
  }, scaledTimeout(120_000));

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    if (threadsBefore === undefined) delete process.env.AECHECK_THREADS;
    else process.env.AECHECK_THREADS = threadsBefore;
  });

  test('the saved file holds the case with bounded samples, their median and spread, and the run metadata', () => {
    expect(saved.cases.map((c) => c.id)).toEqual(['gemm/reference/16']);
    const c = saved.cases[0];
    expect(c.samples.length).toBeGreaterThanOrEqual(15); // 5 rounds × at least 3 calls
    expect(c.samples.length).toBeLessThanOrEqual(MAX_KEPT_SAMPLES);
    expect(c.count).toBeGreaterThanOrEqual(c.samples.length);
    expect(c.q1).toBeLessThanOrEqual(c.median);
    expect(c.median).toBeLessThanOrEqual(c.q3);
    expect(c.details).toMatchObject({ kernel: 'gemm', backend: 'reference', size: 16, rateUnit: 'GFLOP/s' });
    const m = saved.metadata;
    expect(m.benchmark).toBe('kernels');
    expect(m.node).toBe(process.version);
    expect(m.cpu.cores).toBeGreaterThan(0);
    expect(m.cpu.model.length).toBeGreaterThan(0);
    expect(m.os.platform).toBe(process.platform);
    expect(m.backends.find((b) => b.id === 'reference')).toEqual({
      id: 'reference',
      available: true,
      precision: 'float64',
    });
    expect(m.options).toMatchObject({ kernels: ['gemm'], backends: ['reference'], sizes: [16], timeMs: 20 });
    expect(Date.parse(m.createdAt)).not.toBeNaN();
  });

  test('a saved run compared with itself passes (exit 0), whatever its noise', async () => {
    const run = await runCliInProcess(['bench', '--compare', savedPath, '--current', savedPath]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('gemm/reference/16');
    expect(run.stdout).toContain('1.000 [');
    expect(run.stdout).toContain('no regression in 1 cases');
  });

  test('a run 1.5× slower than the saved one fails at --fail-above 10% (exit 1) and passes at 60%; identical passes', async () => {
    const before = write('before.json', synthetic(saved, 1, 1));
    const worse = write('worse.json', synthetic(saved, 1.5, 2));
    const fail = await runCliInProcess(['bench', '--compare', before, '--current', worse, '--fail-above', '10%']);
    expect(fail.code).toBe(1);
    expect(fail.stdout).toContain('REGRESSED');
    const pass = await runCliInProcess(['bench', '--compare', before, '--current', worse, '--fail-above', '60%']);
    expect(pass.code).toBe(0);
    const same = await runCliInProcess(['bench', '--compare', before, '--current', before]);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('1.000 [');
  });

  test('--json carries the comparison', async () => {
    const before = write('before-json.json', synthetic(saved, 1, 3));
    const worse = write('worse-json.json', synthetic(saved, 2, 4));
    const run = await runCliInProcess(['bench', '--compare', before, '--current', worse, '--json']);
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout);
    expect(out.comparison.regressions).toEqual(['gemm/reference/16']);
    expect(out.comparison.cases[0].result.ratio).toBeGreaterThan(1.8);
    expect(out.comparison.cases[0].result.ratio).toBeLessThan(2.2);
  });

  test(
    'a live run against a saved run 100× faster regresses; against one 100× slower it does not',
    async () => {
      // The live run would have to be 90× faster (or slower) than the first one for either outcome to change: far beyond
      // any load burst. The saved file's kernels, backends, sizes and time are reused (only --no-baseline is given).
      const fast = write('fast.json', synthetic(saved, 0.01, 5));
      const slow = write('slow.json', synthetic(saved, 100, 6));
      const regressed = await runCliInProcess(['bench', '--no-baseline', '--compare', fast]);
      expect(regressed.code).toBe(1);
      expect(regressed.stdout).toContain('REGRESSED');
      expect(regressed.stdout).toContain('gemm/reference/16');
      const improved = await runCliInProcess(['bench', '--no-baseline', '--compare', slow]);
      expect(improved.code).toBe(0);
      expect(improved.stdout).toContain('improved');
    },
    scaledTimeout(120_000),
  );

  test('a saved run from another machine set-up is compared with a warning, not refused', async () => {
    const other = {
      ...saved,
      metadata: { ...saved.metadata, node: 'v18.0.0', cpu: { model: 'Other CPU', cores: 64 } },
    };
    const run = await runCliInProcess(['bench', '--compare', write('other.json', other), '--current', savedPath]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('warning: CPU model differs: saved "Other CPU"');
    expect(run.stdout).toContain('warning: Node version differs');
  });

  test(
    'bad files and flags exit 2 with an error naming the field, the value, what was expected and the fix',
    async () => {
      const cases: [string[], RegExp][] = [
        [
          ['--compare', join(dir, 'missing.json')],
          /--compare: received ".*missing\.json", expected a readable benchmark file \(fix: ENOENT/,
        ],
        [['--compare', write('not-json.json', '{oops')], /expected a JSON benchmark file/],
        [
          ['--compare', write('negative.json', { ...saved, cases: [{ ...saved.cases[0], samples: [-1] }] })],
          /cases\[0\]\.samples\[0\]: received -1, expected .*\(fix: write the file again/,
        ],
        [
          ['--compare', write('format.json', { ...saved, version: 99 })],
          /version: received 99, expected .*1.*fix: write the file with `aecheck bench --save FILE`/,
        ],
        [
          [
            '--compare',
            write('train.json', { ...saved, metadata: { ...saved.metadata, benchmark: 'persianrug2024-train' } }),
            '--current',
            savedPath,
          ],
          /metadata\.benchmark: received "persianrug2024-train", expected a file saved by the same benchmark \(kernels\)/,
        ],
        [
          ['--compare', savedPath, '--current', savedPath, '--fail-above', '10'],
          /--fail-above: received "10", expected a percentage.*fix: .*--fail-above 10%/,
        ],
        [['--fail-above', '10%'], /--fail-above: received "10%", expected to come with --compare/],
        [['--current', savedPath], /--current: .*expected to come with --compare/],
        [['--kernel', 'gemmm'], /--kernel: received "gemmm", expected a known kernel .*did you mean gemm\?/],
        [['--backend', 'wasn'], /--backend: received "wasn", expected a known backend .*did you mean wasm\?/],
        [
          ['--save', '/proc/aecheck-nope/x.json'],
          /--save: received "\/proc\/aecheck-nope\/x\.json", expected a writable file path/,
        ],
        [['--save', dir], /--save: .*expected a file path \(fix: it is a folder/],
      ];
      for (const [args, message] of cases) {
        const run = await runCliInProcess(['bench', ...args]);
        expect({ args, code: run.code }).toEqual({ args, code: 2 });
        expect(run.stderr).toMatch(message);
        expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
      }
    },
    scaledTimeout(60_000),
  );
});
