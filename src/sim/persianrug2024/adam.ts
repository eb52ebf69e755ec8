/** Adam as torch.optim.Adam, with the authors' constants (digest §2.3, §5.1): betas 0.9/0.999, eps 1e-7. */

/** Adam constants of the authors' code. */
export const BETA1 = 0.9;
export const BETA2 = 0.999;
export const ADAM_EPS = 1e-7;

/** One Adam update of w with gradient g (moments mo, ve; bias corrections c1, c2), as torch.optim.Adam. */
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
    mo[i] = BETA1 * mo[i] + (1 - BETA1) * g[i];
    ve[i] = BETA2 * ve[i] + (1 - BETA2) * g[i] * g[i];
    w[i] -= (lr * (mo[i] / c1)) / (Math.sqrt(ve[i] / c2) + ADAM_EPS);
  }
}
