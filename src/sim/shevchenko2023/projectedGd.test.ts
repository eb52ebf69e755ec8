import { describe, expect, test } from 'vitest';
import { matrix } from '../../core/matrix.ts';
import { createRng } from '../../core/rng.ts';
import { getKernelSet } from '../../kernels/registry.ts';
import {
  C_SIGN,
  entrywiseArcsin,
  gramOfRows,
  normalizeRows,
  signRiskGradients,
} from '../../theory/shevchenko2023/signRisk.ts';
import { gaussianMatrix } from './constructions.ts';
import { pgdGradients, projectedGd } from './projectedGd.ts';

const u = 2 ** -53;

describe('pgdGradients (GEMMs with β, the symmetric Gram path, one fused n×n pass)', () => {
  // n = 70 and 33 cross the 32×32 tiles of the fused pass with partial tiles; d > n and d < n both occur.
  for (const id of ['reference', 'auto']) {
    for (const [d, n] of [
      [12, 30],
      [30, 12],
      [24, 70],
      [40, 33],
    ]) {
      test(`${id}, d = ${d}, n = ${n}: the loss and both gradients equal the theory's (plain loops) up to rounding`, async () => {
        const kernels = await getKernelSet(id);
        const rng = createRng(d * 100 + n);
        const a = gaussianMatrix(d, n, rng, 1 / Math.sqrt(d));
        const bHat = normalizeRows(gaussianMatrix(n, d, rng));
        const got = pgdGradients(a.data, bHat.data, d, n, kernels);
        const want = signRiskGradients(a, bHat);
        // Each entry is a sum of at most n + d + 2 products; whatever the order (BLAS blocks and uses FMA, the fused
        // pass sums the quadratic term as Σ (AᵀA)∘S instead of Σ A∘(AS)), it is within (n + d + 2)·u of the sum of
        // the terms' magnitudes (doubled: both sides round), plus arcsin's and sqrt's own rounding (≤ 2u relatively).
        const s = entrywiseArcsin(gramOfRows(bHat)).data;
        const c = C_SIGN;
        const k = 2 * (n + d + 4) * u;
        for (let i = 0; i < d; i++) {
          for (let j = 0; j < n; j++) {
            let mag = 2 * c * Math.abs(bHat.data[j * d + i]);
            for (let l = 0; l < n; l++) mag += 2 * c * c * Math.abs(a.data[i * n + l] * s[l * n + j]);
            expect(Math.abs(got.gradA[i * n + j] - want.gradA.data[i * n + j])).toBeLessThanOrEqual(k * mag);
          }
        }
        // ∂L/∂B̂: the weights G are c²(AᵀA)_kl/√(1 − M²) — bounded here (Gaussian rows are far from parallel), so the
        // scale is Σ_l |G_kl| ≤ c²·Σ_l Σ_i |A_ik A_il| / √(1 − max M²), then the projection (one more length-d sum).
        const m = gramOfRows(bHat).data;
        let maxM = 0;
        for (let q = 0; q < n; q++)
          for (let l = 0; l < n; l++) if (q !== l) maxM = Math.max(maxM, Math.abs(m[q * n + l]));
        for (let q = 0; q < n; q++) {
          let mag = 2 * c;
          for (let l = 0; l < n; l++) {
            let ata = 0;
            for (let i = 0; i < d; i++) ata += Math.abs(a.data[i * n + q] * a.data[i * n + l]);
            mag += (2 * c * c * ata) / Math.sqrt(1 - maxM * maxM);
          }
          for (let j = 0; j < d; j++)
            expect(Math.abs(got.gradB[q * d + j] - want.gradB.data[q * d + j])).toBeLessThanOrEqual(2 * k * mag);
        }
        let quadMag = 0;
        for (let i = 0; i < d; i++)
          for (let q = 0; q < n; q++)
            for (let l = 0; l < n; l++) quadMag += Math.abs(a.data[i * n + q] * a.data[i * n + l] * s[q * n + l]);
        expect(Math.abs(got.loss - want.loss)).toBeLessThanOrEqual(k * (d + 2 * c * d * n + c * c * quadMag));
      });
    }
  }

  test('projectedGd returns A (d×n) although it trains Aᵀ, and lowers the risk', async () => {
    const kernels = await getKernelSet('reference');
    const rng = createRng(9);
    const d = 10;
    const n = 15;
    const a = gaussianMatrix(d, n, rng, 1 / Math.sqrt(d));
    const b = gaussianMatrix(n, d, rng);
    const zero = projectedGd({ decoder: a, encoder: b, iterations: 0, kernels });
    expect(zero.decoder).toEqual(matrix(d, n, a.data));
    const r = projectedGd({ decoder: a, encoder: b, iterations: 40, kernels });
    expect(r.decoder.rows).toBe(d);
    expect(r.decoder.cols).toBe(n);
    expect(r.risk[1]).toBeLessThan(r.risk[0]);
    // The recorded risk is the theory's risk of the returned pair (up to the rounding bound above, loosely).
    const again = projectedGd({ decoder: r.decoder, encoder: r.encoder, iterations: 0, kernels });
    expect(Math.abs(again.risk[0] - r.risk[1])).toBeLessThan(1e-12);
  });
});
