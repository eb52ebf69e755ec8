/**
 * The WebAssembly (128-bit SIMD) online-SGD step, the kernel `onlineSgdStepper`: the passes over D run in the module
 * assembled from onlineSgd.wat (loaded by `onlineSgdWasm.ts`), the K activations and the bookkeeping in JavaScript, in
 * the reference kernel's order, so both give the same bits (properties/sgdEngines.property.ts).
 */
import { zigguratAccess } from '../../core/rng.ts';
import type { OnlineSgdArgs, OnlineSgdStepper } from '../kernelSpecs.ts';
import { activate, activationCode } from '../reference/onlineSgd.ts';
import { createOnlineSgdWasm, type WasmArray } from './onlineSgdWasm.ts';
import { wasmUsage } from './wasmUsage.ts';

/**
 * The WebAssembly SIMD engine: the weights, the samples and the spiked model's directions live in the module's
 * memory; the passes over D run there, the K activations and the bookkeeping here, in the JavaScript engine's order.
 * `weights.W`/`weights.V` point into that memory while the run lasts (so measurements read them directly) and are
 * copied out by `finish`.
 */
export function onlineSgdStepper(args: OnlineSgdArgs): OnlineSgdStepper {
  const { network: weights, sampler, rng, truncated, tied, tiedFull, trainBias, learningRate: eta } = args;
  const act = activationCode(args.activation);
  const { hidden: K, dim: D } = weights;
  const nDir = sampler.kind === 'gaussian' ? sampler.directions : 0;
  wasmUsage.sgdSteppers++;
  const {
    arrays,
    exports: wasm,
    release,
  } = createOnlineSgdWasm({
    W: K * D,
    V: tied ? 0 : K * D,
    x: D,
    xPrev: D,
    r: D,
    alpha: K,
    lam: K,
    h: K,
    coef: K,
    basis: nDir * D,
    // the ziggurat's kn and wn (128 each), and the generator's state as five int32 (a, b, c, d, rejected)
    zigTables: 256,
    zigState: 3,
  });
  const zig = zigguratAccess(rng);
  const zigState = new Int32Array(arrays.zigState.view.buffer, arrays.zigState.ptr, 5);
  if (zig) {
    arrays.zigTables.view.set(zig.kn, 0);
    arrays.zigTables.view.set(zig.wn, 128);
  }
  /** x ← N(0, scale²) draws: the ziggurat's fast path in the module, rejected draws finished by the Rng's slow path. */
  const fillNormalX = (out: WasmArray, scale: number): void => {
    if (!zig) {
      rng.fillNormal(out.view, 0, D, scale);
      return;
    }
    const st = zig.state;
    zigState[0] = st.a;
    zigState[1] = st.b;
    zigState[2] = st.c;
    zigState[3] = st.d;
    let i = 0;
    for (;;) {
      i = wasm.normals(out.ptr, i, D, scale, arrays.zigState.ptr, arrays.zigTables.ptr);
      st.a = zigState[0];
      st.b = zigState[1];
      st.c = zigState[2];
      st.d = zigState[3];
      if (i === D) return;
      out.view[i] = scale * zig.slow(zigState[4]);
      zigState[0] = st.a;
      zigState[1] = st.b;
      zigState[2] = st.c;
      zigState[3] = st.d;
      i++;
    }
  };
  arrays.W.view.set(weights.W);
  if (!tied) arrays.V.view.set(weights.V);
  if (sampler.kind === 'gaussian') arrays.basis.view.set(sampler.basis.subarray(0, nDir * D));
  weights.W = arrays.W.view;
  if (!tied) weights.V = arrays.V.view;
  const W = arrays.W.view;
  const Wp = arrays.W.ptr;
  const Vp = tied ? Wp : arrays.V.ptr;
  const beta = weights.bias ?? new Float64Array(K);
  let x = arrays.x;
  let xPrev = arrays.xPrev;
  const { alpha, lam, h, coef } = arrays;
  const alphaV = alpha.view;
  const lamV = lam.view;
  const hV = h.view;
  const coefV = coef.view;
  const dg = new Float64Array(K);
  const z = new Float64Array(Math.max(1, nDir));
  const invSqrtD = 1 / Math.sqrt(D);
  const etaD = eta / D;
  const etaD2 = eta / (D * D);
  const rowBytes = D * 8;
  let pending = false;
  const flush = (): void => {
    if (!pending) return;
    for (let k = 0; k < K; k++) wasm.axpy(Wp + k * rowBytes, xPrev.ptr, alphaV[k], 0, 0, 0, D);
    pending = false;
  };
  return {
    step() {
      // --- draw x: the reference's (sampleGaussianSource's) operations, the additions of the directions in the module ---
      if (sampler.kind === 'gaussian') {
        if (sampler.bulk > 0) fillNormalX(x, Math.sqrt(sampler.bulk));
        else x.view.fill(0);
        rng.fillNormal(z, 0, nDir);
        const amp = sampler.amplitudes;
        // Directions with c ≠ 0 in pairs (one pass over x for two; the same additions in the same order).
        let pendingRow = -1;
        let pendingC = 0;
        for (let t = 0; t < nDir; t++) {
          const c = amp[t] * z[t];
          if (c === 0) continue;
          if (pendingRow < 0) {
            pendingRow = t;
            pendingC = c;
            continue;
          }
          wasm.axpy2(x.ptr, arrays.basis.ptr + pendingRow * rowBytes, pendingC, arrays.basis.ptr + t * rowBytes, c, D);
          pendingRow = -1;
        }
        if (pendingRow >= 0) wasm.axpy(x.ptr, arrays.basis.ptr + pendingRow * rowBytes, pendingC, 0, 0, 0, D);
      } else sampler.draw(x.view);
      // --- forward ---
      wasm.encoder(Wp, xPrev.ptr, alpha.ptr, x.ptr, lam.ptr, K, D, pending ? 1 : 0);
      for (let k = 0; k < K; k++) activate(act, lamV[k] * invSqrtD + beta[k], k, hV, dg);
      // --- residual, decoder update, coefficients ---
      if (truncated) wasm.decoderTruncated(Vp, x.ptr, h.ptr, arrays.r.ptr, coef.ptr, K, D, etaD);
      else wasm.decoderVanilla(Vp, x.ptr, h.ptr, arrays.r.ptr, coef.ptr, K, D, etaD, tied ? 1 : 0);
      // --- encoder (and bias) update ---
      for (let k = 0; k < K; k++) {
        const c = coefV[k];
        if (tied) {
          const ax = etaD * dg[k] * c * invSqrtD;
          wasm.axpy(Wp + k * rowBytes, x.ptr, ax, arrays.r.ptr, tiedFull ? etaD * hV[k] : 0, tiedFull ? 1 : 0, D);
        } else {
          alphaV[k] = etaD2 * dg[k] * c * invSqrtD;
        }
        if (trainBias) beta[k] += etaD2 * dg[k] * c;
      }
      pending = !tied;
      const swap = x;
      x = xPrev;
      xPrev = swap;
    },
    flush,
    finish() {
      flush();
      weights.W = Float64Array.from(W);
      if (!tied) weights.V = Float64Array.from(arrays.V.view);
      release();
    },
  };
}
