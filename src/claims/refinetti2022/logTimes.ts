/**
 * Log-spaced output times of the refinetti2022 claims (time t = SGD steps / D): the one helper both the ODE and the
 * simulation claims use (there were two, with different end-point handling).
 */

/**
 * `count` log-spaced times from `first` to `last` (both included; `count` = 1 gives `first`), preceded by t = 0 when
 * `withZero` (default true). Throws on a non-positive `first`, `last` < `first` or `count` < 1.
 */
export function logTimes(first: number, last: number, count: number, withZero = true): number[] {
  if (!(first > 0) || !(last >= first) || !Number.isFinite(last)) {
    throw new RangeError(`logTimes: need 0 < first ≤ last < ∞, received first = ${first}, last = ${last}`);
  }
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`logTimes: count must be an integer ≥ 1, received ${count}`);
  }
  const out: number[] = withZero ? [0] : [];
  for (let i = 0; i < count; i++) out.push(first * (last / first) ** (i / Math.max(count - 1, 1)));
  return out;
}
