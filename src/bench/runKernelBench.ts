/**
 * Kernel benchmarks: every selected kernel × available backend × size, timed after its result has been checked against
 * the float64 reference. GEMM reports GFLOP/s (2·m·n·k per call).
 *
 * The timings are interleaved: every (kernel, backend, size) is timed for a fifth of `timeMs` in each of five rounds,
 * and its time is the fastest of its five per-round medians (the baselines' gemm.py does the same). On a machine shared
 * with other jobs, load comes in bursts that cover a whole measurement: timed one after the other in 300 ms blocks, one
 * row came out 5–20× slow (wasm GEMM n = 64: 3.8 GFLOP/s against 18.0 seconds earlier; OpenBLAS 3.7 against 71), and
 * back-to-back 60 ms rounds of the same OpenBLAS call measured 3.2, 75.8, 79.8, 79.4 and 81.8 GFLOP/s. Load only ever
 * slows a round down, so the fastest round is the closest to what the machine does unloaded; interleaving gives every
 * candidate the same chances.
 *
 * Every call's time is also kept (a seeded reservoir of at most {@link ROUND_KEEP} per round, so that a microsecond
 * kernel timed for seconds does not hold millions), for the spread (IQR, MAD) and for `aecheck bench --compare`, whose
 * statistical test needs the samples rather than one number.
 */
import { createRng, type Rng } from '../core/rng.ts';
import { EPS32, EPS64, frobeniusRelativeError } from '../core/tolerance.ts';
import type { BackendId, KernelName, KernelSet } from '../kernels/kernelSpecs.ts';
import { getKernelSet, probeBackends } from '../kernels/registry.ts';
import { sampleBatch } from '../sim/persianrug2024/trainToyModel.ts';
import { keepSamples, type SampleSummary, summarizeSamples } from './summarizeSamples.ts';

/** Kernels the benchmark knows how to feed. */
export const BENCH_KERNELS = [
  'gemm',
  'aeForward',
  'aeBackward',
  'elementwise',
  'reduce',
  'sparseEncode',
  'sparseGradient',
] as const satisfies readonly KernelName[];
export type BenchKernel = (typeof BENCH_KERNELS)[number];

/** One benchmark row. */
export type BenchRow =
  | {
      status: 'ok';
      kernel: BenchKernel;
      backend: BackendId;
      /**
       * The backend that ran the kernel at this size: `backend`, `reference` where the backend lacks it (the registry's
       * fallback), or the one the composite `auto` chose.
       */
      ranOn: BackendId;
      /** Why it ran there (the KernelSet's reason: own kernel, fallback, or `auto`'s rule with its measured numbers). */
      reason: string;
      size: number;
      /** Median time per call, seconds. */
      seconds: number;
      /** Relative Frobenius error against the reference (checked before timing). */
      relativeError: number;
      /** GFLOP/s (GEMM), or millions of elements per second (the others). */
      rate: number;
      rateUnit: 'GFLOP/s' | 'Melem/s';
      /** Calls timed, over all rounds. */
      samples: number;
      /** Median, quartiles, IQR and MAD of the per-call times (seconds) over every round. */
      timing: SampleSummary;
      /** The per-call times (seconds), sorted, at most MAX_KEPT_SAMPLES (evenly spaced order statistics). */
      sampleSeconds: number[];
    }
  | { status: 'wrong'; kernel: BenchKernel; backend: BackendId; size: number; relativeError: number; allowed: number }
  | { status: 'unavailable'; backend: BackendId; reason: string };

/** Options of {@link runKernelBench}. */
export interface KernelBenchOptions {
  /** Kernels to time (default all). */
  kernels?: readonly BenchKernel[];
  /** Backends (default every available one). */
  backends?: readonly BackendId[];
  /**
   * Sizes: GEMM is size×size×size; the autoencoder uses batch = size, D = size, K = 8; maps use size² entries; the
   * sparse kernels take a size×size X with a 5% fraction of nonzeros (the Persian rug's p = 0.05) and size/8 outputs.
   */
  sizes?: readonly number[];
  /** Minimum time per task in ms, over all rounds (default 300). */
  timeMs?: number;
  /** Called after each row. */
  onRow?: (row: BenchRow) => void;
}

/** Hidden units of the autoencoder workload. */
const BENCH_HIDDEN = 8;
/** Fraction of nonzeros of the sparse kernels' X (the Persian rug's training benchmark uses p = 0.05). */
const BENCH_DENSITY = 0.05;
/** Relative error allowed before timing: a float32 backend may lose (reduction length)·EPS32. */
function allowedError(ks: KernelSet, length: number): number {
  return 4 * (length + 2) * (ks.precision === 'float32' ? EPS32 : EPS64);
}

interface Workload {
  /** One call (its result is checked against the reference before timing). */
  run: (ks: KernelSet) => Float64Array | Float32Array;
  /** The kernel's arguments (for `KernelSet.route`: which backend a composite sends them to). */
  args?: unknown;
  flops: number;
  elements: number;
  reductionLength: number;
}

function workload(kernel: BenchKernel, size: number): Workload {
  const rng = createRng(size * 31 + kernel.length);
  const fill = (n: number) => {
    const a = new Float64Array(n);
    rng.fillNormal(a);
    return a;
  };
  switch (kernel) {
    case 'gemm': {
      // Both dtypes write into a preallocated output, as the library's trainers call GEMM. Without `out` the kernel
      // allocates the product (2 MB at n = 512), and at n = 256–512 that measured 19–58 GFLOP/s for a product that
      // runs at 80–87 with `out` (openblas, one thread): the allocation, not the GEMM. (numpy's `a @ b` allocates
      // too, but malloc hands back the block it freed the call before.)
      const args = { m: size, n: size, k: size, a: fill(size * size), b: fill(size * size) };
      const f64 = { ...args, out: new Float64Array(size * size) };
      // A float32 set with Float32Array products (kernels.f32) is timed on float32 operands, as a float32 user (or
      // numpy on float32 arrays) holds them; its Float64Array gemm would add a rounding copy of each operand.
      const f32 = {
        ...args,
        a: Float32Array.from(args.a),
        b: Float32Array.from(args.b),
        out: new Float32Array(size * size),
      };
      return {
        run: (ks) => (ks.f32 ? ks.f32.gemm(f32) : ks.gemm(f64)),
        args,
        flops: 2 * size ** 3,
        elements: size * size,
        reductionLength: size,
      };
    }
    case 'aeForward':
    case 'aeBackward': {
      const args = {
        batch: size,
        inputDim: size,
        hidden: BENCH_HIDDEN,
        x: fill(size * size),
        w: fill(BENCH_HIDDEN * size),
        v: fill(size * BENCH_HIDDEN),
        activation: 'erf' as const,
      };
      const flops = 4 * size * size * BENCH_HIDDEN * (kernel === 'aeBackward' ? 3 : 1);
      return kernel === 'aeForward'
        ? { run: (ks) => ks.aeForward(args).out, args, flops, elements: size * size, reductionLength: size }
        : { run: (ks) => ks.aeBackward(args).gradW, args, flops, elements: size * size, reductionLength: 2 * size };
    }
    case 'elementwise': {
      const x = fill(size * size);
      return { run: (ks) => ks.elementwise({ op: 'erf', x }), flops: 0, elements: size * size, reductionLength: 16 };
    }
    case 'sparseEncode':
    case 'sparseGradient': {
      const rows = size;
      const cols = size;
      const outputs = Math.max(8, size >> 3);
      const x = new Float64Array(rows * cols);
      const nz = new Int32Array(rows * cols);
      const counts = new Int32Array(rows);
      // The toy model's own minibatch (each feature nonzero with probability p, then U[0, 1)).
      sampleBatch(rows, cols, BENCH_DENSITY, rng, x, nz, counts);
      let nnz = 0;
      for (let s = 0; s < rows; s++) nnz += counts[s];
      const base = { rows, cols, outputs, x, nz, counts };
      const w = fill(outputs * cols);
      const g = fill(rows * outputs);
      return {
        run: (ks) => (kernel === 'sparseEncode' ? ks.sparseEncode({ ...base, w }) : ks.sparseGradient({ ...base, g })),
        flops: 2 * nnz * outputs,
        elements: nnz,
        // The longest row (encoder) or column (gradient): a few times the mean p·size.
        reductionLength: Math.ceil(4 * BENCH_DENSITY * size) + 8,
      };
    }
    case 'reduce': {
      const x = fill(size * size);
      return {
        run: (ks) => ks.reduce({ op: 'sumSquares', x, rows: size, cols: size, axis: 'rows' }),
        flops: 0,
        elements: size * size,
        reductionLength: size,
      };
    }
  }
}

/** Rounds of the interleaved timing (see the file's comment). */
const ROUNDS = 5;
/** Fewest calls per task and round. */
const MIN_SAMPLES = 3;

/** Per-call times kept per task and round (a uniform reservoir beyond that). */
const ROUND_KEEP = 1000;
/** Seed of the reservoirs' random stream. */
const RESERVOIR_SEED = 7;

/** Median of a non-empty list (sorted in place). */
function median(v: number[]): number {
  v.sort((x, y) => x - y);
  return v[v.length >> 1];
}

/**
 * Calls `run` for at least `ms` milliseconds (and MIN_SAMPLES times): the median seconds per call, the number of calls,
 * and the per-call times in seconds (all of them, or a uniform reservoir of ROUND_KEEP when there were more).
 */
function timeRound(run: () => void, ms: number, rng: Rng): { seconds: number; samples: number; kept: number[] } {
  const kept: number[] = [];
  let calls = 0;
  const start = performance.now();
  while (calls < MIN_SAMPLES || performance.now() - start < ms) {
    const t = performance.now();
    run();
    const dt = (performance.now() - t) / 1000;
    calls++;
    if (kept.length < ROUND_KEEP) kept.push(dt);
    else {
      const j = rng.int(calls);
      if (j < ROUND_KEEP) kept[j] = dt;
    }
  }
  return { seconds: median([...kept]), samples: calls, kept };
}

/** Runs the kernel benchmarks and returns one row per (kernel, backend, size), plus one per unavailable backend. */
export async function runKernelBench(options: KernelBenchOptions = {}): Promise<BenchRow[]> {
  const kernels = options.kernels ?? BENCH_KERNELS;
  const sizes = options.sizes ?? [64, 128, 256, 512];
  const statuses = await probeBackends();
  const wanted = options.backends ?? statuses.map((s) => s.id);
  const reference = await getKernelSet('reference');
  // First every result is checked (and each task warmed up); then the checked ones are timed, interleaved.
  const slots: (
    | BenchRow
    | {
        pending: true;
        kernel: BenchKernel;
        id: BackendId;
        size: number;
        ks: KernelSet;
        w: Workload;
        relativeError: number;
      }
  )[] = [];
  for (const id of wanted) {
    const status = statuses.find((s) => s.id === id);
    if (!status?.available) {
      slots.push({
        status: 'unavailable',
        backend: id,
        reason: status && !status.available ? status.reason : 'unknown backend',
      });
      continue;
    }
    const ks = await getKernelSet(id);
    for (const kernel of kernels) {
      for (const size of sizes) {
        const w = workload(kernel, size);
        const got = w.run(ks);
        const want = w.run(reference);
        const relativeError = frobeniusRelativeError(got, want);
        const allowed = allowedError(ks, w.reductionLength);
        if (!(relativeError <= allowed)) {
          slots.push({ status: 'wrong', kernel, backend: id, size, relativeError, allowed });
          continue;
        }
        w.run(ks);
        slots.push({ pending: true, kernel, id, size, ks, w, relativeError });
      }
    }
  }
  const roundMs = (options.timeMs ?? 300) / ROUNDS;
  const perRound = new Map<number, { seconds: number[]; samples: number; kept: number[] }>();
  const rng = createRng(RESERVOIR_SEED);
  for (let r = 0; r < ROUNDS; r++) {
    slots.forEach((slot, i) => {
      if (!('pending' in slot)) return;
      const t = timeRound(() => slot.w.run(slot.ks), roundMs, rng);
      const acc = perRound.get(i) ?? { seconds: [], samples: 0, kept: [] };
      acc.seconds.push(t.seconds);
      acc.samples += t.samples;
      acc.kept.push(...t.kept);
      perRound.set(i, acc);
    });
  }
  const rows: BenchRow[] = slots.map((slot, i) => {
    if (!('pending' in slot)) return slot;
    const { kernel, id, size, ks, w, relativeError } = slot;
    const acc = perRound.get(i) as { seconds: number[]; samples: number; kept: number[] };
    const seconds = Math.min(...acc.seconds);
    const gemmLike = kernel !== 'elementwise' && kernel !== 'reduce';
    return {
      status: 'ok',
      kernel,
      backend: id,
      ranOn: kernel === 'gemm' && ks.f32 ? ks.f32.on : ks.route(kernel, w.args),
      reason:
        kernel === 'gemm' && ks.f32
          ? `${ks.reasons.gemm}; timed on Float32Array operands (kernels.f32.gemm: no rounding copies)`
          : ks.reasons[kernel],
      size,
      seconds,
      relativeError,
      rate: gemmLike ? w.flops / seconds / 1e9 : w.elements / seconds / 1e6,
      rateUnit: gemmLike ? 'GFLOP/s' : 'Melem/s',
      samples: acc.samples,
      timing: summarizeSamples(acc.kept),
      sampleSeconds: keepSamples(acc.kept),
    };
  });
  for (const row of rows) options.onRow?.(row);
  return rows;
}
