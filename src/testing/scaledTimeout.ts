/**
 * AECHECK_TIMEOUT_SCALE multiplies every test timeout (default 1): vitest's default (vitest.config.ts), the claim
 * properties' and each test's own. Mutation testing sets it: its initial run executes the tests with coverage
 * instrumentation, niced, on a shared machine. A training property that takes 40 s alone passed 120 s there, and so
 * did a test that runs two claims on the instrumented reference kernels; the run then stops, because every test must
 * pass before mutants are tried.
 */
export function scaledTimeout(ms: number): number {
  const raw = process.env.AECHECK_TIMEOUT_SCALE;
  if (raw === undefined || raw === '') return ms;
  const k = Number(raw);
  if (!Number.isFinite(k) || k <= 0) {
    throw new Error(
      `AECHECK_TIMEOUT_SCALE: received ${JSON.stringify(raw)}; expected a positive number, e.g. AECHECK_TIMEOUT_SCALE=5`,
    );
  }
  return Math.round(ms * k);
}
