/**
 * FashionMNIST (Xiao, Rasul & Vollgraf 2017) from its IDX files: 28×28 grey images, D = 784, pixels scaled to [0, 1]
 * as torchvision's ToTensor does. Sources, in order: an explicit `dir`, Debian's `dataset-fashion-mnist` package
 * (/usr/share/datasets/fashion-mnist), the subset shipped in `fixtures/fashion-mnist/` (1000 train + 500 test
 * images, made by `fixtures/scripts/makeFashionMnistFixture.ts`).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '../core/errors.ts';
import { type IdxArray, readIdxFile } from './idx.ts';

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
/** Largest pixel value (ToTensor divides by it). */
const PIXEL_MAX = 255;

/** Split names → file stems. */
const FILES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
} as const;

/** Where the images came from. */
export type FashionMnistSource = 'debian' | 'dir' | 'fixture';

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

/** The directory and source that {@link loadFashionMnist} would read. */
export function resolveFashionMnistDir(dir?: string): { dir: string; source: FashionMnistSource } {
  if (dir !== undefined) return { dir, source: 'dir' };
  if (findFile(DEBIAN_FASHION_MNIST_DIR, FILES.test.images)) return { dir: DEBIAN_FASHION_MNIST_DIR, source: 'debian' };
  return { dir: FIXTURE_FASHION_MNIST_DIR, source: 'fixture' };
}

/** Loads one split of FashionMNIST (see the module comment for the sources). */
export function loadFashionMnist(options: LoadFashionMnistOptions): FashionMnist {
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
  const images = new Float64Array(count * FASHION_MNIST_DIM);
  const src = imgs.data;
  for (let i = 0; i < images.length; i++) images[i] = src[i] / PIXEL_MAX;
  const labels = Uint8Array.from(labs.data.subarray(0, count));
  return { images, labels, count, dim: FASHION_MNIST_DIM, source, dir };
}
