/**
 * Training the toy model of superposition x̂ = ReLU(W_out W_in x + b) (Cowsik, Dolev, Infanger 2024; docs/persianrug2024.md) with
 * Adam and the authors' settings (lr 3e-3/√n, eps 1e-7, betas 0.9/0.999, batch 1024, PyTorch's default init, fresh
 * data every step) but a fixed step budget and a held-out evaluation on fresh samples. The encoder product h = W_in x
 * (the registry's `sparseEncode` kernel) and the encoder gradient use the sparsity of x (a p-fraction of nonzeros:
 * O(m·p·n) per sample instead of O(m·n)); the three dense decoder products go through the registry's `gemm` (OpenBLAS
 * in the default KernelSet); Adam is one fused pass over all parameters, which live in one array. A step allocates
 * nothing. `precision: 'float32'` trains in the authors' dtype on a float32 KernelSet (`auto:f32`); on a set that runs
 * WebAssembly, its δ and Adam passes run in toyF32.wat's SIMD code with the same bits ({@link toyF32Workspace}).
 */
import { ValidationError } from '../../core/errors.ts';
import type { Progress } from '../../core/progress.ts';
import type { Rng } from '../../core/rng.ts';
import { assertFinite } from '../../core/tolerance.ts';
import type { KernelSet } from '../../kernels/kernelSpecs.ts';
import {
  createToyF32Wasm,
  probeToyF32Wasm,
  type ToyF32Layout,
  type ToyF32Workspace,
} from '../../kernels/wasm/toyF32Wasm.ts';
import { ADAM_EPS, adamStep, adamStepF32, BETA1, BETA2 } from './adam.ts';
import { cachedGapThresholds } from './geometricGaps.ts';

/** No thresholds: every gap from the formula. */
const NO_TABLE = new Float64Array(0);

/**
 * From this density the trainer keeps X itself (batch×n, zero off the nonzeros) besides its listed values, and hands it
 * to the sparse kernels as `exactX`: `auto` computes them as dense products from density 0.2 (its SPARSE_DENSE_MIN; a
 * test keeps the two equal), and then reads this X instead of scattering the values into a zeroed scratch twice a step,
 * and δ reads it instead of scattering each row. Below it the nonzeros are few, the sparse loops run, and the scattered
 * stores into a dense X would cost a cache miss each for nothing.
 */
export const EXACT_X_MIN_P = 0.2;

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
   * Tie the decoder to the encoder, W_out = W_inᵀ (Elhage et al.'s original model x̂ = ReLU(WᵀW x + b);
   * the Persian Rug paper trains untied weights). Default false.
   */
  tied?: boolean;
  /**
   * Arithmetic of the training run (default 'float64'). 'float32' is the authors' dtype (PyTorch float32): the
   * parameters and Adam's moments are stored in float32 and the dense products run on `kernels` in float32, which must
   * then be a float32 KernelSet (e.g. `getKernelSet('auto:f32')`: openblas:f32's products, wasm's sparse kernels).
   * The elementwise steps (δ, Adam) are evaluated in float64 from float32 values and rounded where they are stored;
   * the sparse encoder and its gradient run on the KernelSet's sparse kernels (float64 sums: wasm's on `auto:f32`,
   * the reference's on `openblas:f32` — the same bits), their results rounded to float32 where
   * they enter the next product or the float32 parameters. The model is returned widened to float64.
   */
  precision?: 'float64' | 'float32';
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
 * `listed.values` (batch×n) also receives the nonzeros' values in nz's layout (the sparse kernels' `values`; x may then
 * be null: only the listed values are written, the scattered stores into the dense x are skipped);
 * `listed.float32` rounds each value to float32 as it is drawn (the float32 run's data: the same bits as rounding x
 * afterwards, without a second pass over the scattered nonzeros).
 */
export function sampleBatch(
  batch: number,
  n: number,
  p: number,
  rng: Rng,
  x: Float64Array | null,
  nz: Int32Array,
  counts: Int32Array,
  clear: 'all' | 'listed' = 'all',
  listed: { values?: Float64Array; float32?: boolean } = {},
): void {
  // 'listed': x is zero except at the nonzeros that nz and counts list (the previous batch drawn into the same arrays,
  // or all zero with counts 0), so clearing those is O(p·n) per sample instead of O(n).
  const { values, float32 = false } = listed;
  if (!x && !values) {
    throw new ValidationError({
      field: 'sampleBatch.x',
      received: x,
      expected: 'a Float64Array (batch×n) to draw X into',
      hint: "pass x, or listed.values to receive the nonzeros in nz's layout only",
    });
  }
  if (x && clear === 'all') x.fill(0);
  else if (x) for (let s = 0; s < batch; s++) for (let c = 0; c < counts[s]; c++) x[s * n + nz[s * n + c]] = 0;
  const logq = Math.log1p(-p); // −∞ when p = 1: every gap is 0
  // From p = 0.1 the gaps' first values come from a table of thresholds: the formula's integers, bit for bit
  // (geometricGaps.ts); an empty table (lower p) leaves every draw to the formula.
  const table = p < 1 ? (cachedGapThresholds(p) ?? NO_TABLE) : NO_TABLE;
  const last = table.length > 0 ? table[table.length - 1] : 0;
  // The first eight thresholds in locals, compared without branches: which gap a draw gets is random, so a loop that
  // stops at it mispredicts its exit on most draws (measured slower than the logarithm).
  const [t0, t1, t2, t3, t4, t5, t6, t7] = table.length >= 8 ? table : [0, 0, 0, 0, 0, 0, 0, 0];
  for (let s = 0; s < batch; s++) {
    let c = 0;
    let i = -1;
    for (;;) {
      // gap = ⌊ln U / ln(1 − p)⌋ with U = 1 − u ∈ (0, 1]
      const u = p >= 1 ? 0 : rng.uniform();
      let gap = 0;
      if (u < t7) {
        gap = +(u >= t0) + +(u >= t1) + +(u >= t2) + +(u >= t3) + +(u >= t4) + +(u >= t5) + +(u >= t6);
      } else if (u < last) {
        gap = 7;
        while (u >= table[gap]) gap++;
      } else if (p < 1) gap = Math.floor(Math.log(1 - u) / logq);
      i += gap + 1;
      if (!(i < n)) break;
      const v = float32 ? Math.fround(rng.uniform()) : rng.uniform();
      if (x) x[s * n + i] = v;
      if (values) values[s * n + c] = v;
      nz[s * n + c++] = i;
    }
    counts[s] = c;
  }
}

/**
 * δ = ∂L/∂z = scale·(z + b − x)·1[z + b > 0], in place of the pre-bias outputs z (batch×n), and gBias = Σ_s δ_s.
 * The loops of a training step are small top-level functions so that V8 optimises each on its own. The indicator is a
 * multiplication, not a branch: about half the outputs are active, at random, so a branch is mispredicted half the
 * time (measured 2× slower). An inactive output gets ±0 (the sign of a zero changes no later sum).
 *
 * x is given by its listed nonzeros (`values`, nz's layout), not as a dense batch×n array: each row's values are
 * scattered into `xRow` (2n entries: two rows, zero elsewhere, cleared again after them), which the pass reads in place of the
 * dense x row — the same operations, so the same bits, without a batch×n x in memory. (Evaluating the row with x = 0
 * and then its nonzeros again measured 40% slower than this single pass.)
 */
function deltaInPlace(
  z: Float64Array | Float32Array,
  values: Float64Array,
  nz: Int32Array,
  counts: Int32Array,
  bias: Float64Array,
  gBias: Float64Array,
  xRow: Float64Array,
  batch: number,
  n: number,
  scale: number,
): void {
  gBias.fill(0);
  // Rows in pairs (xRow holds two dense rows of x, n apart): see deltaRows.
  let s = 0;
  for (; s + 1 < batch; s += 2) {
    const row = s * n;
    for (let c = 0; c < counts[s]; c++) xRow[nz[row + c]] = values[row + c];
    for (let c = 0; c < counts[s + 1]; c++) xRow[n + nz[row + n + c]] = values[row + n + c];
    deltaRows(z, row, xRow, 0, bias, gBias, n, scale, true);
    for (let c = 0; c < counts[s]; c++) xRow[nz[row + c]] = 0;
    for (let c = 0; c < counts[s + 1]; c++) xRow[n + nz[row + n + c]] = 0;
  }
  if (s < batch) {
    const row = s * n;
    for (let c = 0; c < counts[s]; c++) xRow[nz[row + c]] = values[row + c];
    deltaRows(z, row, xRow, 0, bias, gBias, n, scale, false);
    for (let c = 0; c < counts[s]; c++) xRow[nz[row + c]] = 0;
  }
}

/** {@link deltaInPlace} reading X from the dense x (batch×n) instead of scattering each row's values: the same bits. */
function deltaDenseX(
  z: Float64Array | Float32Array,
  x: Float64Array,
  bias: Float64Array,
  gBias: Float64Array,
  batch: number,
  n: number,
  scale: number,
): void {
  gBias.fill(0);
  let s = 0;
  for (; s + 1 < batch; s += 2) deltaRows(z, s * n, x, s * n, bias, gBias, n, scale, true);
  if (s < batch) deltaRows(z, s * n, x, s * n, bias, gBias, n, scale, false);
}

/**
 * δ of one row, z[row..row + n) in place, with that row of x at xs[xAt..xAt + n); adds the row into gBias. With
 * `pair`, of that row and the next (z from row + n, x from xAt + n) in one pass: the bias loaded once for both, and
 * gBias[i] = (gBias[i] + d₁) + d₂, which is the two rows' additions in their order, so the same bits as two passes,
 * 20–25% faster (batch 1024, n = 1024, side by side).
 */
function deltaRows(
  z: Float64Array | Float32Array,
  row: number,
  xs: Float64Array,
  xAt: number,
  bias: Float64Array,
  gBias: Float64Array,
  n: number,
  scale: number,
  pair: boolean,
): void {
  if (!pair) {
    for (let i = 0; i < n; i++) {
      const pre = z[row + i] + bias[i];
      const d = scale * (pre - xs[xAt + i]) * +(pre > 0);
      z[row + i] = d;
      gBias[i] += d;
    }
    return;
  }
  const row2 = row + n;
  const xAt2 = xAt + n;
  for (let i = 0; i < n; i++) {
    const b = bias[i];
    const pre = z[row + i] + b;
    const d = scale * (pre - xs[xAt + i]) * +(pre > 0);
    z[row + i] = d;
    const pre2 = z[row2 + i] + b;
    const d2 = scale * (pre2 - xs[xAt2 + i]) * +(pre2 > 0);
    z[row2 + i] = d2;
    gBias[i] = gBias[i] + d + d2;
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
  const precision = options.precision ?? 'float64';
  if (precision !== 'float64' && precision !== 'float32')
    throw new ValidationError({ field: 'precision', received: precision, expected: "'float64' or 'float32'" });
  const f32 = precision === 'float32';
  if (f32 && kernels.precision !== 'float32') {
    throw new ValidationError({
      field: 'kernels',
      received: `the ${kernels.backend} KernelSet (${kernels.precision})`,
      expected: "a float32 KernelSet for precision 'float32'",
      hint: "pass getKernelSet('auto:f32') (or 'openblas:f32'), or drop precision: 'float32' to train in float64",
    });
  }
  const batch = options.batch ?? 1024;
  const lr = options.learningRate ?? 3e-3 / Math.sqrt(n);
  const evalSamples = options.evalSamples ?? 8192;
  const record = new Set(options.record ?? [steps]);
  const tied = options.tied ?? false;
  const nm = n * m;
  // Every trained parameter lives in one array, so that Adam is a single pass: W_inᵀ (n×m: feature j's column
  // contiguous, what the sparse products read and write), then (untied) W_outᵀ (m×n: so that every GEMM below reads
  // its large operand, the batch×n δ, row by row), then the bias. Adam is elementwise, so the layout changes no value.
  // Tied: W_out ≡ W_inᵀ, so the trained matrices are W_inᵀ and the bias; W_outᵀ = W_in is refreshed every step.
  const size = (tied ? nm : 2 * nm) + n;
  // Float32: the parameters and moments are stored in float32; `theta` is their float64 image for the kernels. Where
  // the KernelSet runs WebAssembly (its `resolved` names wasm: `auto:f32`), they, the float32 pre-activations and the
  // batch live in the memory of toyF32.wat, whose SIMD passes run δ and Adam with the same bits (toyF32Wasm.ts);
  // elsewhere (`openblas:f32`) in JavaScript arrays, with the JavaScript passes.
  const ws32 = f32 ? toyF32Workspace({ size, batch, n, denseX: p >= EXACT_X_MIN_P }, kernels) : undefined;
  const theta = ws32?.image ?? new Float64Array(size);
  const wInT = theta.subarray(0, nm);
  const wOutT = tied ? new Float64Array(nm) : theta.subarray(nm, 2 * nm);
  const bias = theta.subarray(size - n);
  const grad = ws32?.grad ?? new Float64Array(size);
  const gInT = grad.subarray(0, nm);
  const gOutT = tied ? new Float64Array(nm) : grad.subarray(nm, 2 * nm);
  const gBias = grad.subarray(size - n);
  const theta32 = ws32?.w;
  const mom = new Float64Array(f32 ? 0 : size);
  const vel = new Float64Array(f32 ? 0 : size);
  // PyTorch nn.Linear defaults: U(−1/√fan_in, 1/√fan_in), drawn in W_in (m×n), W_out (n×m), b order.
  // (A plain loop: Float64Array.from with a mapping function measured 30–120 ms at n = 1024, m = 128.)
  const uniform = (len: number, bound: number) => {
    const w = new Float64Array(len);
    for (let i = 0; i < len; i++) w[i] = (2 * rng.uniform() - 1) * bound;
    return w;
  };
  const wIn = uniform(nm, 1 / Math.sqrt(n));
  const wOut = uniform(nm, 1 / Math.sqrt(m));
  bias.set(uniform(n, 1 / Math.sqrt(m)));
  transpose(wIn, m, n, wInT);
  transpose(wOut, n, m, wOutT);
  if (tied) transpose(wInT, n, m, wOutT);
  if (theta32) {
    theta32.set(theta);
    theta.set(theta32);
    if (tied) transpose(wInT, n, m, wOutT);
  }
  const nz = ws32?.nz ?? new Int32Array(batch * n);
  const counts = ws32?.counts ?? new Int32Array(batch);
  // The batch is kept as its nonzeros' values in nz's layout, what the sparse kernels and δ read (contiguous per row):
  // no dense x, whose scattered stores and reads cost a cache miss per nonzero each.
  const values = ws32?.values ?? new Float64Array(batch * n);
  const xRow = new Float64Array(2 * n); // δ's dense rows of x, two at a time (zero between uses)
  // X itself at high density (see EXACT_X_MIN_P): sampleBatch keeps it exact, clearing the last batch's nonzeros.
  const exactX = p >= EXACT_X_MIN_P ? (ws32?.x ?? new Float64Array(batch * n)) : undefined;
  // Reused outputs of the products (no allocation per step).
  const h = new Float64Array(batch * m);
  const z = new Float64Array(batch * n);
  const gh = new Float64Array(batch * m);
  // Float32 on a set with Float32Array products (openblas:f32, auto:f32): the products' operands live in float32.
  const native =
    ws32 && kernels.f32
      ? {
          gemm: kernels.f32.gemm,
          h32: new Float32Array(batch * m),
          z32: ws32.z,
          delta: ws32.delta,
          gh32: new Float32Array(batch * m),
          gOut32: new Float32Array(nm),
          // W_outᵀ: the float32 parameters themselves (untied), or a float32 copy of W_inᵀ's transpose (tied).
          wOutT32: tied ? Float32Array.from(wOutT) : ws32.w.subarray(nm, 2 * nm),
        }
      : undefined;
  const evalRng = rng.fork('held-out');
  const bias64 = new Float64Array(n);
  const out: TrainedToyModel = { wIn, wOut, bias: bias64, steps: [], heldOutLoss: [] };
  const sync = () => {
    transpose(wInT, n, m, wIn);
    transpose(wOutT, m, n, wOut);
    bias64.set(bias);
  };
  sync();
  if (record.has(0)) {
    out.steps.push(0);
    out.heldOutLoss.push(toyModelLoss(out, n, m, p, evalSamples, evalRng, kernels));
  }
  const scale = 2 / (batch * n);
  for (let t = 1; t <= steps; t++) {
    sampleBatch(batch, n, p, rng, exactX ?? null, nz, counts, 'listed', { values, float32: f32 });
    // The batch as the sparse kernels take it: the nonzeros' values, and X itself when it is kept.
    const xArgs = exactX ? { nz, counts, values, x: exactX, exactX: true } : { nz, counts, values };
    // h = X W_inᵀ over the nonzeros of X (the registry's sparse encoder, W given transposed).
    kernels.sparseEncode({ rows: batch, cols: n, outputs: m, ...xArgs, w: wInT, transW: true, out: h });
    if (native) {
      // Float32 with Float32Array operands (NativeF32): the same float32 products as the branch below, with h rounded
      // once here and δ kept in float32 instead of rounded inside each product: the same bits, without widening the
      // batch×n pre-activations and rounding them back twice per step.
      native.h32.set(h);
      native.gemm({ m: batch, n, k: m, a: native.h32, b: native.wOutT32, out: native.z32 }); // batch×n
      native.delta(bias, gBias, scale); // deltaDenseX or deltaInPlace, or the same in WebAssembly
      native.gemm({ m, n, k: batch, a: native.h32, b: native.z32, transA: true, out: native.gOut32 }); // hᵀ δ
      gOutT.set(native.gOut32);
      native.gemm({ m: batch, n: m, k: n, a: native.z32, b: native.wOutT32, transB: true, out: native.gh32 });
      gh.set(native.gh32);
    } else {
      // The pre-activations need the dense product h W_outᵀ (every feature's output decides its ReLU).
      kernels.gemm({ m: batch, n, k: m, a: h, b: wOutT, out: z }); // batch×n
      // δ = ∂L/∂z = (2/(Bn))(x̂ − x)·1[z + b > 0], written into z. About half the outputs stay active for the first
      // thousands of steps (the bias starts near 0), so the two decoder products below are dense GEMMs: a sparse-δ loop
      // measured slower than the GEMM at that density.
      if (exactX) deltaDenseX(z, exactX, bias, gBias, batch, n, scale);
      else deltaInPlace(z, values, nz, counts, bias, gBias, xRow, batch, n, scale);
      kernels.gemm({ m, n, k: batch, a: h, b: z, transA: true, out: gOutT }); // (δᵀ h)ᵀ = hᵀ δ, m×n
      kernels.gemm({ m: batch, n: m, k: n, a: z, b: wOutT, transB: true, out: gh }); // δ W_out, batch×m
    }
    // ∂L/∂W_inᵀ = Xᵀ (∂L/∂h) over the nonzeros of X (the registry's sparse gradient).
    kernels.sparseGradient({ rows: batch, cols: n, outputs: m, ...xArgs, g: gh, out: gInT });
    // Tied: both paths reach W_inᵀ: add the decoder's gradient (its transpose, n×m) to the encoder's.
    if (tied) addTransposed(gOutT, m, n, gInT);
    const c1 = 1 - BETA1 ** t;
    const c2 = 1 - BETA2 ** t;
    if (ws32) ws32.adam(lr, c1, c2);
    else adamStep(theta, grad, mom, vel, lr, c1, c2);
    if (tied) {
      transpose(wInT, n, m, wOutT);
      native?.wOutT32.set(wOutT);
    }
    // Every 100 steps (a pass over the parameters) and at the last step: a non-finite parameter stays non-finite under
    // Adam, so the last check stops every diverged run before its model or losses are returned.
    if (t % 100 === 0 || t === steps) {
      const config = { n, m, p, learningRate: lr, batch, precision };
      assertFinite(theta, { step: t, quantity: 'W_in, W_out, b', config });
    }
    if (record.has(t)) {
      sync();
      out.steps.push(t);
      out.heldOutLoss.push(toyModelLoss(out, n, m, p, evalSamples, evalRng, kernels));
    }
    options.progress?.(t, steps, 'Adam steps');
  }
  sync();
  return out;
}

/**
 * The float32 training's elementwise workspace: the WebAssembly engine when the KernelSet runs any kernel on wasm (so
 * a set without it, `reference` or `openblas:f32`, runs no WebAssembly) and the module loads, else JavaScript arrays
 * with adamStepF32 (then the widening copy into the float64 image), deltaInPlace and deltaDenseX, also when the layout
 * is too large for the module's memory. The two give the same bits (toyF32Wasm.test.ts). `engine` forces one (tests).
 */
export function toyF32Workspace(layout: ToyF32Layout, kernels: KernelSet, engine?: 'wasm' | 'js'): ToyF32Workspace {
  const useWasm =
    engine === 'wasm' ||
    (engine === undefined && Object.values(kernels.resolved).includes('wasm') && probeToyF32Wasm().available);
  if (useWasm) {
    try {
      return createToyF32Wasm(layout, { beta1: BETA1, beta2: BETA2, eps: ADAM_EPS });
    } catch (err) {
      // A layout past what one module's memory can hold (its 32-bit addresses): the JavaScript passes, the same bits.
      if (engine === 'wasm' || !(err instanceof RangeError)) throw err;
    }
  }
  const { size, batch, n, denseX } = layout;
  const w = new Float32Array(size);
  const grad = new Float64Array(size);
  const mom = new Float32Array(size);
  const vel = new Float32Array(size);
  const image = new Float64Array(size);
  const z = new Float32Array(batch * n);
  const values = new Float64Array(batch * n);
  const nz = new Int32Array(batch * n);
  const counts = new Int32Array(batch);
  const x = denseX ? new Float64Array(batch * n) : undefined;
  const xRow = new Float64Array(2 * n);
  return {
    w,
    grad,
    mom,
    vel,
    image,
    z,
    values,
    nz,
    counts,
    x,
    wasm: false,
    adam(lr, c1, c2) {
      adamStepF32(w, grad, mom, vel, lr, c1, c2);
      image.set(w);
    },
    delta(bias, gBias, scale) {
      if (x) deltaDenseX(z, x, bias, gBias, batch, n, scale);
      else deltaInPlace(z, values, nz, counts, bias, gBias, xRow, batch, n, scale);
    },
  };
}

/** dst (cols×rows) = srcᵀ, src rows×cols. */
function transpose(src: Float64Array, rows: number, cols: number, dst: Float64Array): void {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) dst[c * rows + r] = src[r * cols + c];
}

/** dst (cols×rows) += srcᵀ, src rows×cols. */
function addTransposed(src: Float64Array, rows: number, cols: number, dst: Float64Array): void {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) dst[c * rows + r] += src[r * cols + c];
}
