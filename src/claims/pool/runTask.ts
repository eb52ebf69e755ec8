import type { Progress } from '../../core/progress.ts';
import type { ClaimResult, Scale } from '../claim.ts';
import { findClaim } from '../catalog.ts';
import { loadClaimModule } from '../loadClaims.ts';
import { runClaim } from '../runClaim.ts';
import { isMainThread } from 'node:worker_threads';
import { BackendUnavailableError } from '../../core/errors.ts';
import type { BackendId, KernelSet } from '../../kernels/kernelSpecs.ts';
import { getKernelSet } from '../../kernels/registry.ts';

/** One run of one claim: everything a worker needs to reproduce it (results depend on these fields alone). */
export interface ClaimTask {
  /** Position in the task list, so results can be put back in order. */
  index: number;
  claimId: string;
  run: number;
  params: Record<string, unknown>;
  seed: number;
  scale: Scale;
  backend: BackendId;
  /** Expected CPU seconds (the claim's `budget.<scale>.cpuSeconds`): the pool starts the costliest tasks first. */
  cost?: number;
  /** Modules of user claims to load first (absolute paths; a worker thread has its own catalog). */
  modules?: readonly string[];
  /** Run outside the claim's regime too (`explore`); see `RunClaimOptions.outsideRegime`. */
  outsideRegime?: boolean;
}

/** Runs one task in this thread (the worker's body, and the `--jobs 1` path). */
export async function runTask(task: ClaimTask, progress?: Progress): Promise<ClaimResult> {
  for (const m of task.modules ?? []) await loadClaimModule(m);
  const claim = findClaim(task.claimId);
  if (!claim) throw new Error(`worker: unknown claim ${task.claimId}`);
  let kernels: KernelSet;
  try {
    kernels = await getKernelSet(task.backend);
  } catch (e) {
    if (!(e instanceof BackendUnavailableError)) throw e;
    // A backend the main thread probed as available can still fail here: a worker thread cannot load the `gl` native
    // module of gpujs:headlessgl ("Module did not self-register"). The run is a visible skip with the reason and the
    // fix, not a crash of the whole verify.
    const where = isMainThread ? '' : ' (in a worker thread: run with --jobs 1 to use this backend)';
    return {
      claimId: task.claimId,
      seed: task.seed,
      run: task.run,
      backend: task.backend,
      scale: task.scale,
      params: task.params,
      ms: 0,
      status: 'skipped',
      reason: `${e.message}${where}`,
    };
  }
  return runClaim(claim, {
    seed: task.seed,
    run: task.run,
    scale: task.scale,
    kernels,
    params: task.params,
    progress,
    outsideRegime: task.outsideRegime,
  });
}
