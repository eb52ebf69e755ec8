/**
 * The composite backend `auto`: per kernel, the fastest correct float64 implementation among the backends available
 * here, by a fixed rule (never a timing taken at run time, so the same seed and the same backends give the same bits).
 * The rule and the numbers behind it (measured side by side in one run on the development machine, 1 thread; see
 * docs/kernels.md):
 *
 * - `gemm`: OpenBLAS from m·n·k ≥ 12³ (below, wasm: they tie at n = 10–12 on OpenBLAS's Haswell kernels, and wasm
 *   gives the reference's bits);
 * - `aeForward`, `aeBackward`: OpenBLAS from B·D·K ≥ 512 (three GEMMs with the activation between), below that the
 *   reference's fused loops (the reference wins at B·D·K = 200, OpenBLAS from 512);
 * - `sparseEncode`, `sparseGradient`: OpenBLAS when X's density (Σ counts / (rows·cols)) is ≥ 0.2 and
 *   rows·cols·outputs ≥ 12³ — the listed entries scattered into a dense X, then one GEMM (batch 1024, n = 512,
 *   m = 128, encoder + gradient: 9.4 vs 11.4 ms at p = 0.2, 8.9 vs 15.8 at p = 0.4; wasm wins at p = 0.1, 6.0 vs
 *   8.9 ms); below, wasm (the reference's bits, several times faster than it; BLAS has no sparse routine). Float64
 *   only: `auto:f32` keeps wasm's float64 sums;
 * - `onlineSgdStepper`: wasm (the reference's bits, faster; a step is O(K·D) work per call, bound by call overhead);
 * - `elementwise`, `reduce`: reference (the only float64 implementations).
 *
 * A backend that is unavailable drops out of the rule: without OpenBLAS, `auto` is wasm's kernels with the reference's
 * (and gives the reference's bits); without wasm either, it is the reference.
 */
import { checkSparseEncodeArgs, checkSparseGradientArgs } from './checkArgs.ts';
import type {
  Backend,
  BackendId,
  KernelName,
  KernelSpecs,
  SparseEncodeArgs,
  SparseGradientArgs,
  SparseRows,
} from './kernelSpecs.ts';
import { referenceBackend } from './reference/index.ts';

/** The composite's id. */
export const AUTO_ID: BackendId = 'auto';
/** The float32 composite's id (see {@link composeAutoF32}). */
export const AUTO_F32_ID: BackendId = 'auto:f32';

/** Smallest GEMM (multiply-adds m·n·k) sent to OpenBLAS: 12³, where it overtakes wasm (see {@link AUTO_MEASURED}). */
export const GEMM_BLAS_MIN = 12 ** 3;
/** Smallest autoencoder pass (B·D·K) sent to OpenBLAS: the fused reference loops win at 200, OpenBLAS from 512. */
export const AE_BLAS_MIN = 512;

/**
 * Smallest density of X (Σ counts / (rows·cols)) at which `auto`'s sparse kernels scatter X into a dense scratch and
 * run one OpenBLAS GEMM instead of wasm's sparse loops (when rows·cols·outputs ≥ {@link GEMM_BLAS_MIN} too; see
 * {@link AUTO_MEASURED}).
 */
export const SPARSE_DENSE_MIN = 0.2;

/**
 * The measurements behind the rule (`npx tsx src/kernels/measureAutoRule.ts`: side by side in one process, the fastest
 * of five interleaved rounds, 1 thread, the 2-core machine shared with other jobs, load average about 3), quoted in the
 * reasons `aecheck bench` prints. GFLOP/s for GEMM; µs per call for the autoencoder passes; k steps/s for SGD. GEMM and
 * the autoencoder figures are with OPENBLAS_CORETYPE=Haswell as this environment sets it, the case where OpenBLAS is
 * slowest; with it unset (Cooperlake, AVX-512) OpenBLAS led wasm from n = 6 (0.98 vs 0.64; n = 12: 6.39 vs 4.43;
 * n = 512: 70.4 vs 18.5), so the thresholds hold for both. The `sparseEncode512` and SGD figures are an earlier
 * session's. The sparse/dense crossover (`npx tsx src/kernels/measureAutoRule.ts crossover`, 2026-11-30 15:40–15:42
 * UTC, niced, load average 5–6 from mutation runs, once with OPENBLAS_CORETYPE=Haswell and once with it and
 * OPENBLAS_L2_SIZE unset; raw output in benchmarks/results/2026-11-30-s6/): at p = 0.1 wasm wins at all four shapes in
 * both runs, at p = 0.2 the dense route wins at all four in both, so {@link SPARSE_DENSE_MIN} = 0.2 holds for both.
 * A second run of each with p = 0.15 and 0.18 added (15:56–15:59 UTC, load 3.8–4.6): with OPENBLAS_CORETYPE unset the
 * crossover is near 0.15, with Haswell between 0.18 (dense/wasm up to 1.24) and 0.2 (0.79–0.92).
 */
export const AUTO_MEASURED = {
  gemm512: { openblas: 45.4, wasm: 18.7, reference: 7.15 },
  gemm10: { openblas: 2.74, wasm: 2.77 },
  gemm12: { openblas: 4.6, wasm: 4.6 },
  gemm16: { openblas: 7.05, wasm: 6.06 },
  aeBackward_B64_D256_K8: { openblas: 124, reference: 1351 },
  aeBackward_B1_D100_K2: { openblas: 4.5, reference: 2.9 },
  aeBackward_B1_D256_K2: { openblas: 6.5, reference: 7.4 },
  sparseEncode512: { wasm: 477, reference: 2654 },
  // ms per call, encoder + gradient, batch 1024, n = 512, m = 128 (Haswell).
  sparse_n512_m128: {
    p01: { wasm: 6.04, openblas: 8.85 },
    p02: { wasm: 11.35, openblas: 9.38 },
    p04: { wasm: 15.82, openblas: 8.92 },
  },
  // openblas/wasm time, encoder + gradient, lowest and highest over (n, m) ∈ {(128, 32), (512, 128), (512, 256),
  // (1024, 128)}, batch 1024: with OPENBLAS_CORETYPE=Haswell, and with it (and OPENBLAS_L2_SIZE) unset.
  sparseDenseRatio: {
    haswell: { p01: [1.21, 1.84], p02: [0.81, 0.92], p04: [0.52, 0.56] },
    unset: { p01: [1.03, 1.39], p02: [0.62, 0.83], p04: [0.36, 0.53] },
  },
  sgdD500K2: { wasm: 86, reference: 27 },
} as const;

type Kernels = Partial<KernelSpecs>;

/** One kernel of the composite: the implementation, the backend that runs it (for large inputs) and why. */
interface Choice<K extends KernelName> {
  run: KernelSpecs[K];
  on: BackendId;
  reason: string;
  /** Which backend runs a given call, for a kernel split by size. */
  route?: (args: Parameters<KernelSpecs[K]>[0]) => BackendId;
}

/** Builds `auto` from the backends that passed their probes. */
export function composeAuto(available: ReadonlyMap<BackendId, Backend>): Backend {
  return compose(available, 'float64');
}

/**
 * Builds `auto:f32`, the float32 set (the toy model's authors' dtype): the dense products on `openblas:f32` (cblas_s*,
 * by the same size rule as `auto`), everything else as in `auto`. The sparse kernels stay on wasm, which sums in
 * float64: it reads the float32 values exactly (the float32 trainer keeps float32-representable parameters and data in
 * its Float64Arrays) and rounds once at the end instead of at every addition, so it is at least as accurate as a
 * float32 kernel and well within the float32 bound the conformance suite holds this set to; a float32 sparse kernel
 * would also have to convert W (n×m) every call, costing what the sparse product itself does. Without
 * `openblas:f32` the dense products run in float64 (wasm or reference: more accurate, never less).
 */
export function composeAutoF32(available: ReadonlyMap<BackendId, Backend>): Backend {
  return compose(available, 'float32');
}

function compose(available: ReadonlyMap<BackendId, Backend>, precision: 'float64' | 'float32'): Backend {
  const ref = referenceBackend.kernels as KernelSpecs;
  const wasm = available.get('wasm')?.kernels;
  const blasId = precision === 'float64' ? 'openblas' : 'openblas:f32';
  const blas = available.get(blasId)?.kernels;
  const m = AUTO_MEASURED;
  // auto:f32 runs these in float64: it says so, and why that is acceptable.
  const f64Note =
    precision === 'float32'
      ? '; summed in float64 in this float32 set (the float32 values are read exactly and rounded once: at least as accurate as float32)'
      : '';
  const choices: { [K in KernelName]: Choice<K> } = {
    gemm: gemmChoice(ref, wasm, blas, blasId),
    aeForward: aeChoice('aeForward', ref, blas, blasId),
    aeBackward: aeChoice('aeBackward', ref, blas, blasId),
    elementwise: {
      run: ref.elementwise,
      on: 'reference',
      reason: `reference: the only float64 implementation${f64Note}`,
    },
    reduce: { run: ref.reduce, on: 'reference', reason: `reference: the only float64 implementation${f64Note}` },
    // The dense route is float64 only: auto:f32 keeps wasm's float64 sums (see composeAutoF32).
    ...sparseChoices(ref, wasm, precision === 'float64' ? blas : undefined, f64Note),
    onlineSgdStepper: wasm?.onlineSgdStepper
      ? {
          run: wasm.onlineSgdStepper,
          on: 'wasm',
          reason: `wasm: the reference's bits, faster (D = 500, K = 2: ${m.sgdD500K2.wasm}k vs ${m.sgdD500K2.reference}k steps/s); a step is O(K·D), too small for BLAS`,
        }
      : { run: ref.onlineSgdStepper, on: 'reference', reason: 'reference: wasm unavailable here' },
  };
  const kernels: Kernels = {};
  const resolved: Partial<Record<KernelName, BackendId>> = {};
  const reasons: Partial<Record<KernelName, string>> = {};
  const routes: Partial<Record<KernelName, (args: never) => BackendId>> = {};
  for (const name of Object.keys(choices) as KernelName[]) {
    const route = choices[name].route;
    if (route) routes[name] = route as (args: never) => BackendId;
    (kernels as Record<string, unknown>)[name] = choices[name].run;
    resolved[name] = choices[name].on;
    reasons[name] = choices[name].reason;
  }
  return {
    id: precision === 'float64' ? AUTO_ID : AUTO_F32_ID,
    precision,
    // With OpenBLAS the dense products are summed in BLAS's order (FMA, blocking), not the reference's.
    bitExact: !blas && precision === 'float64',
    kernels,
    resolved,
    reasons,
    route: (kernel, args) => (routes[kernel] as ((a: unknown) => BackendId) | undefined)?.(args),
    // Float32Array operands (auto:f32 only): openblas:f32's, at every size (no other backend computes in float32 here).
    ...(precision === 'float32' && available.get(blasId)?.f32 ? { f32: available.get(blasId)?.f32 } : {}),
  };
}

function gemmChoice(
  ref: KernelSpecs,
  wasm: Kernels | undefined,
  blas: Kernels | undefined,
  blasId: BackendId = 'openblas',
): Choice<'gemm'> {
  const small = wasm?.gemm ? { run: wasm.gemm, on: 'wasm' } : { run: ref.gemm, on: 'reference' };
  const m = AUTO_MEASURED;
  if (!blas?.gemm) {
    return {
      ...small,
      reason:
        small.on === 'wasm'
          ? `wasm: the reference's bits, faster (n = 512: ${m.gemm512.wasm} vs ${m.gemm512.reference} GFLOP/s); OpenBLAS unavailable here`
          : 'reference: wasm and OpenBLAS unavailable here',
    };
  }
  const large = blas.gemm;
  return {
    run: (args) => (args.m * args.n * args.k >= GEMM_BLAS_MIN ? large(args) : small.run(args)),
    route: (args) => (args.m * args.n * args.k >= GEMM_BLAS_MIN ? blasId : small.on),
    on: blasId,
    reason: `${blasId} for m·n·k ≥ 12³ (n = 512: ${m.gemm512.openblas} vs ${small.on} ${m.gemm512[small.on as 'wasm' | 'reference']} GFLOP/s; n = 16: ${m.gemm16.openblas} vs ${m.gemm16.wasm}), ${small.on} below (they tie at n = 10: wasm ${m.gemm10.wasm} vs openblas ${m.gemm10.openblas}, and n = 12: ${m.gemm12.wasm} both)`,
  };
}

function aeChoice<K extends 'aeForward' | 'aeBackward'>(
  name: K,
  ref: KernelSpecs,
  blas: Kernels | undefined,
  blasId: BackendId = 'openblas',
): Choice<K> {
  const fused = ref[name];
  const large = blas?.[name];
  if (!large) return { run: fused, on: 'reference', reason: 'reference: fused loops; OpenBLAS unavailable here' };
  const m = AUTO_MEASURED.aeBackward_B64_D256_K8;
  const tiny = AUTO_MEASURED.aeBackward_B1_D100_K2;
  const cross = AUTO_MEASURED.aeBackward_B1_D256_K2;
  const run = ((args: Parameters<KernelSpecs[K]>[0]) =>
    args.batch * args.inputDim * args.hidden >= AE_BLAS_MIN
      ? (large as (a: typeof args) => ReturnType<KernelSpecs[K]>)(args)
      : (fused as (a: typeof args) => ReturnType<KernelSpecs[K]>)(args)) as KernelSpecs[K];
  return {
    run,
    route: (args) => (args.batch * args.inputDim * args.hidden >= AE_BLAS_MIN ? blasId : 'reference'),
    on: blasId,
    reason: `${blasId} (three GEMMs) for B·D·K ≥ ${AE_BLAS_MIN} (aeBackward B = 64, D = 256, K = 8: ${m.openblas} vs ${m.reference} µs), the reference's fused loops below (B = 1, D = 100, K = 2: reference ${tiny.reference} vs ${tiny.openblas} µs; D = 256: ${cross.reference} vs ${cross.openblas} µs)`,
  };
}

/** The sparse kernels computed as one dense GEMM each (see {@link denseSparseKernels}). */
export type DenseSparseKernels = Pick<KernelSpecs, 'sparseEncode' | 'sparseGradient'>;

/**
 * `sparseEncode` and `sparseGradient` as dense products: the listed entries of X are scattered into a rows×cols scratch
 * (kept between calls, grown as needed, zero-filled every call; or X is `x` itself when the caller promises `exactX`),
 * then h = X·W (W cols×outputs, `transW`) or X·Wᵀ, and
 * the gradient Xᵀ·G, are one `gemm` each. A column listed twice in a row is added twice, as the sparse sum does; only
 * the listed entries of `x` are read (or `values`, when given). The arguments are checked as every backend checks them.
 * Unlike the sparse loops, the product also multiplies W's (or G's) entries by X's zeros: a non-finite entry there
 * gives NaN in outputs the sparse sum leaves finite (either way the result is no longer finite; trainToyModel stops on
 * non-finite parameters, checked every 100 steps).
 */
export function denseSparseKernels(gemm: KernelSpecs['gemm']): DenseSparseKernels {
  const { encode, gradient } = denseSparseUnchecked(gemm);
  return {
    sparseEncode: (args) => {
      checkSparseEncodeArgs(args);
      return encode(args);
    },
    sparseGradient: (args) => {
      checkSparseGradientArgs(args);
      return gradient(args);
    },
  };
}

/** {@link denseSparseKernels} without the argument checks (the composite checks before it routes). */
function denseSparseUnchecked(gemm: KernelSpecs['gemm']): {
  encode: (args: SparseEncodeArgs) => Float64Array;
  gradient: (args: SparseGradientArgs) => Float64Array;
} {
  let scratch = new Float64Array(0);
  /** X (rows×cols) from the listed entries: the first rows·cols entries of the scratch. */
  const scatter = (args: SparseRows): Float64Array => {
    const { rows, cols, nz, counts, values } = args;
    const size = rows * cols;
    // X itself, when the caller keeps it exactly (zero off the listed entries): the matrix the scatter would build.
    if (args.exactX === true && args.x) return head(args.x, size);
    if (scratch.length < size) scratch = new Float64Array(size);
    else scratch.fill(0, 0, size);
    const d = scratch;
    if (values) {
      for (let s = 0; s < rows; s++) {
        const o = s * cols;
        for (let q = 0; q < counts[s]; q++) d[o + nz[o + q]] += values[o + q];
      }
    } else {
      const x = args.x as Float64Array;
      for (let s = 0; s < rows; s++) {
        const o = s * cols;
        for (let q = 0; q < counts[s]; q++) {
          const j = o + nz[o + q];
          d[j] += x[j];
        }
      }
    }
    return head(d, size);
  };
  return {
    encode: (args) => {
      const { rows, cols, outputs, w, transW = false } = args;
      const out = head(args.out, rows * outputs);
      // W is cols×outputs (transW) or outputs×cols: h = X·W or X·Wᵀ, rows×outputs.
      const b = head(w, cols * outputs);
      gemm({ m: rows, n: outputs, k: cols, a: scatter(args), b, transB: !transW, out });
      return args.out ?? out;
    },
    gradient: (args) => {
      const { rows, cols, outputs, g } = args;
      const out = head(args.out, cols * outputs);
      // Xᵀ·G: X stored rows×cols, G rows×outputs; cols×outputs.
      gemm({
        m: cols,
        n: outputs,
        k: rows,
        a: scatter(args),
        b: head(g, rows * outputs),
        transA: true,
        out,
      });
      return args.out ?? out;
    },
  };
}

/**
 * The first `length` entries of `a` (the sparse kernels accept longer arrays, as training loops pass scratch buffers
 * sized for their largest batch; `gemm` takes exact lengths), or a new array when `a` is absent.
 */
function head(a: Float64Array | undefined, length: number): Float64Array {
  if (!a) return new Float64Array(length);
  return a.length === length ? a : a.subarray(0, length);
}

/** Density of X from its per-row counts: Σ counts / (rows·cols). */
function density(args: SparseRows): number {
  const { rows, cols, counts } = args;
  let total = 0;
  for (let s = 0; s < rows; s++) total += counts[s];
  return total / (rows * cols);
}

/**
 * `sparseEncode` and `sparseGradient` in `auto` (float64): wasm's sparse loops (the reference's without wasm), and
 * with OpenBLAS one dense GEMM over the scattered X when the product is large enough (rows·cols·outputs ≥
 * {@link GEMM_BLAS_MIN}) and X dense enough (≥ {@link SPARSE_DENSE_MIN}) that it wins.
 */
function sparseChoices(
  ref: KernelSpecs,
  wasm: Kernels | undefined,
  blas: Kernels | undefined,
  f64Note: string,
): { sparseEncode: Choice<'sparseEncode'>; sparseGradient: Choice<'sparseGradient'> } {
  const m = AUTO_MEASURED;
  const encode = wasm?.sparseEncode;
  const grad = wasm?.sparseGradient;
  // Without the dense route: why not (float32 set: BLAS has no sparse routine and the route is float64 only).
  const without = blas?.gemm ? '' : f64Note === '' ? '; OpenBLAS unavailable here' : '; BLAS has no sparse routine';
  const small = {
    sparseEncode: encode
      ? {
          run: encode,
          on: 'wasm' as BackendId,
          reason: `wasm: the reference's bits, faster (size 512, 5% nonzeros: ${m.sparseEncode512.wasm} vs ${m.sparseEncode512.reference} µs)${without}${f64Note}`,
        }
      : {
          run: ref.sparseEncode,
          on: 'reference' as BackendId,
          reason: `reference: wasm unavailable here${without}${f64Note}`,
        },
    sparseGradient: grad
      ? {
          run: grad,
          on: 'wasm' as BackendId,
          reason: `wasm: the reference's bits, faster (as sparseEncode)${without}${f64Note}`,
        }
      : {
          run: ref.sparseGradient,
          on: 'reference' as BackendId,
          reason: `reference: wasm unavailable here${without}${f64Note}`,
        },
  };
  if (!blas?.gemm) return small;
  const dense = denseSparseUnchecked(blas.gemm);
  /**
   * Whether X takes the dense route: large enough, and dense enough by its counts. Read before any check, so only
   * where counts is an Int32Array (a short one gives a NaN density); anything else goes to the sparse kernel, whose
   * check names it. `KernelSet.route` calls it with whatever a caller has (the kernel benchmark passes nothing here).
   */
  const takesDense = (a: SparseRows | undefined): a is SparseRows =>
    a !== undefined &&
    a.rows * a.cols * a.outputs >= GEMM_BLAS_MIN &&
    a.counts instanceof Int32Array &&
    density(a) >= SPARSE_DENSE_MIN;
  const route = (a: SparseRows | undefined): BackendId => (takesDense(a) ? 'openblas' : small.sparseEncode.on);
  /**
   * The dense route after its check, or the sparse kernel (which checks its own arguments): one check either way. With
   * `exactX` the dense route reads X itself and never the nonzero lists, so their columns are not walked (an O(nnz)
   * pass, 3% of a paper-scale toy step); the counts, lengths and shapes still are.
   */
  const routed =
    <A extends SparseRows>(
      sparse: (a: A) => Float64Array,
      dense: (a: A) => Float64Array,
      check: (a: A, indices: boolean) => void,
    ) =>
    (args: A): Float64Array => {
      if (!takesDense(args)) return sparse(args);
      check(args, !(args.exactX === true && args.x !== undefined));
      return dense(args);
    };
  const c = m.sparse_n512_m128;
  const r = m.sparseDenseRatio;
  const rule = `openblas (the listed entries scattered into a dense X, then one GEMM) for density ≥ ${SPARSE_DENSE_MIN} and rows·cols·outputs ≥ 12³`;
  const range = (v: readonly number[]): string => `${v[0]}–${v[1]}`;
  const numbers = `batch 1024, n = 512, m = 128, encoder + gradient, ms: p = 0.1: wasm ${c.p01.wasm} vs openblas ${c.p01.openblas}; p = 0.2: ${c.p02.wasm} vs ${c.p02.openblas}; p = 0.4: ${c.p04.wasm} vs ${c.p04.openblas}. Time openblas/wasm over n = 128–1024, m = 32–256: p = 0.1: ${range(r.haswell.p01)}, p = 0.2: ${range(r.haswell.p02)} (OPENBLAS_CORETYPE unset: ${range(r.unset.p01)}, ${range(r.unset.p02)})`;
  return {
    sparseEncode: {
      run: routed(small.sparseEncode.run, dense.encode, checkSparseEncodeArgs),
      route,
      on: small.sparseEncode.on,
      reason: `${small.sparseEncode.reason} for sparser or smaller X; ${rule} (${numbers})`,
    },
    sparseGradient: {
      run: routed(small.sparseGradient.run, dense.gradient, checkSparseGradientArgs),
      route,
      on: small.sparseGradient.on,
      reason: `${small.sparseGradient.reason} for sparser or smaller X; ${rule} (as sparseEncode: ${numbers})`,
    },
  };
}
