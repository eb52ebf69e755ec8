/**
 * A worker pool that lives across batches. `explore` evaluates a map in many small batches (the coarse grid, each
 * refinement level, each round of re-sampling); `runPool` starts fresh workers per call, which costs seconds per batch
 * (each worker loads tsx and the claims). These workers run the same body as `verify --jobs`
 * (`src/claims/pool/poolWorkerEntry.js`), so a result depends only on its task, never on which worker ran it.
 */
import { Worker } from 'node:worker_threads';
import type { ClaimResult } from '../claims/claim.ts';
import { blasThreadsPerRun } from '../claims/pool/runPool.ts';
import type { ClaimTask } from '../claims/pool/runTask.ts';

/** A started pool: `run` a batch (results in task order), `close` when done. */
export interface WorkerPool {
  run(tasks: readonly ClaimTask[], onResult?: (done: number) => void): Promise<ClaimResult[]>;
  close(): Promise<void>;
}

/** Starts `jobs` workers (lazily, on the first batch). */
export function createWorkerPool(jobs: number): WorkerPool {
  const workers: Worker[] = [];
  const start = () => {
    const env = { ...process.env, AECHECK_THREADS: String(blasThreadsPerRun()) };
    for (let k = workers.length; k < jobs; k++)
      workers.push(new Worker(new URL('../claims/pool/poolWorkerEntry.js', import.meta.url), { env }));
  };
  const runOne = (worker: Worker, task: ClaimTask) =>
    new Promise<ClaimResult>((resolve, reject) => {
      const onMessage = (msg: { index: number; result?: ClaimResult; crash?: string }) => {
        worker.off('error', onError);
        if (msg.crash !== undefined) reject(new Error(`worker crashed on ${task.claimId}: ${msg.crash}`));
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
  return {
    async run(tasks, onResult) {
      start();
      const results: ClaimResult[] = new Array(tasks.length);
      const queue = tasks.map((task, position) => ({ task, position }));
      let done = 0;
      await Promise.all(
        workers.map(async (worker) => {
          for (;;) {
            const next = queue.shift();
            if (!next) return;
            results[next.position] = await runOne(worker, next.task);
            onResult?.(++done);
          }
        }),
      );
      return results;
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
      workers.length = 0;
    },
  };
}
