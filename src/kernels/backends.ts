/**
 * Every backend folder's descriptors, in one list: adding a backend is one line here (and its folder). The registry
 * sorts them by priority and probes them; `auto` is the composite of the available ones (see `auto.ts`).
 */
import { AUTO_F32_ID, AUTO_ID } from './autoRule.ts';
import { BACKEND_IDS } from './backendIds.ts';
import { gpujsDescriptors } from './gpujs/index.ts';
import type { BackendDescriptor, BackendId } from './kernelSpecs.ts';
import { openblasDescriptors } from './openblas/index.ts';
import { referenceDescriptor } from './reference/index.ts';
import { wasmDescriptor } from './wasm/index.ts';

/** The descriptors, sorted by priority. */
export const BACKEND_DESCRIPTORS: readonly BackendDescriptor[] = [
  referenceDescriptor,
  wasmDescriptor,
  ...openblasDescriptors,
  ...gpujsDescriptors,
].sort((a, b) => a.priority - b.priority);

/** The descriptors' ids then the composites, which must be {@link BACKEND_IDS} (the list the CLI parses flags with). */
export const DESCRIBED_BACKEND_IDS: readonly BackendId[] = [
  ...BACKEND_DESCRIPTORS.map((d) => d.id),
  AUTO_ID,
  AUTO_F32_ID,
];
if (DESCRIBED_BACKEND_IDS.join() !== BACKEND_IDS.join()) {
  throw new Error(
    `src/kernels/backendIds.ts lists ${BACKEND_IDS.join(', ')} but the descriptors give ${DESCRIBED_BACKEND_IDS.join(', ')}: update backendIds.ts`,
  );
}
export { BACKEND_IDS };
