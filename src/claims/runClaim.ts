import { AecheckError, DivergenceError, SkipClaim } from '../core/errors.ts';
import { noProgress, type Progress } from '../core/progress.ts';
import { createRng } from '../core/rng.ts';
import type { KernelSet } from '../kernels/kernelSpecs.ts';
import { judgeCheck, worstCheckIndex } from './check.ts';
import type { AnyClaim, ClaimResult, JudgedMeasurement, Measurement, Scale } from './claim.ts';
import { checkParams } from './validateParams.ts';

/** Options of {@link runClaim}. */
export interface RunClaimOptions {
  /** Seed of the claim's random stream (the run index is mixed in). */
  seed: number;
  /** Run index (0 = the claim's defaults in `verify`); default 0. */
  run?: number;
  /** `quick` (default) or `paper`. */
  scale?: Scale;
  /** The kernels the simulation side uses. */
  kernels: KernelSet;
  /** Parameters; default the claim's `defaults`. Validated against the claim's domain. */
  params?: Record<string, unknown>;
  progress?: Progress;
  /** Where `ctx.log` goes (default: nowhere). */
  log?: (message: string) => void;
  /**
   * Run outside the claim's regime too (`aecheck explore` maps the whole domain); default false: parameters outside
   * the regime are a validation error.
   */
  outsideRegime?: boolean;
}

/** JSON with keys sorted, so equal parameter objects give equal strings. */
export function stableJson(value: Record<string, unknown>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))));
}

/** Judges every check of a measurement and finds the worst one. A measurement with no check is a claim defect. */
export function judgeMeasurement(m: Measurement): JudgedMeasurement {
  const checks = (Array.isArray(m?.checks) ? m.checks : []).map(judgeCheck);
  if (checks.length === 0)
    throw new AecheckError('no-checks', 'measure returned no checks: a claim must check something');
  const names = new Set<string>();
  for (const c of checks) {
    if (names.has(c.name)) throw new AecheckError('duplicate-check', `measure returned two checks named '${c.name}'`);
    names.add(c.name);
  }
  return { checks, worst: worstCheckIndex(checks), details: m.details, plots: m.plots };
}

/**
 * Runs a claim once and returns one result: pass / fail (error ≤ allowed, all finite), error (an exception; a
 * diverging run is reported with its step) or skipped (the claim threw {@link SkipClaim}).
 */
export async function runClaim(claim: AnyClaim, options: RunClaimOptions): Promise<ClaimResult> {
  const scale = options.scale ?? 'quick';
  const run = options.run ?? 0;
  const seed = options.seed >>> 0;
  const rawParams = options.params ?? claim.defaults;
  const base = { claimId: claim.id, seed, run, backend: options.kernels.backend, scale, params: rawParams };
  const started = performance.now();
  const parsed = checkParams(claim, rawParams as Record<string, unknown>, { regime: !options.outsideRegime });
  if (!parsed.ok) {
    return {
      ...base,
      status: 'error',
      error: { name: parsed.error.name, message: parsed.error.message },
      ms: performance.now() - started,
    };
  }
  const budget = claim.budget[scale];
  try {
    const raw = await claim.measure(parsed.params, {
      // The stream depends on the seed, the claim and the parameters only, so `--seed S --params P` replays any run.
      rng: createRng(seed).fork(`${claim.id}#${stableJson(parsed.params)}`),
      seed,
      scale,
      sizes: budget.sizes,
      kernels: options.kernels,
      progress: options.progress ?? noProgress,
      log: options.log ?? (() => {}),
    });
    const ms = performance.now() - started;
    const measurement = judgeMeasurement(raw);
    const worst = measurement.checks[measurement.worst];
    const pass = measurement.checks.every((c) => c.pass);
    return { ...base, status: pass ? 'pass' : 'fail', measurement, ratio: worst.ratio, ms };
  } catch (e) {
    const ms = performance.now() - started;
    if (e instanceof SkipClaim) return { ...base, status: 'skipped', reason: e.message, ms };
    if (e instanceof DivergenceError) {
      return {
        ...base,
        status: 'error',
        error: { name: 'DivergenceError', message: e.message, step: e.info.step },
        ms,
      };
    }
    const err = e instanceof Error ? e : new AecheckError('unknown', String(e));
    return { ...base, status: 'error', error: { name: err.name, message: err.message }, ms };
  }
}
