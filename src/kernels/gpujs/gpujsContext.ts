/**
 * One gpu.js instance per mode, with a cache of compiled kernels keyed by their source and shape (gpu.js compiles a
 * kernel for one output size and one set of constants). Inputs are converted to Float32Array at the boundary:
 * every gpu.js mode computes in single precision.
 */
import { GPU } from 'gpu.js';

/** gpu.js modes aecheck uses. */
export type GpujsMode = 'cpu' | 'webasm' | 'headlessgl' | 'webgpu';

/** A compiled gpu.js kernel (callable). */
// biome-ignore lint/suspicious/noExplicitAny: gpu.js kernels take and return loosely typed arrays.
export type GpuKernel = ((...args: any[]) => any) & { destroy?: () => void };

/** Largest loop gpu.js may unroll or iterate (GL backends need a static bound). */
const LOOP_MAX = 1 << 24;

/** The gpu.js instance of one mode and its kernel cache. */
export interface GpujsContext {
  readonly mode: GpujsMode;
  readonly gpu: GPU;
  /** Returns the cached kernel for (key), compiling it with `source` and `settings` the first time. */
  kernel(key: string, source: string, settings: Record<string, unknown>): GpuKernel;
  dispose(): void;
}

/** GLSL has no erf: the activation erf(x/√2) uses Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7, below float32's ulp at 1). */
function erfApprox(x: number): number {
  const s = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}

/**
 * GLSL leaves asin's precision to the implementation (Mesa's llvmpipe is off by 4e-4 near ±1), so every gpu.js mode uses
 * Abramowitz & Stegun 4.4.46: arcsin x = π/2 − √(1 − x)·(a0 + a1 x + … + a7 x⁷) on [0, 1], |error| ≤ 2e-8, odd extension.
 */
function asinApprox(x: number): number {
  const a = Math.abs(x);
  const p =
    1.570796305 +
    a *
      (-0.2145988016 +
        a *
          (0.0889789874 +
            a * (-0.0501743046 + a * (0.030891881 + a * (-0.0170881256 + a * (0.0066700901 + a * -0.0012624911))))));
  const r = 1.5707963267948966 - Math.sqrt(1 - a) * p;
  return x < 0 ? -r : r;
}

/** Creates the context of a mode; throws what gpu.js throws when the mode cannot run here. */
export function createGpujsContext(mode: GpujsMode): GpujsContext {
  const gpu = new GPU({ mode });
  gpu.addFunction(erfApprox as unknown as Parameters<GPU['addFunction']>[0]);
  gpu.addFunction(asinApprox as unknown as Parameters<GPU['addFunction']>[0]);
  const cache = new Map<string, GpuKernel>();
  return {
    mode,
    gpu,
    kernel(key, source, settings) {
      let k = cache.get(key);
      if (!k) {
        k = gpu.createKernel(
          source as never,
          {
            precision: 'single',
            tactic: 'precision',
            loopMaxIterations: LOOP_MAX,
            dynamicOutput: false,
            ...settings,
          } as never,
        ) as unknown as GpuKernel;
        cache.set(key, k);
      }
      return k;
    },
    dispose() {
      cache.clear();
      gpu.destroy();
    },
  };
}

/** Converts to the Float32Array gpu.js reads. */
export function toF32(a: Float64Array): Float32Array {
  return Float32Array.from(a);
}

/** Flattens a gpu.js result (1-D typed array, or 2-D array of rows) into a Float64Array of `length`. */
export function flatten(result: unknown, length: number): Float64Array {
  const out = new Float64Array(length);
  if (ArrayLike(result) && result.length > 0 && ArrayLike(result[0])) {
    let o = 0;
    for (const row of result as ArrayLike<number>[]) for (let j = 0; j < row.length; j++) out[o++] = row[j];
  } else if (ArrayLike(result)) {
    for (let i = 0; i < length; i++) out[i] = (result as ArrayLike<number>)[i];
  }
  return out;
}

function ArrayLike(v: unknown): v is ArrayLike<unknown> {
  return v !== null && typeof v === 'object' && typeof (v as { length?: unknown }).length === 'number';
}
