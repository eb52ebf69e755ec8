/**
 * The WebAssembly (128-bit SIMD) engine of the toy trainer's float32 elementwise passes (toyF32.wat): δ and Adam.
 * The arrays they touch live in one instance's memory, sized once (it never grows, so the views stay valid): the
 * float32 parameters, the gradient, both moments, the parameters' float64 image, the float32 pre-activations z and
 * the batch (its nonzeros' values and columns, or X itself at high density). The module does the JavaScript passes'
 * operations in the same order (adamStepF32 and the widening copy after it; deltaInPlace and deltaDenseX), so both
 * give the same bits (toyF32Wasm.test.ts, and trainToyModel.test.ts on whole trainings).
 */
import { TOY_F32_WASM_BASE64 } from './toyF32Wasm.generated.ts';
import { cachedWasmModule, WA } from './wasmModule.ts';
import { wasmUsage } from './wasmUsage.ts';

interface ToyF32Exports {
  memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  adamF32(
    w: number,
    g: number,
    mo: number,
    ve: number,
    img: number,
    n: number,
    lr: number,
    c1: number,
    c2: number,
    b1: number,
    a1: number,
    b2: number,
    a2: number,
    eps: number,
  ): void;
  delta(
    z: number,
    values: number,
    nz: number,
    counts: number,
    x: number,
    xDense: number,
    xRow: number,
    bias: number,
    gBias: number,
    batch: number,
    n: number,
    scale: number,
  ): void;
}

/** Adam's constants, as the JavaScript update uses them (see adam.ts). */
export interface AdamConstants {
  beta1: number;
  beta2: number;
  eps: number;
}

/** Sizes of a {@link ToyF32Workspace}. */
export interface ToyF32Layout {
  /** Trained parameters (all of them, in one array). */
  size: number;
  batch: number;
  /** Features. */
  n: number;
  /** Keep X itself (batch×n f64) besides its listed nonzeros (the trainer's high-density case). */
  denseX: boolean;
}

/** The arrays of the float32 elementwise passes and the passes themselves. */
export interface ToyF32Workspace {
  /** The parameters in float32. */
  readonly w: Float32Array;
  /** The gradient (float64, written by the trainer's kernels). */
  readonly grad: Float64Array;
  /** Adam's first and second moments in float32. */
  readonly mom: Float32Array;
  readonly vel: Float32Array;
  /** The parameters widened to float64, refreshed by every Adam step (what the float64 kernels read). */
  readonly image: Float64Array;
  /** The float32 pre-activations h·W_outᵀ (batch×n), δ in their place after {@link delta}. */
  readonly z: Float32Array;
  /** The batch: row s's nonzero values and columns at s·n (counts[s] of them); X itself when `denseX`. */
  readonly values: Float64Array;
  readonly nz: Int32Array;
  readonly counts: Int32Array;
  readonly x: Float64Array | undefined;
  /** Whether the passes run in WebAssembly (false: JavaScript). */
  readonly wasm: boolean;
  /** One Adam update with bias corrections c1, c2, then the image refreshed. */
  adam(lr: number, c1: number, c2: number): void;
  /**
   * δ = (scale·(z + b − x))·[z + b > 0] in place of z, and gBias = Σ_s δ_s; `bias` and `gBias` are n-long views of
   * `image` and `grad`. X from `x` when `denseX`, else from the listed nonzeros.
   */
  delta(bias: Float64Array, gBias: Float64Array, scale: number): void;
}

const compile = cachedWasmModule(TOY_F32_WASM_BASE64);

/** The largest workspace laid out in one module's memory (its addresses are 32-bit; 2 GiB leaves them positive). */
const MAX_BYTES = 2 ** 31 - 65536;

/** Whether the WebAssembly passes can run here, and why not. */
export function probeToyF32Wasm(): { available: true } | { available: false; reason: string } {
  const { module, error } = compile();
  return module ? { available: true } : { available: false, reason: error ?? 'unknown' };
}

/**
 * The workspace in a fresh instance (zero-filled). Throws when the engine is unavailable, and a RangeError when the
 * layout does not fit the module's memory.
 */
export function createToyF32Wasm(layout: ToyF32Layout, constants: AdamConstants): ToyF32Workspace {
  const { module, error } = compile();
  if (!module || !WA) throw new Error(`the toy model's WebAssembly passes are unavailable: ${error}`);
  const exports = new WA.Instance(module, {}).exports as ToyF32Exports;
  wasmUsage.instances++;
  const { size, batch, n, denseX } = layout;
  const bn = batch * n;
  let bytes = 0;
  const take = (length: number, elementBytes: number) => {
    const at = bytes;
    bytes += Math.ceil((Math.max(1, length) * elementBytes) / 16) * 16;
    return at;
  };
  const at = {
    w: take(size, 4),
    grad: take(size, 8),
    mom: take(size, 4),
    vel: take(size, 4),
    image: take(size, 8),
    z: take(bn, 4),
    values: take(bn, 8),
    nz: take(bn, 4),
    counts: take(batch, 4),
    xRow: take(2 * n, 8),
    x: take(denseX ? bn : 0, 8),
  };
  if (bytes > MAX_BYTES) throw new RangeError(`the toy model's WebAssembly passes: ${bytes} bytes exceed ${MAX_BYTES}`);
  const have = exports.memory.buffer.byteLength;
  if (bytes > have) exports.memory.grow(Math.ceil((bytes - have) / 65536));
  const buffer = exports.memory.buffer;
  const { beta1, beta2, eps } = constants;
  // 1 − β as JavaScript evaluates it in adam.ts, so the module multiplies by the same doubles.
  const a1 = 1 - beta1;
  const a2 = 1 - beta2;
  const image = new Float64Array(buffer, at.image, size);
  const grad = new Float64Array(buffer, at.grad, size);
  const offsetIn = (view: Float64Array, whole: Float64Array, name: string): number => {
    const inside =
      view.byteOffset >= whole.byteOffset && view.byteOffset + view.byteLength <= whole.byteOffset + whole.byteLength;
    if (view.buffer !== buffer || !inside || view.length !== n)
      throw new Error(
        `toyF32 delta: ${name} must be an n-long view of the workspace's ${name === 'bias' ? 'image' : 'grad'}`,
      );
    return view.byteOffset;
  };
  return {
    w: new Float32Array(buffer, at.w, size),
    grad,
    mom: new Float32Array(buffer, at.mom, size),
    vel: new Float32Array(buffer, at.vel, size),
    image,
    z: new Float32Array(buffer, at.z, bn),
    values: new Float64Array(buffer, at.values, bn),
    nz: new Int32Array(buffer, at.nz, bn),
    counts: new Int32Array(buffer, at.counts, batch),
    x: denseX ? new Float64Array(buffer, at.x, bn) : undefined,
    wasm: true,
    adam(lr, c1, c2) {
      exports.adamF32(at.w, at.grad, at.mom, at.vel, at.image, size, lr, c1, c2, beta1, a1, beta2, a2, eps);
    },
    delta(bias, gBias, scale) {
      const b = offsetIn(bias, image, 'bias');
      const g = offsetIn(gBias, grad, 'gBias');
      exports.delta(at.z, at.values, at.nz, at.counts, at.x, denseX ? 1 : 0, at.xRow, b, g, batch, n, scale);
    },
  };
}
