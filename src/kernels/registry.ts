/**
 * The backend registry: probes each backend once (creating it and checking a 2×2 GEMM against the reference), and
 * resolves a KernelSet in which any kernel a backend lacks runs on `reference`, visibly (see `resolved`).
 * An unavailable backend is reported with the probe's reason — never a crash, never silently dropped.
 */
import { createRequire } from 'node:module';
import { BackendUnavailableError } from '../core/errors.ts';
import { createGpujsBackend } from './gpujs/createGpujsBackend.ts';
import type { GpujsMode } from './gpujs/gpujsContext.ts';
import type { Backend, BackendId, KernelName, KernelSet, KernelSpecs } from './kernelSpecs.ts';
import { BACKEND_IDS } from './kernelSpecs.ts';
import { referenceBackend } from './reference/index.ts';
import { createWasmBackend } from './wasm/wasmBackend.ts';

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
];

/** Relative error a float32 backend may show on the 2×2 smoke GEMM of small integers (which is exact in float32). */
const SMOKE_TOLERANCE = 0;

const require = createRequire(import.meta.url);

/** A precise reason why a native dependency cannot load, or undefined when it loads. */
function nativeModuleProblem(mode: GpujsMode): string | undefined {
  if (mode === 'headlessgl') {
    try {
      const gl = require('gl') as (w: number, h: number) => unknown;
      const context = gl(1, 1);
      if (!context) {
        return 'the gl module loaded but could not create a WebGL context: no X display (run under `xvfb-run -a`)';
      }
    } catch (e) {
      return `the optional gl module is not built or cannot load (run \`bash .ci/setup-gl.sh\`): ${firstLine(e)}`;
    }
  }
  if (mode === 'webgpu') {
    try {
      require('webgpu');
    } catch (e) {
      return `the webgpu module (Dawn) cannot load on this system: ${firstLine(e)}`;
    }
  }
  return undefined;
}

function firstLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e)
    .split('\n')[0]
    .slice(0, 240);
}

/** Creates a gpu.js backend and checks a tiny GEMM against the reference; returns its status. */
function probeGpujs(id: BackendId, mode: GpujsMode): BackendStatus {
  const problem = nativeModuleProblem(mode);
  if (problem) return { id, available: false, reason: problem };
  let backend: Backend;
  try {
    backend = createGpujsBackend(mode);
  } catch (e) {
    return { id, available: false, reason: `gpu.js cannot create mode '${mode}': ${firstLine(e)}` };
  }
  try {
    const args = { m: 2, n: 2, k: 3, a: Float64Array.of(1, 2, 3, 4, 5, 6), b: Float64Array.of(1, 0, 2, 1, 0, -1) };
    const got = backend.kernels.gemm?.(args);
    const want = referenceBackend.kernels.gemm?.(args);
    if (!got || !want || got.some((v, i) => Math.abs(v - want[i]) > SMOKE_TOLERANCE * Math.abs(want[i]))) {
      return {
        id,
        available: false,
        reason: `gpu.js mode '${mode}' ran but gave wrong results on a 2×2 GEMM (${got ? Array.from(got).join(',') : 'nothing'})`,
      };
    }
  } catch (e) {
    backend.dispose?.();
    return { id, available: false, reason: `gpu.js mode '${mode}' failed its first kernel: ${firstLine(e)}` };
  }
  return { id, available: true, backend };
}

/** Creates the WebAssembly SIMD backend and checks a small GEMM against the reference (it must be exact). */
function probeWasm(): BackendStatus {
  let backend: Backend;
  try {
    backend = createWasmBackend();
  } catch (e) {
    return { id: 'wasm', available: false, reason: firstLine(e) };
  }
  const args = {
    m: 5,
    n: 6,
    k: 3,
    a: Float64Array.from({ length: 15 }, (_, i) => i - 7),
    b: Float64Array.from({ length: 18 }, (_, i) => 2 * i - 9),
  };
  const got = backend.kernels.gemm?.(args);
  const want = referenceBackend.kernels.gemm?.(args);
  if (!got || !want || got.some((v, i) => v !== want[i])) {
    return { id: 'wasm', available: false, reason: 'the WebAssembly GEMM gave wrong results on a 5×6 product' };
  }
  return { id: 'wasm', available: true, backend };
}

let probed: BackendStatus[] | undefined;

/** Probes every backend (cached for the process): available ones with their Backend, unavailable ones with the reason. */
export async function probeBackends(): Promise<BackendStatus[]> {
  if (probed) return probed;
  probed = BACKEND_IDS.map((id): BackendStatus => {
    if (id === 'reference') return { id, available: true, backend: referenceBackend };
    if (id === 'wasm') return probeWasm();
    return probeGpujs(id, id.slice('gpujs:'.length) as GpujsMode);
  });
  return probed;
}

/**
 * The backend `aecheck verify` and the property suite use unless told otherwise: `wasm` where it works (it computes
 * the reference's bits, faster), else `reference`.
 */
export async function defaultBackendId(): Promise<BackendId> {
  const wasm = (await probeBackends()).find((s) => s.id === 'wasm');
  return wasm?.available ? 'wasm' : 'reference';
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

/** Builds the KernelSet of a backend; a kernel it lacks runs on `reference`, and `resolved` says so. */
export function kernelSetOf(backend: Backend): KernelSet {
  const resolved = {} as Record<KernelName, BackendId>;
  const kernels = {} as KernelSpecs;
  for (const name of KERNEL_NAMES) {
    const own = backend.kernels[name];
    const impl = own ?? referenceBackend.kernels[name];
    if (!impl)
      throw new Error(`kernel ${name} has no reference implementation (add it to src/kernels/reference/index.ts)`);
    resolved[name] = own ? backend.id : 'reference';
    (kernels as unknown as Record<string, unknown>)[name] =
      name === 'gemm' ? withGemmOut(impl as KernelSpecs['gemm']) : impl;
  }
  return { ...kernels, backend: backend.id, precision: backend.precision, resolved };
}

/** The KernelSet of a backend id; throws BackendUnavailableError with the probe's reason. */
export async function getKernelSet(id: BackendId): Promise<KernelSet> {
  if (id === 'reference') return kernelSetOf(referenceBackend);
  const status = (await probeBackends()).find((s) => s.id === id);
  if (!status) throw new BackendUnavailableError(id, `unknown backend; known: ${BACKEND_IDS.join(', ')}`);
  if (!status.available) throw new BackendUnavailableError(id, status.reason);
  return kernelSetOf(status.backend);
}
