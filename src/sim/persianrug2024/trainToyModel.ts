/**
 * Training the toy model of superposition x̂ = ReLU(W_out W_in x + b) (Cowsik, Dolev, Infanger 2024, digest §2) with
 * Adam and the authors' settings (lr 3e-3/√n, eps 1e-7, betas 0.9/0.999, batch 1024, PyTorch's default init, fresh
 * data every step) but a fixed step budget and a held-out evaluation on fresh samples. The encoder product h = W_in x
 * (the registry's `sparseEncode` kernel) and the encoder gradient use the sparsity of x (a p-fraction of nonzeros:
 * O(m·p·n) per sample instead of O(m·n)); the dense decoder products go through the registry's `gemm`.
 */
import { ValidationError } from '../../core/errors.ts';
import type { Progress } from '../../core/progress.ts';
import type { Rng } from '../../core/rng.ts';
import { assertFinite } from '../../core/tolerance.ts';
import type { KernelSet } from '../../kernels/kernelSpecs.ts';
import { adamStep, BETA1, BETA2 } from './adam.ts';

/** Options of {@link trainToyModel}. */
export interface TrainToyModelOptions {
  n: number;
  m: number;
  p: number;
  steps: number;
  /** Minibatch (default 1024, the authors'). */
  batch?: number;
  /** Adam step (default 3e-3/√n, the authors'). */
  learningRate?: number;
  /** Held-out samples for the evaluations (default 8192). */
  evalSamples?: number;
  /** Steps at which the held-out loss is recorded (default: the last). */
  record?: readonly number[];
  /**
   * Tie the decoder to the encoder, W_out = W_inᵀ (Elhage et al.'s original model x̂ = ReLU(WᵀW x + b), digest §1;
   * the Persian Rug paper trains untied weights). Default false.
   */
  tied?: boolean;
  rng: Rng;
  kernels: KernelSet;
  progress?: Progress;
}

/** A trained model and its held-out loss curve. */
export interface TrainedToyModel {
  wIn: Float64Array;
  wOut: Float64Array;
  bias: Float64Array;
  steps: number[];
  heldOutLoss: number[];
}

/**
 * One sparse minibatch: values (batch×n dense, for the targets) and the nonzero indices per sample. The nonzero
 * positions are drawn by geometric gaps (the number of zeros before the next nonzero is Geometric(p)), which is the
 * same distribution as n independent Bernoulli(p) draws at about p·n instead of n uniform draws per sample.
 */
export function sampleBatch(
  batch: number,
  n: number,
  p: number,
  rng: Rng,
  x: Float64Array,
  nz: Int32Array,
  counts: Int32Array,
): void {
  x.fill(0);
  const logq = Math.log1p(-p); // −∞ when p = 1: every gap is 0
  for (let s = 0; s < batch; s++) {
    let c = 0;
    let i = -1;
    for (;;) {
      // gap = ⌊ln U / ln(1 − p)⌋ with U ∈ (0, 1]
      const gap = p >= 1 ? 0 : Math.floor(Math.log(1 - rng.uniform()) / logq);
      i += gap + 1;
      if (!(i < n)) break;
      x[s * n + i] = rng.uniform();
      nz[s * n + c++] = i;
    }
    counts[s] = c;
  }
}

/**
 * δ = ∂L/∂z = scale·(z + b − x)·1[z + b > 0], in place of the pre-bias outputs z (batch×n), and gBias = Σ_s δ_s.
 * The loops of a training step are small top-level functions so that V8 optimises each on its own.
 */
function deltaInPlace(
  z: Float64Array,
  x: Float64Array,
  bias: Float64Array,
  gBias: Float64Array,
  batch: number,
  n: number,
  scale: number,
): void {
  gBias.fill(0);
  for (let s = 0; s < batch; s++) {
    const row = s * n;
    for (let i = 0; i < n; i++) {
      const pre = z[row + i] + bias[i];
      const d = pre > 0 ? scale * (pre - x[row + i]) : 0;
      z[row + i] = d;
      gBias[i] += d;
    }
  }
}

/**
 * The model's forward pass on a dense batch: x̂ = ReLU(W_out W_in x + b) for each of the `batch` rows of x (batch×n),
 * through the KernelSet's GEMM; returns batch×n.
 */
export function toyModelForward(
  model: { wIn: Float64Array; wOut: Float64Array; bias: Float64Array },
  x: Float64Array,
  batch: number,
  n: number,
  m: number,
  kernels: KernelSet,
): Float64Array {
  const h = kernels.gemm({ m: batch, n: m, k: n, a: x, b: model.wIn, transB: true }); // batch×m
  const z = kernels.gemm({ m: batch, n, k: m, a: h, b: model.wOut, transB: true }); // batch×n
  for (let s = 0; s < batch; s++) for (let i = 0; i < n; i++) z[s * n + i] = Math.max(z[s * n + i] + model.bias[i], 0);
  return z;
}

/** Held-out per-feature loss on fresh samples. */
export function toyModelLoss(
  model: { wIn: Float64Array; wOut: Float64Array; bias: Float64Array },
  n: number,
  m: number,
  p: number,
  samples: number,
  rng: Rng,
  kernels: KernelSet,
): number {
  const chunk = 1024;
  const x = new Float64Array(chunk * n);
  const nz = new Int32Array(chunk * n);
  const counts = new Int32Array(chunk);
  let total = 0;
  let done = 0;
  while (done < samples) {
    const b = Math.min(chunk, samples - done);
    sampleBatch(b, n, p, rng, x, nz, counts);
    const h = kernels.sparseEncode({ rows: b, cols: n, outputs: m, x, nz, counts, w: model.wIn });
    const z = kernels.gemm({ m: b, n, k: m, a: h, b: model.wOut, transB: true });
    for (let s = 0; s < b; s++)
      for (let i = 0; i < n; i++) total += (Math.max(z[s * n + i] + model.bias[i], 0) - x[s * n + i]) ** 2;
    done += b;
  }
  return total / (samples * n);
}

/** Trains the toy model and records the held-out loss. */
export function trainToyModel(options: TrainToyModelOptions): TrainedToyModel {
  const { n, m, p, steps, rng, kernels } = options;
  if (!Number.isInteger(n) || n < 1)
    throw new ValidationError({ field: 'n', received: n, expected: 'a positive integer' });
  if (!Number.isInteger(m) || m < 1 || m > n)
    throw new ValidationError({ field: 'm', received: m, expected: `an integer in [1, n = ${n}]` });
  if (!(p > 0 && p <= 1)) throw new ValidationError({ field: 'p', received: p, expected: 'a probability in (0, 1]' });
  const batch = options.batch ?? 1024;
  const lr = options.learningRate ?? 3e-3 / Math.sqrt(n);
  const evalSamples = options.evalSamples ?? 8192;
  const record = new Set(options.record ?? [steps]);
  // PyTorch nn.Linear defaults: U(−1/√fan_in, 1/√fan_in).
  const uniform = (len: number, bound: number) =>
    Float64Array.from({ length: len }, () => (2 * rng.uniform() - 1) * bound);
  const wIn = uniform(m * n, 1 / Math.sqrt(n));
  const wOut = uniform(n * m, 1 / Math.sqrt(m));
  const bias = uniform(n, 1 / Math.sqrt(m));
  // Both matrices are trained transposed: W_inᵀ (n×m: feature j's column contiguous, what the sparse products read
  // and write) and W_outᵀ (m×n: so that every GEMM below reads its large operand, the batch×n δ, row by row). Adam is
  // elementwise, so the layout changes no value. W_in and W_out are rebuilt on output.
  const wInT = new Float64Array(n * m);
  const wOutT = new Float64Array(m * n);
  const transpose = (src: Float64Array, rows: number, cols: number, dst: Float64Array) => {
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) dst[c * rows + r] = src[r * cols + c];
  };
  transpose(wIn, m, n, wInT);
  transpose(wOut, n, m, wOutT);
  const tied = options.tied ?? false;
  // Tied: W_out ≡ W_inᵀ, so the trained matrix is W_inᵀ alone; W_outᵀ = W_in is refreshed from it every step.
  if (tied) transpose(wInT, n, m, wOutT);
  const params = tied ? [wInT, bias] : [wInT, wOutT, bias];
  const mom = params.map((a) => new Float64Array(a.length));
  const vel = params.map((a) => new Float64Array(a.length));
  const x = new Float64Array(batch * n);
  const nz = new Int32Array(batch * n);
  const counts = new Int32Array(batch);
  const h = new Float64Array(batch * m);
  // Reused outputs of the products (no allocation per step).
  const zBuf = new Float64Array(batch * n);
  const gOutBuf = new Float64Array(m * n);
  const ghBuf = new Float64Array(batch * m);
  const gInT = new Float64Array(n * m);
  const gBias = new Float64Array(n);
  const evalRng = rng.fork('held-out');
  const out: TrainedToyModel = { wIn, wOut, bias, steps: [], heldOutLoss: [] };
  const syncWIn = () => {
    transpose(wInT, n, m, wIn);
    transpose(wOutT, m, n, wOut);
  };
  if (record.has(0)) {
    out.steps.push(0);
    out.heldOutLoss.push(toyModelLoss(out, n, m, p, evalSamples, evalRng, kernels));
  }
  const scale = 2 / (batch * n);
  for (let t = 1; t <= steps; t++) {
    sampleBatch(batch, n, p, rng, x, nz, counts);
    // h = X W_inᵀ over the nonzeros of X (the registry's sparse encoder, W given transposed).
    kernels.sparseEncode({ rows: batch, cols: n, outputs: m, x, nz, counts, w: wInT, transW: true, out: h });
    // The pre-activations need the dense product h W_outᵀ (every feature's output decides its ReLU).
    const z = kernels.gemm({ m: batch, n, k: m, a: h, b: wOutT, out: zBuf }); // batch×n
    // δ = ∂L/∂z = (2/(Bn))(x̂ − x)·1[z + b > 0], written into z. About half the outputs stay active for the first
    // thousands of steps (the bias starts near 0), so the two decoder products below are dense GEMMs: a sparse-δ loop
    // measured slower than the GEMM at that density.
    deltaInPlace(z, x, bias, gBias, batch, n, scale);
    const gOutT = kernels.gemm({ m, n, k: batch, a: h, b: z, transA: true, out: gOutBuf }); // (δᵀ h)ᵀ = hᵀ δ, m×n
    const gh = kernels.gemm({ m: batch, n: m, k: n, a: z, b: wOutT, transB: true, out: ghBuf }); // δ W_out, batch×m
    // ∂L/∂W_inᵀ = Xᵀ (∂L/∂h) over the nonzeros of X (the registry's sparse gradient).
    kernels.sparseGradient({ rows: batch, cols: n, outputs: m, x, nz, counts, g: gh, out: gInT });
    if (tied) {
      // Both paths reach W_inᵀ: add the decoder's gradient (its transpose, n×m) to the encoder's.
      for (let r = 0; r < m; r++) for (let c = 0; c < n; c++) gInT[c * m + r] += gOutT[r * n + c];
    }
    const grads = tied ? [gInT, gBias] : [gInT, gOutT, gBias];
    const c1 = 1 - BETA1 ** t;
    const c2 = 1 - BETA2 ** t;
    for (let a = 0; a < params.length; a++) adamStep(params[a], grads[a], mom[a], vel[a], lr, c1, c2);
    if (tied) transpose(wInT, n, m, wOutT);
    if (t % 100 === 0)
      assertFinite(wOutT, { step: t, quantity: 'W_out', config: { n, m, p, learningRate: lr, batch } });
    if (record.has(t)) {
      syncWIn();
      out.steps.push(t);
      out.heldOutLoss.push(toyModelLoss(out, n, m, p, evalSamples, evalRng, kernels));
    }
    options.progress?.(t, steps, 'Adam steps');
  }
  syncWIn();
  return out;
}
