/**
 * The spiked-covariance ("spiked Wishart", eq. (3)) model of Refinetti & Goldt 2022, docs/theory-refinetti2022.md (E4)
 * (`src/utils.py::createGenerativeModel`): x = Σ_{m=1..M} c_m a_m + σ ξ with c_m ~ N(0, Λ_m²), Λ_m = 2^m + 1
 * (variances 9, 25, 81, …), ξ ~ N(0, I_D), and spike directions a_m either i.i.d. N(0, 1) ('random') or
 * a_{m,i} = sin((m+1)·i/100) rescaled to ‖a_m‖ = √D ('sinusoidal', not orthogonal).
 *
 * Two constructions, both returning a {@link GaussianSource} whose Ω the theory and the simulation share exactly:
 * - 'population': the exact eigendecomposition of Ω = Σ_m Λ_m² a_m a_mᵀ + σ² I: QR of A = [a_1 … a_M], then the
 *   M × M eigenproblem of R diag(Λ²) Rᵀ; M spikes plus a flat bulk σ². Sampling is O(D·M).
 * - 'empirical' (what the authors' scripts do, docs/theory-refinetti2022.md (E4) steps 1-4): Ω = X_rawᵀ X_raw / P from
 * P raw samples (uncentred),
 *   all D eigen-directions listed; sampling x = Σ_τ √ρ_τ z_τ e_τ is O(D²).
 * Standardisation (default on, as in `truncated_vanilla_SGD.py`) divides Ω by the scalar variance of the raw entries
 * (population: TrΩ/D; empirical: the sample std of X_raw's entries, as the code does). The code's scalar shift
 * raw_mean/raw_std is not applied: the theory ignores it ((E4) step 4), and we keep Ω exactly shared.
 */
import { ValidationError } from '../core/errors.ts';
import { type SymmetricEigenFn, symmetricEigen } from '../core/linalg.ts';
import { matrix } from '../core/matrix.ts';
import type { Rng } from '../core/rng.ts';
import { qr } from '../core/linalg.ts';
import { createGaussianSource, type GaussianSource } from './gaussianSource.ts';

/** Spike-direction families of docs/theory-refinetti2022.md (E4). */
export type SpikeDirections = 'random' | 'sinusoidal';
/** How Ω is built. */
export type SpikedConstruction = 'population' | 'empirical';

/** Options of {@link spikedCovariance}. */
export interface SpikedCovarianceOptions {
  /** Input dimension D. */
  dim: number;
  /** Number of spikes M (the authors use M = K). */
  spikes: number;
  /** 'random' (default) or 'sinusoidal'. */
  directions?: SpikeDirections;
  /** Noise std σ (default 1). */
  noise?: number;
  /** Divide by the scalar std of the raw entries (default true). */
  standardise?: boolean;
  /** 'population' (default; exact, O(D·M) sampling) or 'empirical' (the authors' P-sample Ω, O(D²) sampling). */
  construction?: SpikedConstruction;
  /** Raw samples P for 'empirical' (default 10⁴, the authors' test_bs). */
  samples?: number;
  /** Random stream for the directions (random family) and the empirical samples. */
  rng: Rng;
}

/** Λ_m = 2^m + 1 for m = 1..M (docs/theory-refinetti2022.md (E4)). */
export function spikeAmplitudes(spikes: number): number[] {
  return Array.from({ length: spikes }, (_, m) => 2 ** (m + 1) + 1);
}

/** The spike directions as rows: M × D row-major. */
export function spikeDirections(dim: number, spikes: number, family: SpikeDirections, rng: Rng): Float64Array {
  const a = new Float64Array(spikes * dim);
  if (family === 'random') {
    rng.fillNormal(a);
    return a;
  }
  for (let m = 0; m < spikes; m++) {
    let ss = 0;
    for (let i = 0; i < dim; i++) {
      const v = Math.sin(((m + 2) * i) / 100);
      a[m * dim + i] = v;
      ss += v * v;
    }
    const scale = Math.sqrt(dim / ss);
    for (let i = 0; i < dim; i++) a[m * dim + i] *= scale;
  }
  return a;
}

/** Builds the spiked model's Gaussian source (see the module comment). */
export function spikedCovariance(options: SpikedCovarianceOptions): GaussianSource {
  const { dim: D, spikes: M, rng } = options;
  const family = options.directions ?? 'random';
  const sigma = options.noise ?? 1;
  const standardise = options.standardise ?? true;
  const construction = options.construction ?? 'population';
  if (!Number.isInteger(D) || D < 2)
    throw new ValidationError({ field: 'dim', received: D, expected: 'an integer D ≥ 2' });
  if (!Number.isInteger(M) || M < 1 || M >= D) {
    throw new ValidationError({ field: 'spikes', received: M, expected: `an integer M in [1, D−1] (D = ${D})` });
  }
  if (!(sigma > 0)) throw new ValidationError({ field: 'noise', received: sigma, expected: 'σ > 0' });
  const lambdas = spikeAmplitudes(M);
  const A = spikeDirections(D, M, family, rng);
  const label = `spiked(${family}, D=${D}, M=${M}, ${construction}${standardise ? ', standardised' : ''})`;
  if (construction === 'population') {
    // A = Q R (D×M, M×M); Ω_spikes = Q (R Λ² Rᵀ) Qᵀ.
    const at = matrix(D, M);
    for (let m = 0; m < M; m++) for (let i = 0; i < D; i++) at.data[i * M + m] = A[m * D + i];
    const { q, r } = qr(at);
    const s = matrix(M, M);
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < M; j++) {
        let acc = 0;
        for (let m = 0; m < M; m++) acc += r.data[i * M + m] * lambdas[m] ** 2 * r.data[j * M + m];
        s.data[i * M + j] = acc;
      }
    }
    const eig = symmetricEigen(s);
    const basis = new Float64Array(M * D);
    for (let t = 0; t < M; t++) {
      for (let i = 0; i < D; i++) {
        let acc = 0;
        for (let m = 0; m < M; m++) acc += q.data[i * M + m] * eig.vectors.data[m * M + t];
        basis[t * D + i] = acc;
      }
    }
    const bulk = sigma * sigma;
    let trace = D * bulk;
    for (let t = 0; t < M; t++) trace += eig.values[t];
    const variance = standardise ? trace / D : 1;
    const values = new Float64Array(M);
    for (let t = 0; t < M; t++) values[t] = (eig.values[t] + bulk) / variance;
    return createGaussianSource({ dim: D, values, basis, bulk: bulk / variance, label });
  }
  const P = options.samples ?? 10_000;
  if (!Number.isInteger(P) || P < 2)
    throw new ValidationError({ field: 'samples', received: P, expected: 'an integer P ≥ 2' });
  const omega = new Float64Array(D * D);
  const x = new Float64Array(D);
  const c = new Float64Array(M);
  let sum = 0;
  let sumSq = 0;
  for (let p = 0; p < P; p++) {
    rng.fillNormal(x, 0, D, sigma);
    rng.fillNormal(c);
    for (let m = 0; m < M; m++) {
      const cm = c[m] * lambdas[m];
      for (let i = 0; i < D; i++) x[i] += cm * A[m * D + i];
    }
    for (let i = 0; i < D; i++) {
      const xi = x[i];
      sum += xi;
      sumSq += xi * xi;
      const row = i * D;
      for (let j = i; j < D; j++) omega[row + j] += xi * x[j];
    }
  }
  const n = P * D;
  const meanRaw = sum / n;
  const variance = standardise ? (sumSq - n * meanRaw * meanRaw) / (n - 1) : 1;
  const om = matrix(D, D);
  for (let i = 0; i < D; i++) {
    for (let j = i; j < D; j++) {
      const v = omega[i * D + j] / P / variance;
      om.data[i * D + j] = v;
      om.data[j * D + i] = v;
    }
  }
  return sourceFromSecondMoment(om.data, D, label);
}

/**
 * A Gaussian source with all D eigen-directions of a symmetric second-moment matrix (row-major D × D); tiny negative
 * eigenvalues from round-off are shifted up as the authors' code does (docs/theory-refinetti2022.md (E4) step 2).
 * `eigen` decomposes Ω (default: core/linalg's JavaScript `symmetricEigen`; a run may pass OpenBLAS's, see
 * src/sim/symmetricEigenSolver.ts).
 */
export function sourceFromSecondMoment(
  omega: Float64Array,
  D: number,
  label: string,
  eigen: SymmetricEigenFn = symmetricEigen,
): GaussianSource {
  const eig = eigen(matrix(D, D, omega));
  const values = Float64Array.from(eig.values);
  const min = values[D - 1];
  if (min < 0) for (let t = 0; t < D; t++) values[t] -= min;
  const basis = new Float64Array(D * D);
  for (let t = 0; t < D; t++) for (let i = 0; i < D; i++) basis[t * D + i] = eig.vectors.data[i * D + t];
  return createGaussianSource({ dim: D, values, basis, bulk: 0, label });
}
