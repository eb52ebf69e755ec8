/**
 * The forward-engineered "Persian rug" model (Cowsik, Dolev, Infanger 2024; docs/persianrug2024.md): Sylvester's Hadamard matrix H
 * (H_kl = (−1)^popcount(k AND l)), m random distinct rows S, W_in = H_S, W_out = W_inᵀ/m, so W = (1/m) H_Sᵀ H_S, and the
 * forward pass x̂ = ReLU(A(Wx + β)) with two trained scalars. W x = (1/m) H (1_S ∘ (H x)) by two fast Walsh–Hadamard
 * transforms in O(n log n).
 */
import { ValidationError } from '../../core/errors.ts';
import type { Rng } from '../../core/rng.ts';

/**
 * In-place unnormalised fast Walsh–Hadamard transform of x (length a power of two): x ← H x.
 *
 * The butterflies (a, b) → (a + b, a − b) of stages h = 1, 2, 4, … are applied two stages at a time (h and 2h on four
 * entries j, j + h, j + 2h, j + 3h held in registers), and a last single stage when log₂ n is odd: every sum and
 * difference is the one the stage-by-stage loop forms, of the same operands, so the result is the same to the bit
 * (tested), with half the loads and stores.
 */
export function fwht(x: Float64Array): void {
  const n = x.length;
  let h = 1;
  for (; 4 * h <= n; h <<= 2) {
    const h2 = 2 * h;
    const h3 = 3 * h;
    for (let i = 0; i < n; i += h << 2) {
      for (let j = i; j < i + h; j++) {
        const a = x[j];
        const b = x[j + h];
        const c = x[j + h2];
        const d = x[j + h3];
        const ab = a + b;
        const amb = a - b;
        const cd = c + d;
        const cmd = c - d;
        x[j] = ab + cd;
        x[j + h] = amb + cmd;
        x[j + h2] = ab - cd;
        x[j + h3] = amb - cmd;
      }
    }
  }
  if (h < n) {
    for (let j = 0; j < h; j++) {
      const a = x[j];
      const b = x[j + h];
      x[j] = a + b;
      x[j + h] = a - b;
    }
  }
}

/** Entry H_kl = (−1)^popcount(k AND l) of Sylvester's Hadamard matrix. */
export function hadamardEntry(k: number, l: number): number {
  let v = k & l;
  let parity = 0;
  while (v) {
    parity ^= v & 1;
    v >>>= 1;
  }
  return parity ? -1 : 1;
}

/** A Persian-rug model: n features, the m selected rows S (as a 0/1 mask over 0..n−1). */
export interface PersianRug {
  n: number;
  m: number;
  /** mask[k] = 1 when row k of H is selected. */
  mask: Uint8Array;
  rows: number[];
}

/** Draws m distinct rows of the n×n Hadamard matrix (n a power of two, 1 ≤ m ≤ n). */
export function createPersianRug(n: number, m: number, rng: Rng): PersianRug {
  if (!Number.isInteger(n) || n < 2 || (n & (n - 1)) !== 0) {
    throw new ValidationError({ field: 'n', received: n, expected: 'a power of two ≥ 2 (Sylvester construction)' });
  }
  if (!Number.isInteger(m) || m < 1 || m > n)
    throw new ValidationError({ field: 'm', received: m, expected: `an integer in [1, ${n}]` });
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(n - i);
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  const rows = perm.slice(0, m).sort((a, b) => a - b);
  const mask = new Uint8Array(n);
  for (const k of rows) mask[k] = 1;
  return { n, m, mask, rows };
}

/** The dense W = (1/m) H_Sᵀ H_S (n×n, row-major); O(n²·m), for small n, pictures and exact checks. */
export function persianRugMatrix(rug: PersianRug): Float64Array {
  const { n, m, rows } = rug;
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (const k of rows) s += hadamardEntry(k, i) * hadamardEntry(k, j);
      w[i * n + j] = s / m;
      w[j * n + i] = s / m;
    }
  }
  return w;
}

/**
 * The same W as {@link persianRugMatrix}, bit for bit, in O(n log n + n²): H_ki H_kj = (−1)^popcount(k∧i) +
 * popcount(k∧j) = H_{k, i⊕j}, so W_ij = c[i ⊕ j] with c = (1/m) H 1_S, one FWHT of the mask. Both sum ±1 terms,
 * exactly in float64 (integers below n), and divide by m once. For the Monte Carlo of mean-field-estimate at the paper's
 * n = 2048, where the direct sum took about 40 CPU s; {@link persianRugMatrix} stays the definition that the exact
 * checks (hadamard-exact) hold the FWHT against.
 */
export function persianRugMatrixByXor(rug: PersianRug): Float64Array {
  const { n, m, mask } = rug;
  const c = Float64Array.from(mask);
  fwht(c);
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) w[row + j] = c[i ^ j] / m;
  }
  return w;
}

/** y ← W x = (1/m) H (1_S ∘ (H x)) by two FWHTs (y may alias nothing; x is not modified). */
export function persianRugApply(rug: PersianRug, x: Float64Array, y: Float64Array): void {
  y.set(x);
  fwht(y);
  for (let k = 0; k < rug.n; k++) if (!rug.mask[k]) y[k] = 0;
  fwht(y);
  const inv = 1 / rug.m;
  for (let k = 0; k < rug.n; k++) y[k] *= inv;
}
