import type { PersianRug } from '../../sim/persianrug2024/hadamard.ts';
import { symmetricOptimum } from '../../theory/persianrug2024/symmetricLoss.ts';

/** The Persian rug's two scalars at the analytic optimum, and L*(m/n, p) they should attain. */
export interface RugAtOptimum {
  /** The output scale A = A* (the optimum's `scale`). */
  scale: number;
  /** β = μ_s* − μ_ν: the optimum's unit-diagonal bias less the rug's interference mean. */
  beta: number;
  /** μ_ν = (p/2)(Σ_{j≠i} W_ij) = (p/2)((n/m)[0 ∈ S] − 1), the same in every row. */
  muNu: number;
  /** L*(m/n, p). */
  loss: number;
  /** μ_s* of the optimum. */
  mu: number;
}

/**
 * The rug x̂ = ReLU(A(Wx + β)) set to the analytic optimum (docs/theory-persianrug2024.md §5.2–§5.4, §8 item 12): the
 * one set-up that hadamard-matches-optimum, loss-curves and mean-field-estimate share. Row i's off-diagonal sum is
 * (n/m)[0 ∈ S] − 1 (the row sums of W are (n/m)[0 ∈ S], W_ii = 1), so the interference mean is the same in every row.
 */
export function rugAtOptimum(rug: PersianRug, p: number): RugAtOptimum {
  const opt = symmetricOptimum(rug.m / rug.n, p);
  const muNu = (p / 2) * ((rug.n / rug.m) * rug.mask[0] - 1);
  return { scale: opt.scale, beta: opt.mu - muNu, muNu, loss: opt.loss, mu: opt.mu };
}
