import type { AnyClaim, ClaimResult, NegativeControl } from './claim.ts';
import { runClaim, type RunClaimOptions } from './runClaim.ts';

/** The outcome of one negative control: it is caught when the claim FAILS on the wrong input (and the named checks fail). */
export interface ControlOutcome {
  claimId: string;
  control: string;
  description: string;
  caught: boolean;
  /** Why it is or is not caught, in words. */
  why: string;
  result: ClaimResult;
}

/**
 * Runs a claim's measurement on a negative control's wrong input, through the same runner (validation, seeds,
 * judging), and says whether it was caught: status `fail` with every check in `catches` failing. An `error` status is
 * not caught: a wrong input must be judged false by a check, not crash.
 */
export async function runControl(
  claim: AnyClaim,
  control: NegativeControl<AnyClaim['domain'], unknown> | NonNullable<AnyClaim['controls']>[number],
  options: Omit<RunClaimOptions, 'params'>,
): Promise<ControlOutcome> {
  const params = { ...claim.defaults, ...(control.params ?? {}) };
  const result = await runClaim({ ...claim, measure: control.measure }, { ...options, params });
  const base = { claimId: claim.id, control: control.name, description: control.description, result };
  if (result.status !== 'fail') {
    const detail = result.status === 'error' ? `: ${result.error.name}: ${result.error.message}` : '';
    return { ...base, caught: false, why: `the claim gave ${result.status.toUpperCase()}${detail}` };
  }
  const failed = new Set(result.measurement.checks.filter((c) => !c.pass).map((c) => c.name));
  const missed = (control.catches ?? []).filter((n) => !failed.has(n));
  if (missed.length > 0) {
    return { ...base, caught: false, why: `FAIL, but not in ${missed.join(', ')} (failed: ${[...failed].join(', ')})` };
  }
  return { ...base, caught: true, why: `FAIL in ${[...failed].join(', ')}` };
}
