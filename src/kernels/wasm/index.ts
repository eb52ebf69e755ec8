import type { BackendDescriptor } from '../kernelSpecs.ts';
import { probeByGemm } from '../probeGemm.ts';
import { createWasmBackend } from './wasmBackend.ts';

/**
 * The `wasm` backend (float64, WebAssembly 128-bit SIMD, the reference's bits). Probed by compiling both modules and
 * running small products of small integers with every combination of transposes, α and β, which must be exact.
 */
export const wasmDescriptor: BackendDescriptor = {
  id: 'wasm',
  precision: 'float64',
  priority: 10,
  create: createWasmBackend,
  probe: () => probeByGemm(createWasmBackend, 'the WebAssembly backend'),
};
