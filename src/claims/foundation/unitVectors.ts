import type { Rng } from '../../core/rng.ts';

/**
 * Two unit vectors u, v ∈ R^d with u·v = rho exactly (d ≥ 2): u random, v = rho·u + √(1 − rho²)·w with w a random unit
 * vector orthogonal to u. For d = 1 the only unit vectors are ±1, so v = sign(rho)·u and u·v = ±1.
 */
export function unitVectorsWithOverlap(
  d: number,
  rho: number,
  rng: Rng,
): { u: Float64Array; v: Float64Array; overlap: number } {
  const u = new Float64Array(d);
  const w = new Float64Array(d);
  rng.fillNormal(u);
  if (d === 1) {
    // Exactly ±1 (normalising would leave 1 − ε, and arcsin's infinite slope at ±1 turns ε into √ε).
    u[0] = u[0] < 0 ? -1 : 1;
    const v = Float64Array.of(rho >= 0 ? u[0] : -u[0]);
    return { u, v, overlap: u[0] * v[0] };
  }
  normalise(u);
  rng.fillNormal(w);
  // Gram–Schmidt twice ("twice is enough"): when the draw of w is nearly parallel to u (likely at d = 2), one pass
  // leaves w − (w·u)u dominated by the cancellation's round-off, and w·u off by ~ε/sin∠(u, w) (142 ulps of u·v at seed
  // 1016369473 of `verify`); a second pass restores orthogonality to a few ulps.
  for (let pass = 0; pass < 2; pass++) {
    let dot = 0;
    for (let i = 0; i < d; i++) dot += w[i] * u[i];
    for (let i = 0; i < d; i++) w[i] -= dot * u[i];
  }
  normalise(w);
  const v = new Float64Array(d);
  const s = Math.sqrt(1 - rho * rho);
  for (let i = 0; i < d; i++) v[i] = rho * u[i] + s * w[i];
  let overlap = 0;
  for (let i = 0; i < d; i++) overlap += u[i] * v[i];
  return { u, v, overlap };
}

function normalise(x: Float64Array): void {
  let n = 0;
  for (let i = 0; i < x.length; i++) n += x[i] * x[i];
  const inv = 1 / Math.sqrt(n);
  for (let i = 0; i < x.length; i++) x[i] *= inv;
}
