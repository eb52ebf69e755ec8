/**
 * Every backend folder's descriptors, in one list: adding a backend is one line here (and its folder). The registry
 * sorts them by priority and probes them; `auto` is the composite of the available ones (see `auto.ts`).
 */
import { AUTO_F32_ID, AUTO_ID } from './autoRule.ts';
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

/** Every backend id, in priority order, then the composites `auto` and `auto:f32` (a non-empty tuple, as zod's enum wants). */
const [firstId, ...otherIds] = BACKEND_DESCRIPTORS.map((d) => d.id);
export const BACKEND_IDS: readonly [BackendId, ...BackendId[]] = [firstId, ...otherIds, AUTO_ID, AUTO_F32_ID];
