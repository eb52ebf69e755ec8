import { defineConfig } from 'vitest/config';

/** AECHECK_TIMEOUT_SCALE (mutation testing sets it) multiplies the timeouts; see src/testing/claimProperty.ts. */
const timeoutScale = Number(process.env.AECHECK_TIMEOUT_SCALE || 1);

/**
 * Unit tests live beside the code (`src/**\/*.test.ts`); the papers' claims and kernel conformance live in
 * `properties/**\/*.property.ts`. Properties are slower, so they get a longer per-test timeout.
 */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'properties/**/*.property.ts', 'examples/**/*.test.ts'],
    testTimeout: 120_000 * timeoutScale,
    hookTimeout: 120_000 * timeoutScale,
    pool: 'forks',
    setupFiles: ['properties/helpers/fastCheckSeed.ts'],
    reporters: ['default'],
  },
});
