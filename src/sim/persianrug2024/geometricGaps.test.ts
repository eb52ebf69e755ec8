import { describe, expect, test } from 'vitest';
import { createRng, type Rng } from '../../core/rng.ts';
import { GAP_TABLE_MIN_P, gapFormula, gapThresholds, MIN_TABLE } from './geometricGaps.ts';
import { sampleBatch } from './trainToyModel.ts';

const GRID = 2 ** 53;

/** The sampler as it was before the table: every gap from the formula (the definition the table must reproduce). */
function sampleByFormula(
  batch: number,
  n: number,
  p: number,
  rng: Rng,
  nz: Int32Array,
  counts: Int32Array,
  values: Float64Array,
) {
  const logq = Math.log1p(-p);
  for (let s = 0; s < batch; s++) {
    let c = 0;
    let i = -1;
    for (;;) {
      const gap = p >= 1 ? 0 : Math.floor(Math.log(1 - rng.uniform()) / logq);
      i += gap + 1;
      if (!(i < n)) break;
      values[s * n + c] = rng.uniform();
      nz[s * n + c++] = i;
    }
    counts[s] = c;
  }
}

/** The table's gap of u, as the sampler reads it (the count of thresholds ≤ u), or the formula past the table. */
function tableGap(table: Float64Array, u: number, logq: number): number {
  if (u >= table[table.length - 1]) return gapFormula(u, logq);
  let k = 0;
  while (u >= table[k]) k++;
  return k;
}

describe('geometric gaps by thresholds (the sampler of trainToyModel)', () => {
  const densities = [0.2, 0.25, 0.3, 1 / 3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.75, 0.9];

  test.each(densities)(
    'p = %s: the table gives the formula’s gap at every threshold, ±3 grid points, and at random u',
    (p) => {
      const table = gapThresholds(p);
      expect(table).not.toBeNull();
      const t = table as Float64Array;
      const logq = Math.log1p(-p);
      for (let k = 0; k < t.length; k++) {
        const at = t[k] * GRID;
        expect(Number.isInteger(at)).toBe(true);
        for (let d = -3; d <= 3; d++) {
          const u = (at + d) / GRID;
          if (u >= 0 && u < 1) expect(tableGap(t, u, logq)).toBe(gapFormula(u, logq));
        }
      }
      const rng = createRng(Math.round(p * 1000));
      for (let i = 0; i < 20_000; i++) {
        const u = rng.uniform();
        expect(tableGap(t, u, logq)).toBe(gapFormula(u, logq));
      }
    },
  );

  test('the table stops at the largest gap the grid reaches (53 at p = 1/2: u = 1 − 2⁻⁵³)', () => {
    expect(gapThresholds(0.5)?.length).toBe(53);
    expect(gapFormula(1 - 1 / GRID, Math.log1p(-0.5))).toBe(53);
    expect(gapThresholds(0.2)?.length).toBe(64);
  });

  test('a formula that is not monotone near a threshold, or that the search cannot pin, gives no table', () => {
    const logq = Math.log1p(-0.4);
    const at = (gapThresholds(0.4) as Float64Array)[2]; // the first u with gap ≥ 3
    // Gap 3 already 100 grid points below its threshold (a dip the binary search steps over): refused by the window.
    const early = (u: number, lq: number) => (u >= at - 100 / GRID && u < at - 90 / GRID ? 3 : gapFormula(u, lq));
    expect(gapThresholds(0.4, 64, early)).toBeNull();
    // Gap 3 missing for 50 grid points above its threshold: refused by the window too.
    const late = (u: number, lq: number) => (u >= at + 40 / GRID && u < at + 90 / GRID ? 2 : gapFormula(u, lq));
    expect(gapThresholds(0.4, 64, late)).toBeNull();
    // The unbroken formula, passed explicitly, gives the default table.
    expect(Array.from(gapThresholds(0.4, 64, gapFormula) as Float64Array)).toEqual(
      Array.from(gapThresholds(0.4) as Float64Array),
    );
    expect(gapFormula(at, logq)).toBe(3);
  });

  test('no table outside (0, 1), or where fewer than eight gaps are reachable', () => {
    for (const p of [0, -0.1, 1, 1.5, Number.NaN]) expect(gapThresholds(p)).toBeNull();
    // p = 0.995: gaps reach ⌊53·ln 2 / −ln 0.005⌋ = 6 < 8.
    expect(gapThresholds(0.995)).toBeNull();
    expect(MIN_TABLE).toBe(8);
  });

  test.each([0.05, 0.1, GAP_TABLE_MIN_P, 0.3, 0.5, 0.6, 0.9, 1])(
    'p = %s: sampleBatch draws the same batch as the formula, bit for bit, and leaves the stream at the same point',
    (p) => {
      const batch = 64;
      const n = 200;
      const [r1, r2] = [createRng(9), createRng(9)];
      const got = { nz: new Int32Array(batch * n), counts: new Int32Array(batch), values: new Float64Array(batch * n) };
      const want = {
        nz: new Int32Array(batch * n),
        counts: new Int32Array(batch),
        values: new Float64Array(batch * n),
      };
      for (let rep = 0; rep < 3; rep++) {
        sampleBatch(batch, n, p, r1, null, got.nz, got.counts, 'listed', { values: got.values });
        sampleByFormula(batch, n, p, r2, want.nz, want.counts, want.values);
        expect(Array.from(got.counts)).toEqual(Array.from(want.counts));
        expect(Array.from(got.nz)).toEqual(Array.from(want.nz));
        expect(Array.from(got.values)).toEqual(Array.from(want.values));
      }
      expect(r1.uniform()).toBe(r2.uniform());
    },
  );
});
