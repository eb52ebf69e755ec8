/**
 * The simulator's weights (Refinetti & Goldt 2022, eq. (1); docs/refinetti2022-sim.md): the initial draw has the
 * stated law (N(0, init²) entries, β ~ U(−1/D, 1/D)), copies are deep, and the projection on a source's directions
 * lists the source's eigenvalues, then one bulk direction per independent bulk part of the weights.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.ts';
import { createGaussianSource } from '../../data/gaussianSource.ts';
import { spikedCovariance } from '../../data/spikedCovariance.ts';
import { cloneWeights, initialWeights, projectWeights } from './weights.ts';
import { issueOf, validationIssue } from '../../testing/validationIssue.ts';

/** Sample variance around 0 (the entries have mean 0) and its standard error for a Gaussian, 𝜎²·√(2/n). */
const secondMoment = (a: Float64Array): number => a.reduce((s, v) => s + v * v, 0) / a.length;

describe('initialWeights', () => {
  it('rejects a hidden size or dimension that is not a positive integer, naming the field', () => {
    const rng = createRng(1);
    expect(issueOf(() => initialWeights({ hidden: 0, dim: 4, rng }))).toEqual({ field: 'hidden', received: 0 });
    expect(issueOf(() => initialWeights({ hidden: 1.5, dim: 4, rng }))).toEqual({ field: 'hidden', received: 1.5 });
    expect(issueOf(() => initialWeights({ hidden: 2, dim: 0, rng }))).toEqual({ field: 'dim', received: 0 });
    expect(issueOf(() => initialWeights({ hidden: 2, dim: 2.5, rng }))).toEqual({ field: 'dim', received: 2.5 });
    expect(initialWeights({ hidden: 1, dim: 1, rng }).W).toHaveLength(1);
    expect(validationIssue(() => initialWeights({ hidden: 0, dim: 4, rng })).expected).toBe('an integer K ≥ 1');
    expect(validationIssue(() => initialWeights({ hidden: 2, dim: 0, rng })).expected).toBe('an integer D ≥ 1');
  });
  it('draws W and V i.i.d. N(0, init²), default init 0.1, independently of each other, and no bias unless asked', () => {
    const K = 40;
    const D = 100;
    const n = K * D;
    for (const [scale, s] of [
      [undefined, 0.1],
      [0.7, 0.7],
    ] as const) {
      const w = initialWeights({ hidden: K, dim: D, rng: createRng(3), ...(scale ? { initialScale: scale } : {}) });
      expect(w.hidden).toBe(K);
      expect(w.dim).toBe(D);
      expect(w.W).toHaveLength(n);
      expect(w.V).toHaveLength(n);
      expect('bias' in w).toBe(false);
      const se = s * s * Math.sqrt(2 / n);
      expect(Math.abs(secondMoment(w.W) - s * s)).toBeLessThan(4 * se);
      expect(Math.abs(secondMoment(w.V) - s * s)).toBeLessThan(4 * se);
      // Independent: the sample correlation of W and V entries is O(1/√n).
      let c = 0;
      for (let i = 0; i < n; i++) c += w.W[i] * w.V[i];
      expect(Math.abs(c / n / (s * s))).toBeLessThan(4 / Math.sqrt(n));
    }
  });
  it('draws the effective bias β = b/√D with b ~ U(−1/√D, 1/√D), so β ~ U(−1/D, 1/D)', () => {
    const K = 3000;
    const D = 4;
    const { bias } = initialWeights({ hidden: K, dim: D, rng: createRng(5), bias: true });
    if (!bias) throw new Error('expected a bias');
    expect(bias).toHaveLength(K);
    const max = bias.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(max).toBeLessThan(1 / D);
    expect(max).toBeGreaterThan(0.99 / D);
    const mean = bias.reduce((s, v) => s + v, 0) / K;
    // U(−a, a): mean 0, variance a²/3 (a = 1/D), and the variance of β² is 4a⁴/45.
    const a = 1 / D;
    expect(Math.abs(mean)).toBeLessThan(4 * Math.sqrt((a * a) / 3 / K));
    expect(Math.abs(secondMoment(bias) - (a * a) / 3)).toBeLessThan(4 * Math.sqrt((4 * a ** 4) / 45 / K));
  });
  it("takes W, then V, then one uniform per bias entry from the stream, and nothing more (a caller's later draws replay)", () => {
    const K = 3;
    const D = 5;
    const rng = createRng(8);
    const w = initialWeights({ hidden: K, dim: D, rng, bias: true, initialScale: 0.3 });
    const twin = createRng(8);
    const W = new Float64Array(K * D);
    const V = new Float64Array(K * D);
    twin.fillNormal(W, 0, K * D, 0.3);
    twin.fillNormal(V, 0, K * D, 0.3);
    expect(Array.from(w.W)).toEqual(Array.from(W));
    expect(Array.from(w.V)).toEqual(Array.from(V));
    // b = (2u − 1)/√D ~ U(−1/√D, 1/√D), and β = b/√D
    const beta = Array.from({ length: K }, () => (2 * twin.uniform() - 1) / Math.sqrt(D) / Math.sqrt(D));
    expect(Array.from(w.bias ?? [])).toEqual(beta);
    expect(rng.uint32()).toBe(twin.uint32());
  });
});

describe('cloneWeights', () => {
  it('copies every array, bias included, and adds no bias when there is none', () => {
    const w = initialWeights({ hidden: 2, dim: 3, rng: createRng(7), bias: true });
    const c = cloneWeights(w);
    expect(c).toEqual(w);
    c.W[0] += 1;
    c.V[0] += 1;
    if (c.bias) c.bias[0] += 1;
    expect(c.W[0]).not.toBe(w.W[0]);
    expect(c.V[0]).not.toBe(w.V[0]);
    expect(c.bias?.[0]).not.toBe(w.bias?.[0]);
    const plain = cloneWeights(initialWeights({ hidden: 2, dim: 3, rng: createRng(7) }));
    expect('bias' in plain).toBe(false);
  });
});

describe('projectWeights', () => {
  const D = 12;
  const source = spikedCovariance({ dim: D, spikes: 2, rng: createRng(9) });
  it('lists the source eigenvalues, then β once per independent bulk part: 2K untied, K tied', () => {
    const w = initialWeights({ hidden: 3, dim: D, rng: createRng(10), bias: true });
    const p = projectWeights(w, source);
    expect(p.state.directions).toBe(2 + 6);
    expect(Array.from(p.spectrum.values)).toEqual([...source.values, ...Array(6).fill(source.bulk)]);
    expect(p.spectrum.dim).toBe(D);
    expect(p.traceOmegaOverD).toBe(source.traceOmegaOverD);
    expect(Array.from(p.state.bias ?? [])).toEqual(Array.from(w.bias ?? []));
    expect(p.state.bias).not.toBe(w.bias);
    // a_τ^k = w^k·e_τ and b_τ^k = v^k·e_τ/√D on the listed directions.
    for (let k = 0; k < 3; k++) {
      for (let t = 0; t < 2; t++) {
        let aw = 0;
        let av = 0;
        for (let i = 0; i < D; i++) {
          aw += w.W[k * D + i] * source.basis[t * D + i];
          av += w.V[k * D + i] * source.basis[t * D + i];
        }
        expect(p.state.a[k * 8 + t]).toBeCloseTo(aw, 14);
        expect(p.state.b[k * 8 + t]).toBeCloseTo(av / Math.sqrt(D), 14);
      }
      // The bulk parts are represented exactly: Σ over all directions of a² is ‖w^k‖², of b² is ‖v^k‖²/D.
      let sa = 0;
      let sb = 0;
      let ww = 0;
      let vv = 0;
      for (let j = 0; j < 8; j++) {
        sa += p.state.a[k * 8 + j] ** 2;
        sb += p.state.b[k * 8 + j] ** 2;
      }
      for (let i = 0; i < D; i++) {
        ww += w.W[k * D + i] ** 2;
        vv += w.V[k * D + i] ** 2;
      }
      expect(sa).toBeCloseTo(ww, 13);
      expect(sb).toBeCloseTo(vv / D, 13);
    }
    const tied = projectWeights(w, source, true);
    expect(tied.state.directions).toBe(2 + 3);
    expect(Array.from(tied.state.b)).toEqual(Array.from(tied.state.a).map((v) => v / Math.sqrt(D)));
  });
  it('keeps every bulk part whatever the scale of the weights, and with zero entries (the drop threshold is relative)', () => {
    const K = 2;
    const w = initialWeights({ hidden: K, dim: D, rng: createRng(14) });
    const p = projectWeights(w, source);
    expect(p.state.directions).toBe(2 + 2 * K);
    for (const c of [1e-100, 1e-20, 1e20, 1e100]) {
      const scaled = { ...w, W: w.W.map((x) => c * x), V: w.V.map((x) => c * x) };
      const q = projectWeights(scaled, source);
      expect(q.state.directions, `scale ${c}`).toBe(2 + 2 * K);
      // the same bulk directions, so the coordinates scale by c (up to round-off)
      for (let j = 0; j < K * q.state.directions; j++) {
        expect(Math.abs(q.state.a[j] - c * p.state.a[j])).toBeLessThan(1e-13 * c);
        expect(Math.abs(q.state.b[j] - c * p.state.b[j])).toBeLessThan(1e-13 * c);
      }
    }
    // A weight vector with exact zeros (here its first half) is still a weight vector with a bulk part.
    const sparse = { ...w, W: Float64Array.from(w.W), V: Float64Array.from(w.V) };
    for (let k = 0; k < K; k++) {
      sparse.W.fill(0, k * D, k * D + D / 2);
      sparse.V.fill(0, k * D, k * D + D / 2);
    }
    expect(projectWeights(sparse, source).state.directions).toBe(2 + 2 * K);
  });
  it('gives a bulk part 10⁻¹⁰ of its weight vector its own size as coordinate, not the round-off of the spike part', () => {
    // w = 3e₁ + 2e₂ + η g with g a unit vector orthogonal to the spikes: the bulk coordinate is ±η exactly in exact
    // arithmetic. The attainable accuracy is round-off of a D-term dot product of size ‖w‖: 64ε√D‖w‖ ≈ 1e-13 here.
    const g = new Float64Array(D);
    createRng(15).fillNormal(g);
    for (let t = 0; t < 2; t++) {
      const e = source.basis.subarray(t * D, (t + 1) * D);
      const d = g.reduce((s, x, i) => s + x * e[i], 0);
      for (let i = 0; i < D; i++) g[i] -= d * e[i];
    }
    const ng = Math.sqrt(g.reduce((s, x) => s + x * x, 0));
    for (const eta of [1e-4, 1e-7, 1e-10]) {
      const W = Float64Array.from(
        { length: D },
        (_, i) => 3 * source.basis[i] + 2 * source.basis[D + i] + (eta * g[i]) / ng,
      );
      const p = projectWeights({ hidden: 1, dim: D, W, V: Float64Array.from(W) }, source, true);
      expect(p.state.directions).toBe(3);
      const tol = 64 * Number.EPSILON * Math.sqrt(D) * Math.sqrt(13);
      expect(Math.abs(p.state.a[0] - 3)).toBeLessThan(tol);
      expect(Math.abs(p.state.a[1] - 2)).toBeLessThan(tol);
      expect(Math.abs(Math.abs(p.state.a[2]) - eta), `η = ${eta}: bulk coordinate ${p.state.a[2]}`).toBeLessThan(tol);
    }
  });
  it('adds no bulk direction for zero weights, only round-off ones for weights inside the listed directions, none when n = D', () => {
    const zero = { hidden: 2, dim: D, W: new Float64Array(2 * D), V: new Float64Array(2 * D) };
    expect(projectWeights(zero, source).state.directions).toBe(2);
    const inSpan = { hidden: 2, dim: D, W: Float64Array.from(source.basis), V: new Float64Array(2 * D) };
    for (let i = 0; i < D; i++) inSpan.V[i] = 2 * source.basis[D + i];
    const p = projectWeights(inSpan, source);
    const m = p.state.directions;
    expect(p.state.a[0]).toBeCloseTo(1, 14);
    expect(p.state.a[1]).toBeCloseTo(0, 14);
    expect(p.state.b[1]).toBeCloseTo(2 / Math.sqrt(D), 14);
    expect(p.state.a[m + 1]).toBeCloseTo(1, 14);
    for (let k = 0; k < 2; k++) {
      for (let j = 2; j < m; j++) {
        expect(Math.abs(p.state.a[k * m + j])).toBeLessThan(1e-14);
        expect(Math.abs(p.state.b[k * m + j])).toBeLessThan(1e-14);
      }
    }
    expect('bias' in p.state).toBe(false);
    const d = 3;
    const basis = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const full = createGaussianSource({ dim: d, values: Float64Array.from([3, 2, 1]), basis });
    const w = initialWeights({ hidden: 2, dim: d, rng: createRng(12) });
    const q = projectWeights(w, full);
    expect(q.state.directions).toBe(3);
    expect(Array.from(q.state.a)).toEqual(Array.from(w.W));
  });
});
