/**
 * The closed-form sign-autoencoder risk (R1), its optimal and tied decoders and its gradients, checked in d = 2 against
 * an independent derivation that uses no arcsin: for x ~ N(0, I₂) in polar form, x = ρ u(φ) with ρ Rayleigh
 * (E ρ = √(π/2), E ρ² = 2) independent of φ ~ U[0, 2π). The code s = sign(Bx) depends on φ only and is constant on the
 * 2n arcs between the angles θ_k ± π/2 of the rows, so E[x sᵀ] and E[s sᵀ] are finite sums of exact arc integrals and
 *   d·R(A, B) = 2 − 2 tr(A E[s xᵀ]) + tr(A E[s sᵀ] Aᵀ),
 * a quadratic in A whose minimiser, best tied scale and gradient follow in closed form. Sheppard's identities turn these
 * into the code's arcsin formulas; the test does not use them.
 */
import { describe, expect, test } from 'vitest';
import { ValidationError } from '../../core/errors.ts';
import { inverse } from '../../core/linalg.ts';
import { type Matrix, matrix, matrixFromRows } from '../../core/matrix.ts';
import { createRng } from '../../core/rng.ts';
import {
  decoderScale,
  entrywiseArcsin,
  gramOfRows,
  largestOverlap,
  multiplyTransposed,
  normalizeRows,
  optimalDecoder,
  optimalRisk,
  reducedRisk,
  shannonDistortion,
  signRisk,
  signRiskGradients,
  snapUnit,
  tiedRisk,
} from './signRisk.ts';

/** E[x sᵀ] (2×n) and E[s sᵀ] (n×n) for x ~ N(0, I₂) and s = sign(Bx), by exact arc integrals. */
function polarMoments(b: Matrix): { exs: number[][]; ess: number[][] } {
  const n = b.rows;
  const angles = Array.from({ length: n }, (_, k) => Math.atan2(b.data[2 * k + 1], b.data[2 * k]));
  const wrap = (t: number) => ((t % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
  const cuts = [0, 2 * Math.PI, ...angles.flatMap((t) => [wrap(t + Math.PI / 2), wrap(t - Math.PI / 2)])].sort(
    (p, q) => p - q,
  );
  const exs = [Array(n).fill(0), Array(n).fill(0)];
  const ess = Array.from({ length: n }, () => Array(n).fill(0));
  const meanRadius = Math.sqrt(Math.PI / 2);
  for (let a = 0; a + 1 < cuts.length; a++) {
    const lo = cuts[a];
    const hi = cuts[a + 1];
    if (hi - lo < 1e-15) continue;
    const mid = (lo + hi) / 2;
    const s = angles.map((t) => Math.sign(Math.cos(mid - t)));
    // ∫ cos φ dφ and ∫ sin φ dφ over the arc, each over 2π.
    const cx = (Math.sin(hi) - Math.sin(lo)) / (2 * Math.PI);
    const cy = (Math.cos(lo) - Math.cos(hi)) / (2 * Math.PI);
    for (let k = 0; k < n; k++) {
      exs[0][k] += meanRadius * cx * s[k];
      exs[1][k] += meanRadius * cy * s[k];
      for (let l = 0; l < n; l++) ess[k][l] += ((hi - lo) / (2 * Math.PI)) * s[k] * s[l];
    }
  }
  return { exs, ess };
}

/** d·R(A, B) from the polar moments (d = 2). */
function polarLoss(a: Matrix, b: Matrix): number {
  const { exs, ess } = polarMoments(b);
  const n = b.rows;
  let cross = 0;
  let quad = 0;
  for (let i = 0; i < 2; i++) {
    for (let k = 0; k < n; k++) {
      cross += a.data[i * n + k] * exs[i][k];
      for (let l = 0; l < n; l++) quad += a.data[i * n + k] * ess[k][l] * a.data[i * n + l];
    }
  }
  return 2 - 2 * cross + quad;
}

/** A* = E[x sᵀ] E[s sᵀ]⁻¹ (2×n), the minimiser of the quadratic. */
function polarOptimalDecoder(b: Matrix): Matrix {
  const { exs, ess } = polarMoments(b);
  const n = b.rows;
  const inv = inverse(matrixFromRows(ess));
  const out = matrix(2, n);
  for (let i = 0; i < 2; i++)
    for (let k = 0; k < n; k++) {
      let s = 0;
      for (let l = 0; l < n; l++) s += exs[i][l] * inv.data[l * n + k];
      out.data[i * n + k] = s;
    }
  return out;
}

/** Rows at the given angles (radians) and norms: a generic encoder in d = 2. */
function encoder(angles: number[], norms: number[]): Matrix {
  return matrixFromRows(angles.map((t, k) => [norms[k] * Math.cos(t), norms[k] * Math.sin(t)]));
}

const B3 = encoder([0.3, 1.4, 2.6], [1, 2.5, 0.7]);
const A3 = matrixFromRows([
  [0.4, -0.2, 0.9],
  [0.1, 0.7, -0.3],
]);
const B1 = encoder([0.9], [3]);
const A1 = matrixFromRows([[0.5], [-0.8]]);
const TOL = 1e-12;

describe('signRisk (R1) against the polar derivation in d = 2', () => {
  test.each([
    ['n = 3 rows of unequal norms (r = 1.5)', A3, B3],
    ['n = 1 row (r = 0.5)', A1, B1],
  ])('%s', (_name, a, b) => {
    expect(Math.abs(signRisk(a, b) - polarLoss(a, b) / 2)).toBeLessThan(TOL);
  });

  test('the decoder must be d×n: a transposed decoder is refused, naming both shapes', () => {
    const transposed = matrixFromRows([
      [0.4, 0.1],
      [-0.2, 0.7],
      [0.9, -0.3],
    ]);
    expect(() => signRisk(transposed, B3)).toThrow(ValidationError);
    expect(() => signRisk(transposed, B3)).toThrow(/decoder: received "3×2", expected d×n = 2×3 for an encoder of 3×2/);
    expect(() => signRiskGradients(transposed, B3)).toThrow(/decoder: received "3×2"/);
    // Only one side wrong: 2×2 (n wrong) and 3×3 (d wrong) for the 3×2 encoder.
    expect(() => signRisk(matrix(2, 2), B3)).toThrow(/decoder: received "2×2", expected d×n = 2×3/);
    expect(() => signRisk(matrix(3, 3), B3)).toThrow(/decoder: received "3×3", expected d×n = 2×3/);
  });
});

describe('optimal decoder (A1) and R*(B) (R2)', () => {
  test.each([
    ['n = 3', B3],
    ['n = 1', B1],
  ])('%s: A*(B) = E[x sᵀ] E[s sᵀ]⁻¹ and R*(B) is the quadratic at its minimum', (_name, b) => {
    const expected = polarOptimalDecoder(b);
    const got = optimalDecoder(b);
    expect([got.rows, got.cols]).toEqual([2, b.rows]);
    for (let i = 0; i < got.data.length; i++) expect(Math.abs(got.data[i] - expected.data[i])).toBeLessThan(TOL);
    expect(Math.abs(reducedRisk(b) - polarLoss(expected, b) / 2)).toBeLessThan(TOL);
  });

  // The Cholesky route (R*(B) = 1 − ‖L⁻¹B̂‖²/d, A* = √(π/2)(L⁻ᵀL⁻¹B̂)ᵀ) against the formulas as written, with an
  // explicit inverse of arcsin(M) (ml-matrix's LU), at r < 1, r = 1 and r > 1. Both sides are float64 solves of a
  // matrix with condition number below 1e3 here, so 1e-12 leaves a factor of about 100 over their round-off.
  test.each([
    [12, 30],
    [20, 20],
    [60, 15],
  ])('n = %i, d = %i: R*(B) and A*(B) agree with tr(M arcsin(M)⁻¹) and B̂ᵀ arcsin(M)⁻¹ to 1e-12', (n, d) => {
    const rng = createRng(n * 100 + d);
    const b = matrix(n, d);
    rng.fillNormal(b.data);
    const bHat = normalizeRows(b);
    const m = gramOfRows(bHat);
    const inv = inverse(entrywiseArcsin(m));
    let tr = 0;
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) tr += m.data[i * n + k] * inv.data[k * n + i];
    expect(Math.abs(reducedRisk(b) - (1 - tr / d))).toBeLessThan(1e-12);
    const a = optimalDecoder(b);
    let worst = 0;
    for (let i = 0; i < d; i++) {
      for (let k = 0; k < n; k++) {
        let s = 0;
        for (let l = 0; l < n; l++) s += bHat.data[l * d + i] * inv.data[l * n + k];
        worst = Math.max(worst, Math.abs(a.data[i * n + k] - Math.sqrt(Math.PI / 2) * s));
      }
    }
    expect(worst).toBeLessThan(1e-12);
    expect(Math.abs(signRisk(a, b) - reducedRisk(b))).toBeLessThan(1e-12);
  });

  // Rows at θ ≤ 1e-8 rad have cos θ = 1 in float64 (parallel, snapped); at θ = 1e-6 they are distinct and the relative
  // pivot is about θ/3 = 3e-7, far above the 1e-12 at which arcsin(M) counts as singular.
  test.each([
    [0, true],
    [1e-10, true],
    [1e-8, true],
    [1e-6, false],
    [1e-3, false],
  ])('a row turned by θ = %s from another: singular %s', (theta, singular) => {
    const rng = createRng(3);
    const n = 30;
    const d = 10;
    const b = matrix(n, d);
    rng.fillNormal(b.data);
    b.data.copyWithin(7 * d, 3 * d, 4 * d);
    const [x, y] = [b.data[3 * d], b.data[3 * d + 1]];
    b.data[7 * d] = Math.cos(theta) * x - Math.sin(theta) * y;
    b.data[7 * d + 1] = Math.sin(theta) * x + Math.cos(theta) * y;
    if (singular) expect(() => reducedRisk(b)).toThrow(/arcsin\(M\) is singular/);
    else expect(Number.isFinite(reducedRisk(b))).toBe(true);
  });

  test('parallel rows make arcsin(M) singular: a ValidationError names the encoder and the fix', () => {
    const parallel = matrixFromRows([
      [1, 2],
      [2, 4],
      [0, 1],
    ]);
    for (const f of [() => reducedRisk(parallel), () => optimalDecoder(parallel)]) {
      expect(f).toThrow(ValidationError);
      expect(f).toThrow(/encoder: received "rows whose arcsin\(M\) is singular .*no two rows parallel.*fix: perturb/);
    }
  });

  test('a zero row is refused, naming the row', () => {
    const zero = matrixFromRows([
      [1, 0],
      [0, 0],
    ]);
    expect(() => normalizeRows(zero)).toThrow(ValidationError);
    expect(() => reducedRisk(zero)).toThrow(
      /encoder row 1: received "a zero row", expected rows with nonzero norm \(fix: sign\(0·x\) carries no information; drop or redraw the row\)/,
    );
  });
});

describe('tied decoder A = β B̂ᵀ', () => {
  test('β* and R_tied equal the best scale of the polar quadratic along B̂ᵀ', () => {
    const bHat = normalizeRows(B3);
    const dir = matrix(2, 3);
    for (let k = 0; k < 3; k++) for (let i = 0; i < 2; i++) dir.data[i * 3 + k] = bHat.data[k * 2 + i];
    // The quadratic q(β) = 2 − 2β t₁ + β² t₂ along the direction: t₁ and t₂ from three of its values.
    const q = (beta: number) =>
      polarLoss(
        matrix(
          2,
          3,
          dir.data.map((v) => beta * v),
        ),
        B3,
      );
    const t2 = (q(1) + q(-1) - 2 * q(0)) / 2;
    const t1 = (q(-1) - q(1)) / 4;
    const { risk, beta } = tiedRisk(B3);
    expect(Math.abs(beta - t1 / t2)).toBeLessThan(TOL);
    expect(Math.abs(risk - (2 - (t1 * t1) / t2) / 2)).toBeLessThan(TOL);
  });
});

describe('signRiskGradients (S11a)', () => {
  test('∂L/∂A = −2 E[x sᵀ] + 2 A E[s sᵀ] and L = d·R', () => {
    const { exs, ess } = polarMoments(B3);
    const { gradA, loss } = signRiskGradients(A3, B3);
    for (let i = 0; i < 2; i++) {
      for (let k = 0; k < 3; k++) {
        let s = 0;
        for (let l = 0; l < 3; l++) s += A3.data[i * 3 + l] * ess[l][k];
        expect(Math.abs(gradA.data[i * 3 + k] - (-2 * exs[i][k] + 2 * s))).toBeLessThan(TOL);
      }
    }
    expect(Math.abs(loss - polarLoss(A3, B3))).toBeLessThan(TOL);
  });

  test('(anti)parallel rows: M = ±1 is clipped to ±(1 − 1e-9) in G, so the gradients stay finite (S11a)', () => {
    const b = matrixFromRows([
      [1, 0],
      [3, 0],
      [-2, 0],
      [0.2, 1],
    ]);
    const a = matrixFromRows([
      [0.3, 0.1, -0.2, 0.5],
      [0.2, -0.4, 0.1, 0.6],
    ]);
    const { gradA, gradB, loss } = signRiskGradients(a, b);
    for (const v of [...gradA.data, ...gradB.data, loss]) expect(Number.isFinite(v)).toBe(true);
  });

  test('∂L/∂B (through the row normalisation) equals central differences of the polar loss', () => {
    const { gradB } = signRiskGradients(A3, B3);
    const h = 1e-5;
    for (let e = 0; e < B3.data.length; e++) {
      const plus = matrix(3, 2, Float64Array.from(B3.data));
      const minus = matrix(3, 2, Float64Array.from(B3.data));
      plus.data[e] += h;
      minus.data[e] -= h;
      const fd = (polarLoss(A3, plus) - polarLoss(A3, minus)) / (2 * h);
      // Truncation error h²·|L'''|/6 ≲ 1e-10 here, round-off ε64/h ≈ 2e-11.
      expect(Math.abs(gradB.data[e] - fd)).toBeLessThan(1e-8);
    }
  });
});

describe('R_opt(r), Shannon and the decoder scale (closed forms)', () => {
  test('R_opt(r) = 1 − r/(π/2 + max(r − 1, 0))', () => {
    expect(optimalRisk(0.5)).toBeCloseTo(1 - 1 / Math.PI, 15);
    expect(optimalRisk(1)).toBeCloseTo(1 - 2 / Math.PI, 15);
    expect(optimalRisk(3)).toBeCloseTo(1 - 3 / (Math.PI / 2 + 2), 15);
  });
  test.each([0, -1, Number.NaN])('R_opt refuses the rate %s, naming the field', (r) => {
    expect(() => optimalRisk(r)).toThrow(ValidationError);
    expect(() => optimalRisk(r)).toThrow(/rate: received .*, expected a positive compression rate r = n\/d/);
  });
  test('Shannon D(r) = 2^(−2r)', () => {
    expect(shannonDistortion(0)).toBe(1);
    expect(shannonDistortion(1)).toBe(0.25);
    expect(shannonDistortion(1.5)).toBe(0.125);
  });
  test('decoder scale: √(2/π) for r ≤ 1, √(π/2)/(r + π/2 − 1) above (continuous at r = 1)', () => {
    expect(decoderScale(0.25)).toBe(Math.sqrt(2 / Math.PI));
    expect(decoderScale(3)).toBeCloseTo(Math.sqrt(Math.PI / 2) / (2 + Math.PI / 2), 15);
    expect(decoderScale(1 + 1e-12)).toBeCloseTo(Math.sqrt(2 / Math.PI), 11);
  });
});

describe('Gram matrix helpers', () => {
  test('gramOfRows: unit diagonal, cosines off it, exactly parallel rows snapped to ±1', () => {
    const b = matrixFromRows([
      [3, 4],
      [-6, -8],
      [0, 2],
    ]);
    const m = gramOfRows(normalizeRows(b));
    expect(Array.from(m.data)).toEqual([1, -1, m.data[2], -1, 1, m.data[5], m.data[6], m.data[7], 1]);
    expect(m.data[2]).toBeCloseTo(0.8, 15);
    expect(m.data[5]).toBeCloseTo(-0.8, 15);
    expect(largestOverlap(m)).toBeCloseTo(0.8, 15);
  });
  test('gramOfRows is B̂B̂ᵀ entry by entry (the bits of multiplyTransposed), snapped, with a unit diagonal', () => {
    // n from 1 to 11 covers the four-row blocks and every remainder; d = 3 and 17.
    for (const d of [3, 17]) {
      for (let n = 1; n <= 11; n++) {
        const b = matrix(n, d);
        createRng(n * 31 + d).fillNormal(b.data);
        const bHat = normalizeRows(b);
        const plain = multiplyTransposed(bHat, bHat);
        const want = Array.from(plain.data, (v, idx) => (idx % (n + 1) === 0 ? 1 : snapUnit(v, d)));
        expect(Array.from(gramOfRows(bHat).data)).toEqual(want);
      }
    }
  });
  test('snapUnit snaps only within 8·d·ε64 of ±1', () => {
    const eps = Number.EPSILON;
    expect(snapUnit(1 - 2 * eps, 4)).toBe(1);
    expect(snapUnit(-1 - 16 * eps, 4)).toBe(-1);
    expect(snapUnit(1 - 64 * eps, 4)).toBe(1 - 64 * eps);
    // The bound is inclusive: 1 − 32ε64 is exactly 8·4·ε64 from 1.
    expect(snapUnit(1 - 32 * eps, 4)).toBe(1);
    expect(snapUnit(1 - 34 * eps, 4)).toBe(1 - 34 * eps);
    expect(snapUnit(0.5, 1e6)).toBe(0.5);
  });
  test('largestOverlap ignores the diagonal and entries at ±1', () => {
    const m = matrixFromRows([
      [1, -0.3, 1],
      [-0.3, 1, -0.7],
      [1, -0.7, 1],
    ]);
    expect(largestOverlap(m)).toBe(0.7);
  });
  test('entrywiseArcsin clips round-off beyond ±1 instead of returning NaN', () => {
    const m = entrywiseArcsin(matrixFromRows([[1 + 1e-15, -1 - 1e-15, 0.5]]));
    expect(Array.from(m.data)).toEqual([Math.PI / 2, -Math.PI / 2, Math.asin(0.5)]);
  });
  test('multiplyTransposed: X Yᵀ, and mismatched inner sizes are a RangeError naming both shapes', () => {
    const x = matrixFromRows([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const y = matrixFromRows([
      [1, 0],
      [2, -1],
    ]);
    const p = multiplyTransposed(x, y);
    expect([p.rows, p.cols, Array.from(p.data)]).toEqual([3, 2, [1, 0, 3, 2, 5, 4]]);
    expect(() => multiplyTransposed(x, matrixFromRows([[1, 2, 3]]))).toThrow(RangeError);
    expect(() => multiplyTransposed(x, matrixFromRows([[1, 2, 3]]))).toThrow('multiplyTransposed: 3×2 and 1×3');
  });
});
