/**
 * The reference online-SGD step (plain JavaScript over TypedArrays, float64), the kernel `onlineSgdStepper`: one fused
 * function per step that allocates nothing (see {@link OnlineSgdArgs} for the update rule, Refinetti & Goldt 2022).
 * The WebAssembly kernel (`../wasm/onlineSgd.ts`) performs the same floating-point operations in the same order, so the
 * two give the same bits (properties/sgdEngines.property.ts).
 */
import { erf, SQRT2_OVER_PI } from '../../core/special.ts';
import type { OnlineSgdArgs, OnlineSgdStepper, SgdActivation } from '../kernelSpecs.ts';

/** The activation's code in the fused loops: 0 linear, 1 erf(x/√2), 2 ReLU. */
export function activationCode(activation: SgdActivation): number {
  return activation === 'linear' ? 0 : activation === 'erf' ? 1 : 2;
}

/**
 * Draws x from a Gaussian sampler into out[0..D): the operations of `sampleGaussianSource` (src/data), in its order —
 * D bulk normals (when β > 0), then n normals z, then x += a_τ z_τ e_τ for each direction with a nonzero coefficient.
 */
function drawGaussian(
  sampler: Extract<OnlineSgdArgs['sampler'], { kind: 'gaussian' }>,
  rng: OnlineSgdArgs['rng'],
  D: number,
  out: Float64Array,
  z: Float64Array,
): void {
  const { directions: n, basis, amplitudes, bulk } = sampler;
  if (bulk > 0) rng.fillNormal(out, 0, D, Math.sqrt(bulk));
  else out.fill(0, 0, D);
  rng.fillNormal(z, 0, n);
  for (let t = 0; t < n; t++) {
    const c = amplitudes[t] * z[t];
    if (c === 0) continue;
    const off = t * D;
    for (let i = 0; i < D; i++) out[i] += c * basis[off + i];
  }
}

/** The reference kernel: a stepper over plain TypedArrays. */
export function onlineSgdStepper(args: OnlineSgdArgs): OnlineSgdStepper {
  const { network: weights, sampler, rng, truncated, tied, tiedFull, trainBias, learningRate: eta } = args;
  const act = activationCode(args.activation);
  const { hidden: K, dim: D } = weights;
  const W = weights.W;
  const V = tied ? weights.W : weights.V;
  const beta = weights.bias ?? new Float64Array(K);
  let x = new Float64Array(D);
  // Lazy encoder update (untied): W_k += alpha_k · xPrev is applied inside the next forward pass (same arithmetic,
  // one pass over W instead of two) and flushed before every measurement.
  let xPrev = new Float64Array(D);
  const alpha = new Float64Array(K);
  let pending = false;
  const r = new Float64Array(D);
  const z = new Float64Array(sampler.kind === 'gaussian' ? Math.max(1, sampler.directions) : 1);
  const lam = new Float64Array(K);
  const h = new Float64Array(K);
  const dg = new Float64Array(K);
  const coef = new Float64Array(K);
  const invSqrtD = 1 / Math.sqrt(D);
  const etaD = eta / D;
  const etaD2 = eta / (D * D);
  const flush = (): void => {
    if (!pending) return;
    for (let k = 0; k < K; k++) {
      const a = alpha[k];
      const off = k * D;
      for (let i = 0; i < D; i++) W[off + i] += a * xPrev[i];
    }
    pending = false;
  };
  return {
    step() {
      if (sampler.kind === 'gaussian') drawGaussian(sampler, rng, D, x, z);
      else sampler.draw(x);
      sgdStep(
        W,
        V,
        beta,
        x,
        xPrev,
        alpha,
        pending,
        r,
        lam,
        h,
        dg,
        coef,
        K,
        D,
        act,
        truncated,
        tied,
        tiedFull,
        trainBias,
        invSqrtD,
        etaD,
        etaD2,
      );
      pending = !tied;
      const swap = x;
      x = xPrev;
      xPrev = swap;
    },
    flush,
    finish: flush,
  };
}

/** h[k] = g(l), dg[k] = g'(l) for act 0 (linear), 1 (erf(x/√2)) or 2 (ReLU) — shared by both kernels. */
export function activate(act: number, l: number, k: number, h: Float64Array, dg: Float64Array): void {
  if (act === 0) {
    h[k] = l;
    dg[k] = 1;
  } else if (act === 1) {
    h[k] = erf(l * Math.SQRT1_2);
    dg[k] = SQRT2_OVER_PI * Math.exp(-0.5 * l * l);
  } else {
    h[k] = l > 0 ? l : 0;
    dg[k] = l > 0 ? 1 : 0;
  }
}

/**
 * One SGD step on the sample in `x` (see the module comment), in place on W, V (≡ W when tied) and β. A separate
 * small function so that V8 optimises it on its own; it allocates nothing.
 */
function sgdStep(
  W: Float64Array,
  V: Float64Array,
  beta: Float64Array,
  x: Float64Array,
  xPrev: Float64Array,
  alpha: Float64Array,
  pending: boolean,
  r: Float64Array,
  lam: Float64Array,
  h: Float64Array,
  dg: Float64Array,
  coef: Float64Array,
  K: number,
  D: number,
  act: number,
  truncated: boolean,
  tied: boolean,
  tiedFull: boolean,
  trainBias: boolean,
  invSqrtD: number,
  etaD: number,
  etaD2: number,
): void {
  // --- forward: λ, g, g' ---
  for (let k = 0; k < K; k++) {
    const off = k * D;
    // Four accumulators break the add dependency chain (≈2× on V8); the tail is summed separately.
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let i = 0;
    if (pending) {
      // Apply the previous step's encoder update W_k += α_k x_prev on the way (the same operation as an eager update).
      const a = alpha[k];
      for (; i + 3 < D; i += 4) {
        const w0 = W[off + i] + a * xPrev[i];
        const w1 = W[off + i + 1] + a * xPrev[i + 1];
        const w2 = W[off + i + 2] + a * xPrev[i + 2];
        const w3 = W[off + i + 3] + a * xPrev[i + 3];
        W[off + i] = w0;
        W[off + i + 1] = w1;
        W[off + i + 2] = w2;
        W[off + i + 3] = w3;
        s0 += w0 * x[i];
        s1 += w1 * x[i + 1];
        s2 += w2 * x[i + 2];
        s3 += w3 * x[i + 3];
      }
      for (; i < D; i++) {
        const w = W[off + i] + a * xPrev[i];
        W[off + i] = w;
        s0 += w * x[i];
      }
    } else {
      for (; i + 3 < D; i += 4) {
        s0 += W[off + i] * x[i];
        s1 += W[off + i + 1] * x[i + 1];
        s2 += W[off + i + 2] * x[i + 2];
        s3 += W[off + i + 3] * x[i + 3];
      }
      for (; i < D; i++) s0 += W[off + i] * x[i];
    }
    const l = (s0 + s1 + (s2 + s3)) * invSqrtD + beta[k];
    lam[k] = l;
    activate(act, l, k, h, dg);
  }
  // --- residual and decoder update ---
  if (!truncated) {
    for (let i = 0; i < D; i++) r[i] = x[i];
    for (let k = 0; k < K; k++) {
      const hk = h[k];
      if (hk === 0) continue;
      const off = k * D;
      for (let i = 0; i < D; i++) r[i] -= V[off + i] * hk;
    }
    // w·r in two partial sums (even and odd i, the tail into the even one), as the WebAssembly engine's f64x2 lanes.
    for (let k = 0; k < K; k++) {
      const off = k * D;
      const a = etaD * h[k];
      let c0 = 0;
      let c1 = 0;
      let i = 0;
      if (tied) {
        for (; i + 1 < D; i += 2) {
          c0 += V[off + i] * r[i];
          c1 += V[off + i + 1] * r[i + 1];
        }
        if (i < D) c0 += V[off + i] * r[i];
      } else {
        for (; i + 1 < D; i += 2) {
          const r0 = r[i];
          const r1 = r[i + 1];
          const v0 = V[off + i];
          const v1 = V[off + i + 1];
          c0 += v0 * r0;
          c1 += v1 * r1;
          V[off + i] = v0 + a * r0;
          V[off + i + 1] = v1 + a * r1;
        }
        if (i < D) {
          const ri = r[i];
          const vi = V[off + i];
          c0 += vi * ri;
          V[off + i] = vi + a * ri;
        }
      }
      coef[k] = c0 + c1;
    }
  } else {
    for (let i = 0; i < D; i++) r[i] = x[i];
    for (let k = 0; k < K; k++) {
      const off = k * D;
      const hk = h[k];
      const a = etaD * hk;
      let c0 = 0;
      let c1 = 0;
      let i = 0;
      for (; i + 1 < D; i += 2) {
        const v0 = V[off + i];
        const v1 = V[off + i + 1];
        const r0 = r[i] - v0 * hk;
        const r1 = r[i + 1] - v1 * hk;
        r[i] = r0;
        r[i + 1] = r1;
        c0 += v0 * r0;
        c1 += v1 * r1;
        V[off + i] = v0 + a * r0;
        V[off + i + 1] = v1 + a * r1;
      }
      if (i < D) {
        const vi = V[off + i];
        const ri = r[i] - vi * hk;
        r[i] = ri;
        c0 += vi * ri;
        V[off + i] = vi + a * ri;
      }
      coef[k] = c0 + c1;
    }
  }
  // --- encoder (and bias) update ---
  for (let k = 0; k < K; k++) {
    const off = k * D;
    const c = coef[k];
    if (tied) {
      // coef = w^k·r (v ≡ w). The tied loss has lr η (docs/theory-refinetti2022.md (E3)): encoder path (η/D) g'
      // (w·r/√D) x.
      const ax = etaD * dg[k] * c * invSqrtD;
      if (tiedFull) {
        const ar = etaD * h[k];
        for (let i = 0; i < D; i++) W[off + i] += ax * x[i] + ar * r[i];
      } else {
        for (let i = 0; i < D; i++) W[off + i] += ax * x[i];
      }
    } else {
      // Deferred to the next forward pass (or the flush before a measurement): W_k += α_k x.
      alpha[k] = etaD2 * dg[k] * c * invSqrtD;
    }
    if (trainBias) beta[k] += etaD2 * dg[k] * c;
  }
}
