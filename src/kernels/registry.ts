/**
 * The backend registry: probes each backend once, resolves a KernelSet with visible reference fallbacks.
 * (Skeleton: the kernels helper completes the gpu.js probes.)
 */
import { BackendUnavailableError } from '../core/errors.ts';
import type { Backend, BackendId, KernelName, KernelSet, KernelSpecs } from './kernelSpecs.ts';
import { BACKEND_IDS } from './kernelSpecs.ts';
import { referenceBackend } from './reference/index.ts';

/** Result of probing one backend. */
export type BackendStatus =
  | { id: BackendId; available: true; backend: Backend }
  | { id: BackendId; available: false; reason: string };

const KERNEL_NAMES: readonly KernelName[] = ['gemm', 'aeForward', 'aeBackward', 'elementwise', 'reduce'];

let probed: BackendStatus[] | undefined;

/** Probes every backend (cached): available ones with their Backend, unavailable ones with the reason. */
export async function probeBackends(): Promise<BackendStatus[]> {
  if (probed) return probed;
  probed = BACKEND_IDS.map(
    (id): BackendStatus =>
      id === 'reference'
        ? { id, available: true, backend: referenceBackend }
        : { id, available: false, reason: 'not built yet' },
  );
  return probed;
}

/** Ids of the backends that work here. */
export async function availableBackendIds(): Promise<BackendId[]> {
  return (await probeBackends()).filter((s) => s.available).map((s) => s.id);
}

/** Builds the KernelSet of a backend; a kernel it lacks runs on `reference`, and `resolved` says so. */
export function kernelSetOf(backend: Backend): KernelSet {
  const resolved = {} as Record<KernelName, BackendId>;
  const kernels = {} as KernelSpecs;
  for (const name of KERNEL_NAMES) {
    const own = backend.kernels[name];
    const impl = own ?? referenceBackend.kernels[name];
    if (!impl) throw new Error(`kernel ${name} has no reference implementation`);
    resolved[name] = own ? backend.id : 'reference';
    (kernels as unknown as Record<string, unknown>)[name] = impl;
  }
  return { ...kernels, backend: backend.id, precision: backend.precision, resolved };
}

/** The KernelSet of a backend id; throws BackendUnavailableError with the probe's reason. */
export async function getKernelSet(id: BackendId): Promise<KernelSet> {
  const status = (await probeBackends()).find((s) => s.id === id);
  if (!status) throw new BackendUnavailableError(id, `unknown backend; known: ${BACKEND_IDS.join(', ')}`);
  if (!status.available) throw new BackendUnavailableError(id, status.reason);
  return kernelSetOf(status.backend);
}
