import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * The suite as mutation testing runs it (stryker.config.mjs): everything but the two tests whose work happens only in
 * child processes, the README commands (a full `npx aecheck verify` with a random seed, minutes on the instrumented
 * code) and the packed-package install. Stryker credits a test with a kill only for mutants that the test's own
 * process executed, so these two can never kill one; they only made the initial run minutes longer, and on a loaded
 * machine one of them failed it. Both still run in `npm test`.
 */
/**
 * AECHECK_MUTATION_TESTS (comma-separated globs) narrows the run to those test files: `npm run mutate:kernels` runs the
 * kernels' own tests only (their conformance properties and unit tests), so its initial run takes minutes instead of
 * the whole suite's, under coverage instrumentation, on 2 cores. Its score is then a lower bound of the whole suite's.
 */
const only = process.env.AECHECK_MUTATION_TESTS?.split(',').filter((g) => g.trim() !== '');

// Spread, not mergeConfig: mergeConfig concatenates arrays, and `include` must replace the suite's list.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    ...(only && only.length > 0 ? { include: only } : {}),
    exclude: ['**/node_modules/**', '**/dist/**', '.stryker-tmp/**', 'src/cli/readmeCommands.test.ts', 'src/cli/pack.test.ts'],
  },
});
