/**
 * Which positive-definite solve (X = S⁻¹B) the simulation side of a run uses: LAPACK's dpotrf/dpotrs in the system
 * OpenBLAS (src/kernels/openblas/choleskySolve.ts) when the run's products run on OpenBLAS (`auto` where the library
 * loads, or `--backend openblas`), else core/linalg's JavaScript `choleskySolve`; the `note` says which ran and why, for
 * a claim's details. The choice follows the one of src/sim/symmetricEigenSolver.ts. The theory side never comes here:
 * its solves stay in JavaScript (float64, deterministic, no backend), so a simulation that solves natively is checked
 * against an independent computation.
 */
import { choleskySolve } from '../core/linalg.ts';
import type { Matrix } from '../core/matrix.ts';
import type { KernelSet } from '../kernels/kernelSpecs.ts';
import { openblasCholeskySolve } from '../kernels/openblas/choleskySolve.ts';
import { lapackForRun, type LapackChoiceOptions } from './symmetricEigenSolver.ts';

/** X = S⁻¹B for a symmetric positive-definite S; refuses S with a pivot ≤ minRelativePivot·S_jj. */
export type SpdSolveFn = (s: Matrix, b: Matrix, minRelativePivot?: number) => Matrix;

/** The chosen solve and why. */
export interface SpdSolver {
  solve: SpdSolveFn;
  on: 'openblas' | 'javascript';
  /** One line for a claim's details, e.g. `openblas dpotrf/dpotrs` or `javascript (Cholesky): <why>`. */
  note: string;
}

/** The simulation side's positive-definite solve for a run on `kernels` (see the module's comment). */
export function spdSolver(
  kernels: Pick<KernelSet, 'resolved' | 'reasons'>,
  options: LapackChoiceOptions = {},
): SpdSolver {
  const lapack = lapackForRun(kernels, options);
  if (!lapack.available)
    return { solve: choleskySolve, on: 'javascript', note: `javascript (Cholesky): ${lapack.why}` };
  const { routines } = lapack;
  return {
    solve: (s, b, minRelativePivot) => openblasCholeskySolve(s, b, routines, minRelativePivot),
    on: 'openblas',
    note: 'openblas dpotrf/dpotrs',
  };
}
