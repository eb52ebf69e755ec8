/**
 * The Shevchenko et al. 2023 simulators step by step against the rules written out by hand (docs/shevchenko2023.md):
 * tied SGD's minibatch step ΔB = (2η/batch)·Sᵀ(X − SB) with S = sign(XBᵀ); projected GD's step A ← A − η ∂L/∂A,
 * B ← rows of (B̂ − η ∂L/∂B̂) renormalised, with the gradients of the theory's `signRiskGradients` (plain loops, no
 * kernels); reduced GD's step at A = A*(B). Plus the encoders' constructions and the options' errors.
 */
import { describe, expect, test } from 'vitest';
import { DivergenceError } from '../../core/errors.ts';
import { type Matrix, matrix } from '../../core/matrix.ts';
import { createRng, type Rng } from '../../core/rng.ts';
import { getKernelSet, probeBackends } from '../../kernels/registry.ts';
import { normalizeRows, optimalDecoder, signRisk, signRiskGradients } from '../../theory/shevchenko2023/signRisk.ts';
import { gaussianMatrix, haarOrthonormalRows, haarTightFrame } from './constructions.ts';
import { DEFAULT_PGD_LEARNING_RATE, projectedGd } from './projectedGd.ts';
import { reducedGd } from './reducedGd.ts';
import { DEFAULT_TIED_BATCH, DEFAULT_TIED_LEARNING_RATE, tiedSgd } from './tiedSgd.ts';
import { issueOf, validationIssue } from '../../testing/validationIssue.ts';

const kernels = await getKernelSet('reference');
const openblasOk = (await probeBackends()).find((s) => s.id === 'openblas')?.available === true;

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i]), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(
      rel * scale,
    );
  }
}

/** One tied SGD step by hand: b (n×d) += (2η/batch)·Σ_p s_p (x_p − Bᵀ s_p)ᵀ, s_p = sign(B x_p). */
function handTiedStep(b: Float64Array, n: number, d: number, x: Float64Array, batch: number, lr: number): void {
  const grad = new Float64Array(n * d);
  for (let p = 0; p < batch; p++) {
    const xp = x.subarray(p * d, (p + 1) * d);
    const s = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      let l = 0;
      for (let j = 0; j < d; j++) l += b[k * d + j] * xp[j];
      s[k] = Math.sign(l);
    }
    const r = Float64Array.from(xp);
    for (let k = 0; k < n; k++) for (let j = 0; j < d; j++) r[j] -= b[k * d + j] * s[k];
    for (let k = 0; k < n; k++) for (let j = 0; j < d; j++) grad[k * d + j] += s[k] * r[j];
  }
  for (let i = 0; i < b.length; i++) b[i] += ((2 * lr) / batch) * grad[i];
}

describe('tiedSgd', () => {
  const n = 5;
  const d = 7;
  const start = gaussianMatrix(n, d, createRng(1), 1 / Math.sqrt(d));
  test('3 steps of a custom sampler give the hand-computed encoder; the input is not modified', () => {
    const before = Float64Array.from(start.data);
    const sample = (out: Float64Array, r: Rng) => {
      for (let i = 0; i < out.length; i++) out[i] = Math.sin(1 + i + 10 * r.uniform());
    };
    const got = tiedSgd({ encoder: start, steps: 3, batch: 4, learningRate: 0.3, sample, rng: createRng(2), kernels });
    expect(Array.from(start.data)).toEqual(Array.from(before));
    const b = Float64Array.from(start.data);
    const rng = createRng(2);
    const x = new Float64Array(4 * d);
    for (let t = 0; t < 3; t++) {
      sample(x, rng);
      handTiedStep(b, n, d, x, 4, 0.3);
    }
    expect(got.rows).toBe(n);
    expect(got.cols).toBe(d);
    expectClose(got.data, b, 1e-13, 'B');
  });
  test(`the defaults: x ~ N(0, I) from the rng, η = ${DEFAULT_TIED_LEARNING_RATE}, batch ${DEFAULT_TIED_BATCH}`, () => {
    const got = tiedSgd({ encoder: start, steps: 2, rng: createRng(3), kernels });
    const b = Float64Array.from(start.data);
    const rng = createRng(3);
    const x = new Float64Array(DEFAULT_TIED_BATCH * d);
    for (let t = 0; t < 2; t++) {
      rng.fillNormal(x);
      handTiedStep(b, n, d, x, DEFAULT_TIED_BATCH, DEFAULT_TIED_LEARNING_RATE);
    }
    expectClose(got.data, b, 1e-12, 'B');
  });
  test('records every recordEvery steps with a copy, reports progress, and 0 steps return a copy of the input', () => {
    const records: [number, Float64Array][] = [];
    const progress: [number, number, string | undefined][] = [];
    const last = tiedSgd({
      encoder: start,
      steps: 5,
      batch: 3,
      rng: createRng(4),
      kernels,
      recordEvery: 2,
      onRecord: (step, enc) => records.push([step, enc.data]),
      progress: (done, total, label) => progress.push([done, total, label]),
    });
    expect(records.map(([s]) => s)).toEqual([2, 4]);
    expect(progress).toEqual([1, 2, 3, 4, 5].map((t) => [t, 5, 'SGD steps']));
    const four = tiedSgd({ encoder: start, steps: 4, batch: 3, rng: createRng(4), kernels });
    expect(Array.from(records[1][1])).toEqual(Array.from(four.data));
    expect(Array.from(records[1][1])).not.toEqual(Array.from(last.data));
    const none = tiedSgd({ encoder: start, steps: 0, rng: createRng(4), kernels });
    expect(Array.from(none.data)).toEqual(Array.from(start.data));
    expect(none.data).not.toBe(start.data);
  });
  test('non-finite weights after the first step are caught by the check every 64 steps', () => {
    // Data that turns infinite at the 10th minibatch: the encoder is finite until then.
    let calls = 0;
    const sample = (out: Float64Array, r: Rng) => {
      calls++;
      r.fillNormal(out);
      if (calls === 10) out[0] = Number.POSITIVE_INFINITY;
    };
    expect(() => tiedSgd({ encoder: start, steps: 70, batch: 2, sample, rng: createRng(5), kernels })).toThrow(
      /diverged at step 64: encoder = /,
    );
  });
  test('a run that diverges after its last multiple of 64 is caught at its last step, never returned', () => {
    // Before the fifth session the check ran only at multiples of 64: 20 steps with infinite data at the 10th
    // minibatch returned a NaN encoder.
    let calls = 0;
    const sample = (out: Float64Array, r: Rng) => {
      calls++;
      r.fillNormal(out);
      if (calls === 10) out[0] = Number.POSITIVE_INFINITY;
    };
    expect(() => tiedSgd({ encoder: start, steps: 20, batch: 2, sample, rng: createRng(5), kernels })).toThrow(
      /diverged at step 19: encoder = /,
    );
  });
  test('a run stopped early by stopWhen is checked first: stopWhen never sees a diverged encoder', () => {
    let calls = 0;
    const sample = (out: Float64Array, r: Rng) => {
      calls++;
      r.fillNormal(out);
      if (calls === 12) out[0] = Number.POSITIVE_INFINITY;
    };
    const seen: boolean[] = [];
    const stopWhen = (_step: number, enc: Matrix) => {
      seen.push(enc.data.every(Number.isFinite));
      return false;
    };
    expect(() =>
      tiedSgd({ encoder: start, steps: 100, batch: 2, sample, rng: createRng(5), kernels, checkEvery: 5, stopWhen }),
    ).toThrow(/diverged at step 14: encoder = /);
    expect(seen).toEqual([true, true]);
  });
  test('a diverging run throws a DivergenceError at its first step', () => {
    expect(() =>
      tiedSgd({ encoder: start, steps: 3, batch: 2, learningRate: 1e308, rng: createRng(5), kernels }),
    ).toThrow(DivergenceError);
  });
  test("the DivergenceError carries the run's configuration (n, d, step size, batch), so the report can replay it", () => {
    let err: unknown;
    try {
      tiedSgd({ encoder: start, steps: 3, batch: 2, learningRate: 1e308, rng: createRng(5), kernels });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DivergenceError);
    expect((err as DivergenceError).info).toMatchObject({
      step: 0,
      quantity: 'encoder',
      config: { n, d, learningRate: 1e308, batch: 2 },
    });
  });
  test('records at the multiples of recordEvery (3 of 7 steps: 3 and 6); recordEvery without onRecord records nothing and runs', () => {
    const steps: number[] = [];
    tiedSgd({
      encoder: start,
      steps: 7,
      batch: 2,
      rng: createRng(4),
      kernels,
      recordEvery: 3,
      onRecord: (step) => steps.push(step),
    });
    expect(steps).toEqual([3, 6]);
    const plain = tiedSgd({ encoder: start, steps: 4, batch: 2, rng: createRng(4), kernels });
    const unrecorded = tiedSgd({ encoder: start, steps: 4, batch: 2, rng: createRng(4), kernels, recordEvery: 1 });
    expect(Array.from(unrecorded.data)).toEqual(Array.from(plain.data));
  });
  test('bad options name their field', () => {
    const base = { encoder: start, steps: 1, rng: createRng(6), kernels };
    expect(issueOf(() => tiedSgd({ ...base, learningRate: 0 }))).toEqual({ field: 'learningRate', received: 0 });
    expect(issueOf(() => tiedSgd({ ...base, learningRate: Number.NaN }))).toEqual({
      field: 'learningRate',
      received: Number.NaN,
    });
    expect(issueOf(() => tiedSgd({ ...base, batch: 0 }))).toEqual({ field: 'batch', received: 0 });
    expect(issueOf(() => tiedSgd({ ...base, batch: 2.5 }))).toEqual({ field: 'batch', received: 2.5 });
    expect(issueOf(() => tiedSgd({ ...base, steps: -1 }))).toEqual({ field: 'steps', received: -1 });
    expect(issueOf(() => tiedSgd({ ...base, steps: 1.5 }))).toEqual({ field: 'steps', received: 1.5 });
    // What each error says is expected, so the message tells the user how to fix the value.
    expect(validationIssue(() => tiedSgd({ ...base, learningRate: 0 })).expected).toBe('a positive step size');
    expect(validationIssue(() => tiedSgd({ ...base, batch: 0 })).expected).toBe('a positive integer');
    expect(validationIssue(() => tiedSgd({ ...base, steps: -1 })).expected).toBe('a non-negative integer');
    expect(() => tiedSgd({ ...base, stopWhen: () => true })).toThrow(/pass checkEvery with stopWhen/);
    expect(issueOf(() => tiedSgd({ ...base, stopWhen: () => true, checkEvery: 0 }))).toEqual({
      field: 'checkEvery',
      received: 0,
    });
    expect(() => tiedSgd({ ...base, stopWhen: () => true })).toThrow(/expected a positive integer number of steps/);
    // checkEvery without stopWhen asks nothing: all steps run.
    const plain = tiedSgd({ ...base, steps: 3, batch: 2 });
    expect(Array.from(tiedSgd({ ...base, steps: 3, batch: 2, checkEvery: 1, rng: createRng(6) }).data)).toEqual(
      Array.from(plain.data),
    );
    expect(tiedSgd({ ...base, batch: 1, stopWhen: () => true, checkEvery: 1 }).rows).toBe(n);
  });
});

/** One projected GD step by hand from the theory's gradients: A − η∂L/∂A, rows of (B̂ − η∂L/∂B̂) renormalised. */
function handPgdStep(a: Matrix, b: Matrix, eta: number, updateA: boolean): { a: Matrix; b: Matrix } {
  const { gradA, gradB } = signRiskGradients(a, b);
  const bHat = normalizeRows(b);
  const nextB = matrix(
    b.rows,
    b.cols,
    bHat.data.map((v, i) => v - eta * gradB.data[i]),
  );
  return {
    a: updateA
      ? matrix(
          a.rows,
          a.cols,
          a.data.map((v, i) => v - eta * gradA.data[i]),
        )
      : a,
    b: normalizeRows(nextB),
  };
}

describe('projectedGd', () => {
  const d = 6;
  const n = 9;
  const a0 = gaussianMatrix(d, n, createRng(7), 1 / Math.sqrt(d));
  const b0 = gaussianMatrix(n, d, createRng(8), 3); // rows far from unit: normalised first
  test('3 iterations give the hand-computed A and B, and record the theory risk of each iterate', () => {
    const progress: number[] = [];
    const r = projectedGd({
      decoder: a0,
      encoder: b0,
      learningRate: 0.2,
      iterations: 3,
      record: [1, 3],
      kernels,
      progress: (done, total, label) => {
        expect([total, label]).toEqual([3, 'GD iterations']);
        progress.push(done);
      },
    });
    let s = { a: a0, b: normalizeRows(b0) };
    const risks = [signRisk(s.a, s.b)];
    for (let t = 0; t < 3; t++) {
      s = handPgdStep(s.a, s.b, 0.2, true);
      risks.push(signRisk(s.a, s.b));
    }
    expectClose(r.decoder.data, s.a.data, 1e-12, 'A');
    expectClose(r.encoder.data, s.b.data, 1e-12, 'B');
    expect(r.iterations).toEqual([1, 3]);
    expectClose(r.risk, [risks[1], risks[3]], 1e-12, 'risk');
    expect(progress).toEqual([1, 2, 3]);
    const byDefault = projectedGd({ decoder: a0, encoder: b0, learningRate: 0.2, iterations: 3, kernels });
    expect(byDefault.iterations).toEqual([0, 3]);
    expectClose(byDefault.risk, [risks[0], risks[3]], 1e-12, 'default record');
  });
  test(`the default step size is ${DEFAULT_PGD_LEARNING_RATE}`, () => {
    const r = projectedGd({ decoder: a0, encoder: b0, iterations: 1, kernels });
    const s = handPgdStep(a0, normalizeRows(b0), DEFAULT_PGD_LEARNING_RATE, true);
    expectClose(r.encoder.data, s.b.data, 1e-12, 'B');
    expectClose(r.decoder.data, s.a.data, 1e-12, 'A');
  });
  test('parallel and antiparallel rows: M = ±1 is clipped to ±(1 − GRAM_CLIP) as in the theory, so the step stays finite', () => {
    const b = matrix(n, d, Float64Array.from(b0.data));
    for (let j = 0; j < d; j++) {
      b.data[d + j] = 2 * b.data[j]; // row 1 ∥ row 0
      b.data[2 * d + j] = -b.data[j]; // row 2 antiparallel to row 0
    }
    const r = projectedGd({ decoder: a0, encoder: b, learningRate: 0.01, iterations: 1, kernels });
    const s = handPgdStep(a0, normalizeRows(b), 0.01, true);
    expectClose(r.encoder.data, s.b.data, 1e-12, 'B');
    // A is not compared: for parallel rows the simulator takes arcsin of the clipped M (π/2 − 4.5e-5) where the theory
    // takes arcsin(1) = π/2, a relative difference of 2e-7 in A's step (docs/mutation.md, fourth session).
    for (const v of r.decoder.data) expect(Number.isFinite(v)).toBe(true);
  });
  test('a diverging run throws a DivergenceError naming the loss', () => {
    expect(() => projectedGd({ decoder: a0, encoder: b0, learningRate: 1e300, iterations: 3, kernels })).toThrow(
      /diverged at step 1: loss = /,
    );
  });
  test("the DivergenceError carries the run's configuration (d, n, step size)", () => {
    let err: unknown;
    try {
      projectedGd({ decoder: a0, encoder: b0, learningRate: 1e300, iterations: 3, kernels });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DivergenceError);
    expect((err as DivergenceError).info).toMatchObject({
      step: 1,
      quantity: 'loss',
      config: { d, n, learningRate: 1e300 },
    });
  });
  test('bad options name their field', () => {
    const base = { decoder: a0, encoder: b0, iterations: 1, kernels };
    expect(issueOf(() => projectedGd({ ...base, learningRate: -0.1 }))).toEqual({
      field: 'learningRate',
      received: -0.1,
    });
    expect(issueOf(() => projectedGd({ ...base, iterations: -1 }))).toEqual({ field: 'iterations', received: -1 });
    expect(issueOf(() => projectedGd({ ...base, iterations: 0.5 }))).toEqual({ field: 'iterations', received: 0.5 });
    // A step size of exactly 0 is refused too (GD that never moves), and each error says what was expected.
    expect(issueOf(() => projectedGd({ ...base, learningRate: 0 }))).toEqual({ field: 'learningRate', received: 0 });
    expect(validationIssue(() => projectedGd({ ...base, learningRate: 0 })).expected).toBe('a positive step size');
    expect(validationIssue(() => projectedGd({ ...base, iterations: -1 })).expected).toBe('a non-negative integer');
    // A decoder with the right number of columns but a wrong number of rows.
    expect(issueOf(() => projectedGd({ ...base, decoder: gaussianMatrix(d + 1, n, createRng(1)) }))).toEqual({
      field: 'decoder',
      received: `${d + 1}×${n}`,
    });
    expect(issueOf(() => projectedGd({ ...base, decoder: gaussianMatrix(n, d, createRng(1)) }))).toEqual({
      field: 'decoder',
      received: `${n}×${d}`,
    });
    expect(issueOf(() => projectedGd({ ...base, decoder: gaussianMatrix(d, n + 1, createRng(1)) }))).toEqual({
      field: 'decoder',
      received: `${d}×${n + 1}`,
    });
    expect(() => projectedGd({ ...base, decoder: gaussianMatrix(d, n + 1, createRng(1)) })).toThrow(
      `expected ${d}×${n}`,
    );
  });
});

describe('reducedGd', () => {
  const d = 6;
  const n = 9;
  const b0 = gaussianMatrix(n, d, createRng(9), 2);
  test('3 iterations at A = A*(B) give the hand-computed B, the optimal decoder of it and R*(B) of each iterate', () => {
    const progress: number[] = [];
    const r = reducedGd({
      encoder: b0,
      learningRate: 0.3,
      iterations: 3,
      record: [0, 2, 3],
      kernels,
      progress: (done, total, label) => {
        expect([total, label]).toEqual([3, 'reduced GD iterations']);
        progress.push(done);
      },
    });
    let b = normalizeRows(b0);
    const risks = [signRisk(optimalDecoder(b), b)];
    for (let t = 0; t < 3; t++) {
      b = handPgdStep(optimalDecoder(b), b, 0.3, false).b;
      risks.push(signRisk(optimalDecoder(b), b));
    }
    expectClose(r.encoder.data, b.data, 1e-11, 'B');
    expectClose(r.decoder.data, optimalDecoder(b).data, 1e-10, 'A*(B)');
    expect(r.iterations).toEqual([0, 2, 3]);
    expectClose(r.risk, [risks[0], risks[2], risks[3]], 1e-12, 'R*');
    expect(progress).toEqual([1, 2, 3]);
    const byDefault = reducedGd({ encoder: b0, iterations: 2, kernels });
    expect(byDefault.iterations).toEqual([0, 2]);
    let bd = normalizeRows(b0);
    for (let t = 0; t < 2; t++) bd = handPgdStep(optimalDecoder(bd), bd, DEFAULT_PGD_LEARNING_RATE, false).b;
    expectClose(byDefault.encoder.data, bd.data, 1e-11, 'B with the default step');
    const zero = reducedGd({ encoder: b0, iterations: 0, kernels });
    expectClose(zero.decoder.data, optimalDecoder(b0).data, 1e-10, 'A*(B0)');
  });
  test.skipIf(!openblasOk)(
    'on auto the decoder is solved by LAPACK (dpotrf/dpotrs) and the run agrees with the JavaScript solve to round-off',
    async () => {
      // n = 60, d = 20, r = 3: the shape of reduced-gd-limit's r > 1 runs. Differences are round-off of the solve and
      // of OpenBLAS's GEMMs against the reference's, carried through 20 steps of a contracting descent.
      const big = gaussianMatrix(60, 20, createRng(31), 1);
      const viaLapack = reducedGd({
        encoder: big,
        iterations: 20,
        record: [0, 10, 20],
        kernels: await getKernelSet('auto'),
      });
      const viaJs = reducedGd({ encoder: big, iterations: 20, record: [0, 10, 20], kernels });
      expectClose(viaLapack.encoder.data, viaJs.encoder.data, 1e-11, 'B after 20 steps');
      expectClose(viaLapack.decoder.data, viaJs.decoder.data, 1e-10, 'A*(B) after 20 steps');
      expectClose(viaLapack.risk, viaJs.risk, 1e-12, 'R* at 0, 10, 20');
      expectClose(viaLapack.decoder.data, optimalDecoder(viaLapack.encoder).data, 1e-10, 'A*(B) of theory/');
    },
  );
  test('an encoder with two parallel rows is refused on both solves, naming the encoder', async () => {
    const parallel = matrix(3, 2, Float64Array.of(1, 0, 0, 1, 2, 0));
    for (const set of [kernels, ...(openblasOk ? [await getKernelSet('auto')] : [])]) {
      expect(issueOf(() => reducedGd({ encoder: parallel, iterations: 1, kernels: set }))).toEqual({
        field: 'encoder',
        received: expect.stringMatching(/^rows whose arcsin\(M\) is singular \(.*not positive definite \(pivot 2/),
      });
    }
  });
  test('bad options name their field', () => {
    const base = { encoder: b0, iterations: 1, kernels };
    expect(issueOf(() => reducedGd({ ...base, learningRate: 0 }))).toEqual({ field: 'learningRate', received: 0 });
    expect(issueOf(() => reducedGd({ ...base, iterations: -2 }))).toEqual({ field: 'iterations', received: -2 });
    expect(issueOf(() => reducedGd({ ...base, iterations: 1.5 }))).toEqual({ field: 'iterations', received: 1.5 });
    expect(() => reducedGd({ ...base, learningRate: 0 })).toThrow(/expected a positive step size/);
    expect(() => reducedGd({ ...base, iterations: -2 })).toThrow(/expected a non-negative integer/);
  });
});

describe('encoder constructions', () => {
  const gramOf = (m: Matrix): Float64Array => {
    const g = new Float64Array(m.rows * m.rows);
    for (let i = 0; i < m.rows; i++)
      for (let j = 0; j < m.rows; j++)
        for (let k = 0; k < m.cols; k++) g[i * m.rows + j] += m.data[i * m.cols + k] * m.data[j * m.cols + k];
    return g;
  };
  const identity = (n: number) => Float64Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0));
  test('haarOrthonormalRows: n ≤ d orthonormal rows (n = d included), each entry of variance 1/d', () => {
    for (const [n, d] of [
      [3, 7],
      [5, 5],
    ]) {
      const b = haarOrthonormalRows(n, d, createRng(n * d));
      expect([b.rows, b.cols]).toEqual([n, d]);
      expectClose(gramOf(b), identity(n), 1e-14, `B Bᵀ (${n}×${d})`);
    }
    // Haar: the first row is uniform on the sphere, so E[b_11²] = 1/d (Monte Carlo, 4 SE; Var b² = 3/(d(d+2)) − 1/d²).
    const d = 4;
    const trials = 2000;
    let s = 0;
    for (let t = 0; t < trials; t++) s += haarOrthonormalRows(2, d, createRng(1000 + t)).data[0] ** 2;
    const se = Math.sqrt((3 / (d * (d + 2)) - 1 / d ** 2) / trials);
    expect(Math.abs(s / trials - 1 / d)).toBeLessThan(4 * se);
  });
  test('haarTightFrame: n ≥ d unit rows; at n = d an orthogonal matrix', () => {
    const b = haarTightFrame(12, 4, createRng(3));
    expect([b.rows, b.cols]).toEqual([12, 4]);
    const g = gramOf(b);
    for (let i = 0; i < 12; i++) expect(g[i * 12 + i]).toBeCloseTo(1, 14);
    const sq = haarTightFrame(5, 5, createRng(4));
    expectClose(gramOf(sq), identity(5), 1e-14, 'square frame');
  });
  test('gaussianMatrix: i.i.d. N(0, scale²) entries, scale 1 by default', () => {
    for (const [scale, s] of [
      [undefined, 1],
      [0.3, 0.3],
    ] as const) {
      const m = gaussianMatrix(50, 80, createRng(5), ...(scale === undefined ? [] : [scale]));
      expect([m.rows, m.cols]).toEqual([50, 80]);
      const N = m.data.length;
      const m2 = m.data.reduce((acc, v) => acc + v * v, 0) / N;
      expect(Math.abs(m2 - s * s)).toBeLessThan(4 * s * s * Math.sqrt(2 / N));
    }
  });
  test('bad sizes name their field', () => {
    const rng = createRng(1);
    expect(issueOf(() => haarOrthonormalRows(2, 0, rng))).toEqual({ field: 'dim', received: 0 });
    expect(issueOf(() => haarOrthonormalRows(2, 3.5, rng))).toEqual({ field: 'dim', received: 3.5 });
    expect(issueOf(() => haarOrthonormalRows(0, 3, rng))).toEqual({ field: 'codeLength', received: 0 });
    expect(issueOf(() => haarOrthonormalRows(1.5, 3, rng))).toEqual({ field: 'codeLength', received: 1.5 });
    expect(issueOf(() => haarOrthonormalRows(4, 3, rng))).toEqual({ field: 'codeLength', received: 4 });
    expect(() => haarOrthonormalRows(4, 3, rng)).toThrow(/use haarTightFrame for r > 1/);
    expect(issueOf(() => haarTightFrame(2, 3, rng))).toEqual({ field: 'codeLength', received: 2 });
    expect(() => haarTightFrame(2, 3, rng)).toThrow(/use haarOrthonormalRows for r ≤ 1/);
    expect(issueOf(() => haarTightFrame(3, 0, rng))).toEqual({ field: 'dim', received: 0 });
    expect(() => haarOrthonormalRows(2, 0, rng)).toThrow(/dim: received 0, expected a positive integer d/);
    expect(() => haarOrthonormalRows(0, 3, rng)).toThrow(/codeLength: received 0, expected a positive integer n/);
    expect(() => haarOrthonormalRows(4, 3, rng)).toThrow(/expected at most d = 3 for orthonormal rows/);
    expect(() => haarTightFrame(2, 3, rng)).toThrow(/expected at least d = 3 for a tight frame/);
    // The smallest sizes are valid: one row, one dimension.
    expect(Array.from(haarOrthonormalRows(1, 1, rng).data).map(Math.abs)).toEqual([1]);
    expect(haarOrthonormalRows(1, 3, rng).rows).toBe(1);
  });
});
