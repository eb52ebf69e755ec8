/**
 * `--data DIR`: where the claims that read FashionMNIST take it from. Order: --data DIR, then the directory in
 * AECHECK_FASHION_MNIST_DIR, then Debian's dataset-fashion-mnist, then the subset in fixtures/ (see
 * src/data/fashionMnist.ts). The directory is checked before any claim runs.
 */
import { resolve } from 'node:path';
import type { AnyClaim } from '../claims/claim.ts';
import { describeFashionMnist, FASHION_MNIST_ENV } from '../data/fashionMnist.ts';

/**
 * The lines that say where each dataset the claims read comes from (`FashionMNIST: fixtures subset (…)`), after
 * checking it: a `--data` directory (checked whether or not a claim reads it) or AECHECK_FASHION_MNIST_DIR without the
 * four IDX files is a ValidationError naming the flag or the variable. Empty when no claim reads a dataset.
 */
export function describeDataSources(claims: readonly AnyClaim[], data: string | undefined): string[] {
  const given = data === undefined ? undefined : describeFashionMnist(resolve(data));
  if (!claims.some((c) => c.datasets?.includes('fashion-mnist'))) return [];
  return [`FashionMNIST: ${(given ?? describeFashionMnist()).text}`];
}

/**
 * Runs `fn` with `--data DIR` as the FashionMNIST directory: AECHECK_FASHION_MNIST_DIR is set to DIR (absolute) for
 * the call, so the claims read it in this thread and in the worker threads (they copy the environment), and restored
 * afterwards. Without `data`, `fn` runs as is.
 */
export async function withDataDir<T>(data: string | undefined, fn: () => Promise<T>): Promise<T> {
  if (data === undefined) return fn();
  const before = process.env[FASHION_MNIST_ENV];
  process.env[FASHION_MNIST_ENV] = resolve(data);
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env[FASHION_MNIST_ENV];
    else process.env[FASHION_MNIST_ENV] = before;
  }
}

/**
 * The ` --data DIR` (absolute, shell-quoted when needed) a replay command needs to read the same FashionMNIST: empty
 * when no `--data` was given or the claim reads no dataset.
 */
export function replayDataFlag(claim: AnyClaim, data: string | undefined): string {
  if (data === undefined || !claim.datasets?.includes('fashion-mnist')) return '';
  const abs = resolve(data);
  return ` --data ${/^[\w./-]+$/.test(abs) ? abs : `'${abs.replace(/'/g, "'\\''")}'`}`;
}
