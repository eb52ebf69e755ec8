/**
 * The exactly solvable case of the Refinetti–Goldt ODE that the integrator's tests share (docs/theory-refinetti2022.md
 * (E12)): one linear unit (K = 1) on one direction (n = 1, κ = ρ/D) with a = b = x, for which Q = R = κx², T0 = x² and
 * dx/dt = ηκx(1 − x²), so x²(t) = 1 / (1 + (1/x0² − 1) e^{−2ηκt}) (logistic in x²).
 */
export const LOGISTIC_ETA = 1.3;
export const LOGISTIC_DIM = 5;
export const LOGISTIC_RHO = 4; // κ = 0.8

/** integrateOde's options for the logistic case from x(0) = x0 (times, method and tolerance are the caller's). */
export function logisticOde(x0: number) {
  return {
    spectrum: { dim: LOGISTIC_DIM, values: Float64Array.from([LOGISTIC_RHO]) },
    activation: 'linear' as const,
    rule: 'vanilla' as const,
    learningRate: LOGISTIC_ETA,
    initial: { hidden: 1, directions: 1, a: Float64Array.from([x0]), b: Float64Array.from([x0]) },
  };
}
