/**
 * Compiling the project's WebAssembly modules (base64 in *.generated.ts): once per module, synchronously, with the
 * reason it cannot run here (no WebAssembly, no 128-bit SIMD, a compile error) kept instead of thrown, so that an
 * engine can be probed at start-up and skipped visibly.
 */

/** The part of the WebAssembly JS API used here (the project's TypeScript libs do not declare it). */
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/** The runtime's WebAssembly, if it has one. */
export const WA = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** A module compiled from `base64` on first call and cached, or the reason it cannot be. */
export function cachedWasmModule(base64: string): () => { module?: object; error?: string } {
  let cached: { module?: object; error?: string } | undefined;
  return () => {
    if (cached) return cached;
    try {
      const bytes = Buffer.from(base64, 'base64');
      if (!WA) cached = { error: 'WebAssembly is not available in this runtime' };
      else if (!WA.validate(bytes)) cached = { error: 'this runtime rejects WebAssembly 128-bit SIMD' };
      else cached = { module: new WA.Module(bytes) };
    } catch (err) {
      cached = { error: `the WebAssembly module did not compile: ${(err as Error).message}` };
    }
    return cached;
  };
}
