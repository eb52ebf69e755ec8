/**
 * Counts of calls into the wasm backend's code, so that a test can show a run on another backend executed none of it
 * (`verify --backend reference` runs no WebAssembly, issue 11). Incremented once per kernel call or stepper, never
 * per step: nothing in a hot loop.
 */
export const wasmUsage = {
  /** Module instances created (the GEMM/sparse module and every online-SGD stepper's own instance). */
  instances: 0,
  /** Calls of the wasm `gemm`, `sparseEncode` and `sparseGradient`. */
  kernelCalls: 0,
  /** Online-SGD steppers created. */
  sgdSteppers: 0,
};

/** The sum of every count (a change means some wasm code ran). */
export function wasmUsageTotal(): number {
  return wasmUsage.instances + wasmUsage.kernelCalls + wasmUsage.sgdSteppers;
}
