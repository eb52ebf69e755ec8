/**
 * Turns a claim into a fast-check property under vitest: the claim's domain becomes the arbitrary, `measure` runs at
 * `quick` scale on the backend named by AECHECK_BACKEND (default: `wasm` where it works, else `reference` — the same bits), and each run asserts
 * error ≤ allowed with every number finite. A failure prints the seed, the shrunk parameters and the CLI command
 * that replays it.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import type { AnyClaim, ClaimResult } from '../claims/claim.ts';
import { defaultsAtScale, domainArbitrary, domainAtScale } from '../claims/domain.ts';
import { runClaim } from '../claims/runClaim.ts';
import type { BackendId } from '../kernels/kernelSpecs.ts';
import { describeCheck, describeParams } from '../report/formatCheck.ts';
import { defaultBackendId, getKernelSet } from '../kernels/registry.ts';
import { scaledTimeout } from './scaledTimeout.ts';

/** Options of {@link claimProperty}. */
export interface ClaimPropertyOptions {
  /** fast-check runs (default: the claim's quick budget). */
  numRuns?: number;
  /** Per-test timeout in ms (default 120 000). */
  timeoutMs?: number;
  /** Run the defaults first, as `verify` does (default true). */
  includeDefaults?: boolean;
}

/** The seed of this test process: AECHECK_SEED, or fast-check's own choice printed on failure. */
/** The claim's domain as an arbitrary, restricted to its regime when it declares one (see `Regime`). */
function inRegime(claim: AnyClaim): fc.Arbitrary<Record<string, unknown>> {
  // The property suite runs at quick scale: its draws take the quick scale's ranges (ScaleBudget.ranges).
  const all = domainArbitrary(domainAtScale(claim, 'quick')) as fc.Arbitrary<Record<string, unknown>>;
  const regime = claim.regime;
  return regime ? all.filter((p) => regime.holds(p)) : all;
}

function processSeed(): number | undefined {
  const s = process.env.AECHECK_SEED;
  return s === undefined ? undefined : Number(s);
}

/**
 * AECHECK_MAX_RUNS caps every claim property's runs (mutation testing sets it: each mutant reruns the properties that
 * cover it, so fewer runs per property make the run feasible; the score is then a lower bound of the suite's power).
 */
function maxRuns(): number {
  const raw = process.env.AECHECK_MAX_RUNS;
  if (raw === undefined || raw === '') return Number.POSITIVE_INFINITY;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new Error(
      `AECHECK_MAX_RUNS: received ${JSON.stringify(raw)}; expected a positive integer, e.g. AECHECK_MAX_RUNS=4`,
    );
  }
  return n;
}

/** How a result reads in an assertion message. */
export function describeResult(result: ClaimResult): string {
  const replay = `npx aecheck verify --claim ${result.claimId} --seed ${result.seed} --backend ${result.backend} --params '${JSON.stringify(result.params)}'`;
  switch (result.status) {
    case 'pass':
    case 'fail': {
      const m = result.measurement;
      const shown = m.checks.filter((c, i) => !c.pass || i === m.worst);
      return `${result.status} (params ${describeParams(result.params)}):\n${shown.map((c) => `  ${describeCheck(c)}`).join('\n')}\n  replay: ${replay}`;
    }
    case 'error':
      return `error: ${result.error.name}: ${result.error.message}\n  replay: ${replay}`;
    case 'skipped':
      return `skipped: ${result.reason}`;
  }
}

/** Registers one vitest test that checks `claim` as a fast-check property. */
export function claimProperty(claim: AnyClaim, options: ClaimPropertyOptions = {}): void {
  const numRuns = Math.min(options.numRuns ?? claim.budget.quick.runs, maxRuns());
  const envBackend = process.env.AECHECK_BACKEND as BackendId | undefined;
  test(`${claim.id}: ${claim.title} [${claim.tolerance.description}]`, {
    timeout: scaledTimeout(options.timeoutMs ?? 120_000),
  }, async () => {
    const kernels = await getKernelSet(envBackend ?? (await defaultBackendId()));
    const seed = processSeed() ?? (Date.now() ^ (Math.random() * 0x100000000)) >>> 0;
    const examples = options.includeDefaults === false ? [] : [[defaultsAtScale(claim, 'quick')]];
    let last: ClaimResult | undefined;
    await fc.assert(
      fc.asyncProperty(inRegime(claim), async (params) => {
        last = await runClaim(claim, { seed, kernels, params, scale: 'quick' });
        if (last.status === 'skipped') return true;
        if (last.status !== 'pass') throw new Error(describeResult(last));
        return true;
      }),
      { numRuns, seed, examples, endOnFailure: numRuns <= 3 },
    );
    expect(last?.status === 'pass' || last?.status === 'skipped').toBe(true);
  });
}
