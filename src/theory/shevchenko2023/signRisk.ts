/**
 * Population risk of the sign autoencoder x̂ = A sign(Bx) for x ~ N(0, I_d) (Shevchenko et al. 2023, eq. (1.1);
 * docs/theory-shevchenko2023.md (R1)–(S8)). Naming as in the paper: A is the decoder (d×n), B the encoder (n×d); risk
 * per coordinate, R = (1/d) E‖x − x̂‖². Float64, deterministic, plain loops (no kernel backend).
 */
import { ValidationError } from '../../core/errors.ts';
import { cholesky, solveLower, solveLowerTransposed } from '../../core/linalg.ts';
import { type Matrix, matrix } from '../../core/matrix.ts';

/** c = √(2/π): E[x sign(u·x)] = c·u. */
export const C_SIGN = Math.sqrt(2 / Math.PI);
/** κ = π/2 − 1, the Bussgang noise-to-signal ratio of sign. */
export const KAPPA = Math.PI / 2 - 1;
/**
 * Entries of M are clipped to ±(1 − GRAM_CLIP) before 1/√(1 − M²) (docs/theory-shevchenko2023.md (S11a): parallel rows
 * blow the factor up).
 */
export const GRAM_CLIP = 1e-9;

/** B̂: the rows of B scaled to unit norm (sign(c t) = sign(t) for c > 0, so R depends on B only through B̂). */
export function normalizeRows(b: Matrix): Matrix {
  const out = matrix(b.rows, b.cols);
  for (let i = 0; i < b.rows; i++) {
    let s = 0;
    for (let j = 0; j < b.cols; j++) s += b.data[i * b.cols + j] ** 2;
    if (!(s > 0)) {
      throw new ValidationError({
        field: `encoder row ${i}`,
        received: 'a zero row',
        expected: 'rows with nonzero norm',
        hint: 'sign(0·x) carries no information; drop or redraw the row',
      });
    }
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < b.cols; j++) out.data[i * b.cols + j] = b.data[i * b.cols + j] * inv;
  }
  return out;
}

/** X Yᵀ for row-major X (p×k) and Y (q×k). */
export function multiplyTransposed(x: Matrix, y: Matrix): Matrix {
  if (x.cols !== y.cols) throw new RangeError(`multiplyTransposed: ${x.rows}×${x.cols} and ${y.rows}×${y.cols}`);
  const out = matrix(x.rows, y.rows);
  const k = x.cols;
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < y.rows; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += x.data[i * k + p] * y.data[j * k + p];
      out.data[i * y.rows + j] = s;
    }
  }
  return out;
}

/** Entries of M within SNAP_ULPS·d·ε64 of ±1 are set to ±1: exactly (anti)parallel unit rows give a dot product that is
 * ±1 only up to d roundings, and arcsin's infinite slope at ±1 would turn that into an error of √(ε64·d). */
const SNAP_ULPS = 8;

/** Sets |v| ≈ 1 (within round-off of a length-d dot product of unit vectors) to exactly ±1. */
export function snapUnit(v: number, d: number): number {
  return Math.abs(Math.abs(v) - 1) <= SNAP_ULPS * d * Number.EPSILON ? Math.sign(v) : v;
}

/** M = B̂ B̂ᵀ (n×n, unit diagonal; entries at ±1 up to round-off snapped to ±1). */
export function gramOfRows(bHat: Matrix): Matrix {
  const n = bHat.rows;
  const k = bHat.cols;
  const x = bHat.data;
  const m = matrix(n, n);
  const out = m.data;
  // The upper triangle, row i against four rows j at a time: each entry is still one dot product summed in order
  // p = 0..k−1 (the bits of multiplyTransposed), and M_ji is the same product, so it is mirrored, not recomputed.
  for (let i = 0; i < n; i++) {
    const xi = i * k;
    let j = i + 1;
    for (; j + 3 < n; j += 4) {
      const x0 = j * k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let p = 0; p < k; p++) {
        const v = x[xi + p];
        s0 += v * x[x0 + p];
        s1 += v * x[x0 + k + p];
        s2 += v * x[x0 + 2 * k + p];
        s3 += v * x[x0 + 3 * k + p];
      }
      out[i * n + j] = s0;
      out[i * n + j + 1] = s1;
      out[i * n + j + 2] = s2;
      out[i * n + j + 3] = s3;
    }
    for (; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += x[xi + p] * x[j * k + p];
      out[i * n + j] = s;
    }
  }
  for (let i = 0; i < n; i++) {
    out[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) {
      const v = snapUnit(out[i * n + j], k);
      out[i * n + j] = v;
      out[j * n + i] = v;
    }
  }
  return m;
}

/** max_{i≠j} |M_ij| below 1 (exactly parallel pairs, snapped to ±1, excluded): how ill-conditioned arcsin(M) is. */
export function largestOverlap(m: Matrix): number {
  let worst = 0;
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) {
      const v = Math.abs(m.data[i * m.cols + j]);
      if (i !== j && v < 1) worst = Math.max(worst, v);
    }
  }
  return worst;
}

/** arcsin applied entrywise. */
export function entrywiseArcsin(m: Matrix): Matrix {
  return matrix(
    m.rows,
    m.cols,
    m.data.map((v) => Math.asin(Math.max(-1, Math.min(1, v)))),
  );
}

function checkShapes(a: Matrix, b: Matrix): void {
  if (a.rows !== b.cols || a.cols !== b.rows) {
    throw new ValidationError({
      field: 'decoder',
      received: `${a.rows}×${a.cols}`,
      expected: `d×n = ${b.cols}×${b.rows} for an encoder of ${b.rows}×${b.cols}`,
    });
  }
}

/**
 * (R1): R(A, B) = 1 − (2/d)·c·tr(A B̂) + (2/(π d))·tr(A arcsin(M) Aᵀ).
 */
export function signRisk(decoder: Matrix, encoder: Matrix): number {
  checkShapes(decoder, encoder);
  const d = encoder.cols;
  const n = encoder.rows;
  const bHat = normalizeRows(encoder);
  const am = entrywiseArcsin(gramOfRows(bHat));
  let trAB = 0;
  for (let i = 0; i < d; i++) for (let k = 0; k < n; k++) trAB += decoder.data[i * n + k] * bHat.data[k * d + i];
  // tr(A S Aᵀ) = Σ_i a_i S a_iᵀ over the rows a_i of A.
  let quad = 0;
  for (let i = 0; i < d; i++) {
    const ao = i * n;
    for (let k = 0; k < n; k++) {
      let s = 0;
      for (let l = 0; l < n; l++) s += am.data[k * n + l] * decoder.data[ao + l];
      quad += decoder.data[ao + k] * s;
    }
  }
  return 1 - (2 / d) * C_SIGN * trAB + (2 / (Math.PI * d)) * quad;
}

/**
 * Relative pivot at or below which arcsin(M) counts as singular. arcsin(M) = Σ_k c_k M^∘(2k+1) with every c_k > 0 is
 * positive semi-definite, and definite unless two rows of B are parallel: then M's entries are snapped to ±1, two rows
 * of arcsin(M) agree up to sign, and elimination leaves a pivot of round-off size, 0 or ±(1–3)e-16 of the diagonal
 * entry π/2 (measured for rows at θ ≤ 1e-8 rad, where cos θ rounds to 1; signRisk.test.ts). Rows at a larger angle
 * θ leave a relative pivot of about θ/3 (3.4e-7 at θ = 1e-6), so 1e-12 refuses only what float64 cannot tell from
 * parallel.
 */
export const SINGULAR_PIVOT = 1e-12;

/**
 * L with L·Lᵀ = arcsin(M) (Cholesky: arcsin(M) is symmetric positive definite for a generic encoder), naming the cause
 * when it is singular (two rows parallel).
 */
function arcsinCholesky(bHat: Matrix): Matrix {
  try {
    return cholesky(entrywiseArcsin(gramOfRows(bHat)), SINGULAR_PIVOT);
  } catch (e) {
    throw singularEncoder(e);
  }
}

/** The error for an encoder whose arcsin(M) a Cholesky factorisation refused (`cause`: the factorisation's error). */
export function singularEncoder(cause: unknown): ValidationError {
  return new ValidationError({
    field: 'encoder',
    received: `rows whose arcsin(M) is singular (${cause instanceof Error ? cause.message : String(cause)})`,
    expected: 'a generic encoder: no two rows parallel (always violated at d = 1 with n ≥ 2)',
    hint: 'perturb or drop the parallel rows',
  });
}

/** (A1): the optimal decoder A*(B) = √(π/2) B̂ᵀ arcsin(M)⁻¹ (d×n). */
export function optimalDecoder(encoder: Matrix): Matrix {
  const bHat = normalizeRows(encoder);
  const l = arcsinCholesky(bHat);
  // arcsin(M)⁻¹ B̂ = L⁻ᵀ L⁻¹ B̂ (n×d); A* is its transpose (arcsin(M) is symmetric).
  const x = solveLowerTransposed(l, solveLower(l, bHat));
  const n = encoder.rows;
  const d = encoder.cols;
  const a = matrix(d, n);
  const s = Math.sqrt(Math.PI / 2);
  for (let k = 0; k < n; k++) for (let i = 0; i < d; i++) a.data[i * n + k] = s * x.data[k * d + i];
  return a;
}

/**
 * (R2): R*(B) = min_A R(A, B) = 1 − (1/d)·tr(M arcsin(M)⁻¹). With M = B̂B̂ᵀ and arcsin(M) = L·Lᵀ the trace is
 * tr(B̂ᵀ L⁻ᵀ L⁻¹ B̂) = ‖L⁻¹B̂‖²_F: one Cholesky factor (n³/3 multiply-adds) and one triangular solve with d right-hand
 * sides (n²d/2), where an LU solve against M's n columns needed about 3n³.
 */
export function reducedRisk(encoder: Matrix): number {
  const bHat = normalizeRows(encoder);
  const y = solveLower(arcsinCholesky(bHat), bHat);
  let tr = 0;
  for (const v of y.data) tr += v * v;
  return 1 - tr / encoder.cols;
}

/** S = Σ_ij M_ij arcsin(M_ij), the statistic of the tied decoder. */
function tiedStatistic(encoder: Matrix): number {
  const m = gramOfRows(normalizeRows(encoder));
  let s = 0;
  for (const v of m.data) s += v * Math.asin(Math.max(-1, Math.min(1, v)));
  return s;
}

/**
 * Tied decoder A = β B̂ᵀ with the best β: R_tied(B) = 1 − n²/(d S), β* = n/(c S) (docs/theory-shevchenko2023.md (S4),
 * exact proof).
 */
export function tiedRisk(encoder: Matrix): { risk: number; beta: number } {
  const s = tiedStatistic(encoder);
  const n = encoder.rows;
  return { risk: 1 - (n * n) / (encoder.cols * s), beta: n / (C_SIGN * s) };
}

/** (LB): R_opt(r) = 1 − r/(π/2 + max(r − 1, 0)). */
export function optimalRisk(rate: number): number {
  if (!(rate > 0))
    throw new ValidationError({ field: 'rate', received: rate, expected: 'a positive compression rate r = n/d' });
  return 1 - rate / (Math.PI / 2 + Math.max(rate - 1, 0));
}

/** Shannon's distortion-rate function of an i.i.d. N(0, 1) source at r bits per symbol: D(r) = 2^(−2r). */
export function shannonDistortion(rate: number): number {
  return 2 ** (-2 * rate);
}

/**
 * The scale α of the optimal decoder A ≈ α B̂ᵀ: √(2/π) for r ≤ 1, √(π/2)/(r + π/2 − 1) for r > 1
 * (docs/theory-shevchenko2023.md (S8)).
 */
export function decoderScale(rate: number): number {
  return rate <= 1 ? C_SIGN : Math.sqrt(Math.PI / 2) / (rate + KAPPA);
}

/**
 * Gradients of L = d·R at (A, B) for unit-norm rows (docs/theory-shevchenko2023.md (S11a)): ∂L/∂A = −2c B̂ᵀ + 2c² A
 * arcsin(M), and ∂L/∂B̂ = −2c Aᵀ + 2 G B̂ with G = c² (AᵀA) ∘ (1 − M∘M)^(−1/2), zero diagonal; the B gradient is ∂L/∂B̂
 * projected on the tangent space of each row's sphere and divided by the row norm (the chain rule through B̂ = B/‖b‖).
 */
export function signRiskGradients(decoder: Matrix, encoder: Matrix): { gradA: Matrix; gradB: Matrix; loss: number } {
  checkShapes(decoder, encoder);
  const d = encoder.cols;
  const n = encoder.rows;
  const bHat = normalizeRows(encoder);
  const m = gramOfRows(bHat);
  const am = entrywiseArcsin(m);
  const c2 = C_SIGN * C_SIGN;
  const gradA = matrix(d, n);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < n; k++) {
      let s = 0;
      for (let l = 0; l < n; l++) s += decoder.data[i * n + l] * am.data[l * n + k];
      gradA.data[i * n + k] = -2 * C_SIGN * bHat.data[k * d + i] + 2 * c2 * s;
    }
  }
  // AᵀA (n×n).
  const ata = matrix(n, n);
  for (let k = 0; k < n; k++) {
    for (let l = 0; l < n; l++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += decoder.data[i * n + k] * decoder.data[i * n + l];
      ata.data[k * n + l] = s;
    }
  }
  const g = matrix(n, n);
  for (let k = 0; k < n; k++) {
    for (let l = 0; l < n; l++) {
      if (k === l) continue;
      const mk = Math.max(-1 + GRAM_CLIP, Math.min(1 - GRAM_CLIP, m.data[k * n + l]));
      g.data[k * n + l] = (c2 * ata.data[k * n + l]) / Math.sqrt(1 - mk * mk);
    }
  }
  const gradB = matrix(n, d);
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let j = 0; j < d; j++) norm += encoder.data[k * d + j] ** 2;
    norm = Math.sqrt(norm);
    const row = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let l = 0; l < n; l++) s += g.data[k * n + l] * bHat.data[l * d + j];
      row[j] = -2 * C_SIGN * decoder.data[j * n + k] + 2 * s;
    }
    let dot = 0;
    for (let j = 0; j < d; j++) dot += row[j] * bHat.data[k * d + j];
    for (let j = 0; j < d; j++) gradB.data[k * d + j] = (row[j] - dot * bHat.data[k * d + j]) / norm;
  }
  return { gradA, gradB, loss: d * signRisk(decoder, encoder) };
}
