import { defineConfig } from 'vitest/config';
import { scaledTimeout } from './src/testing/scaledTimeout.ts';

/**
 * Unit tests live beside the code (`src/**\/*.test.ts`); the papers' claims and kernel conformance live in
 * `properties/**\/*.property.ts`. Properties are slower, so they get a longer per-test timeout.
 */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'properties/**/*.property.ts', 'examples/**/*.test.ts'],
    testTimeout: scaledTimeout(120_000),
    hookTimeout: scaledTimeout(120_000),
    pool: 'forks',
    setupFiles: ['properties/helpers/fastCheckSeed.ts'],
    reporters: ['default'],
  },
});
