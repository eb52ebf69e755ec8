/**
 * `verify --jobs N`: runs claim tasks (one run of one claim each) on N worker threads. A result depends only on its
 * task (seed, claim, parameters, backend, scale), never on which worker ran it, in which order or how many workers
 * there are, so the results are bit-identical to `--jobs 1`; they come back in task order. Every run uses one BLAS
 * thread (unless AECHECK_THREADS says otherwise), for any N: OpenBLAS's sums depend on its thread count for some
 * shapes (see {@link blasThreadsPerRun}), so a thread count that followed N would make the bits follow N too; and N
 * workers of one thread each do not oversubscribe the cores. Workers take the tasks costliest first
 * (longest-processing-time order, by each task's `cost` hint; ties keep task order): a long run started last would
 * leave the other workers idle while it finishes.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { openblasLibrary } from '../../kernels/openblas/openblasLibrary.ts';
import { threadCount } from '../../kernels/threads.ts';
import type { ClaimResult } from '../claim.ts';
import { type ClaimTask, runTask } from './runTask.ts';

/** Options of {@link runPool}. */
export interface RunPoolOptions {
  /** Worker threads; 1 runs every task in this thread (default: the number of cores). */
  jobs?: number;
  /** Called after each task finishes (in completion order), with the number done so far. */
  onResult?: (task: ClaimTask, result: ClaimResult, done: number) => void;
  /** Progress inside a run (with `jobs` 1 only: workers report whole runs). */
  onProgress?: (task: ClaimTask, done: number, total: number, label?: string) => void;
}

/**
 * BLAS threads of every run, whatever the number of workers: 1, or AECHECK_THREADS when it is set (the user's choice,
 * which then holds for `--jobs 1` and `--jobs N` alike). Not ⌊cores / jobs⌋: OpenBLAS 0.3.21 gives different bits on 1
 * and 2 threads for some shapes (measured 2026-12-01 on this project's 2-core machine: of tied SGD's products at
 * batch 500, n = 200, d = 100, 689 of 100 000 entries of X·Bᵀ and 14 916 of 20 000 of Sᵀ·R differed; square ones at
 * n = 160 and 512 did not), so a thread count that followed `jobs` broke the bit-identity of `--jobs 1` and `--jobs 2`
 * at paper sizes.
 */
export function blasThreadsPerRun(): number {
  const explicit = process.env.AECHECK_THREADS;
  if (explicit !== undefined && explicit.trim() !== '') return threadCount();
  return 1;
}

/**
 * Sets OpenBLAS's process-wide thread count to `threads` for the tasks run in this thread (`--jobs 1`), loading the
 * library first when it loads here (a run may load it later, and would then take every core), and returns what puts
 * the count back. Without the library there is nothing to pin.
 */
export function pinBlasThreads(threads: number): () => void {
  let library: ReturnType<typeof openblasLibrary>;
  try {
    library = openblasLibrary();
  } catch {
    return () => {};
  }
  const before = library.threads();
  library.setThreads(threads);
  return () => library.setThreads(before);
}

/** The tasks by decreasing `cost` (absent: 0), in task order among equal costs (Array.prototype.sort is stable). */
export function costliestFirst(tasks: readonly ClaimTask[]): ClaimTask[] {
  return [...tasks].sort((a, b) => (b.cost ?? 0) - (a.cost ?? 0));
}

/** Runs the tasks on `jobs` workers and returns their results in task order. */
export async function runPool(tasks: readonly ClaimTask[], options: RunPoolOptions = {}): Promise<ClaimResult[]> {
  const jobs = Math.max(1, Math.min(options.jobs ?? availableParallelism(), tasks.length));
  const results: ClaimResult[] = new Array(tasks.length);
  let done = 0;
  if (jobs === 1) {
    const restore = pinBlasThreads(blasThreadsPerRun());
    try {
      for (const task of tasks) {
        results[task.index] = await runTask(task, (d, t, label) => options.onProgress?.(task, d, t, label));
        options.onResult?.(task, results[task.index], ++done);
      }
    } finally {
      restore();
    }
    return results;
  }
  const env = { ...process.env, AECHECK_THREADS: String(blasThreadsPerRun()) };
  const queue = costliestFirst(tasks);
  // The compiled worker loads tsx's loader only when a user claim module needs it.
  const typescriptModules = tasks.some((t) => (t.modules ?? []).some((m) => /\.[cm]?tsx?$/.test(m)));
  const workers: Worker[] = [];
  try {
    await Promise.all(
      Array.from({ length: jobs }, async () => {
        const worker = new Worker(new URL('./poolWorkerEntry.js', import.meta.url), {
          env,
          workerData: { typescriptModules },
        });
        workers.push(worker);
        for (;;) {
          const task = queue.shift();
          if (!task) break;
          const result = await new Promise<ClaimResult>((resolve, reject) => {
            const onMessage = (msg: { index: number; result?: ClaimResult; crash?: string }) => {
              worker.off('error', onError);
              if (msg.crash !== undefined)
                reject(new Error(`worker crashed on ${task.claimId} run ${task.run}: ${msg.crash}`));
              else resolve(msg.result as ClaimResult);
            };
            const onError = (e: Error) => {
              worker.off('message', onMessage);
              reject(e);
            };
            worker.once('message', onMessage);
            worker.once('error', onError);
            worker.postMessage(task);
          });
          results[task.index] = result;
          options.onResult?.(task, result, ++done);
        }
      }),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
