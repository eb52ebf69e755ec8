import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { createRng } from '../../core/rng.ts';
import { ValidationError } from '../../core/errors.ts';
import { getKernelSet, probeBackends } from '../../kernels/registry.ts';
import { SPARSE_DENSE_MIN } from '../../kernels/autoRule.ts';
import type { KernelSet } from '../../kernels/kernelSpecs.ts';
import { EXACT_X_MIN_P, sampleBatch, trainToyModel } from './trainToyModel.ts';

const f32Status = (await probeBackends()).find((s) => s.id === 'openblas:f32');
const f32Reason = f32Status && !f32Status.available ? f32Status.reason : 'not a registered backend';

describe('trainToyModel', () => {
  test('trains the bits recorded before δ took rows in pairs (reference backend; odd batches exercise the lone last row)', async () => {
    // sha256 of bias, wIn and wOut (in that order) after 15 steps, first 16 hex digits, recorded with the code at
    // e88e7c2, whose δ pass took one row at a time; the pairing must change no bit (deltaRows).
    const kernels = await getKernelSet('reference');
    const recorded: [number, number, number, number, string][] = [
      [64, 16, 7, 0.3, 'b3cbe417cb43be5c'],
      [256, 32, 64, 0.05, '949c70642321b0e9'],
      [128, 16, 33, 0.6, 'aeac6bef6386ca86'],
    ];
    for (const [n, m, batch, p, hash] of recorded) {
      const r = trainToyModel({
        n,
        m,
        p,
        steps: 15,
        batch,
        rng: createRng(3),
        kernels,
        precision: 'float64',
        record: [],
      });
      const h = createHash('sha256');
      for (const v of [r.bias, r.wIn, r.wOut]) h.update(Buffer.from(v.buffer, v.byteOffset, v.byteLength));
      expect(h.digest('hex').slice(0, 16), `n ${n}, m ${m}, batch ${batch}, p ${p}`).toBe(hash);
    }
  });

  test('the reference and wasm backends train the same model, bit for bit (their products give the same bits)', async () => {
    const reference = await getKernelSet('reference');
    const wasm = await getKernelSet('wasm').catch(() => undefined);
    if (!wasm) return; // the backend's own probe test reports why
    const run = (kernels: typeof reference) =>
      trainToyModel({ n: 37, m: 9, p: 0.2, steps: 15, batch: 64, rng: createRng(3), kernels, evalSamples: 256 });
    const a = run(reference);
    const b = run(wasm);
    expect(Array.from(b.wIn)).toEqual(Array.from(a.wIn));
    expect(Array.from(b.wOut)).toEqual(Array.from(a.wOut));
    expect(Array.from(b.bias)).toEqual(Array.from(a.bias));
    expect(b.heldOutLoss).toEqual(a.heldOutLoss);
  });

  test('the kept X is the matrix the dense route scatters: auto trains the same bits with exactX as without it', async () => {
    expect(EXACT_X_MIN_P).toBe(SPARSE_DENSE_MIN);
    const auto = await getKernelSet('auto');
    // The same kernel set, with the promise withdrawn: the dense route scatters the listed values again.
    const scattering: KernelSet = {
      ...auto,
      sparseEncode: (a) => auto.sparseEncode({ ...a, exactX: false }),
      sparseGradient: (a) => auto.sparseGradient({ ...a, exactX: false }),
    };
    // n·m·batch above the route's 12³ floor and p ≥ 0.2: the dense route runs (auto with OpenBLAS), or the sparse
    // loops run either way (without it), and then the two sets agree trivially.
    const run = (kernels: KernelSet, p: number) =>
      trainToyModel({ n: 40, m: 12, p, steps: 12, batch: 96, rng: createRng(5), kernels, evalSamples: 256 });
    for (const p of [0.2, 0.45]) {
      const a = run(auto, p);
      const b = run(scattering, p);
      expect(Array.from(b.wIn)).toEqual(Array.from(a.wIn));
      expect(Array.from(b.wOut)).toEqual(Array.from(a.wOut));
      expect(Array.from(b.bias)).toEqual(Array.from(a.bias));
      expect(b.heldOutLoss).toEqual(a.heldOutLoss);
    }
  });

  test('the training step keeps the bits of the dense-x step (values pinned from commit 7ba7fa1, before δ and the sparse kernels read the listed values)', async () => {
    const r = trainToyModel({
      n: 37,
      m: 9,
      p: 0.2,
      steps: 15,
      batch: 64,
      rng: createRng(3),
      kernels: await getKernelSet('reference'),
      evalSamples: 256,
    });
    expect(r.heldOutLoss).toEqual([0.06793248874306826]);
    expect([r.wIn[0], r.wIn[100], r.wOut[7], r.bias[5]]).toEqual([
      0.053098937895155726, 0.14026391773813549, 0.17203912592957463, 0.2679975930056578,
    ]);
  });

  test('sampleBatch: the listed values (x null or not) and float32 rounding are the dense x draws, from the same stream', () => {
    const [batch, n, p] = [6, 50, 0.3];
    const x = new Float64Array(batch * n);
    const nz = new Int32Array(batch * n);
    const counts = new Int32Array(batch);
    sampleBatch(batch, n, p, createRng(9), x, nz, counts);
    for (const float32 of [false, true]) {
      for (const dense of [false, true]) {
        const x2 = dense ? new Float64Array(batch * n).fill(5) : null;
        const nz2 = new Int32Array(batch * n);
        const counts2 = new Int32Array(batch);
        const values = new Float64Array(batch * n);
        sampleBatch(batch, n, p, createRng(9), x2, nz2, counts2, 'all', { values, float32 });
        expect(Array.from(counts2)).toEqual(Array.from(counts));
        expect(Array.from(nz2)).toEqual(Array.from(nz));
        for (let s = 0; s < batch; s++) {
          for (let c = 0; c < counts[s]; c++) {
            const want = x[s * n + nz[s * n + c]];
            expect(values[s * n + c]).toBe(float32 ? Math.fround(want) : want);
          }
        }
        if (x2) expect(Array.from(x2)).toEqual(Array.from(x, (v) => (float32 ? Math.fround(v) : v)));
      }
    }
    expect(() => sampleBatch(batch, n, p, createRng(9), null, nz, counts)).toThrow(/sampleBatch\.x.*listed\.values/);
  });

  test('tied (Elhage): W_out stays W_inᵀ and training lowers the held-out loss below the zero model p/3', async () => {
    const kernels = await getKernelSet('reference');
    const n = 48;
    const m = 12;
    const p = 0.1;
    const r = trainToyModel({
      n,
      m,
      p,
      steps: 400,
      batch: 128,
      learningRate: 0.01,
      tied: true,
      record: [0, 400],
      rng: createRng(5),
      kernels,
      evalSamples: 4096,
    });
    for (let k = 0; k < m; k++) for (let j = 0; j < n; j++) expect(r.wOut[j * m + k]).toBe(r.wIn[k * n + j]);
    expect(r.heldOutLoss[1]).toBeLessThan(r.heldOutLoss[0]);
    expect(r.heldOutLoss[1]).toBeLessThan(p / 3);
  });

  test('the default KernelSet (OpenBLAS GEMMs, wasm sparse kernels) trains the reference model up to rounding', async () => {
    // OpenBLAS sums in its own blocked order with FMA, so the bits may differ from the reference's. The bound is the
    // float32 test's below with float64's u = 2⁻⁵³: (T + 1)·u·(|w|max + lr·k) (measured 2.8e-17 here, bound 5e-16).
    const run = async (id: string) =>
      trainToyModel({
        n: 40,
        m: 20,
        p: 0.2,
        steps: 15,
        batch: 64,
        rng: createRng(3),
        kernels: await getKernelSet(id),
        evalSamples: 256,
      });
    const a = await run('reference');
    const b = await run('auto');
    const steps = 15;
    const u = 2 ** -53;
    const lr = 3e-3 / Math.sqrt(40);
    const bound = (steps + 1) * u * (1 / Math.sqrt(20) + lr * steps + lr * 64);
    for (const [x, y] of [
      [a.wIn, b.wIn],
      [a.wOut, b.wOut],
      [a.bias, b.bias],
    ] as const) {
      for (let i = 0; i < x.length; i++) expect(Math.abs(x[i] - y[i])).toBeLessThanOrEqual(bound);
    }
  });

  test.skipIf(!f32Status?.available)(
    `precision float32 (openblas:f32) trains the float64 model up to float32 rounding${f32Status?.available ? '' : ` — skipped: openblas:f32 unavailable: ${f32Reason}`}`,
    async () => {
      const k32 = await getKernelSet('openblas:f32');
      const k64 = await getKernelSet('reference');
      const n = 64;
      const m = 16;
      const batch = 128;
      const steps = 20;
      const lr = 3e-3 / Math.sqrt(n);
      const options = { n, m, p: 0.1, steps, batch, evalSamples: 2048, record: [steps] };
      const a = trainToyModel({ ...options, rng: createRng(7), kernels: k64 });
      const b = trainToyModel({ ...options, rng: createRng(7), kernels: k32, precision: 'float32' });
      // Tolerance: u = 2⁻²⁴ (float32's unit roundoff). Each of the T steps rounds every stored parameter once (≤ u·|w|)
      // and perturbs its Adam update, at most lr in size, through the gradient: a float32 reduction over at most
      // k = max(batch, n) terms, relatively off by ≤ k·u — so per step ≤ u·(|w|max + lr·k), plus the initial rounding:
      // (T + 1)·u·(|w|max + lr·k). The weights start below 1/√m and move at most lr per step. Measured here: 6e-8,
      // against a bound of about 4e-7. A float32 run must also really be float32: its parameters are float32 values,
      // and it differs from the float64 run by more than float64 rounding.
      const u = 2 ** -24;
      const wMax = 1 / Math.sqrt(m) + lr * steps;
      const bound = (steps + 1) * u * (wMax + lr * Math.max(batch, n));
      let worst = 0;
      for (const [x, y] of [
        [a.wIn, b.wIn],
        [a.wOut, b.wOut],
        [a.bias, b.bias],
      ] as const) {
        for (let i = 0; i < x.length; i++) {
          expect(Math.fround(y[i])).toBe(y[i]);
          worst = Math.max(worst, Math.abs(x[i] - y[i]));
        }
      }
      expect(worst).toBeLessThanOrEqual(bound);
      expect(worst).toBeGreaterThan(1e3 * 2 ** -53);
      // The held-out loss (the same 2048 samples): a mean of squared residuals, each a float32 reduction of length
      // m + p·n off by ≤ (m + 2)·u relatively, so the loss by twice that, plus the weights' differences above.
      expect(Math.abs(b.heldOutLoss[0] - a.heldOutLoss[0])).toBeLessThanOrEqual(
        a.heldOutLoss[0] * 2 * ((m + 2) * u + bound * Math.sqrt(n)),
      );
    },
  );

  test.skipIf(!f32Status?.available)(
    `precision float32 with Float32Array products (NativeF32) gives the bits of the rounding float32 products, tied and untied${f32Status?.available ? '' : ` — skipped: openblas:f32 unavailable: ${f32Reason}`}`,
    async () => {
      const k32 = await getKernelSet('openblas:f32');
      expect(k32.f32).toBeDefined();
      // The same set without its Float32Array GEMM: the trainer's rounding path (Float64Array operands).
      const rounding = { ...k32, f32: undefined };
      for (const tied of [false, true]) {
        const options = { n: 48, m: 12, p: 0.1, steps: 12, batch: 64, evalSamples: 512, record: [12], tied };
        const a = trainToyModel({ ...options, rng: createRng(3), kernels: k32, precision: 'float32' });
        const b = trainToyModel({ ...options, rng: createRng(3), kernels: rounding, precision: 'float32' });
        expect(Array.from(a.wIn), `tied ${tied}`).toEqual(Array.from(b.wIn));
        expect(Array.from(a.wOut), `tied ${tied}`).toEqual(Array.from(b.wOut));
        expect(Array.from(a.bias), `tied ${tied}`).toEqual(Array.from(b.bias));
        expect(a.heldOutLoss).toEqual(b.heldOutLoss);
      }
    },
  );

  test.skipIf(!f32Status?.available)(
    `precision float32 on auto:f32 (wasm sparse kernels, δ and Adam) gives openblas:f32's bits (JavaScript δ and Adam), tied and untied, listed and dense X${f32Status?.available ? '' : ` — skipped: openblas:f32 unavailable: ${f32Reason}`}`,
    async () => {
      const [k32, auto32] = [await getKernelSet('openblas:f32'), await getKernelSet('auto:f32')];
      for (const [tied, p] of [
        [false, 0.1],
        [true, 0.1],
        [false, 0.3],
      ] as const) {
        // n·m + n odd (Adam's scalar tail), 40 steps (the bias corrections move), an odd batch (δ's single row);
        // p = 0.1: the listed nonzeros, p = 0.3: X kept dense (EXACT_X_MIN_P).
        const options = { n: 49, m: 12, p, steps: 40, batch: 63, evalSamples: 512, record: [40], tied };
        const a = trainToyModel({ ...options, rng: createRng(5), kernels: k32, precision: 'float32' });
        const b = trainToyModel({ ...options, rng: createRng(5), kernels: auto32, precision: 'float32' });
        expect(Array.from(b.wIn), `tied ${tied}, p ${p}`).toEqual(Array.from(a.wIn));
        expect(Array.from(b.wOut), `tied ${tied}, p ${p}`).toEqual(Array.from(a.wOut));
        expect(Array.from(b.bias), `tied ${tied}, p ${p}`).toEqual(Array.from(a.bias));
        expect(b.heldOutLoss).toEqual(a.heldOutLoss);
      }
    },
  );

  test.skipIf(!f32Status?.available)(
    `precision float32, tied: W_out is W_inᵀ in float32 values, bit for bit, before and after training${f32Status?.available ? '' : ` — skipped: openblas:f32 unavailable: ${f32Reason}`}`,
    async () => {
      const k32 = await getKernelSet('openblas:f32');
      const [n, m] = [12, 5];
      for (const steps of [0, 2]) {
        const r = trainToyModel({
          n,
          m,
          p: 0.2,
          steps,
          batch: 16,
          evalSamples: 64,
          tied: true,
          rng: createRng(4),
          kernels: k32,
          precision: 'float32',
        });
        for (let k = 0; k < m; k++) {
          for (let j = 0; j < n; j++) {
            expect(Math.fround(r.wIn[k * n + j]), `steps ${steps}`).toBe(r.wIn[k * n + j]);
            expect(r.wOut[j * m + k], `steps ${steps}: W_out[${j}, ${k}]`).toBe(r.wIn[k * n + j]);
          }
        }
      }
    },
  );

  test.skipIf(!f32Status?.available)(
    `precision float32 on a set with Float32Array products runs all three products of a step on them${f32Status?.available ? '' : ` — skipped: openblas:f32 unavailable: ${f32Reason}`}`,
    async () => {
      const k32 = await getKernelSet('openblas:f32');
      const native = k32.f32;
      if (!native) throw new Error('openblas:f32 has no Float32Array products');
      for (const tied of [false, true]) {
        const calls = { f32: 0, f64: 0 };
        const counted = {
          ...k32,
          gemm: (args: Parameters<typeof k32.gemm>[0]) => {
            calls.f64++;
            return k32.gemm(args);
          },
          f32: {
            on: native.on,
            gemm: (args: Parameters<typeof native.gemm>[0]) => {
              calls.f32++;
              return native.gemm(args);
            },
          },
        };
        trainToyModel({
          n: 10,
          m: 3,
          p: 0.3,
          steps: 4,
          batch: 8,
          record: [],
          tied,
          rng: createRng(6),
          kernels: counted,
          precision: 'float32',
        });
        // No held-out evaluation (record: []), so every product is a training step's: h W_outᵀ, hᵀ δ and δ W_out.
        expect(calls, `tied ${tied}`).toEqual({ f32: 12, f64: 0 });
      }
    },
  );

  test('precision float32 on a float64 KernelSet is refused, naming the field and the fix', async () => {
    const kernels = await getKernelSet('reference');
    expect(() =>
      trainToyModel({ n: 8, m: 2, p: 0.5, steps: 1, rng: createRng(1), kernels, precision: 'float32' }),
    ).toThrow(ValidationError);
    expect(() =>
      trainToyModel({ n: 8, m: 2, p: 0.5, steps: 1, rng: createRng(1), kernels, precision: 'float32' }),
    ).toThrow(/kernels: received .*reference.*float64.*expected a float32 KernelSet.*openblas:f32/);
  });
});
