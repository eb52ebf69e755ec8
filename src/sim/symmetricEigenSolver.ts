/**
 * Which symmetric eigensolver the data side of a run uses (the eigendecompositions of data matrices: FashionMNIST's
 * second moment, the whitening covariance). A run whose kernels use OpenBLAS (`auto` where the library loads, or
 * `--backend openblas`) gets LAPACK's dsyevd (src/kernels/openblas/symmetricEigen.ts), about 40× less CPU at D = 784;
 * any other run, or one where OpenBLAS or its LAPACK cannot load, gets core/linalg's JavaScript `symmetricEigen`, and
 * the solver's `note` says which ran and why, for the claim's details. The theory side never comes here: it keeps the
 * JavaScript solver (float64, deterministic, no backend).
 */
import { type SymmetricEigenFn, symmetricEigen } from '../core/linalg.ts';
import type { KernelSet } from '../kernels/kernelSpecs.ts';
import { type LapackRoutines, type OpenblasLibrary, openblasLibrary } from '../kernels/openblas/openblasLibrary.ts';
import { openblasSymmetricEigen } from '../kernels/openblas/symmetricEigen.ts';

/** The chosen solver and why. */
export interface SymmetricEigenSolver {
  /** The solver: {@link SymmetricEigenFn}'s contract either way. */
  solve: SymmetricEigenFn;
  /** Which one runs. */
  on: 'openblas' | 'javascript';
  /** One line for a claim's details, e.g. `openblas dsyevd` or `javascript (ml-matrix): <why>`. */
  note: string;
}

/** Options of {@link symmetricEigenSolver} and {@link lapackForRun}. */
export interface LapackChoiceOptions {
  /** Loads the library (default: the system OpenBLAS, loaded once per process); throws with the reason when it cannot. */
  library?: () => OpenblasLibrary;
}

/** The backends whose runs use OpenBLAS's LAPACK. */
const OPENBLAS_IDS: readonly string[] = ['openblas', 'openblas:f32'];

/**
 * LAPACK's routines for a run on `kernels` when the run's products (`gemm`) run on OpenBLAS and its LAPACK loads; else
 * why not (for a solver's note). Shared by this eigensolver and src/sim/spdSolver.ts, so both choose alike.
 */
export function lapackForRun(
  kernels: Pick<KernelSet, 'resolved' | 'reasons'>,
  options: LapackChoiceOptions = {},
): { available: true; routines: LapackRoutines } | { available: false; why: string } {
  const gemmOn = kernels.resolved.gemm;
  if (!OPENBLAS_IDS.includes(gemmOn)) {
    return {
      available: false,
      why: `this run's kernels do not use OpenBLAS (gemm on ${gemmOn}: ${kernels.reasons.gemm})`,
    };
  }
  let library: OpenblasLibrary;
  try {
    library = (options.library ?? openblasLibrary)();
  } catch (e) {
    return { available: false, why: `OpenBLAS cannot load (${e instanceof Error ? e.message : String(e)})` };
  }
  const { lapack } = library;
  if (!lapack.available) return { available: false, why: lapack.reason };
  return { available: true, routines: lapack.routines };
}

/**
 * The data side's eigensolver for a run on `kernels`: OpenBLAS's dsyevd when the run's products (`gemm`) run on
 * OpenBLAS and its LAPACK loads, else the JavaScript one, with the reason in `note`.
 */
export function symmetricEigenSolver(
  kernels: Pick<KernelSet, 'resolved' | 'reasons'>,
  options: LapackChoiceOptions = {},
): SymmetricEigenSolver {
  const lapack = lapackForRun(kernels, options);
  if (!lapack.available)
    return { solve: symmetricEigen, on: 'javascript', note: `javascript (ml-matrix): ${lapack.why}` };
  const { routines } = lapack;
  return { solve: (m) => openblasSymmetricEigen(m, routines), on: 'openblas', note: 'openblas dsyevd' };
}
