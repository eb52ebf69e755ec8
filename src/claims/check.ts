/**
 * A named check: one comparison inside a claim's measurement. A claim's verdict is the worst check over all its
 * checks and runs, judged by `error / allowed` (pass iff ≤ 1 and every number finite). Nothing is clamped: an
 * inequality reports its signed slack, so a check that holds with room to spare shows a negative `error` and a
 * margin larger than `allowed`.
 */
export interface Check {
  /** Short, unique within the measurement, e.g. `convexity` or `sgd-vs-ode`. */
  name: string;
  /** The measured quantity. */
  observed: number;
  /** What theory (or the bound) says it should be. */
  expected: number;
  /**
   * Signed error in the units of `allowed`: |observed − expected| for a closeness check, a signed violation
   * (observed − bound) for an inequality. Negative means the inequality holds with that much room.
   */
  error: number;
  /** Tolerance, > 0: the check passes iff error ≤ allowed. */
  allowed: number;
  /** How `error` is measured, e.g. `|Δ|`, `relative error`, `ulps`, `observed − bound`. */
  metric: string;
}

/** A check with its derived numbers, as results and reports carry it. */
export interface JudgedCheck extends Check {
  /** error / allowed (≤ 1 passes); NaN when a number is not finite. */
  ratio: number;
  /** allowed − error: the signed room left (≥ 0 passes). */
  margin: number;
  pass: boolean;
}

/** error / allowed, or NaN when either is not finite or allowed ≤ 0. */
export function checkRatio(check: Check): number {
  const { error, allowed } = check;
  if (!Number.isFinite(error) || !Number.isFinite(allowed) || !(allowed > 0)) return Number.NaN;
  return error / allowed;
}

/** A check with ratio, margin and pass: pass iff observed, expected, error and allowed are finite and error ≤ allowed. */
export function judgeCheck(check: Check): JudgedCheck {
  const finite = [check.observed, check.expected, check.error, check.allowed].every((v) => Number.isFinite(v));
  const ratio = checkRatio(check);
  return {
    ...check,
    ratio,
    margin: check.allowed - check.error,
    pass: finite && check.allowed > 0 && check.error <= check.allowed,
  };
}

/** How bad a judged check is, for picking the worst: a failed non-finite check ranks above every finite ratio. */
export function badness(check: JudgedCheck): number {
  if (Number.isNaN(check.ratio)) return check.pass ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return check.ratio;
}

/** Index of the worst check (largest ratio; a non-finite failing check first); -1 for none. */
export function worstCheckIndex(checks: readonly JudgedCheck[]): number {
  let worst = -1;
  let worstBadness = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < checks.length; i++) {
    const b = badness(checks[i]);
    if (worst === -1 || b > worstBadness) {
      worst = i;
      worstBadness = b;
    }
  }
  return worst;
}
