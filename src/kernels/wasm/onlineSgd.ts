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
 * The generator's state and the ziggurat's tables, which onlineSgd.wat reads at fixed addresses: the state (four int32,
 * then a rejected draw) at byte 0, the tables (see {@link writeZigguratTables}) at byte 32. Spread these lengths first
 * into the layout given to createOnlineSgdWasm; {@link zigguratViews} checks that they landed there.
 */
export const ZIGGURAT_LAYOUT = { zigState: 4, zigTables: 896 } as const;

/** The state's int32 view, after checking that the layout put the state at byte 0 and the tables at byte 32. */
export function zigguratViews(arrays: { zigState: WasmArray; zigTables: WasmArray }): Int32Array {
  if (arrays.zigState.ptr !== 0 || arrays.zigTables.ptr !== 32) {
    throw new Error(
      `online-SGD module layout: the generator state must lie at byte 0 and the ziggurat tables at byte 32 (found ${arrays.zigState.ptr} and ${arrays.zigTables.ptr}); put ZIGGURAT_LAYOUT first in the lengths`,
    );
  }
  return new Int32Array(arrays.zigState.view.buffer, 0, 5);
}

/**
 * Lays out the ziggurat's tables as onlineSgd.wat's normal draws read them (offsets from the tables' start): for each
 * layer iz a 16-byte record at 16·iz — A = kn[iz] − 1 and B = 2·kn[iz] − 1 as uint32 (both 0 where kn[iz] = 0; the
 * fast path accepts hz iff (hz + A) mod 2^32 < B, which is |hz| < kn[iz] because the thresholds are integers in
 * [0, 2^31)) and wn[iz] as f64 — then fn (128 f64) at byte 2048, then at byte 3072 + 32·iz the layer's squeeze lines
 * (see {@link squeezeLines}).
 */
export function writeZigguratTables(zig: NonNullable<ReturnType<typeof zigguratAccess>>, tables: WasmArray): void {
  const u32 = new Uint32Array(tables.view.buffer, tables.ptr, 512);
  for (let iz = 0; iz < 128; iz++) {
    const kn = zig.kn[iz];
    if (!(Number.isInteger(kn) && kn >= 0 && kn < 2 ** 31)) {
      throw new RangeError(`writeZigguratTables: kn[${iz}] = ${kn} is not an integer in [0, 2^31)`);
    }
    u32[4 * iz] = kn === 0 ? 0 : kn - 1;
    u32[4 * iz + 1] = kn === 0 ? 0 : 2 * kn - 1;
    tables.view[2 * iz + 1] = zig.wn[iz];
  }
  tables.view.set(zig.fn, 256);
  tables.view.set(squeezeLines(zig), 384);
}

/**
 * The slow path's squeeze: for each layer iz ≥ 1, two lines in |x| — slope and intercept of one below the density
 * e^{−x²/2}, then of one above it — over the range of the draws its fast path rejects, |x| = |hz|·wn[iz] with
 * kn[iz] ≤ |hz| ≤ 2^31 (widened by 1e-12 of itself at both ends). On a stretch where the density is convex (|x| ≥ 1)
 * the chord lies above it and the tangent at the midpoint below; where it is concave (|x| ≤ 1) the other way round;
 * a stretch across 1 gets the constants e^{−b²/2} ≤ density ≤ e^{−a²/2}. Each line is then moved away from the density
 * by 2^-30 of the stretch's largest density value, far more than the rounding of the lines (about 1e-16 of it), of
 * Math.exp (one unit in the last place) and of −x²/2. So a value below the lower line is below Math.exp(−x²/2)
 * computed any of those ways, and one above the upper line above it: those comparisons need no exp at all, and the
 * module takes the host's exp only between the lines (properties: onlineSgdNormals.test.ts). Layer 0 (the base strip
 * and its tail) takes another branch; its record is zeros.
 */
export function squeezeLines(zig: NonNullable<ReturnType<typeof zigguratAccess>>): Float64Array {
  const out = new Float64Array(4 * 128);
  const f = (x: number) => Math.exp(-0.5 * x * x);
  for (let iz = 1; iz < 128; iz++) {
    const a = zig.kn[iz] * zig.wn[iz] * (1 - 1e-12);
    const b = 2 ** 31 * zig.wn[iz] * (1 + 1e-12);
    const fa = f(a);
    const fb = f(b);
    const margin = fa * 2 ** -30;
    const chordSlope = (fb - fa) / (b - a);
    const chord = [chordSlope, fa - chordSlope * a];
    const mid = 0.5 * (a + b);
    const fm = f(mid);
    const tangentSlope = -mid * fm;
    const tangent = [tangentSlope, fm - tangentSlope * mid];
    const [lower, upper] =
      a >= 1
        ? [tangent, chord]
        : b <= 1
          ? [chord, tangent]
          : [
              [0, fb],
              [0, fa],
            ];
    out.set([lower[0], lower[1] - margin, upper[0], upper[1] + margin], 4 * iz);
  }
  return out;
}

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
    ...ZIGGURAT_LAYOUT,
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
    amp: nDir,
    z: nDir,
  });
  const zig = zigguratAccess(rng);
  const zigState = zigguratViews(arrays);
  if (zig) writeZigguratTables(zig, arrays.zigTables);
  if (sampler.kind === 'gaussian') arrays.amp.view.set(sampler.amplitudes.subarray(0, nDir));
  /**
   * x ← one sample of the spiked model: with a stream from createRng, the draws (fast and slow paths), z and the
   * additions of the directions all run in the module, on the stream's state (copied in and back); for any other Rng
   * the draws come from its fillNormal and only the additions run in the module. The same operations either way.
   */
  const drawGaussian = (s: Extract<typeof sampler, { kind: 'gaussian' }>, out: WasmArray): void => {
    const bulk = s.bulk > 0 ? 1 : 0;
    const bulkScale = bulk ? Math.sqrt(s.bulk) : 0;
    if (!zig) {
      if (bulk) rng.fillNormal(out.view, 0, D, bulkScale);
      else out.view.fill(0);
      rng.fillNormal(arrays.z.view, 0, nDir);
      wasm.mix(out.ptr, D, arrays.z.ptr, nDir, arrays.amp.ptr, arrays.basis.ptr);
      return;
    }
    const st = zig.state;
    zigState[0] = st.a;
    zigState[1] = st.b;
    zigState[2] = st.c;
    zigState[3] = st.d;
    wasm.sample(out.ptr, D, bulk, bulkScale, arrays.z.ptr, nDir, arrays.amp.ptr, arrays.basis.ptr);
    st.a = zigState[0];
    st.b = zigState[1];
    st.c = zigState[2];
    st.d = zigState[3];
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
      // --- draw x: the reference's (sampleGaussianSource's) operations, in the module ---
      if (sampler.kind === 'gaussian') drawGaussian(sampler, x);
      else sampler.draw(x.view);
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
