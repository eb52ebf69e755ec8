/**
 * Sheppard's identities for a standard Gaussian x ∈ R^d and unit vectors u, v (Shevchenko et al. 2023;
 * docs/theory-shevchenko2023.md (S3)):
 *   E[sign(u·x) sign(v·x)] = (2/π) arcsin(u·v),    E[x sign(u·x)] = √(2/π) u.
 * They are the building blocks of the sign autoencoder's closed-form risk.
 */

/** E[sign(u·x) sign(v·x)] for unit u, v with u·v = rho. */
export function sheppardSignCorrelation(rho: number): number {
  const r = rho > 1 ? 1 : Math.max(rho, -1);
  return (2 / Math.PI) * Math.asin(r);
}

/** The coefficient √(2/π) in E[x sign(u·x)] = √(2/π) u. */
export const SHEPPARD_LINEAR_COEFFICIENT = Math.sqrt(2 / Math.PI);
