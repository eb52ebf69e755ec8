/** placeholder */
import type { Backend, BackendId } from './kernelSpecs.ts';
import { referenceBackend } from './reference/index.ts';
export const AUTO_ID = 'auto';
export function composeAuto(available: ReadonlyMap<BackendId, Backend>): Backend {
  return {
    ...referenceBackend,
    id: AUTO_ID,
    bitExact: false,
    kernels: {
      ...referenceBackend.kernels,
      ...(available.get('wasm')?.kernels ?? {}),
      ...(available.get('openblas')?.kernels ?? {}),
    },
  };
}
