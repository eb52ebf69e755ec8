/**
 * Kernel conformance: every kernel on every available backend agrees with the float64 reference on fast-check shapes
 * 1..65 (odd sizes, non-powers of two, empty where meaningful), within a tolerance derived from the backend's precision
 * and the length of the reduction; a bit-exact backend (wasm) gives the reference's bits; small-integer GEMMs are exact;
 * results are deterministic; no NaN/Inf appears from finite input. Written once, run against each backend (OpenBLAS
 * and the composite `auto` included). An unavailable backend is a visible skip carrying the probe's reason.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { EPS32, EPS64 } from '../src/core/tolerance.ts';
import type { Activation, Backend, ElementwiseOp, KernelSet, ReduceOp } from '../src/kernels/kernelSpecs.ts';
import { kernelSetOf, probeBackends } from '../src/kernels/registry.ts';
import { referenceBackend } from '../src/kernels/reference/index.ts';
import { randomArray } from '../src/testing/testArrays.ts';

const reference = kernelSetOf(referenceBackend);
const statuses = await probeBackends();

/** fast-check runs per kernel and backend: gpu.js compiles one kernel per shape, which dominates the time. */
const RUNS = Number(process.env.AECHECK_CONFORMANCE_RUNS ?? 20);
/** Subnormal results are rounded in absolute, not relative, terms: a few multiples of the smallest subnormal. */
const UNDERFLOW_FLOOR = 8 * Number.MIN_VALUE;
/** Largest dimension drawn (the 1..65: odd, non-powers of two included). */
const MAX_DIM = 65;

const dim = fc.integer({ min: 1, max: MAX_DIM });
/** alpha is 0 or of magnitude 1e-3..2: a subnormal alpha would test the host's float64 underflow, not the backend. */
const alphaArb = fc.oneof(
  fc.constant(0),
  fc.double({ min: 1e-3, max: 2, noNaN: true }),
  fc.double({ min: -2, max: -1e-3, noNaN: true }),
);
const dim0 = fc.integer({ min: 0, max: MAX_DIM });

/** Unit roundoff of a backend: float32 backends also round their inputs. */
function unitRoundoff(ks: KernelSet): number {
  return ks.precision === 'float32' ? EPS32 : EPS64;
}

function expectAllFinite(a: Float64Array): void {
  expect(a.every((v) => Number.isFinite(v))).toBe(true);
}

function conformance(backend: Backend): void {
  const ks = kernelSetOf(backend);
  const u = unitRoundoff(ks);

  test(`gemm (transposes, alpha, beta): |C − C_ref| ≤ (k + 2)·u·(|α|·|A||B| + |β||C|) entrywise; bit-exact backends give the reference's bits`, () => {
    fc.assert(
      fc.property(
        dim0,
        dim0,
        dim0,
        fc.boolean(),
        fc.boolean(),
        alphaArb,
        fc.constantFrom(0, 1, -0.5),
        fc.nat(),
        (m, n, k, transA, transB, alpha, beta, seed) => {
          const a = randomArray(m * k, seed + 1);
          const b = randomArray(k * n, seed + 2);
          const c = randomArray(m * n, seed + 3);
          const args = { m, n, k, a, b, transA, transB, alpha, beta, c };
          const got = ks.gemm(args);
          const want = reference.gemm(args);
          const bound = reference.gemm({
            ...args,
            a: a.map(Math.abs),
            b: b.map(Math.abs),
            alpha: Math.abs(alpha),
            beta: Math.abs(beta),
            c: c.map(Math.abs),
          });
          expect(got.length).toBe(m * n);
          expectAllFinite(got);
          for (let i = 0; i < m * n; i++)
            expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual((k + 2) * u * bound[i] + UNDERFLOW_FLOOR);
          // A bit-exact backend (wasm) sums each entry in the reference's order: the same bits, not only within the
          // bound. A BLAS (its own blocking, FMA) or a GPU is held to the bound only.
          if (backend.bitExact) expect(Array.from(got)).toEqual(Array.from(want));
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('gemm: symmetric Gram products A·Aᵀ and Aᵀ·A (one array passed twice) are exactly symmetric and within the bound', () => {
    fc.assert(
      fc.property(
        dim,
        dim0,
        fc.boolean(),
        alphaArb,
        fc.constantFrom(0, 1, -0.5),
        fc.nat(),
        (m, k, left, alpha, beta, seed) => {
          // left: A (m×k) times Aᵀ; else Aᵀ·A with A stored k×m. The same array is passed as both operands.
          const a = randomArray(m * k, seed + 21);
          const c = randomArray(m * m, seed + 22);
          const args = { m, n: m, k, a, b: a, transA: !left, transB: left, alpha, beta, c, symmetric: true };
          const got = ks.gemm(args);
          const want = reference.gemm(args);
          const bound = reference.gemm({
            ...args,
            a: a.map(Math.abs),
            b: a.map(Math.abs),
            alpha: Math.abs(alpha),
            beta: Math.abs(beta),
            c: c.map(Math.abs),
          });
          expectAllFinite(got);
          for (let i = 0; i < m; i++) {
            for (let j = 0; j < m; j++) {
              // β·C need not be symmetric; the product part is: got − β·c must be symmetric to the bit... up to the
              // rounding of the β·c addition, so compare without β (exact symmetry) and the full result within the bound.
              expect(Math.abs(got[i * m + j] - want[i * m + j])).toBeLessThanOrEqual(
                (k + 2) * u * bound[i * m + j] + UNDERFLOW_FLOOR,
              );
            }
          }
          const product = ks.gemm({ ...args, beta: 0, c: undefined });
          for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) expect(product[i * m + j]).toBe(product[j * m + i]);
          // upperOnly: the caller reads i ≤ j only; those entries are the full result's, bit for bit (into a dirty out).
          const upper = ks.gemm({ ...args, upperOnly: true, out: new Float64Array(m * m).fill(Number.NaN) });
          for (let i = 0; i < m; i++) for (let j = i; j < m; j++) expect(upper[i * m + j]).toBe(got[i * m + j]);
          if (backend.bitExact) expect(Array.from(got)).toEqual(Array.from(want));
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('gemm: matrix–vector shapes (n = 1 or m = 1, any transposes) within the bound', () => {
    fc.assert(
      fc.property(
        dim,
        dim0,
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        alphaArb,
        fc.nat(),
        (len, k, column, transA, transB, alpha, seed) => {
          const m = column ? len : 1;
          const n = column ? 1 : len;
          const a = randomArray(m * k, seed + 31);
          const b = randomArray(k * n, seed + 32);
          const c = randomArray(m * n, seed + 33);
          const args = { m, n, k, a, b, transA, transB, alpha, beta: -0.5, c };
          const got = ks.gemm(args);
          const want = reference.gemm(args);
          const bound = reference.gemm({
            ...args,
            a: a.map(Math.abs),
            b: b.map(Math.abs),
            alpha: Math.abs(alpha),
            beta: 0.5,
            c: c.map(Math.abs),
          });
          expect(got.length).toBe(m * n);
          for (let i = 0; i < m * n; i++)
            expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual((k + 2) * u * bound[i] + UNDERFLOW_FLOOR);
          if (backend.bitExact) expect(Array.from(got)).toEqual(Array.from(want));
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('gemm on small integers is exact (sums stay below 2^24, exact in float32) and deterministic', () => {
    fc.assert(
      fc.property(dim, dim, dim, fc.boolean(), fc.boolean(), fc.nat(), (m, n, k, transA, transB, seed) => {
        const a = randomArray(m * k, seed + 5, 8).map(Math.round);
        const b = randomArray(k * n, seed + 6, 8).map(Math.round);
        const args = { m, n, k, a, b, transA, transB };
        const got = ks.gemm(args);
        const want = reference.gemm(args);
        const again = ks.gemm(args);
        // Numeric equality (a GPU may return −0 where the reference has +0; they are the same number).
        for (let i = 0; i < m * n; i++) {
          expect(got[i] === want[i]).toBe(true);
          expect(again[i] === got[i]).toBe(true);
        }
      }),
      { numRuns: Math.max(4, RUNS >> 1) },
    );
  });

  /** Per-op bound, in units of u, on |got − ref| relative to the scale |α x| + |y| + |ref| (input rounding and one
   * rounded operation each); on float32 backends erf carries its approximation error (A&S 7.1.26, ≤ 1.5e-7) plus the
   * cancellation in 1 − poly·e^{−x²}, and arcsin its approximation error (A&S 4.4.46, ≤ 2e-8) plus the cancellation
   * in π/2 − √(1 − x)·poly (see POLY_ROUNDING_ULPS);
   * dErf's exponent amplifies input rounding by x²; arcsin's by |x|/√(1 − x²). */
  const ELEMENTWISE_OPS: ElementwiseOp[] = [
    'linear',
    'erf',
    'relu',
    'sign',
    'dLinear',
    'dErf',
    'dRelu',
    'dSign',
    'arcsin',
    'square',
    'scale',
    'add',
    'mul',
    'axpy',
  ];
  const ERF_APPROXIMATION = 1.5e-7;
  const ASIN_APPROXIMATION = 2e-8;
  /** Both approximations evaluate a polynomial by Horner's rule (5 and 8 coefficients), an exp or a square root, and a
   * final subtraction from 1 or π/2 that cancels: at most about 16 roundings of size u times the O(1) terms. */
  const POLY_ROUNDING_ULPS = 16;
  test('elementwise: every op within its rounding bound, on lengths 0..65', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ELEMENTWISE_OPS),
        dim0,
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.nat(),
        (op, n, alpha, seed) => {
          const scale = op === 'arcsin' ? 0.999 : 4;
          const x = randomArray(n, seed + 7, scale);
          const y = randomArray(n, seed + 8, 4);
          const got = ks.elementwise({ op, x, y, alpha });
          const want = reference.elementwise({ op, x, y, alpha });
          expect(got.length).toBe(n);
          expectAllFinite(got);
          for (let i = 0; i < n; i++) {
            const size = Math.abs(alpha * x[i]) + Math.abs(y[i]) + Math.abs(want[i]) + Math.abs(x[i] * x[i]);
            let bound = 4 * u * size;
            if (op === 'erf' && ks.precision === 'float32') bound += ERF_APPROXIMATION + POLY_ROUNDING_ULPS * u;
            if (op === 'arcsin' && ks.precision === 'float32')
              bound += ASIN_APPROXIMATION + POLY_ROUNDING_ULPS * u * (Math.PI / 2);
            if (op === 'dErf') bound += 4 * u * (1 + x[i] * x[i]) * Math.abs(want[i]);
            if (op === 'arcsin') bound += 4 * u * (Math.abs(x[i]) / Math.sqrt(1 - x[i] * x[i]));
            expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(bound + UNDERFLOW_FLOOR);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('reduce: sums within (count + 1)·u·Σ|x|, max/min within u·|ref|, empty rows and columns allowed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<ReduceOp>('sum', 'sumSquares', 'max', 'min'),
        fc.constantFrom('all', 'rows', 'cols' as const),
        dim0,
        dim0,
        fc.nat(),
        (op, axis, rows, cols, seed) => {
          const x = randomArray(rows * cols, seed + 9, 3);
          const args = { op, x, rows, cols, axis: axis as 'all' | 'rows' | 'cols' };
          const got = ks.reduce(args);
          const want = reference.reduce(args);
          const count = axis === 'all' ? rows * cols : axis === 'rows' ? cols : rows;
          const absSum = reference.reduce({
            ...args,
            op: op === 'sumSquares' ? 'sumSquares' : 'sum',
            x: x.map(Math.abs),
          });
          expect(got.length).toBe(want.length);
          for (let i = 0; i < got.length; i++) {
            if (!Number.isFinite(want[i])) {
              expect(got[i]).toBe(want[i]);
              continue;
            }
            const bound = op === 'max' || op === 'min' ? u * Math.abs(want[i]) : (count + 1) * 2 * u * absSum[i];
            expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(bound + UNDERFLOW_FLOOR);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  /** The autoencoder passes chain reductions of length D (pre-activations), K (outputs) and B (gradients): the relative
   * Frobenius error is bounded by a small multiple of (B + D + K)·u, plus erf's approximation error. */
  const AE_ULPS = 8;
  test('gemm with `out` writes the same values into the given array and returns it', () => {
    fc.assert(
      fc.property(dim, dim, dim, fc.boolean(), fc.boolean(), fc.nat(), (m, n, k, transA, transB, seed) => {
        const args = { m, n, k, a: randomArray(m * k, seed), b: randomArray(k * n, seed + 1), transA, transB };
        const fresh = ks.gemm(args);
        const out = new Float64Array(m * n).fill(Number.NaN);
        const got = ks.gemm({ ...args, out });
        expect(got).toBe(out);
        expect(Array.from(out)).toEqual(Array.from(fresh));
      }),
      { numRuns: Math.max(4, RUNS >> 1) },
    );
  });

  test('sparseEncode (both layouts of W) and sparseGradient: bit-exact backends give the reference bits, float32 within (L + 2)·u·L·max|x|·max|w| for a reduction of length L', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 21 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.nat(),
        (rows, cols, outputs, density, seed) => {
          // A sparse X: entry (s, j) nonzero when a deterministic hash falls below the density.
          const x = new Float64Array(rows * cols);
          const nz = new Int32Array(rows * cols);
          const counts = new Int32Array(rows);
          const r = randomArray(rows * cols, seed);
          for (let s = 0; s < rows; s++) {
            for (let j = 0; j < cols; j++) {
              if (Math.abs(r[s * cols + j]) < density) {
                x[s * cols + j] = r[s * cols + j] * 3;
                nz[s * cols + counts[s]++] = j;
              }
            }
          }
          const w = randomArray(outputs * cols, seed + 1);
          const wT = new Float64Array(cols * outputs);
          for (let k = 0; k < outputs; k++) for (let j = 0; j < cols; j++) wT[j * outputs + k] = w[k * cols + j];
          const g = randomArray(rows * outputs, seed + 2);
          const base = { rows, cols, outputs, x, nz, counts };
          // [got, want, dense operand, reduction length]: the encoder sums over a row's nonzeros (≤ cols), the
          // gradient over a column's (≤ rows). A float32 backend rounds both inputs (2u) and each of the L − 1 sums
          // and L products (≤ L·u more), so |error| ≤ (L + 2)·u·Σ|terms| ≤ (L + 2)·u·L·max|x|·max|dense|.
          const pairs: [Float64Array, Float64Array, Float64Array, number][] = [
            [ks.sparseEncode({ ...base, w }), reference.sparseEncode({ ...base, w }), w, cols],
            [
              ks.sparseEncode({ ...base, w: wT, transW: true, out: new Float64Array(rows * outputs).fill(7) }),
              reference.sparseEncode({ ...base, w }),
              w,
              cols,
            ],
            [ks.sparseGradient({ ...base, g }), reference.sparseGradient({ ...base, g }), g, rows],
            [
              ks.sparseGradient({ ...base, g, out: new Float64Array(cols * outputs).fill(7) }),
              reference.sparseGradient({ ...base, g }),
              g,
              rows,
            ],
          ];
          // With `values` (the nonzeros' values in nz's layout) a kernel reads no entry of x: an x of NaN gives the
          // bits of the dense x.
          const values = new Float64Array(rows * cols);
          for (let s = 0; s < rows; s++)
            for (let q = 0; q < counts[s]; q++) values[s * cols + q] = x[s * cols + nz[s * cols + q]];
          const listed = { ...base, x: new Float64Array(rows * cols).fill(Number.NaN), values };
          expect(Array.from(ks.sparseEncode({ ...listed, w }))).toEqual(Array.from(ks.sparseEncode({ ...base, w })));
          expect(Array.from(ks.sparseEncode({ ...listed, w: wT, transW: true }))).toEqual(
            Array.from(ks.sparseEncode({ ...base, w: wT, transW: true })),
          );
          expect(Array.from(ks.sparseEncode({ ...listed, x: undefined, w }))).toEqual(
            Array.from(ks.sparseEncode({ ...base, w })),
          );
          expect(Array.from(ks.sparseGradient({ ...listed, g }))).toEqual(
            Array.from(ks.sparseGradient({ ...base, g })),
          );
          const maxX = Math.max(1e-300, ...Array.from(x, Math.abs));
          for (const [got, want, dense, length] of pairs) {
            expect(got.length).toBe(want.length);
            expectAllFinite(got);
            const bound = (length + 2) * u * length * Math.max(...Array.from(dense, Math.abs)) * maxX;
            for (let i = 0; i < want.length; i++) {
              if (backend.bitExact) expect(got[i]).toBe(want[i]);
              else expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(bound + UNDERFLOW_FLOOR);
            }
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  test(`aeForward and aeBackward: Frobenius error ≤ ${AE_ULPS}·(B + D + K)·u relative to each reduction's terms (+ erf's approximation, absolute)`, () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 17 }),
        dim,
        fc.integer({ min: 1, max: 9 }),
        fc.constantFrom<Activation>('linear', 'erf', 'relu', 'sign'),
        fc.boolean(),
        fc.nat(),
        (batch, inputDim, hidden, activation, withBias, seed) => {
          const args = {
            batch,
            inputDim,
            hidden,
            activation,
            x: randomArray(batch * inputDim, seed + 10, 2),
            w: randomArray(hidden * inputDim, seed + 11, 1),
            v: randomArray(inputDim * hidden, seed + 12, 1),
            bias: withBias ? randomArray(hidden, seed + 13, 0.5) : undefined,
          };
          const tol = AE_ULPS * (batch + inputDim + hidden) * u;
          // erf's A&S 7.1.26 approximation (≤ 1.5e-7) and the float32 cancellation in 1 − poly·exp are absolute errors
          // per entry of h, not relative ones: a unit with small pre-activations has a small h but the same error.
          const erfAbs = activation === 'erf' && ks.precision === 'float32' ? 10 * ERF_APPROXIMATION : 0;
          const f = ks.aeForward(args);
          const fr = reference.aeForward(args);
          const b = ks.aeBackward(args);
          const br = reference.aeBackward(args);
          const frob = (a: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((acc, v) => acc + v * v, 0));
          const maxAbs = (a: Float64Array) => a.reduce((mx, v) => Math.max(mx, Math.abs(v)), 0);
          // A rounded sum is accurate relative to the sum of its terms' magnitudes, not to its result, which can cancel
          // (X̂ = 0.0214 from h·v terms of order 1 was off by 3.1e-7 on headlessgl: counterexample [1, 1, 4, erf, no
          // bias, seed 24]). Each scale below is the Frobenius norm of the same product taken in absolute values.
          const abs = (v: Float64Array) => v.map(Math.abs);
          const preTerms = reference.aeForward({
            ...args,
            activation: 'linear',
            x: abs(args.x),
            w: abs(args.w),
            bias: args.bias && abs(args.bias),
          }).pre;
          const outTerms = reference.gemm({
            m: batch,
            n: inputDim,
            k: hidden,
            a: abs(fr.hidden),
            b: abs(args.v),
            transB: true,
          });
          const normV = frob(args.v);
          // g is 1-Lipschitz (linear, erf(x/√2), ReLU; sign's jump would need a pre-activation within rounding of 0,
          // which these continuous draws do not give), so h inherits the pre-activations' error; X̂ = h Vᵀ inherits
          // h's error through ‖V‖ and adds its own sum over K.
          const preScale = frob(preTerms);
          const hiddenAbs = erfAbs * Math.sqrt(batch * hidden);
          const hiddenScale = preScale + frob(fr.hidden);
          const outScale = frob(outTerms) + normV * hiddenScale;
          const outAbs = normV * hiddenAbs;
          // The gradients are sums over the batch that can cancel (a bias gradient of 5e-4 from terms of order 1 was
          // off by 4.5e-5 relative in float32: seed 2147483621). Their error is bounded by the magnitude of the terms,
          // not of the result: |terms| ≤ ‖r_s‖·(‖V‖·(max|x| + 1) + max|h|), and Σ_s ‖r_s‖ ≤ √(2·B·loss).
          const residual = Math.sqrt(2 * br.loss);
          const termScale = Math.sqrt(batch) * residual * (normV * (maxAbs(args.x) + 1) + maxAbs(fr.hidden));
          const gradAbs = Math.sqrt(batch) * (residual * hiddenAbs + outAbs * (normV + maxAbs(fr.hidden)));
          const pairs: [string, Float64Array, Float64Array, number, number][] = [
            ['pre', f.pre, fr.pre, preScale, 0],
            ['hidden', f.hidden, fr.hidden, hiddenScale, hiddenAbs],
            ['out', f.out, fr.out, outScale, outAbs],
            ['gradW', b.gradW, br.gradW, termScale, gradAbs],
            ['gradV', b.gradV, br.gradV, termScale, gradAbs],
            ['gradBias', b.gradBias, br.gradBias, termScale, gradAbs],
          ];
          for (const [name, got, want, scale, absolute] of pairs) {
            expect(got.length, name).toBe(want.length);
            expectAllFinite(got);
            let num = 0;
            for (let i = 0; i < got.length; i++) num += (got[i] - want[i]) ** 2;
            expect(Math.sqrt(num), name).toBeLessThanOrEqual(tol * (frob(want) + scale) + absolute + 1e-30);
          }
          // loss = ½‖X̂ − X‖²: its error is at most ‖X̂ − X‖ times X̂'s (first order) plus its own rounding.
          expect(Math.abs(b.loss - br.loss), 'loss').toBeLessThanOrEqual(
            tol * (Math.abs(br.loss) + residual * outScale) + residual * outAbs + 1e-30,
          );
        },
      ),
      { numRuns: Math.max(4, RUNS >> 1) },
    );
  });
}

describe('kernel conformance', () => {
  for (const status of statuses) {
    if (status.id === 'reference') continue; // the reference is the definition; its own tests are in src/kernels/reference
    if (!status.available) {
      // A visible skip that carries the probe's reason (never a silent omission).
      test.skip(`${status.id}: unavailable here — ${status.reason}`, () => {});
      continue;
    }
    describe(status.id, () => conformance(status.backend));
  }
});
