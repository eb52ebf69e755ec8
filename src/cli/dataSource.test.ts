import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  checkFashionMnistDir,
  DEBIAN_FASHION_MNIST_DIR,
  describeFashionMnist,
  FASHION_MNIST_ENV,
  FIXTURE_FASHION_MNIST_DIR,
  resolveFashionMnistDir,
} from '../data/fashionMnist.ts';
import { encodeIdx, readIdxFile } from '../data/idx.ts';
import type { AnyClaim } from '../claims/claim.ts';
import { replayDataFlag } from './dataSource.ts';
import { runCliInProcess } from './runCliInProcess.ts';

const STEMS = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
} as const;

/** A tiny FashionMNIST directory cut from the fixture: `nTrain`/`nTest` images, train gzipped, test plain. */
function tinySubset(nTrain: number, nTest: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'aecheck-fmnist-'));
  for (const [split, n] of [
    ['train', nTrain],
    ['test', nTest],
  ] as const) {
    const [imagesStem, labelsStem] = STEMS[split];
    const images = readIdxFile(join(FIXTURE_FASHION_MNIST_DIR, `${imagesStem}.gz`), 3);
    const labels = readIdxFile(join(FIXTURE_FASHION_MNIST_DIR, `${labelsStem}.gz`), 1);
    const img = encodeIdx([n, 28, 28], images.data.subarray(0, n * 784));
    const lab = encodeIdx([n], labels.data.subarray(0, n));
    if (split === 'train') {
      writeFileSync(join(dir, `${imagesStem}.gz`), gzipSync(img));
      writeFileSync(join(dir, `${labelsStem}.gz`), gzipSync(lab));
    } else {
      writeFileSync(join(dir, imagesStem), img);
      writeFileSync(join(dir, labelsStem), lab);
    }
  }
  return dir;
}

const savedEnv = process.env[FASHION_MNIST_ENV];
afterEach(() => {
  if (savedEnv === undefined) delete process.env[FASHION_MNIST_ENV];
  else process.env[FASHION_MNIST_ENV] = savedEnv;
});

describe('FashionMNIST directories', () => {
  test('a tiny IDX subset (train gzipped, test plain) is accepted and counted from the headers', () => {
    expect(checkFashionMnistDir(tinySubset(12, 7), '--data')).toEqual({ train: 12, test: 7 });
    expect(checkFashionMnistDir(FIXTURE_FASHION_MNIST_DIR, '--data')).toEqual({ train: 1000, test: 500 });
  });
  test.skipIf(!existsSync(DEBIAN_FASHION_MNIST_DIR))(
    'Debian’s full set is counted from the headers of its gzip files (skipped: dataset-fashion-mnist not installed)',
    () => {
      expect(checkFashionMnistDir(DEBIAN_FASHION_MNIST_DIR, '--data')).toEqual({ train: 60_000, test: 10_000 });
    },
  );
  test('a bad directory is an error naming the flag, the value, what is expected and how to fix it', () => {
    expect(() => checkFashionMnistDir('/no/such/dir', '--data')).toThrow(
      /^Invalid --data: received "\/no\/such\/dir", expected a directory holding FashionMNIST's four IDX files .*this path does not exist \(fix: .*dataset-fashion-mnist.*leave out --data/,
    );
    const partial = tinySubset(3, 2);
    writeFileSync(join(partial, 't10k-labels-idx1-ubyte'), '');
    expect(() => checkFashionMnistDir(partial, '--data')).toThrow(/--data: .*t10k-labels-idx1-ubyte.*4 bytes/);
    const missing = mkdtempSync(join(tmpdir(), 'aecheck-fmnist-missing-'));
    writeFileSync(join(missing, 'train-images-idx3-ubyte'), encodeIdx([1, 28, 28], new Uint8Array(784)));
    expect(() => checkFashionMnistDir(missing, '--data')).toThrow(
      /missing: train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte/,
    );
    const wrongShape = tinySubset(3, 2);
    writeFileSync(join(wrongShape, 't10k-images-idx3-ubyte'), encodeIdx([2, 10, 10], new Uint8Array(200)));
    expect(() => checkFashionMnistDir(wrongShape, 'X')).toThrow(/2×10×10 .* not N×28×28 images with N labels/);
    expect(() => checkFashionMnistDir(join(wrongShape, 't10k-images-idx3-ubyte'), '--data')).toThrow(/this is a file/);
  });
  test('resolution order: --data DIR, then AECHECK_FASHION_MNIST_DIR, then Debian’s package, then the fixture', () => {
    const tiny = tinySubset(2, 2);
    const debian = tinySubset(3, 3);
    expect(resolveFashionMnistDir('/x', { env: tiny, debianDir: debian })).toEqual({ dir: '/x', source: 'dir' });
    expect(resolveFashionMnistDir(undefined, { env: tiny, debianDir: debian })).toEqual({ dir: tiny, source: 'env' });
    expect(resolveFashionMnistDir(undefined, { env: '', debianDir: debian })).toEqual({
      dir: debian,
      source: 'debian',
    });
    expect(resolveFashionMnistDir(undefined, { env: undefined, debianDir: '/no/debian' })).toEqual({
      dir: FIXTURE_FASHION_MNIST_DIR,
      source: 'fixture',
    });
    expect(describeFashionMnist(undefined, { env: undefined, debianDir: '/no/debian' }).text).toBe(
      'fixtures subset (1000 train / 500 test images) — use --data DIR or install dataset-fashion-mnist for the full set',
    );
    expect(() => describeFashionMnist(undefined, { env: '/no/such/env/dir' })).toThrow(
      /^Invalid AECHECK_FASHION_MNIST_DIR: received "\/no\/such\/env\/dir"/,
    );
  });
});

test('replayDataFlag: --data DIR for claims that read FashionMNIST only, quoted for the shell when needed', () => {
  const reads = { datasets: ['fashion-mnist'] } as unknown as AnyClaim;
  const not = {} as AnyClaim;
  expect(replayDataFlag(reads, '/data/fm')).toBe(' --data /data/fm');
  expect(replayDataFlag(reads, "/data/it's here")).toBe(` --data '/data/it'\\''s here'`);
  expect(replayDataFlag(reads, undefined)).toBe('');
  expect(replayDataFlag(not, '/data/fm')).toBe('');
});

describe('verify --data DIR', () => {
  let module = '';
  beforeAll(() => {
    // A user claim that reads FashionMNIST's test split and records where it came from.
    const dir = mkdtempSync(join(tmpdir(), 'aecheck-fmnist-claim-'));
    const src = (p: string) => JSON.stringify(pathToFileURL(resolve(p)).href);
    module = join(dir, 'claims.ts');
    writeFileSync(
      module,
      `import { defineClaim } from ${src('src/claims/claim.ts')};
import { atMost } from ${src('src/claims/support/checks.ts')};
import { fashionMnistSourceText, loadFashionMnist } from ${src('src/data/fashionMnist.ts')};
export const readsFashionMnist = defineClaim({
  id: 'datatest.reads-fashion-mnist',
  paper: 'datatest',
  title: 'reads FashionMNIST',
  statement: 'The test split of FashionMNIST has pixels in [0, 1].',
  source: { paper: 'datatest', where: 'a test', confidence: 'DER' },
  kind: 'exact',
  datasets: ['fashion-mnist'],
  domain: { seed: { kind: 'seed', doc: 'unused' } },
  defaults: { seed: 1 },
  tolerance: { description: 'largest pixel ≤ 1', reason: 'ToTensor scaling' },
  budget: { quick: { runs: 1, sizes: {} }, paper: { runs: 1, sizes: {} } },
  noControlReason: 'a test of the data path',
  measure: () => {
    const t = loadFashionMnist({ split: 'test' });
    let hi = 0;
    for (const v of t.images) hi = Math.max(hi, v);
    return { checks: [atMost('max-pixel', hi, 1, 0.01)], details: { testImages: t.count, dataSource: fashionMnistSourceText(t) } };
  },
});
`,
    );
  });
  const args = (...more: string[]) => [
    'verify',
    '--claims',
    module,
    '--claim',
    'datatest.reads-fashion-mnist',
    '--seed',
    '1',
    '--jobs',
    '1',
    ...more,
  ];

  test('the claim reads DIR; the terminal names the source, report.json and report.md record it', async () => {
    const tiny = tinySubset(12, 7);
    const out = mkdtempSync(join(tmpdir(), 'aecheck-fmnist-report-'));
    const run = await runCliInProcess(args('--data', tiny, '--report', out));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`FashionMNIST: --data ${tiny} (12 train / 7 test images)`);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const details = report.claims[0].results[0].measurement.details;
    expect(details.testImages).toBe(7);
    expect(details.dataSource).toBe(`FashionMNIST: --data or AECHECK_FASHION_MNIST_DIR ${tiny}`);
    // The replay command carries --data DIR, so it reads the same images.
    expect(report.claims[0].results[0].replay).toMatch(new RegExp(` --data ${tiny}$`));
    expect(report.claims[0].worst.replay).toMatch(new RegExp(` --data ${tiny}$`));
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(
      `Data: FashionMNIST: --data or ${FASHION_MNIST_ENV} ${tiny}.`,
    );
    expect(process.env[FASHION_MNIST_ENV]).toBe(savedEnv); // restored after the run
  });
  test('AECHECK_FASHION_MNIST_DIR is used without --data, and --data wins over it', async () => {
    const envDir = tinySubset(5, 4);
    process.env[FASHION_MNIST_ENV] = envDir;
    const fromEnv = await runCliInProcess(args('--json'));
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    expect(JSON.parse(fromEnv.stdout).claims[0].results[0].measurement.details.testImages).toBe(4);
    const flag = tinySubset(6, 3);
    const both = await runCliInProcess(args('--json', '--data', flag));
    expect(JSON.parse(both.stdout).claims[0].results[0].measurement.details.testImages).toBe(3);
    expect(process.env[FASHION_MNIST_ENV]).toBe(envDir);
  });
  test('a bad --data or AECHECK_FASHION_MNIST_DIR exits 2 before any claim runs, naming the flag or variable', async () => {
    const bad = await runCliInProcess(args('--data', '/no/such/dir'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Invalid --data: received "\/no\/such\/dir", expected a directory holding FashionMNIST/);
    expect(bad.stderr).not.toMatch(/PASS|FAIL/);
    // --data is checked even when no selected claim reads FashionMNIST, and for explore too.
    const other = await runCliInProcess([
      'verify',
      '--claim',
      'refinetti2022.integrals-quadrature',
      '--data',
      '/no/dir',
    ]);
    expect(other.code).toBe(2);
    const empty = mkdtempSync(join(tmpdir(), 'aecheck-fmnist-empty-'));
    mkdirSync(join(empty, 'sub'));
    const explore = await runCliInProcess([
      'explore',
      '--claim',
      'persianrug2024.activation-gain',
      '--axes',
      'r,p',
      '--data',
      empty,
    ]);
    expect(explore.code).toBe(2);
    expect(explore.stderr).toMatch(/--data: .*missing: train-images-idx3-ubyte/);
    process.env[FASHION_MNIST_ENV] = '/no/such/env';
    const env = await runCliInProcess(args());
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(/Invalid AECHECK_FASHION_MNIST_DIR: received "\/no\/such\/env"/);
  });
});
