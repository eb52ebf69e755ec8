/**
 * The Persian rug's pieces against independent values (Cowsik, Dolev, Infanger 2024; docs/persianrug2024.md): the fast
 * Walsh–Hadamard transform against the dense Sylvester matrix, W = (1/m) H_Sᵀ H_S against its definition, Adam's
 * first steps against their closed form (with bias correction the first step is −lr·g/(|g| + ε)), the rug's loss
 * against E[x²] = p/3 (a = 0) and 0 (W = I) and its standard error against the per-sample losses, and the first two
 * training steps of the two scalars against the gradient written out by hand on the same samples (itself checked
 * against central differences of the minibatch loss).
 */
import { describe, expect, it } from 'vitest';
import { DivergenceError } from '../../core/errors.ts';
import { createRng } from '../../core/rng.ts';
import { sampleSparseUniform } from '../../data/sparseUniform.ts';
import { ADAM_EPS, adamStep, adamStepF32, BETA1, BETA2 } from './adam.ts';
import {
  createPersianRug,
  fwht,
  hadamardEntry,
  persianRugApply,
  persianRugMatrix,
  persianRugMatrixByXor,
} from './hadamard.ts';
import { rugLoss, trainRugScalars } from './trainRugScalars.ts';
import { issueOf, validationIssue } from '../../testing/validationIssue.ts';

/** Sylvester's H_n by its recursion H_2n = [[H, H], [H, −H]] (not by popcount). */
function sylvester(n: number): Float64Array {
  let h = Float64Array.of(1);
  for (let size = 1; size < n; size *= 2) {
    const next = new Float64Array(4 * size * size);
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < size; j++) {
        const v = h[i * size + j];
        next[i * 2 * size + j] = v;
        next[i * 2 * size + j + size] = v;
        next[(i + size) * 2 * size + j] = v;
        next[(i + size) * 2 * size + j + size] = -v;
      }
    }
    h = next;
  }
  return h;
}

describe('Hadamard', () => {
  it('hadamardEntry and the FWHT agree with the Sylvester recursion for n = 1 … 32', () => {
    for (const n of [1, 2, 4, 8, 32]) {
      const h = sylvester(n);
      for (let k = 0; k < n; k++) for (let l = 0; l < n; l++) expect(hadamardEntry(k, l)).toBe(h[k * n + l]);
      const x = Float64Array.from({ length: n }, (_, i) => Math.sin(1 + 2 * i));
      const y = Float64Array.from(x);
      fwht(y);
      for (let k = 0; k < n; k++) {
        let s = 0;
        for (let l = 0; l < n; l++) s += h[k * n + l] * x[l];
        expect(y[k]).toBeCloseTo(s, 12);
      }
    }
  });
  it('trainRugScalars keeps its bits (values pinned from commit 122ab92, before the FWHT took two stages at a time and the gradient lost its branch)', () => {
    const pinned = [
      [64, 16, 0.3, 0.6451530815577585, -0.09685470445522561, 0.05910883821025191],
      [128, 64, 0.1, 0.957870280563139, -0.2358173535175745, 0.00741330433796138],
    ] as const;
    for (const [n, m, p, a, beta, loss] of pinned) {
      const rug = createPersianRug(n, m, createRng(21));
      const r = trainRugScalars({ rug, p, steps: 30, batch: 32, rng: createRng(22), evalSamples: 256 });
      expect([r.a, r.beta, r.heldOutLoss]).toEqual([a, beta, loss]);
    }
  });
  it('the FWHT, two stages at a time, gives the stage-by-stage butterflies’ bits for n = 1 … 2048', () => {
    for (let n = 1; n <= 2048; n *= 2) {
      const x = Float64Array.from({ length: n }, (_, i) => Math.sin(3 + 7 * i) * (i % 5 === 0 ? 1e8 : 1));
      const want = Float64Array.from(x);
      for (let h = 1; h < n; h <<= 1) {
        for (let i = 0; i < n; i += h << 1) {
          for (let j = i; j < i + h; j++) {
            const [a, b] = [want[j], want[j + h]];
            want[j] = a + b;
            want[j + h] = a - b;
          }
        }
      }
      fwht(x);
      expect(Array.from(x)).toEqual(Array.from(want));
    }
  });
  it('createPersianRug draws m distinct sorted rows, each row equally likely; bad n or m name the field', () => {
    const rug = createPersianRug(16, 5, createRng(1));
    expect(rug.n).toBe(16);
    expect(rug.m).toBe(5);
    expect(rug.rows).toHaveLength(5);
    expect([...rug.rows].sort((a, b) => a - b)).toEqual(rug.rows);
    expect(new Set(rug.rows).size).toBe(5);
    expect(Array.from(rug.mask).reduce((s, v) => s + v, 0)).toBe(5);
    for (const k of rug.rows) expect(rug.mask[k]).toBe(1);
    expect(createPersianRug(8, 8, createRng(2)).rows).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // Each of the 8 rows is picked with probability m/n = 3/8: counts over 4000 draws within 4 SE.
    const counts = new Array(8).fill(0);
    const draws = 4000;
    const rng = createRng(3);
    for (let t = 0; t < draws; t++) for (const k of createPersianRug(8, 3, rng).rows) counts[k]++;
    const q = 3 / 8;
    for (const c of counts) expect(Math.abs(c / draws - q)).toBeLessThan(4 * Math.sqrt((q * (1 - q)) / draws));
    const rng1 = createRng(4);
    expect(issueOf(() => createPersianRug(6, 2, rng1))).toEqual({ field: 'n', received: 6 });
    expect(issueOf(() => createPersianRug(1, 1, rng1))).toEqual({ field: 'n', received: 1 });
    expect(issueOf(() => createPersianRug(2.5, 1, rng1))).toEqual({ field: 'n', received: 2.5 });
    expect(issueOf(() => createPersianRug(8, 0, rng1))).toEqual({ field: 'm', received: 0 });
    expect(issueOf(() => createPersianRug(8, 9, rng1))).toEqual({ field: 'm', received: 9 });
    expect(issueOf(() => createPersianRug(8, 1.5, rng1))).toEqual({ field: 'm', received: 1.5 });
    expect(() => createPersianRug(6, 2, rng1)).toThrow(/expected a power of two ≥ 2/);
    expect(() => createPersianRug(8, 9, rng1)).toThrow(/expected an integer in \[1, 8\]/);
    expect(createPersianRug(2, 1, rng1).rows).toHaveLength(1);
  });
  it('persianRugMatrix is (1/m) H_Sᵀ H_S and persianRugApply multiplies by it without touching x', () => {
    const n = 16;
    const rug = createPersianRug(n, 6, createRng(5));
    const h = sylvester(n);
    const w = persianRugMatrix(rug);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (const k of rug.rows) s += h[k * n + i] * h[k * n + j];
        expect(w[i * n + j]).toBeCloseTo(s / 6, 14);
      }
    }
    const x = Float64Array.from({ length: n }, (_, i) => Math.cos(3 * i));
    const before = Float64Array.from(x);
    const y = new Float64Array(n);
    persianRugApply(rug, x, y);
    expect(Array.from(x)).toEqual(Array.from(before));
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += w[i * n + j] * x[j];
      expect(y[i]).toBeCloseTo(s, 12);
    }
  });
  it('persianRugMatrixByXor (W_ij = c[i ⊕ j], c = H 1_S / m) gives persianRugMatrix bit for bit', () => {
    for (const [n, m, seed] of [
      [2, 1, 1],
      [8, 3, 2],
      [64, 17, 3],
      [256, 128, 4],
      [256, 256, 5],
      [512, 1, 6],
    ]) {
      const rug = createPersianRug(n, m, createRng(seed));
      expect(Array.from(persianRugMatrixByXor(rug))).toEqual(Array.from(persianRugMatrix(rug)));
    }
  });
});

describe('Adam', () => {
  it('the first two steps follow the closed form of torch.optim.Adam (β = 0.9, 0.999, ε = 1e-7)', () => {
    expect([BETA1, BETA2, ADAM_EPS]).toEqual([0.9, 0.999, 1e-7]);
    const g1 = Float64Array.of(0.5, -2, 1e-8, 0);
    const g2 = Float64Array.of(0.25, 3, -1e-8, 1);
    const w = Float64Array.of(1, 2, 3, 4);
    const mo = new Float64Array(4);
    const ve = new Float64Array(4);
    const lr = 0.1;
    adamStep(w, g1, mo, ve, lr, 1 - BETA1, 1 - BETA2);
    const w1 = [1, 2, 3, 4].map((w0, i) => w0 - (lr * g1[i]) / (Math.abs(g1[i]) + 1e-7));
    for (let i = 0; i < 4; i++) expect(w[i]).toBeCloseTo(w1[i], 14);
    for (let i = 0; i < 4; i++) {
      expect(mo[i]).toBeCloseTo(0.1 * g1[i], 15);
      expect(ve[i]).toBeCloseTo(0.001 * g1[i] ** 2, 15);
    }
    adamStep(w, g2, mo, ve, lr, 1 - BETA1 ** 2, 1 - BETA2 ** 2);
    for (let i = 0; i < 4; i++) {
      const m = 0.9 * 0.1 * g1[i] + 0.1 * g2[i];
      const v = 0.999 * 0.001 * g1[i] ** 2 + 0.001 * g2[i] ** 2;
      expect(mo[i]).toBeCloseTo(m, 15);
      expect(ve[i]).toBeCloseTo(v, 15);
      const want = w1[i] - (lr * (m / (1 - 0.81))) / (Math.sqrt(v / (1 - 0.999 ** 2)) + 1e-7);
      expect(w[i]).toBeCloseTo(want, 13);
    }
  });
  it('the float32 variant stores each value within one float32 rounding of the float64 update', () => {
    const g = Float64Array.of(0.3, -1.7, 2e-3);
    const w64 = Float64Array.of(0.1, -0.2, 0.3);
    const w32 = Float32Array.from(w64);
    const m64 = new Float64Array(3);
    const v64 = new Float64Array(3);
    const m32 = new Float32Array(3);
    const v32 = new Float32Array(3);
    for (let t = 1; t <= 3; t++) {
      adamStep(w64, g, m64, v64, 0.05, 1 - BETA1 ** t, 1 - BETA2 ** t);
      adamStepF32(w32, g, m32, v32, 0.05, 1 - BETA1 ** t, 1 - BETA2 ** t);
    }
    for (let i = 0; i < 3; i++) {
      // Three steps of one rounding each (relative 2⁻²⁴) on every stored value.
      expect(Math.abs(w32[i] - w64[i])).toBeLessThan(8 * 2 ** -24 * (Math.abs(w64[i]) + 0.15));
      expect(Math.abs(m32[i] - m64[i])).toBeLessThan(8 * 2 ** -24 * Math.abs(m64[i]));
      expect(Math.abs(v32[i] - v64[i])).toBeLessThan(8 * 2 ** -24 * Math.abs(v64[i]));
      expect(Math.abs(w32[i] - w64[i])).toBeGreaterThan(0);
    }
  });
});

describe('rugLoss and trainRugScalars', () => {
  it('a = 0 decodes nothing: the loss is E[x²] = p/3 per feature, with the standard error of Σx²/n', () => {
    const n = 16;
    const p = 0.2;
    const rug = createPersianRug(n, 4, createRng(6));
    const N = 20_000;
    const { loss, standardError } = rugLoss(rug, 0, 0.3, p, N, createRng(7));
    // Var(Σ x_i²/n) = (E x⁴ − (E x²)²)/n with E x² = p/3, E x⁴ = p/5.
    const se = Math.sqrt((p / 5 - (p / 3) ** 2) / n / N);
    expect(Math.abs(loss - p / 3)).toBeLessThan(4 * se);
    expect(Math.abs(standardError / se - 1)).toBeLessThan(0.05);
  });
  it('W = I (m = n), a = 1, β = 0 reconstructs x exactly (loss 0); β = 0.5 adds 0.5 to every feature (loss 0.25)', () => {
    const rug = createPersianRug(8, 8, createRng(8));
    // Zero up to the FWHTs' round-off (|x| < 1, n = 8: errors of order 1e-16, squared).
    const { loss, standardError } = rugLoss(rug, 1, 0, 0.5, 100, createRng(9));
    expect(loss).toBeLessThan(1e-28);
    expect(standardError).toBeLessThan(1e-28);
    // The same rows with β = 0.5: each nonzero x_i is reconstructed as x_i + 0.5 and each zero as 0.5, an error 0.25.
    expect(rugLoss(rug, 1, 0.5, 0.5, 100, createRng(9)).loss).toBeCloseTo(0.25, 12);
  });
  it('one Adam step of (A, β) from (1, 0) is −lr·g/(|g| + ε) with g the hand-computed minibatch gradient', () => {
    const n = 8;
    const p = 0.4;
    const batch = 6;
    const rug = createPersianRug(n, 3, createRng(10));
    const w = persianRugMatrix(rug);
    const progress: [number, number, string | undefined][] = [];
    const lr = 0.05;
    const trained = trainRugScalars({
      rug,
      p,
      steps: 1,
      batch,
      learningRate: lr,
      evalSamples: 500,
      rng: createRng(11),
      progress: (done, total, label) => progress.push([done, total, label]),
    });
    // ∂/∂A and ∂/∂β of (1/(batch·n)) Σ (ReLU(A(Wx + β)) − x)² at A = 1, β = 0, on the same samples.
    const rng = createRng(11);
    const x = new Float64Array(n);
    let gA = 0;
    let gB = 0;
    for (let s = 0; s < batch; s++) {
      sampleSparseUniform(x, p, rng);
      for (let i = 0; i < n; i++) {
        let u = 0;
        for (let j = 0; j < n; j++) u += w[i * n + j] * x[j];
        if (u > 0) {
          gA += 2 * (u - x[i]) * u;
          gB += 2 * (u - x[i]);
        }
      }
    }
    gA /= batch * n;
    gB /= batch * n;
    expect(gA).not.toBe(0);
    expect(trained.a).toBeCloseTo(1 - (lr * gA) / (Math.abs(gA) + ADAM_EPS), 12);
    expect(trained.beta).toBeCloseTo(-(lr * gB) / (Math.abs(gB) + ADAM_EPS), 12);
    expect(progress).toEqual([[1, 1, 'Adam steps']]);
    const held = rugLoss(rug, trained.a, trained.beta, p, 500, createRng(11).fork('held-out'));
    expect(trained.heldOutLoss).toBe(held.loss);
    expect(trained.standardError).toBe(held.standardError);
  });
  it('the standard error is the sample standard deviation of the per-sample losses over √samples', () => {
    // a = 0: each sample's loss is Σ x_i²/n; the same stream gives the same samples. SE = √(Σ (l − l̄)² / (N (N − 1))).
    const n = 8;
    const p = 0.5;
    const rug = createPersianRug(n, 2, createRng(17));
    for (const N of [2, 3, 5]) {
      const rng = createRng(18);
      const x = new Float64Array(n);
      const losses: number[] = [];
      for (let s = 0; s < N; s++) {
        sampleSparseUniform(x, p, rng);
        losses.push(x.reduce((acc, v) => acc + v * v, 0) / n);
      }
      const mean = losses.reduce((acc, l) => acc + l, 0) / N;
      const se = Math.sqrt(losses.reduce((acc, l) => acc + (l - mean) ** 2, 0) / (N * (N - 1)));
      const got = rugLoss(rug, 0, 0.1, p, N, createRng(18));
      expect(got.loss).toBeCloseTo(mean, 15);
      expect(se).toBeGreaterThan(0.01);
      expect(got.standardError).toBeCloseTo(se, 14);
    }
    // One sample: no spread to measure; the standard error is 0, not NaN.
    expect(rugLoss(rug, 0, 0.1, p, 1, createRng(18)).standardError).toBe(0);
  });
  it('two Adam steps follow the gradient of the minibatch loss in A and β, away from (1, 0)', () => {
    // The first step moves each scalar by −lr·sign(g), at A = 1, β = 0; the second step's size depends on the ratio of
    // its gradient to the first's, at A ≠ 1 and β ≠ 0, so both gradients are checked in full here.
    const n = 16;
    const p = 0.3;
    const batch = 5;
    const lr = 0.07;
    const rug = createPersianRug(n, 5, createRng(19));
    const w = persianRugMatrix(rug);
    const trained = trainRugScalars({ rug, p, steps: 2, batch, learningRate: lr, evalSamples: 10, rng: createRng(20) });
    // The two minibatches, and y = W x by the dense matrix.
    const rng = createRng(20);
    const xs: Float64Array[][] = [];
    const ys: Float64Array[][] = [];
    for (let t = 0; t < 2; t++) {
      xs.push([]);
      ys.push([]);
      for (let s = 0; s < batch; s++) {
        const x = new Float64Array(n);
        sampleSparseUniform(x, p, rng);
        const y = new Float64Array(n);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) y[i] += w[i * n + j] * x[j];
        xs[t].push(x);
        ys[t].push(y);
      }
    }
    // The minibatch loss L(A, β) = (1/(batch·n)) Σ (ReLU(A(y + β)) − x)², and its gradient written out by hand.
    const loss = (t: number, a: number, beta: number) => {
      let l = 0;
      for (let s = 0; s < batch; s++)
        for (let i = 0; i < n; i++) l += (Math.max(a * (ys[t][s][i] + beta), 0) - xs[t][s][i]) ** 2;
      return l / (batch * n);
    };
    const gradient = (t: number, a: number, beta: number) => {
      let gA = 0;
      let gB = 0;
      for (let s = 0; s < batch; s++) {
        for (let i = 0; i < n; i++) {
          const u = ys[t][s][i] + beta;
          if (a * u > 0) {
            gA += 2 * (a * u - xs[t][s][i]) * u;
            gB += 2 * (a * u - xs[t][s][i]) * a;
          }
        }
      }
      return [gA / (batch * n), gB / (batch * n)];
    };
    // The hand gradient is the loss's derivative: central differences (h = 1e-6, no ReLU kink within h here).
    const h = 1e-6;
    const fd = (t: number, a: number, beta: number) => [
      (loss(t, a + h, beta) - loss(t, a - h, beta)) / (2 * h),
      (loss(t, a, beta + h) - loss(t, a, beta - h)) / (2 * h),
    ];
    const g1 = gradient(0, 1, 0);
    for (const [k, v] of fd(0, 1, 0).entries()) expect(Math.abs(v - g1[k])).toBeLessThan(1e-8);
    const step1 = g1.map((g) => -(lr * g) / (Math.abs(g) + ADAM_EPS));
    const a1 = 1 + step1[0];
    const b1 = step1[1];
    const g2 = gradient(1, a1, b1);
    for (const [k, v] of fd(1, a1, b1).entries()) expect(Math.abs(v - g2[k])).toBeLessThan(1e-8);
    // Adam's second step (bias corrections 1 − 0.9², 1 − 0.999²).
    const second = (g: number, gPrev: number) => {
      const m = 0.9 * 0.1 * gPrev + 0.1 * g;
      const v = 0.999 * 0.001 * gPrev ** 2 + 0.001 * g ** 2;
      return -(lr * (m / (1 - 0.81))) / (Math.sqrt(v / (1 - 0.999 ** 2)) + ADAM_EPS);
    };
    // The second step is not again ±lr: it measures the gradients, not only their signs.
    expect(Math.abs(Math.abs(second(g2[0], g1[0])) - lr)).toBeGreaterThan(1e-3);
    expect(Math.abs(Math.abs(second(g2[1], g1[1])) - lr)).toBeGreaterThan(1e-3);
    expect(trained.a).toBeCloseTo(a1 + second(g2[0], g1[0]), 12);
    expect(trained.beta).toBeCloseTo(b1 + second(g2[1], g1[1]), 12);
  });
  it('a run whose scalars turn non-finite stops with a DivergenceError naming the step, A, β and the run', () => {
    const rug = createPersianRug(8, 3, createRng(21));
    const options = { rug, p: 0.4, steps: 3, batch: 4, learningRate: Number.POSITIVE_INFINITY, rng: createRng(22) };
    let error: unknown;
    try {
      trainRugScalars(options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DivergenceError);
    const { value, ...info } = (error as DivergenceError).info;
    expect(Number.isFinite(value)).toBe(false);
    expect(info).toEqual({
      step: 1,
      quantity: 'A, β',
      config: { n: 8, m: 3, p: 0.4, learningRate: Number.POSITIVE_INFINITY, batch: 4 },
    });
  });
  it('the defaults: batch 512, Adam step 0.3/√n, 8192 held-out samples; 0 steps leave (1, 0)', () => {
    const n = 4;
    const p = 0.5;
    const rug = createPersianRug(n, 2, createRng(12));
    const w = persianRugMatrix(rug);
    const trained = trainRugScalars({ rug, p, steps: 1, rng: createRng(13) });
    const rng = createRng(13);
    const x = new Float64Array(n);
    let gA = 0;
    for (let s = 0; s < 512; s++) {
      sampleSparseUniform(x, p, rng);
      for (let i = 0; i < n; i++) {
        let u = 0;
        for (let j = 0; j < n; j++) u += w[i * n + j] * x[j];
        if (u > 0) gA += (2 * (u - x[i]) * u) / (512 * n);
      }
    }
    expect(trained.a).toBeCloseTo(1 - ((0.3 / Math.sqrt(n)) * gA) / (Math.abs(gA) + ADAM_EPS), 12);
    const untrained = trainRugScalars({ rug, p, steps: 0, rng: createRng(14) });
    expect([untrained.a, untrained.beta]).toEqual([1, 0]);
    expect(untrained.heldOutLoss).toBe(rugLoss(rug, 1, 0, p, 8192, createRng(14).fork('held-out')).loss);
  });
  it('bad p or steps name the field', () => {
    const rug = createPersianRug(4, 2, createRng(15));
    const base = { rug, steps: 1, rng: createRng(16) };
    expect(issueOf(() => trainRugScalars({ ...base, p: 0 }))).toEqual({ field: 'p', received: 0 });
    expect(issueOf(() => trainRugScalars({ ...base, p: 1.5 }))).toEqual({ field: 'p', received: 1.5 });
    expect(issueOf(() => trainRugScalars({ ...base, p: 0.5, steps: -1 }))).toEqual({ field: 'steps', received: -1 });
    expect(issueOf(() => trainRugScalars({ ...base, p: 0.5, steps: 0.5 }))).toEqual({ field: 'steps', received: 0.5 });
    expect(validationIssue(() => trainRugScalars({ ...base, p: 0 })).expected).toBe('a probability in (0, 1]');
    expect(validationIssue(() => trainRugScalars({ ...base, p: 0.5, steps: -1 })).expected).toBe(
      'a non-negative integer',
    );
    expect(trainRugScalars({ ...base, p: 1, steps: 0, evalSamples: 4 }).a).toBe(1);
  });
});
