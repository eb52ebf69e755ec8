/**
 * FashionMNIST (Xiao, Rasul & Vollgraf 2017) from its IDX files: 28×28 grey images, D = 784, pixels scaled to [0, 1]
 * as torchvision's ToTensor does. Sources, in order: an explicit `dir` (the CLI's `--data DIR`), the directory in the
 * environment variable AECHECK_FASHION_MNIST_DIR when it is set, Debian's `dataset-fashion-mnist` package
 * (/usr/share/datasets/fashion-mnist), the subset shipped in `fixtures/fashion-mnist/` (1000 train + 500 test
 * images, made by `fixtures/scripts/makeFashionMnistFixture.ts`).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '../core/errors.ts';
import { type IdxArray, readIdxFile, readIdxHeader } from './idx.ts';

/** The environment variable that names a directory with the four IDX files (after `--data DIR`, before Debian's). */
export const FASHION_MNIST_ENV = 'AECHECK_FASHION_MNIST_DIR';
/** Where Debian's `dataset-fashion-mnist` installs the files (`dpkg -L dataset-fashion-mnist`). */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';
/** The shipped subset, relative to the repository root. */
export const FIXTURE_FASHION_MNIST_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'fixtures',
  'fashion-mnist',
);
/** Image side and input dimension. */
export const FASHION_MNIST_SIDE = 28;
export const FASHION_MNIST_DIM = FASHION_MNIST_SIDE * FASHION_MNIST_SIDE;
/** Largest pixel value (ToTensor divides by it): a pixel's value is byte / FASHION_MNIST_PIXEL_MAX. */
export const FASHION_MNIST_PIXEL_MAX = 255;

/** Split names → file stems. */
const FILES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
} as const;

/** Where the images came from: `--data DIR`/`dir`, AECHECK_FASHION_MNIST_DIR, Debian's package, the fixture. */
export type FashionMnistSource = 'dir' | 'env' | 'debian' | 'fixture';

/** Options of {@link loadFashionMnist}. */
export interface LoadFashionMnistOptions {
  /** 'train' or 'test'. */
  split: 'train' | 'test';
  /** Keep only the first `limit` images (default: all); more than the split holds is an error. */
  limit?: number;
  /** Keep at most the first `atMost` images (default: all); a smaller split is not an error (see `count`). */
  atMost?: number;
  /** A directory with the four IDX files (gzip or plain); default: Debian's package, else the fixture. */
  dir?: string;
}

/** A loaded split. */
export interface FashionMnist {
  /** N × 784 row-major, pixels in [0, 1]. */
  images: Float64Array;
  /** N labels in 0..9. */
  labels: Uint8Array;
  /** N. */
  count: number;
  /** 784. */
  dim: number;
  /** Which source was read. */
  source: FashionMnistSource;
  /** The directory read. */
  dir: string;
}

/**
 * Parsed IDX files of this process, by path, with the size and modification time they were read at. A verify worker
 * runs several FashionMNIST runs; gunzipping the 26 MB training file took about 1 s of each (measured under load).
 * The parsed bytes are read-only: {@link loadFashionMnist} copies what it returns.
 */
const parsed = new Map<string, { size: number; mtimeMs: number; idx: IdxArray }>();

function readIdxCached(file: string, dims: number): IdxArray {
  const { size, mtimeMs } = statSync(file);
  const hit = parsed.get(file);
  if (hit && hit.size === size && hit.mtimeMs === mtimeMs) return hit.idx;
  const idx = readIdxFile(file, dims);
  parsed.set(file, { size, mtimeMs, idx });
  return idx;
}

function findFile(dir: string, stem: string): string | undefined {
  for (const name of [`${stem}.gz`, stem]) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** Where {@link resolveFashionMnistDir} looks after an explicit directory (defaults: the environment, Debian's path). */
export interface FashionMnistLookup {
  /** The value of AECHECK_FASHION_MNIST_DIR; default `process.env.AECHECK_FASHION_MNIST_DIR` (empty counts as unset). */
  env?: string;
  /** Debian's directory; default {@link DEBIAN_FASHION_MNIST_DIR}. */
  debianDir?: string;
}

/**
 * The directory and source that {@link loadFashionMnist} would read: `dir`, else AECHECK_FASHION_MNIST_DIR when set,
 * else Debian's package when its files are there, else the shipped fixture.
 */
export function resolveFashionMnistDir(
  dir?: string,
  lookup: FashionMnistLookup = {},
): { dir: string; source: FashionMnistSource } {
  if (dir !== undefined) return { dir, source: 'dir' };
  const env = 'env' in lookup ? lookup.env : process.env[FASHION_MNIST_ENV];
  if (env) return { dir: env, source: 'env' };
  const debian = lookup.debianDir ?? DEBIAN_FASHION_MNIST_DIR;
  if (findFile(debian, FILES.test.images)) return { dir: debian, source: 'debian' };
  return { dir: FIXTURE_FASHION_MNIST_DIR, source: 'fixture' };
}

/** Images per split in a FashionMNIST directory. */
export interface FashionMnistCounts {
  train: number;
  test: number;
}

/**
 * Checks that `dir` holds FashionMNIST: it is a directory with the four IDX files (each plain or .gz), 28×28 images
 * and one label per image; reads only the files' headers. `field` names the flag or variable in the error (e.g.
 * `--data`). Returns the number of images per split.
 */
export function checkFashionMnistDir(dir: string, field: string): FashionMnistCounts {
  const stems = [FILES.train.images, FILES.train.labels, FILES.test.images, FILES.test.labels];
  const expected = `a directory holding FashionMNIST's four IDX files (${stems.join(', ')}; each plain or .gz)`;
  const hint = `download the four files from https://github.com/zalandoresearch/fashion-mnist into one directory, or install Debian's dataset-fashion-mnist (${DEBIAN_FASHION_MNIST_DIR}), or leave out ${field} to use the shipped 1000-image subset`;
  const st = existsSync(dir) ? statSync(dir) : undefined;
  if (!st?.isDirectory()) {
    throw new ValidationError({
      field,
      received: dir,
      expected: `${expected}; ${st ? 'this is a file' : 'this path does not exist'}`,
      hint,
    });
  }
  const missing = stems.filter((stem) => !findFile(dir, stem));
  if (missing.length > 0) {
    throw new ValidationError({ field, received: dir, expected: `${expected}; missing: ${missing.join(', ')}`, hint });
  }
  const counts = { train: 0, test: 0 };
  for (const split of ['train', 'test'] as const) {
    const imagesFile = findFile(dir, FILES[split].images) as string;
    const labelsFile = findFile(dir, FILES[split].labels) as string;
    let images: number[];
    let labels: number[];
    try {
      images = readIdxHeader(imagesFile, 3);
      labels = readIdxHeader(labelsFile, 1);
    } catch (e) {
      throw new ValidationError({
        field,
        received: dir,
        expected: `${expected}; ${e instanceof Error ? e.message : String(e)}`,
        hint,
      });
    }
    if (images[1] !== FASHION_MNIST_SIDE || images[2] !== FASHION_MNIST_SIDE || labels[0] !== images[0]) {
      throw new ValidationError({
        field,
        received: dir,
        expected: `${expected}; ${imagesFile} holds ${images.join('×')} and ${labelsFile} ${labels[0]} labels, not N×${FASHION_MNIST_SIDE}×${FASHION_MNIST_SIDE} images with N labels`,
        hint,
      });
    }
    counts[split] = images[0];
  }
  return counts;
}

/** The FashionMNIST a run will read, described for the terminal and the report. */
export interface FashionMnistDescription {
  source: FashionMnistSource;
  dir: string;
  counts: FashionMnistCounts;
  /** One line, e.g. `fixtures subset (1000 train / 500 test images) — use --data DIR …`. */
  text: string;
}

/** What each source is called in {@link describeFashionMnist}. */
const SOURCE_NAMES: Record<FashionMnistSource, string> = {
  dir: '--data',
  env: FASHION_MNIST_ENV,
  debian: "Debian's dataset-fashion-mnist",
  fixture: 'fixtures subset',
};

/**
 * `FashionMNIST: <source> <dir>`, for a claim's details (report.json, report.md). The CLI passes `--data DIR` on as
 * AECHECK_FASHION_MNIST_DIR (so worker threads see it), hence the `env` source names both.
 */
export function fashionMnistSourceText(set: { source: FashionMnistSource; dir: string }): string {
  const name = set.source === 'env' ? `--data or ${FASHION_MNIST_ENV}` : SOURCE_NAMES[set.source];
  return `FashionMNIST: ${name} ${set.dir}`;
}

/**
 * Resolves and checks the FashionMNIST a run will read (see {@link resolveFashionMnistDir}); a `dir` or
 * AECHECK_FASHION_MNIST_DIR that does not hold the dataset is a ValidationError naming the flag or the variable.
 */
export function describeFashionMnist(dir?: string, lookup: FashionMnistLookup = {}): FashionMnistDescription {
  const where = resolveFashionMnistDir(dir, lookup);
  const field = where.source === 'dir' ? '--data' : where.source === 'env' ? FASHION_MNIST_ENV : where.dir;
  const counts = checkFashionMnistDir(where.dir, field);
  const images = `${counts.train} train / ${counts.test} test images`;
  const text =
    where.source === 'fixture'
      ? `fixtures subset (${images}) — use --data DIR or install dataset-fashion-mnist for the full set`
      : `${SOURCE_NAMES[where.source]} ${where.dir} (${images})`;
  return { ...where, counts, text };
}

/** A loaded split as the file's bytes (see {@link loadFashionMnistPixels}). */
export interface FashionMnistPixels {
  /**
   * N × 784 row-major bytes 0..255: a view of the parsed file, shared with every later load in this process, so
   * read-only. Pixel value = byte / {@link FASHION_MNIST_PIXEL_MAX}.
   */
  pixels: Uint8Array;
  /** N labels in 0..9 (a read-only view, as `pixels`). */
  labels: Uint8Array;
  /** N. */
  count: number;
  /** 784. */
  dim: number;
  /** Which source was read. */
  source: FashionMnistSource;
  /** The directory read. */
  dir: string;
}

/**
 * Loads one split of FashionMNIST as the file's bytes, converting nothing: for a caller that reduces the images first
 * (pooling), which then divides by {@link FASHION_MNIST_PIXEL_MAX} as it reads and gets the same bits as from
 * {@link loadFashionMnist}'s values without their N × 784 float64 copy (125 MB for 20 000 images). Same options and
 * errors as {@link loadFashionMnist}.
 */
export function loadFashionMnistPixels(options: LoadFashionMnistOptions): FashionMnistPixels {
  const { split, limit } = options;
  if (split !== 'train' && split !== 'test') {
    throw new ValidationError({ field: 'split', received: split, expected: "'train' or 'test'" });
  }
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1)) {
    throw new ValidationError({ field: 'limit', received: limit, expected: 'a positive integer' });
  }
  const { atMost } = options;
  if (atMost !== undefined && !(Number.isInteger(atMost) && atMost >= 1)) {
    throw new ValidationError({ field: 'atMost', received: atMost, expected: 'a positive integer' });
  }
  const { dir, source } = resolveFashionMnistDir(options.dir);
  const stems = FILES[split];
  const imagesFile = findFile(dir, stems.images);
  const labelsFile = findFile(dir, stems.labels);
  if (!imagesFile || !labelsFile) {
    throw new ValidationError({
      field: 'dir',
      received: dir,
      expected: `a directory with ${stems.images}(.gz) and ${stems.labels}(.gz)`,
      hint: 'install dataset-fashion-mnist (apt) or pass --data DIR with the IDX files',
    });
  }
  const imgs = readIdxCached(imagesFile, 3);
  const labs = readIdxCached(labelsFile, 1);
  const [n, rows, cols] = imgs.shape;
  if (rows !== FASHION_MNIST_SIDE || cols !== FASHION_MNIST_SIDE) {
    throw new ValidationError({
      field: imagesFile,
      received: `images of ${rows}×${cols}`,
      expected: `${FASHION_MNIST_SIDE}×${FASHION_MNIST_SIDE} images`,
    });
  }
  if (labs.shape[0] !== n) {
    throw new ValidationError({
      field: labelsFile,
      received: `${labs.shape[0]} labels`,
      expected: `${n} labels, one per image in ${imagesFile}`,
    });
  }
  if (limit !== undefined && limit > n) {
    throw new ValidationError({
      field: 'limit',
      received: limit,
      expected: `at most ${n} (the images in ${imagesFile})`,
      hint:
        source === 'fixture' ? 'the shipped fixture is a subset; install dataset-fashion-mnist for more' : undefined,
    });
  }
  const count = Math.min(limit ?? n, atMost ?? n);
  return {
    pixels: imgs.data.subarray(0, count * FASHION_MNIST_DIM),
    labels: labs.data.subarray(0, count),
    count,
    dim: FASHION_MNIST_DIM,
    source,
    dir,
  };
}

/** Loads one split of FashionMNIST (see the module comment for the sources): pixels as float64 in [0, 1], copied. */
export function loadFashionMnist(options: LoadFashionMnistOptions): FashionMnist {
  const { pixels, labels, count, dim, source, dir } = loadFashionMnistPixels(options);
  const images = new Float64Array(count * dim);
  for (let i = 0; i < images.length; i++) images[i] = pixels[i] / FASHION_MNIST_PIXEL_MAX;
  return { images, labels: Uint8Array.from(labels), count, dim, source, dir };
}
