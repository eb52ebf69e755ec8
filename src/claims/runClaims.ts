import { defaultBackendId, getKernelSet, probeBackends } from '../kernels/registry.ts';
import { buildReport } from '../report/buildReport.ts';
import type { Report } from '../report/reportSchema.ts';
import { VERSION } from '../version.ts';
import type { AnyClaim, ClaimResult, Scale } from './claim.ts';
import { paramsAtScale } from './domain.ts';
import { runClaim } from './runClaim.ts';

/** Options of {@link runClaims}. */
export interface RunClaimsOptions {
  /** The claims to run (built-in ones from `catalog`, or your own from `defineClaim`). */
  claims: readonly AnyClaim[];
  /** Seed of every draw and random stream (default 1). */
  seed?: number;
  /** `quick` (default) or `paper`. */
  scale?: Scale;
  /** Kernel backend id (default: `auto`, the fastest correct kernel per operation). */
  backend?: string;
  /** Runs per claim (default: each claim's budget at the scale); run 0 uses the defaults. */
  runs?: number;
  /** Called after each run. */
  onResult?: (claim: AnyClaim, result: ClaimResult) => void;
}

/**
 * Runs claims in this thread as `aecheck verify` does — the defaults, then stratified draws over each domain, every run
 * judged by its named checks — and returns the report (`writeReport` writes it to a folder).
 */
export async function runClaims(options: RunClaimsOptions): Promise<Report> {
  const seed = options.seed ?? 1;
  const scale = options.scale ?? 'quick';
  const backend = options.backend ?? (await defaultBackendId());
  const kernels = await getKernelSet(backend);
  const runs: { claim: AnyClaim; results: ClaimResult[] }[] = [];
  for (const claim of options.claims) {
    const params = paramsAtScale(claim, scale, options.runs ?? claim.budget[scale].runs, seed);
    const results: ClaimResult[] = [];
    for (let run = 0; run < params.length; run++) {
      const result = await runClaim(claim, {
        seed,
        run,
        scale,
        kernels,
        params: params[run] as Record<string, unknown>,
      });
      results.push(result);
      options.onResult?.(claim, result);
    }
    runs.push({ claim, results });
  }
  const backends = (await probeBackends()).map((b) =>
    b.available ? { id: b.id, available: true } : { id: b.id, available: false, reason: b.reason },
  );
  return buildReport({ version: VERSION, seed, scale, backend, backends, runs });
}
