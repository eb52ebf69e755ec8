import type { Rng } from '../../core/rng.ts';

/** Ridge added to G Gᵀ/d so that every generated covariance is positive definite (smallest eigenvalue ≥ 0.1·scale). */
const COVARIANCE_RIDGE = 0.1;

/**
 * A random d×d covariance scale·(G Gᵀ/d + 0.1·I) with G a d×d standard Gaussian matrix: correlations range over most of
 * (−1, 1) and the matrix is well conditioned, so closed forms are evaluated away from their singular points.
 */
export function randomCovariance(d: number, scale: number, rng: Rng): number[][] {
  const g = new Float64Array(d * d);
  rng.fillNormal(g);
  const c: number[][] = [];
  for (let i = 0; i < d; i++) {
    c.push([]);
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += g[i * d + k] * g[j * d + k];
      c[i].push(scale * (s / d + (i === j ? COVARIANCE_RIDGE : 0)));
    }
  }
  return c;
}
