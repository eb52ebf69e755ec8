/**
 * One way to print numbers and checks, shared by the terminal, the Markdown report and the property messages, so
 * the three always show the same worst check.
 */

/** A compact number: 4 significant digits in [1e-3, 1e5), exponent form otherwise; null/undefined as '—'. */
export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e5 ? v.toPrecision(4) : v.toExponential(2);
}

/** The fields of a check that the formatters read (judged in results, nullable in reports). */
export interface CheckLike {
  name: string;
  observed: number | null;
  expected: number | null;
  error: number | null;
  allowed: number | null;
  metric: string;
  ratio: number | null;
  margin: number | null;
  pass: boolean;
}

/** `name: metric = error (allowed A, ratio R, margin M); observed O, expected E`. */
export function describeCheck(c: CheckLike): string {
  const f = formatNumber;
  return `${c.name}: ${c.metric} = ${f(c.error)} (allowed ${f(c.allowed)}, ratio ${f(c.ratio)}, margin ${f(c.margin)}); observed ${f(c.observed)}, expected ${f(c.expected)}${c.pass ? '' : ' — FAILS'}`;
}

/** Parameters as `k=v, k=v` with numbers compact. */
export function describeParams(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${typeof v === 'number' && !Number.isInteger(v) ? formatNumber(v) : String(v)}`)
    .join(', ');
}
