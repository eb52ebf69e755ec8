/**
 * The toy model's training (Cowsik, Dolev, Infanger 2024; docs/persianrug2024.md) against values computed here by
 * hand: the first Adam step of every parameter from PyTorch's default initialisation, with the gradient of
 * L = (1/(B n)) Σ (ReLU(W_out W_in x + b) − x)² written out with dense loops (untied and tied), the sparse minibatch's
 * law (each feature nonzero with probability p, uniform on [0, 1)), the forward pass, the held-out loss, and the
 * report of a run that diverges.
 */
import { describe, expect, it } from 'vitest';
import { DivergenceError } from '../../core/errors.ts';
import { createRng, type Rng } from '../../core/rng.ts';
import { getKernelSet } from '../../kernels/registry.ts';
import { ADAM_EPS } from './adam.ts';
import { sampleBatch, toyModelForward, toyModelLoss, trainToyModel } from './trainToyModel.ts';
import { issueOf, validationIssue } from '../../testing/validationIssue.ts';

const reference = await getKernelSet('reference');

/** PyTorch's nn.Linear init as the trainer draws it: W_in (m×n) U(±1/√n), W_out (n×m) U(±1/√m), b U(±1/√m). */
function initial(n: number, m: number, rng: Rng) {
  const u = (len: number, bound: number) => Float64Array.from({ length: len }, () => (2 * rng.uniform() - 1) * bound);
  const wIn = u(m * n, 1 / Math.sqrt(n));
  const wOut = u(n * m, 1 / Math.sqrt(m));
  const bias = u(n, 1 / Math.sqrt(m));
  return { wIn, wOut, bias };
}

/** x̂ = ReLU(W_out W_in x + b) for one sample, with plain loops; also returns h = W_in x and the pre-activation. */
function forwardOne(model: { wIn: Float64Array; wOut: Float64Array; bias: Float64Array }, x: Float64Array, m: number) {
  const n = x.length;
  const h = new Float64Array(m);
  for (let k = 0; k < m; k++) for (let j = 0; j < n; j++) h[k] += model.wIn[k * n + j] * x[j];
  const pre = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    pre[i] = model.bias[i];
    for (let k = 0; k < m; k++) pre[i] += model.wOut[i * m + k] * h[k];
  }
  return { h, pre, out: pre.map((v) => Math.max(v, 0)) };
}

describe('trainToyModel: the first Adam step against the hand-computed gradient', () => {
  for (const tied of [false, true]) {
    it(`${tied ? 'tied (W_out ≡ W_inᵀ)' : 'untied'}: every parameter moves by −lr·g/(|g| + ε)`, () => {
      const n = 10;
      const m = 4;
      const p = 0.3;
      const batch = 7;
      const lr = 0.01;
      const trained = trainToyModel({
        n,
        m,
        p,
        steps: 1,
        batch,
        learningRate: lr,
        tied,
        rng: createRng(21),
        kernels: reference,
        evalSamples: 64,
      });
      // The same stream: the initial weights, then one minibatch.
      const rng = createRng(21);
      const model = initial(n, m, rng);
      if (tied) for (let k = 0; k < m; k++) for (let i = 0; i < n; i++) model.wOut[i * m + k] = model.wIn[k * n + i];
      const x = new Float64Array(batch * n);
      sampleBatch(batch, n, p, rng, x, new Int32Array(batch * n), new Int32Array(batch));
      const gIn = new Float64Array(m * n);
      const gOut = new Float64Array(n * m);
      const gB = new Float64Array(n);
      for (let s = 0; s < batch; s++) {
        const xs = x.subarray(s * n, (s + 1) * n);
        const { h, pre } = forwardOne(model, xs, m);
        for (let i = 0; i < n; i++) {
          if (!(pre[i] > 0)) continue;
          const d = (2 / (batch * n)) * (pre[i] - xs[i]);
          gB[i] += d;
          for (let k = 0; k < m; k++) {
            gOut[i * m + k] += d * h[k];
            for (let j = 0; j < n; j++) gIn[k * n + j] += d * model.wOut[i * m + k] * xs[j];
          }
        }
      }
      if (tied) for (let k = 0; k < m; k++) for (let i = 0; i < n; i++) gIn[k * n + i] += gOut[i * m + k];
      const step = (w: number, g: number) => w - (lr * g) / (Math.abs(g) + ADAM_EPS);
      const close = (got: number, want: number, what: string) =>
        expect(Math.abs(got - want), `${what}: ${got} vs ${want}`).toBeLessThan(1e-13);
      for (let i = 0; i < m * n; i++) close(trained.wIn[i], step(model.wIn[i], gIn[i]), `W_in[${i}]`);
      for (let i = 0; i < n; i++) close(trained.bias[i], step(model.bias[i], gB[i]), `b[${i}]`);
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < m; k++) {
          const want = tied ? trained.wIn[k * n + i] : step(model.wOut[i * m + k], gOut[i * m + k]);
          close(trained.wOut[i * m + k], want, `W_out[${i},${k}]`);
        }
      }
    });
  }
});

describe('trainToyModel: records, defaults and options', () => {
  it('records the held-out loss of the model at the listed steps, on the forked held-out stream', () => {
    const n = 8;
    const m = 3;
    const p = 0.25;
    const progress: [number, number, string | undefined][] = [];
    const opts = { n, m, p, batch: 5, learningRate: 0.02, evalSamples: 300, kernels: reference };
    const r = trainToyModel({
      ...opts,
      steps: 3,
      record: [0, 2],
      rng: createRng(31),
      progress: (t, total, label) => progress.push([t, total, label]),
    });
    expect(r.steps).toEqual([0, 2]);
    expect(progress).toEqual([
      [1, 3, 'Adam steps'],
      [2, 3, 'Adam steps'],
      [3, 3, 'Adam steps'],
    ]);
    const evalRng = createRng(31).fork('held-out');
    const init = initial(n, m, createRng(31));
    expect(r.heldOutLoss[0]).toBe(toyModelLoss(init, n, m, p, 300, evalRng, reference));
    const two = trainToyModel({ ...opts, steps: 2, record: [], rng: createRng(31) });
    expect(two.steps).toEqual([]);
    expect(r.heldOutLoss[1]).toBe(toyModelLoss(two, n, m, p, 300, evalRng, reference));
    const byDefault = trainToyModel({ ...opts, steps: 2, rng: createRng(31) });
    expect(byDefault.steps).toEqual([2]);
    expect(Array.from(byDefault.wIn)).toEqual(Array.from(two.wIn));
  });
  it('the defaults: batch 1024, Adam step 3e-3/√n, 8192 held-out samples', () => {
    const n = 4;
    const m = 2;
    const p = 0.5;
    const r = trainToyModel({ n, m, p, steps: 1, rng: createRng(41), kernels: reference });
    const rng = createRng(41);
    const model = initial(n, m, rng);
    const x = new Float64Array(1024 * n);
    sampleBatch(1024, n, p, rng, x, new Int32Array(1024 * n), new Int32Array(1024));
    const gB = new Float64Array(n);
    for (let s = 0; s < 1024; s++) {
      const xs = x.subarray(s * n, (s + 1) * n);
      const { pre } = forwardOne(model, xs, m);
      for (let i = 0; i < n; i++) if (pre[i] > 0) gB[i] += (2 / (1024 * n)) * (pre[i] - xs[i]);
    }
    const lr = 3e-3 / Math.sqrt(n);
    for (let i = 0; i < n; i++)
      expect(r.bias[i]).toBeCloseTo(model.bias[i] - (lr * gB[i]) / (Math.abs(gB[i]) + ADAM_EPS), 13);
    const final = { wIn: r.wIn, wOut: r.wOut, bias: r.bias };
    expect(r.heldOutLoss).toEqual([toyModelLoss(final, n, m, p, 8192, createRng(41).fork('held-out'), reference)]);
  });
  it('bad options name the field', () => {
    const base = { n: 8, m: 2, p: 0.5, steps: 1, rng: createRng(1), kernels: reference };
    expect(issueOf(() => trainToyModel({ ...base, n: 0 }))).toEqual({ field: 'n', received: 0 });
    expect(issueOf(() => trainToyModel({ ...base, n: 2.5 }))).toEqual({ field: 'n', received: 2.5 });
    expect(issueOf(() => trainToyModel({ ...base, m: 0 }))).toEqual({ field: 'm', received: 0 });
    expect(issueOf(() => trainToyModel({ ...base, m: 9 }))).toEqual({ field: 'm', received: 9 });
    expect(issueOf(() => trainToyModel({ ...base, m: 1.5 }))).toEqual({ field: 'm', received: 1.5 });
    expect(issueOf(() => trainToyModel({ ...base, p: 0 }))).toEqual({ field: 'p', received: 0 });
    expect(issueOf(() => trainToyModel({ ...base, p: 1.01 }))).toEqual({ field: 'p', received: 1.01 });
    expect(issueOf(() => trainToyModel({ ...base, precision: 'float16' as 'float32' }))).toEqual({
      field: 'precision',
      received: 'float16',
    });
    expect(trainToyModel({ ...base, n: 1, m: 1, p: 1, evalSamples: 2, batch: 2 }).wIn).toHaveLength(1);
    // What each field expects, in the error itself.
    expect(validationIssue(() => trainToyModel({ ...base, n: 0 })).expected).toBe('a positive integer');
    expect(validationIssue(() => trainToyModel({ ...base, m: 9 })).expected).toBe('an integer in [1, n = 8]');
    expect(validationIssue(() => trainToyModel({ ...base, p: 0 })).expected).toBe('a probability in (0, 1]');
    expect(validationIssue(() => trainToyModel({ ...base, precision: 'float16' as 'float32' })).expected).toBe(
      "'float64' or 'float32'",
    );
  });
  it('a run whose weights turn non-finite is reported at the first check (every 100 steps) or at its last step', () => {
    // An infinite Adam step makes every parameter non-finite at step 1; the run checks its parameters at steps
    // 100, 200, … and at the last step, so that a non-finite model is never returned.
    const base = { n: 8, m: 2, p: 0.3, batch: 4, learningRate: Number.POSITIVE_INFINITY, evalSamples: 8 };
    const divergence = (steps: number) => {
      try {
        trainToyModel({ ...base, steps, rng: createRng(81), kernels: reference });
      } catch (e) {
        expect(e).toBeInstanceOf(DivergenceError);
        const { value, ...info } = (e as DivergenceError).info;
        expect(Number.isFinite(value)).toBe(false);
        return info;
      }
      throw new Error(`a run of ${steps} steps with an infinite learning rate returned`);
    };
    const config = { n: 8, m: 2, p: 0.3, learningRate: Number.POSITIVE_INFINITY, batch: 4, precision: 'float64' };
    expect(divergence(250)).toEqual({ step: 100, quantity: 'W_in, W_out, b', config });
    expect(divergence(99)).toEqual({ step: 99, quantity: 'W_in, W_out, b', config });
    expect(divergence(1)).toEqual({ step: 1, quantity: 'W_in, W_out, b', config });
  });
});

describe('the sparse minibatch, the forward pass and the held-out loss', () => {
  it('sampleBatch: each feature is nonzero with probability p, uniform on [0, 1); the lists name the nonzeros', () => {
    const n = 20;
    const batch = 2000;
    for (const p of [0.05, 0.5, 1]) {
      const x = new Float64Array(batch * n);
      const nz = new Int32Array(batch * n);
      const counts = new Int32Array(batch);
      sampleBatch(batch, n, p, createRng(51), x, nz, counts);
      let nonzero = 0;
      let sum = 0;
      for (let s = 0; s < batch; s++) {
        const listed = Array.from(nz.subarray(s * n, s * n + counts[s]));
        const actual = [];
        for (let i = 0; i < n; i++) if (x[s * n + i] !== 0) actual.push(i);
        expect(listed).toEqual(actual);
        nonzero += counts[s];
        for (const i of listed) {
          expect(x[s * n + i]).toBeGreaterThanOrEqual(0);
          expect(x[s * n + i]).toBeLessThan(1);
          sum += x[s * n + i];
        }
      }
      const N = batch * n;
      if (p === 1) expect(nonzero).toBe(N);
      else expect(Math.abs(nonzero / N - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / N));
      // Nonzero values: mean 1/2, variance 1/12.
      expect(Math.abs(sum / nonzero - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / nonzero));
      // Drawing again into the same arrays with clear 'listed' gives the same batch as into fresh ones.
      const again = new Float64Array(batch * n);
      sampleBatch(batch, n, p, createRng(52), x, nz, counts, 'listed');
      sampleBatch(batch, n, p, createRng(52), again, new Int32Array(batch * n), new Int32Array(batch));
      expect(Array.from(x)).toEqual(Array.from(again));
    }
  });
  it('sampleBatch: clear "all" (the default) zeroes whatever x held; p = 1 draws one uniform per feature, in order', () => {
    const [batch, n] = [3, 6];
    const x = new Float64Array(batch * n).fill(7);
    const nz = new Int32Array(batch * n);
    const counts = new Int32Array(batch);
    sampleBatch(batch, n, 0.2, createRng(71), x, nz, counts);
    for (let s = 0; s < batch; s++) {
      const listed = new Set(nz.subarray(s * n, s * n + counts[s]));
      for (let i = 0; i < n; i++) if (!listed.has(i)) expect(x[s * n + i], `x[${s}, ${i}]`).toBe(0);
    }
    // p = 1: every feature is nonzero and no draw is spent on the gaps: x is the stream's next batch·n uniforms.
    sampleBatch(batch, n, 1, createRng(72), x, nz, counts);
    const rng = createRng(72);
    expect(Array.from(x)).toEqual(Array.from({ length: batch * n }, () => rng.uniform()));
    expect(Array.from(counts)).toEqual([n, n, n]);
    expect(Array.from(nz)).toEqual(Array.from({ length: batch * n }, (_, k) => k % n));
    // Neither x nor listed.values: nowhere to draw into.
    expect(validationIssue(() => sampleBatch(batch, n, 0.5, createRng(73), null, nz, counts))).toEqual({
      field: 'sampleBatch.x',
      received: null,
      expected: 'a Float64Array (batch×n) to draw X into',
      hint: "pass x, or listed.values to receive the nonzeros in nz's layout only",
    });
  });
  it('toyModelForward is ReLU(W_out W_in x + b) row by row; toyModelLoss of the zero model is E[x²] = p/3', () => {
    const n = 9;
    const m = 4;
    const model = initial(n, m, createRng(61));
    const batch = 3;
    const x = Float64Array.from({ length: batch * n }, (_, i) => Math.abs(Math.sin(i)));
    const got = toyModelForward(model, x, batch, n, m, reference);
    for (let s = 0; s < batch; s++) {
      const { out } = forwardOne(model, x.subarray(s * n, (s + 1) * n), m);
      for (let i = 0; i < n; i++) expect(got[s * n + i]).toBeCloseTo(out[i], 14);
    }
    // Loss of a model against a hand-computed mean over the same samples (more than one chunk of 1024).
    const p = 0.3;
    const samples = 1500;
    const rng = createRng(62);
    const xs = new Float64Array(samples * n);
    sampleBatch(1024, n, p, rng, xs.subarray(0, 1024 * n), new Int32Array(1024 * n), new Int32Array(1024));
    sampleBatch(samples - 1024, n, p, rng, xs.subarray(1024 * n), new Int32Array(1024 * n), new Int32Array(1024));
    let want = 0;
    for (let s = 0; s < samples; s++) {
      const xr = xs.subarray(s * n, (s + 1) * n);
      const { out } = forwardOne(model, xr, m);
      for (let i = 0; i < n; i++) want += (out[i] - xr[i]) ** 2;
    }
    want /= samples * n;
    expect(toyModelLoss(model, n, m, p, samples, createRng(62), reference)).toBeCloseTo(want, 13);
    const zero = { wIn: new Float64Array(m * n), wOut: new Float64Array(n * m), bias: new Float64Array(n) };
    const N = 20_000;
    const loss = toyModelLoss(zero, n, m, p, N, createRng(63), reference);
    // Per-feature x² has mean p/3 and variance p/5 − p²/9; N·n terms.
    expect(Math.abs(loss - p / 3)).toBeLessThan(4 * Math.sqrt((p / 5 - (p / 3) ** 2) / (N * n)));
  });
});
