/**
 * The backend registry: sorts the backend folders' descriptors (`backends.ts`) by priority, probes each once per
 * process, adds the composite `auto` (the fastest correct implementation per kernel, `autoRule.ts`), and resolves a
 * KernelSet in which any kernel a backend lacks runs on `reference`, visibly (see `resolved` and `reasons`).
 * An unavailable backend is reported with the probe's reason — never a crash, never silently dropped.
 */
import { BackendUnavailableError } from '../core/errors.ts';
import { AUTO_F32_ID, AUTO_ID, composeAuto, composeAutoF32 } from './autoRule.ts';
import { BACKEND_DESCRIPTORS, BACKEND_IDS } from './backends.ts';
import type { Backend, BackendId, KernelName, KernelSet, KernelSpecs } from './kernelSpecs.ts';
import { firstLine } from './probeGemm.ts';
import { referenceBackend } from './reference/index.ts';

/** Result of probing one backend. */
export type BackendStatus =
  | { id: BackendId; available: true; backend: Backend }
  | { id: BackendId; available: false; reason: string };

/** Every kernel name, in declaration order. */
export const KERNEL_NAMES: readonly KernelName[] = [
  'gemm',
  'aeForward',
  'aeBackward',
  'elementwise',
  'reduce',
  'sparseEncode',
  'sparseGradient',
  'onlineSgdStepper',
];

let probed: BackendStatus[] | undefined;

/**
 * Probes every backend (cached for the process): available ones with their Backend, unavailable ones with the reason;
 * the composites `auto` and `auto:f32` last, built from the available ones.
 */
export async function probeBackends(): Promise<BackendStatus[]> {
  if (probed) return probed;
  const statuses = BACKEND_DESCRIPTORS.map((d): BackendStatus => {
    try {
      return { id: d.id, ...d.probe() };
    } catch (e) {
      return { id: d.id, available: false, reason: `its probe threw: ${firstLine(e)}` };
    }
  });
  const available = new Map<BackendId, Backend>();
  for (const s of statuses) if (s.available) available.set(s.id, s.backend);
  probed = [
    ...statuses,
    { id: AUTO_ID, available: true, backend: composeAuto(available) },
    { id: AUTO_F32_ID, available: true, backend: composeAutoF32(available) },
  ];
  return probed;
}

/**
 * The backend `aecheck verify` and the property suite use unless told otherwise: `auto`, the fastest correct
 * implementation of each kernel among the backends that work here (deterministic: a fixed rule, not a timing).
 */
export async function defaultBackendId(): Promise<BackendId> {
  return AUTO_ID;
}

/** Ids of the backends that work here. */
export async function availableBackendIds(): Promise<BackendId[]> {
  return (await probeBackends()).filter((s) => s.available).map((s) => s.id);
}

/** `gemm` honouring `out` for every backend: a result in a new array is copied into `out`. */
function withGemmOut(gemm: KernelSpecs['gemm']): KernelSpecs['gemm'] {
  return (args) => {
    const c = gemm(args);
    if (!args.out || c === args.out) return c;
    args.out.set(c.subarray(0, args.m * args.n));
    return args.out;
  };
}

/** Builds the KernelSet of a backend; a kernel it lacks runs on `reference`, and `resolved` and `reasons` say so. */
export function kernelSetOf(backend: Backend): KernelSet {
  const resolved = {} as Record<KernelName, BackendId>;
  const reasons = {} as Record<KernelName, string>;
  const kernels = {} as KernelSpecs;
  for (const name of KERNEL_NAMES) {
    const own = backend.kernels[name];
    const impl = own ?? referenceBackend.kernels[name];
    if (!impl)
      throw new Error(`kernel ${name} has no reference implementation (add it to src/kernels/reference/index.ts)`);
    resolved[name] = backend.resolved?.[name] ?? (own ? backend.id : 'reference');
    reasons[name] =
      backend.reasons?.[name] ??
      (own || backend.id === 'reference' ? `${backend.id}'s own` : `${backend.id} lacks it: runs on reference`);
    (kernels as unknown as Record<string, unknown>)[name] =
      name === 'gemm' ? withGemmOut(impl as KernelSpecs['gemm']) : impl;
  }
  const route = (kernel: KernelName, args: unknown): BackendId => backend.route?.(kernel, args) ?? resolved[kernel];
  return {
    ...kernels,
    backend: backend.id,
    precision: backend.precision,
    resolved,
    reasons,
    route,
    ...(backend.f32 ? { f32: backend.f32 } : {}),
  };
}

/** The KernelSet of a backend id; throws BackendUnavailableError with the probe's reason. */
export async function getKernelSet(id: BackendId): Promise<KernelSet> {
  if (id === 'reference') return kernelSetOf(referenceBackend);
  const status = (await probeBackends()).find((s) => s.id === id);
  if (!status) throw new BackendUnavailableError(id, `unknown backend; known: ${BACKEND_IDS.join(', ')}`);
  if (!status.available) throw new BackendUnavailableError(id, status.reason);
  return kernelSetOf(status.backend);
}
