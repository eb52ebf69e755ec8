// One group of a split mutation run (docs/mutation.md, "Commands of the fifth session"): the project's configuration
// with its own temporary folder, JSON report and incremental file per group, so that several groups can run one
// after another (or side by side) without overwriting each other's results. MUT_GROUP names the group; MUT_CONC sets
// the number of Stryker workers (default 2).
//
//   MUT_GROUP=S1 AECHECK_SEED=20261122 AECHECK_MAX_RUNS=4 AECHECK_TIMEOUT_SCALE=3 \
//     AECHECK_MUTATION_TESTS='src/sim/shevchenko2023/*.test.ts' \
//     npx stryker run stryker.group.config.mjs --mutate 'src/sim/shevchenko2023/projectedGd.ts'
import base from './stryker.config.mjs';

const group = process.env.MUT_GROUP;
if (!group || !/^[A-Za-z0-9_-]+$/.test(group)) {
  throw new Error(
    `MUT_GROUP: received ${JSON.stringify(group)}, expected a group name of letters, digits, - or _ (e.g. MUT_GROUP=S1)`,
  );
}

export default {
  ...base,
  concurrency: Number(process.env.MUT_CONC ?? 2),
  tempDirName: `.stryker-tmp-${group}`,
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: `reports/mutation/group-${group}.json` },
  incrementalFile: `reports/mutation/group-${group}-incremental.json`,
};
