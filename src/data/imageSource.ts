/**
 * Real images as an online-SGD source (docs/theory-refinetti2022.md (E5), the authors' `--online 0`): each step takes
 * one training image uniformly at random (with replacement, batch size 1); the test error is measured on the test
 * images; the theory uses Ω = the uncentred second moment of the (preprocessed) test images over all D
 * eigen-directions.
 */
import { ValidationError } from '../core/errors.ts';
import { type SymmetricEigenFn, symmetricEigen } from '../core/linalg.ts';
import type { Rng } from '../core/rng.ts';
import { gemm as referenceGemm } from '../kernels/reference/gemm.ts';
import { blockedGram, type DataGemm } from './blockedGram.ts';
import type { GaussianSource } from './gaussianSource.ts';
import { sourceFromSecondMoment } from './spikedCovariance.ts';

/** A finite set of images to sample from. */
export interface ImageSource {
  readonly kind: 'images';
  readonly dim: number;
  /** N × D row-major. */
  readonly images: Float64Array;
  readonly count: number;
  readonly label: string;
}

/** Wraps preprocessed images. */
export function createImageSource(images: Float64Array, dim: number, label: string): ImageSource {
  if (images.length === 0 || images.length % dim !== 0) {
    throw new ValidationError({
      field: 'images',
      received: `length ${images.length}`,
      expected: `a positive multiple of D = ${dim}`,
    });
  }
  return { kind: 'images', dim, images, count: images.length / dim, label };
}

/** Copies a uniformly random image into `out`. Allocates nothing. */
export function sampleImageSource(source: ImageSource, rng: Rng, out: Float64Array): void {
  const i = rng.int(source.count);
  const D = source.dim;
  out.set(source.images.subarray(i * D, (i + 1) * D));
}

/**
 * Ω = XᵀX/N of the images, eigendecomposed over all D directions by `eigen` (default: core/linalg's JavaScript
 * `symmetricEigen`), as a Gaussian source (the theory's Ω). XᵀX is a blocked Gram product on `gemm` (default: the
 * reference one; a run passes its kernels' `gemm`, on OpenBLAS about 1 s for 60 000 images at D = 784, where plain loops
 * took 56 CPU s).
 */
export function secondMomentSource(
  source: ImageSource,
  eigen: SymmetricEigenFn = symmetricEigen,
  gemm: DataGemm = referenceGemm,
): GaussianSource {
  const { dim: D, count: N, images } = source;
  const gram = blockedGram(N, D, (from, rows) => images.subarray(from * D, (from + rows) * D), gemm);
  // Symmetrised from the upper triangle, so that the eigensolver sees an exactly symmetric matrix.
  const omega = new Float64Array(D * D);
  for (let i = 0; i < D; i++) {
    for (let j = i; j < D; j++) {
      const v = gram[i * D + j] / N;
      omega[i * D + j] = v;
      omega[j * D + i] = v;
    }
  }
  return sourceFromSecondMoment(omega, D, `second moment of ${source.label}`, eigen);
}
