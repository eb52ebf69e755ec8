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

/** Adam constants of the authors' code. */
const BETA1 = 0.9;
const BETA2 = 0.999;
const ADAM_EPS = 1e-7;

/** One sparse minibatch: values (batch×n dense, for the targets) and the nonzero indices per sample. */
function sampleBatch(
  batch: number,
  n: number,
  p: number,
  rng: Rng,
  x: Float64Array,
  nz: Int32Array,
  counts: Int32Array,
): void {
  x.fill(0);
  for (let s = 0; s < batch; s++) {
    let c = 0;
    for (let i = 0; i < n; i++) {
      if (rng.uniform() < p) {
        x[s * n + i] = rng.uniform();
        nz[s * n + c++] = i;
      }
    }
    counts[s] = c;
  }
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
  const params = [wIn, wOut, bias];
  const mom = params.map((a) => new Float64Array(a.length));
  const vel = params.map((a) => new Float64Array(a.length));
  const x = new Float64Array(batch * n);
  const nz = new Int32Array(batch * n);
  const counts = new Int32Array(batch);
  const gIn = new Float64Array(m * n);
  const gBias = new Float64Array(n);
  const evalRng = rng.fork('held-out');
  const out: TrainedToyModel = { wIn, wOut, bias, steps: [], heldOutLoss: [] };
  if (record.has(0)) {
    out.steps.push(0);
    out.heldOutLoss.push(toyModelLoss(out, n, m, p, evalSamples, evalRng, kernels));
  }
  const scale = 2 / (batch * n);
  for (let t = 1; t <= steps; t++) {
    sampleBatch(batch, n, p, rng, x, nz, counts);
    const h = kernels.sparseEncode({ rows: batch, cols: n, outputs: m, x, nz, counts, w: wIn });
    const z = kernels.gemm({ m: batch, n, k: m, a: h, b: wOut, transB: true }); // batch×n
    // δ = ∂L/∂z = (2/(Bn))(x̂ − x)·1[z + b > 0], written into z.
    gBias.fill(0);
    for (let s = 0; s < batch; s++) {
      for (let i = 0; i < n; i++) {
        const pre = z[s * n + i] + bias[i];
        const d = pre > 0 ? scale * (pre - x[s * n + i]) : 0;
        z[s * n + i] = d;
        gBias[i] += d;
      }
    }
    const gOut = kernels.gemm({ m: n, n: m, k: batch, a: z, b: h, transA: true }); // δᵀ h, n×m
    const gh = kernels.gemm({ m: batch, n: m, k: n, a: z, b: wOut }); // δ W_out, batch×m
    gIn.fill(0);
    for (let s = 0; s < batch; s++) {
      for (let q = 0; q < counts[s]; q++) {
        const j = nz[s * n + q];
        const v = x[s * n + j];
        for (let k = 0; k < m; k++) gIn[k * n + j] += gh[s * m + k] * v;
      }
    }
    const grads = [gIn, gOut, gBias];
    const c1 = 1 - BETA1 ** t;
    const c2 = 1 - BETA2 ** t;
    for (let a = 0; a < 3; a++) {
      const w = params[a];
      const g = grads[a];
      const mo = mom[a];
      const ve = vel[a];
      for (let i = 0; i < w.length; i++) {
        mo[i] = BETA1 * mo[i] + (1 - BETA1) * g[i];
        ve[i] = BETA2 * ve[i] + (1 - BETA2) * g[i] * g[i];
        w[i] -= (lr * (mo[i] / c1)) / (Math.sqrt(ve[i] / c2) + ADAM_EPS);
      }
    }
    if (t % 100 === 0) assertFinite(wOut, { step: t, quantity: 'W_out', config: { n, m, p, learningRate: lr, batch } });
    if (record.has(t)) {
      out.steps.push(t);
      out.heldOutLoss.push(toyModelLoss(out, n, m, p, evalSamples, evalRng, kernels));
    }
    options.progress?.(t, steps, 'Adam steps');
  }
  return out;
}
