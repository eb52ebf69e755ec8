/**
 * The number of threads a kernel backend may use: AECHECK_THREADS when set (validated), else every core
 * (`os.availableParallelism()`). Read by the reference GEMM's worker pool and by OpenBLAS.
 */
import { availableParallelism } from 'node:os';
import { ValidationError } from '../core/errors.ts';

/** Name of the environment variable. */
export const THREADS_ENV = 'AECHECK_THREADS';

/** Threads from `env` (default `process.env`): a positive integer, or every core when unset or empty. */
export function threadCount(env: Record<string, string | undefined> = process.env): number {
  const raw = env[THREADS_ENV];
  if (raw === undefined || raw.trim() === '') return availableParallelism();
  const value = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw new ValidationError({
      field: THREADS_ENV,
      received: raw,
      expected: 'a positive integer (the number of threads kernels may use)',
      hint: `unset ${THREADS_ENV} to use every core (${availableParallelism()} here), or set e.g. ${THREADS_ENV}=1`,
    });
  }
  return value;
}
