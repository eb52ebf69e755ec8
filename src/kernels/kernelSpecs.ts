/**
 * Every kernel's arguments and result, declared once (the tfjs "kernel_names" idea, typed).
 * Arrays cross the kernel boundary as row-major Float64Array; a float32 backend converts inside.
 * Papers add their kernels here, one entry each, with a reference implementation in `reference/<name>.ts`.
 */
import type { Rng } from '../core/rng.ts';

/** Hidden-unit activation. `erf` means g(x) = erf(x/√2); `sign` has g' = 0 almost everywhere. */
export type Activation = 'linear' | 'erf' | 'relu' | 'sign';

/** Arithmetic precision a backend computes in. */
export type Precision = 'float64' | 'float32';

/**
 * A backend identifier, as its folder's descriptor declares it (`reference`, `wasm`, `openblas`, `openblas:f32`,
 * `gpujs:<mode>`, and the composite `auto`). The list of the built-in ones is {@link BACKEND_IDS}, derived from the
 * descriptors in `backends.ts`, so adding a backend never means editing this file.
 */
export type BackendId = string;
export { BACKEND_IDS } from './backendIds.ts';

/** Arguments of {@link KernelSpecs.gemm}: C = alpha·op(A)·op(B) + beta·C. */
export interface GemmArgs {
  /** Rows of op(A) and of C. */
  m: number;
  /** Columns of op(B) and of C. */
  n: number;
  /** Columns of op(A) = rows of op(B) (the reduction length). */
  k: number;
  /** A, stored m×k (or k×m when transA). */
  a: Float64Array;
  /** B, stored k×n (or n×k when transB). */
  b: Float64Array;
  /** Use Aᵀ (default false). */
  transA?: boolean;
  /** Use Bᵀ (default false). */
  transB?: boolean;
  /** Scale of the product (default 1). */
  alpha?: number;
  /** Scale of the input C (default 0; C is ignored when beta = 0). */
  beta?: number;
  /** Input C (m×n), read when beta ≠ 0; never written: the result is a new array. */
  c?: Float64Array;
  /**
   * The caller promises op(A)·op(B) is symmetric (a Gram matrix XXᵀ or XᵀX, with m = n): a backend may compute the upper
   * triangle only and mirror it (default false). The result must equal the full product exactly.
   */
  symmetric?: boolean;
  /**
   * With `symmetric`: the caller reads only the upper triangle of the result (entries i ≤ j, the diagonal included), so a
   * backend may skip mirroring it and leave the strict lower triangle unspecified (default false: the full matrix). The
   * upper triangle is the same as without it, bit for bit. Projected GD's Gram products use it (their n×n pass reads
   * i ≤ j only).
   */
  upperOnly?: boolean;
  /**
   * Where to write C (m×n, overwritten; must not alias a, b or c); default a new array. Saves an allocation per call
   * in training loops. Every backend honours it (the registry copies for backends that return a new array).
   */
  out?: Float64Array;
}

/**
 * {@link GemmArgs} with float32 arrays end to end: what a float32 caller that keeps its data in Float32Array passes to
 * {@link NativeF32['gemm']}, so that no operand is rounded into a scratch copy and no result widened (the copies cost
 * as much as the product itself for n ≤ 512).
 */
export type GemmArgsF32 = Omit<GemmArgs, 'a' | 'b' | 'c' | 'out'> & {
  a: Float32Array;
  b: Float32Array;
  c?: Float32Array;
  out?: Float32Array;
};

/** Kernels of a float32 backend on Float32Array operands (optional: `openblas:f32`, and `auto:f32` over it). */
export interface NativeF32 {
  /** The backend whose routines these are (`openblas:f32` for both `openblas:f32` and `auto:f32`). */
  readonly on: BackendId;
  /** C = α·op(A)·op(B) + β·C in float32 with float32 arrays; the same arithmetic as the backend's `gemm`. */
  gemm(args: GemmArgsF32): Float32Array;
}

/** Arguments of the batched two-layer autoencoder x̂ = V g(W x/√D + b). */
export interface AeForwardArgs {
  /** Minibatch size B. */
  batch: number;
  /** Input dimension D. */
  inputDim: number;
  /** Hidden units K. */
  hidden: number;
  /** Inputs X, B×D. */
  x: Float64Array;
  /** Encoder W, K×D (row k is w^k). */
  w: Float64Array;
  /** Encoder bias b, length K (added after the 1/√D scaling); omitted means zero. */
  bias?: Float64Array;
  /** Decoder V, D×K (column k is v^k). */
  v: Float64Array;
  activation: Activation;
}

/** Result of {@link KernelSpecs.aeForward}. */
export interface AeForwardResult {
  /** Pre-activations λ = X Wᵀ/√D + b, B×K. */
  pre: Float64Array;
  /** Hidden activities h = g(λ), B×K. */
  hidden: Float64Array;
  /** Reconstructions X̂ = h Vᵀ, B×D. */
  out: Float64Array;
}

/** Arguments of {@link KernelSpecs.aeBackward}: the forward pass is recomputed from these. */
export type AeBackwardArgs = AeForwardArgs;

/** Gradients of L = ½ Σ_batch ‖x − x̂‖² (a sum over the batch, not a mean). */
export interface AeBackwardResult {
  /** ∂L/∂W, K×D. */
  gradW: Float64Array;
  /** ∂L/∂b, length K. */
  gradBias: Float64Array;
  /** ∂L/∂V, D×K. */
  gradV: Float64Array;
  /** L itself. */
  loss: number;
}

/** Elementwise operations. Unary ops read `x`; binary ops read `x` and `y`; `axpy` is alpha·x + y. */
export type ElementwiseOp =
  | 'linear'
  | 'erf'
  | 'relu'
  | 'sign'
  | 'dLinear'
  | 'dErf'
  | 'dRelu'
  | 'dSign'
  | 'arcsin'
  | 'square'
  | 'scale'
  | 'add'
  | 'mul'
  | 'axpy';

/** Arguments of {@link KernelSpecs.elementwise}. */
export interface ElementwiseArgs {
  op: ElementwiseOp;
  x: Float64Array;
  /** Second operand of binary ops (same length as x). */
  y?: Float64Array;
  /** Scalar of `scale` and `axpy` (default 1). */
  alpha?: number;
}

/** Reduction operations. */
export type ReduceOp = 'sum' | 'sumSquares' | 'max' | 'min';

/** Arguments of {@link KernelSpecs.reduce}: x is rows×cols; axis `all` gives 1 value, `rows` one per row, `cols` one per column. */
export interface ReduceArgs {
  op: ReduceOp;
  x: Float64Array;
  rows: number;
  cols: number;
  axis: 'all' | 'rows' | 'cols';
}

/** A sparse X (rows×cols, a p-fraction of nonzeros) given by its nonzero indices per row, as the sparse kernels take it. */
export interface SparseRows {
  /** Rows of X (the batch). */
  rows: number;
  /** Columns of X (features n). */
  cols: number;
  /** Outputs per row (m). */
  outputs: number;
  /** X, rows×cols, dense storage (only the listed entries are read). Required unless `values` is given. */
  x?: Float64Array;
  /** Nonzero column indices of row s in nz[s·cols .. s·cols + counts[s]). */
  nz: Int32Array;
  counts: Int32Array;
  /**
   * The listed entries' values in nz's layout, values[s·cols + q] = X[s, nz[s·cols + q]] (optional). When given, the
   * kernels read the values from here and never read `x` (which may then be omitted): a row's values are contiguous,
   * where reading them from the dense X touches one cache line per nonzero (the training loop's X is 8 MB at batch
   * 1024, n = 1024).
   */
  values?: Float64Array;
  /**
   * The caller promises that `x` holds X exactly: the listed entries' values and +0 everywhere else (default false). A
   * backend that computes the product densely (`auto`'s dense route) then reads `x` as it is instead of scattering the
   * listed values into a zeroed scratch, which gives the same matrix, so the same bits. The sparse loops ignore it.
   * The toy trainer keeps such an x, so that its encoder, its gradient and δ share one X per step.
   */
  exactX?: boolean;
}

/**
 * Arguments of {@link KernelSpecs.sparseEncode}: h = X Wᵀ for a sparse X (Persian rug training step: a p-fraction of
 * nonzeros costs O(m·p·n) per row instead of O(m·n)).
 */
export interface SparseEncodeArgs extends SparseRows {
  /** W, outputs×cols — or cols×outputs with `transW` (feature j's weights contiguous: the fast layout). */
  w: Float64Array;
  /** W is given transposed, cols×outputs (default false). */
  transW?: boolean;
  /** Where to write h (rows×outputs; overwritten); default a new array. */
  out?: Float64Array;
}

/**
 * Arguments of {@link KernelSpecs.sparseGradient}: Xᵀ G (cols×outputs) for a sparse X — the encoder gradient of
 * h = X Wᵀ with W stored transposed (cols×outputs).
 */
export interface SparseGradientArgs extends SparseRows {
  /** G = ∂L/∂h, rows×outputs. */
  g: Float64Array;
  /** Where to write the result (cols×outputs; overwritten); default a new array. */
  out?: Float64Array;
}

/** Activations of the online-SGD step: 'linear', 'erf' (g(x) = erf(x/√2)) or 'relu'. */
export type SgdActivation = 'linear' | 'erf' | 'relu';

/** The network an online-SGD stepper trains, flat row-major (modified in place). */
export interface SgdNetwork {
  /** Hidden units K. */
  readonly hidden: number;
  /** Input dimension D. */
  readonly dim: number;
  /**
   * Encoder, K×D (row k is w^k). A stepper may point W and V at its own memory while it runs (the wasm one does): read
   * them after `flush()`; `finish()` leaves them in plain Float64Arrays.
   */
  W: Float64Array;
  /** Decoder, K×D (row k is v^k); a tied network ignores it and uses W. */
  V: Float64Array;
  /** Effective encoder bias β_k = b_k/√D, length K; absent: no bias. */
  bias?: Float64Array;
}

/**
 * Where an online-SGD stepper draws each sample from: a Gaussian in spectral form, x = √β ξ + Σ_τ a_τ z_τ e_τ
 * (ξ ~ N(0, I_D) then z ~ N(0, I_n), in that order from `rng`; drawn inside the kernel, so a backend can fuse it), or
 * any distribution through a callback that writes x into `out[0..D)`.
 */
export type SgdSampler =
  | {
      readonly kind: 'gaussian';
      /** Listed directions n. */
      readonly directions: number;
      /** e_τ as rows, n×D row-major. */
      readonly basis: Float64Array;
      /** β, the variance of every direction orthogonal to the listed ones. */
      readonly bulk: number;
      /** a_τ = √(ρ_τ − β), length n. */
      readonly amplitudes: Float64Array;
    }
  | { readonly kind: 'draw'; draw(out: Float64Array): void };

/**
 * Arguments of {@link KernelSpecs.onlineSgdStepper}: online SGD (batch size 1) for x̂ = Σ_k v^k g(w^k·x/√D + β_k) with
 * Refinetti & Goldt 2022's scalings, r = x − x̂: Δv^k = (η/D) g(λ^k) r, Δw^k = (η/D²) g'(λ^k)(v^k·r/√D) x,
 * Δβ_k = (η/D²) g'(λ^k) v^k·r; the truncated rule uses r_k = x − Σ_{a≤k} v^a g(λ^a) for unit k; tied networks
 * (v ≡ w) follow the full gradient of the tied loss or only its encoder path. See src/sim/refinetti2022/onlineSgd.ts.
 */
export interface OnlineSgdArgs {
  /** The network, trained in place. */
  network: SgdNetwork;
  /** The data. */
  sampler: SgdSampler;
  /** The random stream the Gaussian sampler draws from (a `draw` sampler brings its own). */
  rng: Rng;
  activation: SgdActivation;
  /** Truncated rule (untied only). */
  truncated: boolean;
  /** Tied weights v^k ≡ w^k. */
  tied: boolean;
  /** Tied: the full gradient (true) or the encoder path only (false). */
  tiedFull: boolean;
  /** Train β (needs `network.bias`). */
  trainBias: boolean;
  /** η. */
  learningRate: number;
}

/**
 * A running online-SGD simulation: `step()` draws one sample and updates the network; `flush()` applies any deferred
 * update so that `network` is current (call it before reading the weights); `finish()` flushes and leaves the network's
 * arrays plain Float64Arrays owned by the caller.
 */
export interface OnlineSgdStepper {
  step(): void;
  flush(): void;
  finish(): void;
}

/** The kernels. */
export interface KernelSpecs {
  /** C = alpha·op(A)·op(B) + beta·C, row-major; returns a new m×n array. */
  gemm(args: GemmArgs): Float64Array;
  /** λ = X Wᵀ/√D + b, h = g(λ), X̂ = h Vᵀ. */
  aeForward(args: AeForwardArgs): AeForwardResult;
  /** Gradients of ½ Σ_batch ‖x − x̂‖² with respect to W, b and V. */
  aeBackward(args: AeBackwardArgs): AeBackwardResult;
  /** Elementwise map. */
  elementwise(args: ElementwiseArgs): Float64Array;
  /** Sum, sum of squares, max or min over all entries, each row or each column. */
  reduce(args: ReduceArgs): Float64Array;
  /** h = X Wᵀ (rows×outputs) reading only the nonzeros of X. */
  sparseEncode(args: SparseEncodeArgs): Float64Array;
  /** Xᵀ G over the nonzeros of X, in nonzero order per row of X. */
  sparseGradient(args: SparseGradientArgs): Float64Array;
  /** An online-SGD simulation of the two-layer autoencoder (one step per sample; the network trained in place). */
  onlineSgdStepper(args: OnlineSgdArgs): OnlineSgdStepper;
}

/** A kernel's name. */
export type KernelName = keyof KernelSpecs;

/** A backend: what it implements itself; anything missing falls back to `reference`, visibly (see `resolved`). */
export interface Backend {
  readonly id: BackendId;
  readonly precision: Precision;
  /**
   * Every kernel it implements performs the reference's floating-point operations in the reference's order, so it gives
   * the reference's bits (wasm: yes; a BLAS or a GPU: no, they are checked against a rounding bound instead).
   */
  readonly bitExact: boolean;
  readonly kernels: Partial<KernelSpecs>;
  /** A composite backend (`auto`): which backend runs each of its kernels (default: this backend's id). */
  readonly resolved?: Readonly<Partial<Record<KernelName, BackendId>>>;
  /** Why each kernel runs where it does (a composite's rule, with the numbers behind it). */
  readonly reasons?: Readonly<Partial<Record<KernelName, string>>>;
  /** A composite that splits a kernel by size: which backend runs this call (default: `resolved`). */
  route?(kernel: KernelName, args: unknown): BackendId | undefined;
  /** Float32 kernels on Float32Array operands, for a float32 backend that has them (see {@link NativeF32}). */
  readonly f32?: NativeF32;
  dispose?(): void;
}

/** Result of probing a backend: the working backend, or why it cannot run here and how to fix that. */
export type BackendProbe = { available: true; backend: Backend } | { available: false; reason: string };

/**
 * What each backend folder exports (one per variant: gpu.js one per mode, OpenBLAS one per precision). The registry
 * only sorts these by `priority` and probes them; adding a backend is one descriptor and one line in `backends.ts`.
 */
export interface BackendDescriptor {
  readonly id: BackendId;
  readonly precision: Precision;
  /** Listing order (lower first: listings, `aecheck bench` and the conformance suite follow it). */
  readonly priority: number;
  /** Creates the backend and checks it on small products against the reference. Never throws: a failure is a reason. */
  probe(): BackendProbe;
  /** Creates the backend; throws with the reason (and the fix) when it cannot run here. */
  create(): Backend;
}

/** The kernels a simulation receives: one backend's, with reference fallbacks filled in. */
export interface KernelSet extends KernelSpecs {
  readonly backend: BackendId;
  readonly precision: Precision;
  /** Which backend actually runs each kernel. */
  readonly resolved: Readonly<Record<KernelName, BackendId>>;
  /** Why: the backend's own kernel, a fallback, or the composite's rule with its measured numbers. */
  readonly reasons: Readonly<Record<KernelName, string>>;
  /** The backend that runs `kernel` on these arguments (`resolved`, unless a composite splits the kernel by size). */
  route(kernel: KernelName, args: unknown): BackendId;
  /** Float32 kernels on Float32Array operands, when the backend has them (see {@link NativeF32}). */
  readonly f32?: NativeF32;
}
