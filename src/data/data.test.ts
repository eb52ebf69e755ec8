import { gzipSync } from 'node:zlib';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/errors.ts';
import { CIFAR_RECORD_BYTES, parseCifar10 } from './cifar10.ts';
import {
  FASHION_MNIST_DIM,
  FASHION_MNIST_PIXEL_MAX,
  FIXTURE_FASHION_MNIST_DIR,
  loadFashionMnist,
  loadFashionMnistPixels,
} from './fashionMnist.ts';
import { encodeIdx, maybeGunzip, parseIdx, readIdxFile } from './idx.ts';
import { createImageSource, secondMomentSource } from './imageSource.ts';
import { preprocessImages } from './preprocessImages.ts';
import { applyWhitener, fitWhitener, poolImages, resampleImages, type WhitenGemm } from './whiten.ts';
import { getKernelSet } from '../kernels/registry.ts';
import { gemm as referenceGemm } from '../kernels/reference/gemm.ts';
import { backendAvailability } from '../testing/testArrays.ts';
import { createRng } from '../core/rng.ts';

describe('IDX reader', () => {
  it('round-trips encodeIdx through gzip', () => {
    const data = Uint8Array.from({ length: 24 }, (_, i) => i * 7);
    const bytes = gzipSync(encodeIdx([2, 3, 4], data));
    const arr = parseIdx(maybeGunzip(new Uint8Array(bytes), 'x'), 'x', 3);
    expect(arr.shape).toEqual([2, 3, 4]);
    expect(Array.from(arr.data)).toEqual(Array.from(data));
  });
  it('names the file, what was read and what was expected on a truncated file', () => {
    const full = encodeIdx([2, 3, 4], new Uint8Array(24));
    expect(() => parseIdx(full.subarray(0, 30), 'f.idx')).toThrow(/f\.idx: received "14 data bytes.*expected 24 bytes/);
    expect(() => parseIdx(Uint8Array.of(1, 2, 3, 4), 'bad')).toThrow(ValidationError);
    const gz = gzipSync(full);
    const dir = mkdtempSync(join(tmpdir(), 'idx-'));
    const file = join(dir, 'cut.gz');
    writeFileSync(file, gz.subarray(0, gz.length - 10));
    expect(() => readIdxFile(file)).toThrow(/cut\.gz.*gzip/);
  });
});

describe('FashionMNIST', () => {
  it('loads the shipped fixture subset with pixels in [0, 1]', () => {
    const train = loadFashionMnist({ split: 'train', dir: FIXTURE_FASHION_MNIST_DIR });
    const test = loadFashionMnist({ split: 'test', dir: FIXTURE_FASHION_MNIST_DIR, limit: 100 });
    expect(train.count).toBe(1000);
    expect(test.count).toBe(100);
    expect(train.dim).toBe(FASHION_MNIST_DIM);
    expect(train.images.length).toBe(1000 * 784);
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const x of train.images) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    expect(lo).toBe(0);
    expect(hi).toBe(1);
    expect(Math.max(...train.labels)).toBe(9);
  });
  it('atMost keeps at most that many images, without the error limit gives past the end; copies are independent', () => {
    const few = loadFashionMnist({ split: 'train', dir: FIXTURE_FASHION_MNIST_DIR, atMost: 10 });
    const all = loadFashionMnist({ split: 'train', dir: FIXTURE_FASHION_MNIST_DIR, atMost: 5000 });
    expect(few.count).toBe(10);
    expect(all.count).toBe(1000);
    expect(Array.from(few.images)).toEqual(Array.from(all.images.subarray(0, 10 * FASHION_MNIST_DIM)));
    // The second load came from the parsed-file cache: writing into one result does not show in the next.
    few.images.fill(-1);
    expect(loadFashionMnist({ split: 'train', dir: FIXTURE_FASHION_MNIST_DIR, atMost: 10 }).images[0]).toBe(
      all.images[0],
    );
    expect(() => loadFashionMnist({ split: 'train', dir: FIXTURE_FASHION_MNIST_DIR, atMost: 0 })).toThrow(/atMost/);
    expect(() => loadFashionMnist({ split: 'train', dir: FIXTURE_FASHION_MNIST_DIR, limit: 5000 })).toThrow(
      /at most 1000/,
    );
  });
  it('the raw bytes, resampled with divisor 255, give the bits of the converted images resampled (pooled and area-averaged)', () => {
    const values = loadFashionMnist({ split: 'test', dir: FIXTURE_FASHION_MNIST_DIR, atMost: 40 });
    const bytes = loadFashionMnistPixels({ split: 'test', dir: FIXTURE_FASHION_MNIST_DIR, atMost: 40 });
    expect(bytes.count).toBe(40);
    expect(bytes.pixels.length).toBe(40 * FASHION_MNIST_DIM);
    expect(Array.from(bytes.labels)).toEqual(Array.from(values.labels));
    // 28 and 14 divide 28 (pooling), 13 and 10 do not (area averaging).
    for (const side of [28, 14, 13, 10]) {
      const fromValues = resampleImages(values.images, 40, 28, side);
      const fromBytes = resampleImages(bytes.pixels, 40, 28, side, FASHION_MNIST_PIXEL_MAX);
      expect(fromBytes.side).toBe(side);
      expect(Array.from(fromBytes.images)).toEqual(Array.from(fromValues.images));
    }
    expect(() => loadFashionMnistPixels({ split: 'train', dir: FIXTURE_FASHION_MNIST_DIR, limit: 5000 })).toThrow(
      /at most 1000/,
    );
  });
  it('rejects a missing directory with a hint', () => {
    expect(() => loadFashionMnist({ split: 'train', dir: '/nonexistent' })).toThrow(/dataset-fashion-mnist/);
  });
  it('preprocesses to global std ½ and mean 0 (docs/theory-refinetti2022.md (E5))', () => {
    const { images } = loadFashionMnist({ split: 'test', dir: FIXTURE_FASHION_MNIST_DIR });
    const { data } = preprocessImages(images);
    let s = 0;
    let ss = 0;
    for (const x of data) s += x;
    const m = s / data.length;
    for (const x of data) ss += (x - m) ** 2;
    expect(Math.abs(m)).toBeLessThan(1e-12);
    expect(Math.sqrt(ss / (data.length - 1))).toBeCloseTo(0.5, 12);
  });
});

describe('CIFAR-10 binary', () => {
  it('reads a synthetic two-record file and converts to luma', () => {
    const bytes = new Uint8Array(2 * CIFAR_RECORD_BYTES);
    bytes[0] = 3;
    bytes.fill(255, 1, 1 + 1024); // record 0: pure red
    bytes[CIFAR_RECORD_BYTES] = 9;
    bytes.fill(255, CIFAR_RECORD_BYTES + 1 + 2048, 2 * CIFAR_RECORD_BYTES); // record 1: pure blue
    const c = parseCifar10(bytes, 'synthetic.bin');
    expect(c.count).toBe(2);
    expect(Array.from(c.labels)).toEqual([3, 9]);
    expect(c.images[0]).toBeCloseTo(Math.round(0.299 * 255) / 255, 15);
    expect(c.images[1024]).toBeCloseTo(Math.round(0.114 * 255) / 255, 15);
    const rgb = parseCifar10(bytes, 'synthetic.bin', { grayscale: false });
    expect(rgb.dim).toBe(3072);
    expect(() => parseCifar10(bytes.subarray(0, 5000), 'cut.bin')).toThrow(/cut\.bin.*multiple of 3073/);
    const badLabel = Uint8Array.from(bytes);
    badLabel[0] = 42;
    expect(() => parseCifar10(badLabel, 'b.bin')).toThrow(/label 42/);
  });
});

describe('spiked covariance (docs/theory-refinetti2022.md (E4))', () => {
  it('population and empirical constructions agree on the spikes; sinusoidal rows have norm √D', async () => {
    const { createRng } = await import('../core/rng.ts');
    const { spikedCovariance, spikeDirections, spikeAmplitudes } = await import('./spikedCovariance.ts');
    expect(spikeAmplitudes(4)).toEqual([3, 5, 9, 17]);
    const D = 40;
    const sin = spikeDirections(D, 2, 'sinusoidal', createRng(1));
    let n0 = 0;
    for (let i = 0; i < D; i++) n0 += sin[i] ** 2;
    expect(n0).toBeCloseTo(D, 10);
    const pop = spikedCovariance({ dim: D, spikes: 2, directions: 'sinusoidal', rng: createRng(2) });
    const emp = spikedCovariance({
      dim: D,
      spikes: 2,
      directions: 'sinusoidal',
      construction: 'empirical',
      samples: 4000,
      rng: createRng(2),
    });
    expect(pop.traceOmegaOverD).toBeCloseTo(1, 12);
    expect(emp.directions).toBe(D);
    expect(Math.abs(emp.traceOmegaOverD - 1)).toBeLessThan(0.01);
    // top eigenvalue within Monte-Carlo error (relative std ≈ √(2/P) ≈ 2.2%)
    expect(Math.abs(emp.values[0] / pop.values[0] - 1)).toBeLessThan(0.1);
    // standardised population bulk: σ² / (TrΩ_raw/D) with σ = 1, and ρ_τ ≥ bulk
    expect(pop.values[1]).toBeGreaterThan(pop.bulk);
  });
});

describe('image resampling by area averaging', () => {
  const side = 28;
  const random = (count: number) => {
    const rng = createRng(5);
    return Float64Array.from({ length: count * side * side }, () => rng.uniform());
  };
  it('is the average pooling when the new side divides the old one', () => {
    const images = random(2);
    expect(resampleImages(images, 2, side, 7).images).toEqual(poolImages(images, 2, side, 4).images);
  });
  it('equals upsampling each pixel to an out × out block and pooling by the old side (28 → 10)', () => {
    const images = random(2);
    const out = 10;
    const fine = new Float64Array(2 * (side * out) ** 2);
    for (let s = 0; s < 2; s++)
      for (let a = 0; a < side * out; a++)
        for (let b = 0; b < side * out; b++)
          fine[s * (side * out) ** 2 + a * side * out + b] =
            images[s * side * side + Math.floor(a / out) * side + Math.floor(b / out)];
    const expected = poolImages(fine, 2, side * out, side).images;
    const got = resampleImages(images, 2, side, out);
    expect(got.side).toBe(out);
    for (let i = 0; i < expected.length; i++) expect(got.images[i]).toBeCloseTo(expected[i], 12);
  });
  it('rejects a side that is not an integer in [1, side], naming the field', () => {
    expect(() => resampleImages(random(1), 1, side, 29)).toThrow(/outSide/);
    expect(() => resampleImages(random(1), 1, side, 2.5)).toThrow(/outSide/);
  });
});

const blas = await backendAvailability('openblas');

describe('whitening (fitWhitener, applyWhitener)', () => {
  // Correlated data: x = z·C with z ~ N(0, I), so Σ = CᵀC; 2500 rows cross the 2048-row blocks of both functions.
  const dim = 5;
  const count = 2500;
  const mix = Float64Array.from({ length: dim * dim }, (_, i) => (i % (dim + 1) === 0 ? 2 : 0.3 * Math.sin(i + 1)));
  const data = new Float64Array(count * dim);
  {
    const z = new Float64Array(count * dim);
    createRng(11).fillNormal(z);
    for (let s = 0; s < count; s++)
      for (let j = 0; j < dim; j++) {
        let acc = 1.5 * (j + 1); // a mean to remove
        for (let t = 0; t < dim; t++) acc += z[s * dim + t] * mix[t * dim + j];
        data[s * dim + j] = acc;
      }
  }

  /** The mean and the covariance Σ (divisor count − 1) written out with plain loops. */
  function byLoops() {
    const mean = new Float64Array(dim);
    for (let s = 0; s < count; s++) for (let j = 0; j < dim; j++) mean[j] += data[s * dim + j] / count;
    const cov = new Float64Array(dim * dim);
    for (let s = 0; s < count; s++)
      for (let i = 0; i < dim; i++)
        for (let j = 0; j < dim; j++)
          cov[i * dim + j] += ((data[s * dim + i] - mean[i]) * (data[s * dim + j] - mean[j])) / (count - 1);
    return { mean, cov };
  }

  it('whitens: the whitened rows have covariance (Σ + ridge)⁻¹Σ, the identity up to the ridge', () => {
    const w = fitWhitener(data, count, dim, 0);
    const x = applyWhitener(w, data, count);
    for (let i = 0; i < dim; i++) {
      for (let j = 0; j < dim; j++) {
        let c = 0;
        for (let s = 0; s < count; s++) c += (x[s * dim + i] * x[s * dim + j]) / (count - 1);
        expect(Math.abs(c - (i === j ? 1 : 0))).toBeLessThan(1e-10);
      }
    }
    // The mean and the transform against the definitions: W·Σ·W = I and W symmetric.
    const { mean, cov } = byLoops();
    for (let j = 0; j < dim; j++) expect(Math.abs(w.mean[j] - mean[j])).toBeLessThan(1e-12);
    for (let i = 0; i < dim; i++) {
      for (let j = 0; j < dim; j++) {
        expect(w.transform[i * dim + j]).toBe(w.transform[j * dim + i]);
        let wsw = 0;
        for (let a = 0; a < dim; a++)
          for (let b = 0; b < dim; b++) wsw += w.transform[i * dim + a] * cov[a * dim + b] * w.transform[b * dim + j];
        expect(Math.abs(wsw - (i === j ? 1 : 0))).toBeLessThan(1e-10);
      }
    }
  });

  it('the ridge is the fraction of the mean eigenvalue, added to every eigenvalue', () => {
    const { cov } = byLoops();
    let trace = 0;
    for (let i = 0; i < dim; i++) trace += cov[i * dim + i];
    const w = fitWhitener(data, count, dim, 0.5);
    expect(w.ridge / (0.5 * (trace / dim))).toBeCloseTo(1, 10);
  });

  it('a gemm that writes `out` and one that returns a new array give the same bits; a block-split apply equals one row at a time', () => {
    const calls: number[] = [];
    const writesOut: WhitenGemm = (args) => {
      calls.push(args.k);
      const c = referenceGemm(args);
      if (!args.out) return c;
      args.out.set(c);
      return args.out;
    };
    const a = fitWhitener(data, count, dim, 1e-3, undefined, writesOut);
    const b = fitWhitener(data, count, dim, 1e-3);
    expect(Array.from(a.transform)).toEqual(Array.from(b.transform));
    // Two covariance blocks (2048 + 452 rows), then the transform's product.
    expect(calls).toEqual([2048, count - 2048, dim]);
    const whole = applyWhitener(b, data, count, writesOut);
    expect(Array.from(applyWhitener(b, data, count))).toEqual(Array.from(whole));
    const last = applyWhitener(b, data.subarray((count - 1) * dim), 1);
    expect(Array.from(last)).toEqual(Array.from(whole.subarray((count - 1) * dim)));
  });

  it.skipIf(!blas.available)(
    `OpenBLAS's gemm gives the reference's whitened rows to 1e-12${blas.skipNote}`,
    async () => {
      const { gemm } = await getKernelSet('openblas');
      const w = fitWhitener(data, count, dim, 1e-3, undefined, gemm);
      const ref = fitWhitener(data, count, dim, 1e-3);
      const x = applyWhitener(w, data, count, gemm);
      const xRef = applyWhitener(ref, data, count);
      let worst = 0;
      for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - xRef[i]));
      expect(worst).toBeLessThan(1e-12);
    },
  );
});

describe('second moment of images (secondMomentSource)', () => {
  // 2500 rows cross the 2048-row blocks; the rows have a mean, so Ω = XᵀX/N is not the covariance.
  const dim = 6;
  const count = 2500;
  const images = new Float64Array(count * dim);
  createRng(5).fillNormal(images);
  for (let i = 0; i < images.length; i++) images[i] += 0.5 * (i % dim);
  const source = createImageSource(images, dim, 'test rows');
  /** Ω by plain loops, in float64: the definition. */
  function byLoops(): Float64Array {
    const omega = new Float64Array(dim * dim);
    for (let p = 0; p < count; p++)
      for (let i = 0; i < dim; i++)
        for (let j = 0; j < dim; j++) omega[i * dim + j] += (images[p * dim + i] * images[p * dim + j]) / count;
    return omega;
  }
  /** Ω back from the source's eigendecomposition: Σ_t λ_t v_t v_tᵀ. */
  function omegaOf(src: ReturnType<typeof secondMomentSource>): Float64Array {
    const { values, basis, directions } = src;
    const omega = new Float64Array(dim * dim);
    for (let t = 0; t < directions; t++)
      for (let i = 0; i < dim; i++)
        for (let j = 0; j < dim; j++) omega[i * dim + j] += values[t] * basis[t * dim + i] * basis[t * dim + j];
    return omega;
  }

  it('is XᵀX/N over all the blocks (to round-off), on the reference GEMM and, where it loads, on OpenBLAS', async () => {
    const want = byLoops();
    const gemms: WhitenGemm[] = [referenceGemm];
    if (blas.available) gemms.push((await getKernelSet('openblas')).gemm);
    for (const gemm of gemms) {
      const calls: number[] = [];
      const counting: WhitenGemm = (args) => {
        calls.push(args.k);
        return gemm(args);
      };
      const got = omegaOf(secondMomentSource(source, undefined, counting));
      expect(calls).toEqual([2048, count - 2048]);
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-12 * 10);
    }
  });
});
