/**
 * `verify --jobs N`: runs claim tasks (one run of one claim each) on N worker threads. A result depends only on its
 * task (seed, claim, parameters, backend, scale), never on which worker ran it or in which order, so the results are
 * bit-identical to `--jobs 1`; they come back in task order. BLAS threads are divided among the workers
 * (AECHECK_THREADS = ⌊cores / N⌋, at least 1) so N workers do not oversubscribe the cores. Workers take the tasks
 * costliest first (longest-processing-time order, by each task's `cost` hint; ties keep task order): a long run started
 * last would leave the other workers idle while it finishes.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
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

/** BLAS threads per worker when `jobs` workers share the cores: an explicit AECHECK_THREADS wins. */
export function blasThreadsPerJob(jobs: number, cores = availableParallelism()): number {
  const explicit = process.env.AECHECK_THREADS;
  if (explicit !== undefined) return Number(explicit);
  return Math.max(1, Math.floor(cores / jobs));
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
    for (const task of tasks) {
      results[task.index] = await runTask(task, (d, t, label) => options.onProgress?.(task, d, t, label));
      options.onResult?.(task, results[task.index], ++done);
    }
    return results;
  }
  const env = { ...process.env, AECHECK_THREADS: String(blasThreadsPerJob(jobs)) };
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
