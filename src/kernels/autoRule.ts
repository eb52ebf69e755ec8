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
 * - `sparseEncode`, `sparseGradient`, `onlineSgdStepper`: wasm (the reference's bits, several times faster; BLAS has
 *   no sparse routine, and the SGD step is O(K·D) work per call, bound by call overhead);
 * - `elementwise`, `reduce`: reference (the only float64 implementations).
 *
 * A backend that is unavailable drops out of the rule: without OpenBLAS, `auto` is wasm's kernels with the reference's
 * (and gives the reference's bits); without wasm either, it is the reference.
 */
import type { Backend, BackendId, KernelName, KernelSpecs } from './kernelSpecs.ts';
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
 * The measurements behind the rule (`npx tsx src/kernels/measureAutoRule.ts`: side by side in one process, the fastest
 * of five interleaved rounds, 1 thread, the 2-core machine shared with other jobs, load average about 3), quoted in the
 * reasons `aecheck bench` prints. GFLOP/s for GEMM; µs per call for the autoencoder passes; k steps/s for SGD. GEMM and
 * the autoencoder figures are with OPENBLAS_CORETYPE=Haswell as this environment sets it, the case where OpenBLAS is
 * slowest; with it unset (Cooperlake, AVX-512) OpenBLAS led wasm from n = 6 (0.98 vs 0.64; n = 12: 6.39 vs 4.43;
 * n = 512: 70.4 vs 18.5), so the thresholds hold for both. The sparse and SGD figures are an earlier session's.
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
    sparseEncode: wasm?.sparseEncode
      ? {
          run: wasm.sparseEncode,
          on: 'wasm',
          reason: `wasm: the reference's bits, faster (size 512, 5% nonzeros: ${m.sparseEncode512.wasm} vs ${m.sparseEncode512.reference} µs); BLAS has no sparse routine${f64Note}`,
        }
      : { run: ref.sparseEncode, on: 'reference', reason: `reference: wasm unavailable here${f64Note}` },
    sparseGradient: wasm?.sparseGradient
      ? {
          run: wasm.sparseGradient,
          on: 'wasm',
          reason: `wasm: the reference's bits, faster (as sparseEncode); BLAS has no sparse routine${f64Note}`,
        }
      : { run: ref.sparseGradient, on: 'reference', reason: `reference: wasm unavailable here${f64Note}` },
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
