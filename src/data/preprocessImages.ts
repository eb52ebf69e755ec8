/**
 * The authors' real-data preprocessing (paper Section 4; docs/theory-refinetti2022.md (E5);
 * `src/utils.py::preprocessData`), applied to a split as a whole: xs /= 2·std(xs) with one global scalar std over all
 * pixels and images, then xs −= mean(xs) with one global scalar mean. The result has global std ½ and mean 0; per-pixel
 * means are NOT removed, so Tr Ω/D ≈ ¼ and ε(0) ≈ 0.125.
 */
import { ValidationError } from '../core/errors.ts';

/** What {@link preprocessImages} did. */
export interface PreprocessResult {
  /** The preprocessed copy, same shape. */
  data: Float64Array;
  /** The global std of the input (population std, as torch's `std()` with N−1; the difference is O(1/(N·D))). */
  std: number;
  /** The global mean subtracted after scaling. */
  mean: number;
}

/** Global-scalar standardisation of docs/theory-refinetti2022.md (E5) (returns a new array). */
export function preprocessImages(images: Float64Array): PreprocessResult {
  const n = images.length;
  if (n < 2) {
    throw new ValidationError({ field: 'images', received: `${n} entries`, expected: 'at least 2 entries' });
  }
  let s = 0;
  for (let i = 0; i < n; i++) s += images[i];
  const m0 = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = images[i] - m0;
    ss += d * d;
  }
  // torch.std is the unbiased (N − 1) estimator.
  const std = Math.sqrt(ss / (n - 1));
  if (!(std > 0)) {
    throw new ValidationError({ field: 'images', received: 'constant data', expected: 'data with positive variance' });
  }
  const scale = 1 / (2 * std);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = images[i] * scale;
  const mean = m0 * scale;
  for (let i = 0; i < n; i++) data[i] -= mean;
  return { data, std, mean };
}
