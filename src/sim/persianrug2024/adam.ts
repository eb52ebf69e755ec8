/** Adam as torch.optim.Adam, with the authors' constants (Cowsik, Dolev, Infanger 2024; docs/persianrug2024.md): betas 0.9/0.999, eps 1e-7. */

/** Adam constants of the authors' code. */
export const BETA1 = 0.9;
export const BETA2 = 0.999;
export const ADAM_EPS = 1e-7;

/**
 * One Adam update of w with gradient g (moments mo, ve; bias corrections c1, c2), as torch.optim.Adam: one fused pass
 * over the parameters, allocating nothing. A trainer keeps all its parameters in one array (the matrices as views of
 * it) so that a step is a single call.
 */
export function adamStep(
  w: Float64Array,
  g: Float64Array,
  mo: Float64Array,
  ve: Float64Array,
  lr: number,
  c1: number,
  c2: number,
): void {
  for (let i = 0; i < w.length; i++) {
    const gi = g[i];
    const m = BETA1 * mo[i] + (1 - BETA1) * gi;
    const v = BETA2 * ve[i] + (1 - BETA2) * gi * gi;
    mo[i] = m;
    ve[i] = v;
    w[i] -= (lr * (m / c1)) / (Math.sqrt(v / c2) + ADAM_EPS);
  }
}

/**
 * {@link adamStep} with the parameters and both moments stored in float32 (PyTorch's float32 Adam): each update is
 * evaluated in float64 from the stored values and rounded once where it is stored, so every stored value is within one
 * float32 rounding of PyTorch's (which rounds after each operation). A separate function, so that V8 compiles each
 * for one array type.
 */
export function adamStepF32(
  w: Float32Array,
  g: Float64Array,
  mo: Float32Array,
  ve: Float32Array,
  lr: number,
  c1: number,
  c2: number,
): void {
  for (let i = 0; i < w.length; i++) {
    const gi = g[i];
    // The stored (rounded) moments, kept in registers rather than read back from the arrays (the same values).
    const m = Math.fround(BETA1 * mo[i] + (1 - BETA1) * gi);
    const v = Math.fround(BETA2 * ve[i] + (1 - BETA2) * gi * gi);
    mo[i] = m;
    ve[i] = v;
    w[i] -= (lr * (m / c1)) / (Math.sqrt(v / c2) + ADAM_EPS);
  }
}
