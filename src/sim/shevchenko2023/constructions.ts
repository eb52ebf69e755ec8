/**
 * Encoders of Shevchenko et al. 2023 (docs/theory-shevchenko2023.md (S7), (S8)): Haar orthonormal rows (r ≤ 1), Haar
 * tight frames (r > 1) and i.i.d. Gaussian encoders. Every construction takes an RNG.
 */
import { ValidationError } from '../../core/errors.ts';
import { haarColumns, haarOrthogonal } from '../../core/linalg.ts';
import { type Matrix, matrix } from '../../core/matrix.ts';
import type { Rng } from '../../core/rng.ts';
import { normalizeRows } from '../../theory/shevchenko2023/signRisk.ts';

function checkSizes(codeLength: number, dim: number): void {
  if (!Number.isInteger(dim) || dim < 1)
    throw new ValidationError({ field: 'dim', received: dim, expected: 'a positive integer d' });
  if (!Number.isInteger(codeLength) || codeLength < 1) {
    throw new ValidationError({ field: 'codeLength', received: codeLength, expected: 'a positive integer n' });
  }
}

/** n ≤ d orthonormal rows: the first n rows of a d×d Haar orthogonal matrix. */
export function haarOrthonormalRows(codeLength: number, dim: number, rng: Rng): Matrix {
  checkSizes(codeLength, dim);
  if (codeLength > dim) {
    throw new ValidationError({
      field: 'codeLength',
      received: codeLength,
      expected: `at most d = ${dim} for orthonormal rows`,
      hint: 'use haarTightFrame for r > 1',
    });
  }
  const q = haarOrthogonal(dim, rng);
  return matrix(codeLength, dim, q.data.slice(0, codeLength * dim));
}

/** A unit-norm (approximately tight) frame for n ≥ d: the first d columns of an n×n Haar matrix, rows normalised. */
export function haarTightFrame(codeLength: number, dim: number, rng: Rng): Matrix {
  checkSizes(codeLength, dim);
  if (codeLength < dim) {
    throw new ValidationError({
      field: 'codeLength',
      received: codeLength,
      expected: `at least d = ${dim} for a tight frame`,
      hint: 'use haarOrthonormalRows for r ≤ 1',
    });
  }
  return normalizeRows(haarColumns(codeLength, dim, rng));
}

/** An n×d matrix of i.i.d. N(0, scale²) entries. */
export function gaussianMatrix(rows: number, cols: number, rng: Rng, scale = 1): Matrix {
  const m = matrix(rows, cols);
  rng.fillNormal(m.data, 0, m.data.length, scale);
  return m;
}
