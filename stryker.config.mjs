// Mutation testing (StrykerJS with the vitest runner): how much of the theory, the simulators and the reference
// kernels the suite really guards. `npm run mutate` runs everything (hours on 2 cores); `npm run mutate:<paper>` one
// paper's theory and simulation. Results and the triage of every surviving mutant: docs/mutation.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: [
    'src/theory/**/*.ts',
    'src/sim/**/*.ts',
    'src/kernels/reference/**/*.ts',
    '!**/*.test.ts',
    '!src/**/*.generated.ts',
  ],
  coverageAnalysis: 'perTest',
  // Module-level constants are evaluated once per process: each would need the whole suite; they are covered by the
  // reference-value tests instead.
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 30_000,
  // The initial run executes every test related to the mutated files (the property suite among them): minutes.
  dryRunTimeoutMinutes: 40,
  reporters: ['clear-text', 'progress-append-only', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  // Stryker rewrites tsconfig.json through TypeScript's JS API, which TypeScript 7 (the native compiler) no longer has;
  // nothing in the sandbox needs the rewrite (vitest strips types itself), so point it at a file that does not exist.
  tsconfigFile: 'no-tsconfig-rewrite.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
};
