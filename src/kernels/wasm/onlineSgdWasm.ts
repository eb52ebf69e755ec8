/**
 * The WebAssembly (128-bit SIMD) engine of the online-SGD step: loads the module assembled from onlineSgd.wat, lays
 * out the step's f64 arrays in its memory, and exposes the passes. The passes do the JavaScript step's floating-point
 * operations in the same order, so both engines give the same bits (properties/sgdEngines.property.ts).
 *
 * The module is compiled once, synchronously, on first use; each simulation gets its own instance and memory, sized
 * once (memory never grows afterwards, so the Float64Array views stay valid). A finished simulation hands its instance
 * back ({@link OnlineSgdWasm.release}) and the next one with the same layout reuses it, zero-filled: a fresh instance
 * reserves its memory's address space from the system (≈ 1 ms), far more than a step, and claims that run many short
 * simulations from one state (refinetti2022.ode-drift-matches-sgd: 20 000 one-step runs) paid it every time.
 */
import { ONLINE_SGD_WASM_BASE64 } from './onlineSgdWasm.generated.ts';
import { cachedWasmModule, WA } from './wasmModule.ts';
import { wasmUsage } from './wasmUsage.ts';

/** The module's memory, as the project's TypeScript libs do not declare WebAssembly. */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** The module's exported passes (byte offsets into its memory). */
export interface OnlineSgdExports {
  memory: WasmMemory;
  encoder(W: number, xp: number, alpha: number, x: number, lam: number, K: number, D: number, pending: number): void;
  decoderVanilla(
    V: number,
    x: number,
    h: number,
    r: number,
    coef: number,
    K: number,
    D: number,
    etaD: number,
    tied: number,
  ): void;
  decoderTruncated(V: number, x: number, h: number, r: number, coef: number, K: number, D: number, etaD: number): void;
  axpy(dst: number, x: number, a: number, y: number, b: number, withY: number, n: number): void;
  normals(out: number, n: number, scale: number): void;
  sample(x: number, D: number, bulk: number, bulkScale: number, z: number, n: number, amp: number, basis: number): void;
  mix(x: number, D: number, z: number, n: number, amp: number, basis: number): void;
  axpy2(dst: number, x: number, a: number, y: number, b: number, n: number): void;
  /** exp(t) to a few units in the last place (not the host's bits); exported for its test. */
  expNear(t: number): number;
  /** lhs < Math.exp(t), decided by the host's exp only near a tie (1 or 0); exported for its test. */
  belowExp(lhs: number, t: number): number;
}

/** An f64 array in the module's memory: its view and its byte offset. */
export interface WasmArray {
  readonly view: Float64Array;
  readonly ptr: number;
}

/** One instance with its arrays laid out. */
export interface OnlineSgdWasm<Name extends string> {
  readonly arrays: Record<Name, WasmArray>;
  readonly exports: OnlineSgdExports;
  /** Hands the instance back for reuse: the caller must not touch `arrays` or `exports` afterwards. */
  release(): void;
}

/** Instances handed back, by layout (the lengths in order), at most {@link SPARE_LIMIT} per layout. */
const spare = new Map<string, { exports: OnlineSgdExports; arrays: Record<string, WasmArray>; bytes: number }[]>();
/** Spare instances kept per layout: a simulation holds one at a time, and nested ones are rare. */
const SPARE_LIMIT = 4;

const compile = cachedWasmModule(ONLINE_SGD_WASM_BASE64);

/** Whether the WebAssembly SIMD engine can run here, and why not. */
export function probeOnlineSgdWasm(): { available: true } | { available: false; reason: string } {
  const { module, error } = compile();
  return module ? { available: true } : { available: false, reason: error ?? 'unknown' };
}

/**
 * A bare instance of the module whose imported exp and log are `math`'s (its memory one empty page), for tests that
 * count the module's calls to the host. Throws when the engine is unavailable.
 */
export function onlineSgdInstanceWithMath(math: { exp(t: number): number; log(t: number): number }): OnlineSgdExports {
  const { module, error } = compile();
  if (!module || !WA) throw new Error(`online-SGD WebAssembly engine unavailable: ${error}`);
  return new WA.Instance(module, { math }).exports as OnlineSgdExports;
}

/**
 * Instantiates the module with one f64 array per entry of `lengths` (16-byte aligned, zero-filled). Throws when the
 * engine is unavailable (check {@link probeOnlineSgdWasm} first).
 */
export function createOnlineSgdWasm<Name extends string>(lengths: Record<Name, number>): OnlineSgdWasm<Name> {
  const { module, error } = compile();
  if (!module || !WA) throw new Error(`online-SGD WebAssembly engine unavailable: ${error}`);
  const key = JSON.stringify(Object.entries(lengths));
  const reused = spare.get(key)?.pop();
  let released = false;
  const release = (entry: { exports: OnlineSgdExports; arrays: Record<string, WasmArray>; bytes: number }) => () => {
    if (released) return;
    released = true;
    const list = spare.get(key) ?? [];
    if (list.length < SPARE_LIMIT) list.push(entry);
    spare.set(key, list);
  };
  if (reused) {
    new Uint8Array(reused.exports.memory.buffer, 0, reused.bytes).fill(0);
    return { arrays: reused.arrays as Record<Name, WasmArray>, exports: reused.exports, release: release(reused) };
  }
  // The slow path of the normal draws takes JavaScript's own exp and log, so its values are the reference's.
  const instance = new WA.Instance(module, { math: { exp: Math.exp, log: Math.log } });
  wasmUsage.instances++;
  const exports = instance.exports as unknown as OnlineSgdExports;
  const offsets: [Name, number, number][] = [];
  let bytes = 0;
  for (const name of Object.keys(lengths) as Name[]) {
    const length = Math.max(1, lengths[name]);
    offsets.push([name, bytes, length]);
    bytes += Math.ceil((length * 8) / 16) * 16;
  }
  const pages = Math.ceil(bytes / 65536);
  const have = exports.memory.buffer.byteLength / 65536;
  if (pages > have) exports.memory.grow(pages - have);
  const buffer = exports.memory.buffer;
  const arrays = {} as Record<Name, WasmArray>;
  for (const [name, ptr, length] of offsets) arrays[name] = { view: new Float64Array(buffer, ptr, length), ptr };
  return { arrays, exports, release: release({ exports, arrays, bytes }) };
}
