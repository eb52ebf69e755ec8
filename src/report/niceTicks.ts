/**
 * Axis ticks for the terminal plots: round values (1, 2 or 5 times a power of ten on a linear axis; decades, then
 * 1-2-5 steps, on a log axis), labelled with the fewest digits that keep every label distinct.
 */

/** Options of {@link niceTicks}. */
export interface NiceTicksOptions {
  /** Smallest value on the axis, in data units (> 0 on a log axis). */
  lo: number;
  /** Largest value on the axis, in data units; `hi > lo`. */
  hi: number;
  /** Logarithmic axis. Default false. */
  log?: boolean;
  /** About how many ticks to aim for. Default 5. */
  target?: number;
}

/** Relative slack when deciding whether a tick lies inside [lo, hi]: rounding must not drop an end tick. */
const EDGE_SLACK = 1e-9;

/** 1, 2, 5 or 10 times a power of ten, the nearest to `raw` from above in that sequence (raw > 0). */
function niceStep(raw: number): number {
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const m = norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10;
  return m * mag;
}

/** Removes float noise from k·step (0.30000000000000004 → 0.3); zero stays exactly 0 (never −5.55e-17). */
function clean(v: number): number {
  return v === 0 ? 0 : Number(v.toPrecision(12));
}

/** Linear ticks k·step inside [lo, hi], step 1, 2 or 5 × 10^e. */
function linearTicks(lo: number, hi: number, target: number): number[] {
  const step = niceStep((hi - lo) / Math.max(1, target));
  const first = Math.ceil(lo / step - EDGE_SLACK);
  const last = Math.floor(hi / step + EDGE_SLACK);
  const out: number[] = [];
  for (let k = first; k <= last; k++) out.push(k === 0 ? 0 : clean(k * step));
  return out;
}

/** Log ticks: every m-th decade when three or more fit, else 1-2-5 steps, else two decades, else linear ticks. */
function logTicks(lo: number, hi: number, target: number): number[] {
  const a = Math.log10(lo);
  const b = Math.log10(hi);
  const k0 = Math.ceil(a - EDGE_SLACK);
  const k1 = Math.floor(b + EDGE_SLACK);
  const decades: number[] = [];
  const every = Math.max(1, Math.ceil((k1 - k0 + 1) / target));
  for (let k = k0; k <= k1; k++) if (k % every === 0) decades.push(Number(`1e${k}`));
  if (decades.length >= 3) return decades;
  const steps: number[] = [];
  for (let k = Math.floor(a) - 1; k <= Math.ceil(b); k++) {
    for (const m of [1, 2, 5]) {
      const v = Number(`${m}e${k}`);
      if (v >= lo * (1 - EDGE_SLACK) && v <= hi * (1 + EDGE_SLACK)) steps.push(v);
    }
  }
  if (steps.length >= 2 && steps.length <= 2 * target) return steps;
  if (decades.length >= 2) return decades;
  return linearTicks(lo, hi, target).filter((v) => v > 0);
}

/** Round tick values inside [lo, hi], ascending. */
export function niceTicks(options: NiceTicksOptions): number[] {
  const { lo, hi, log = false, target = 5 } = options;
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (log && !(lo > 0)) return [];
  return log ? logTicks(lo, hi, target) : linearTicks(lo, hi, target);
}

/** One number with `digits` significant digits: plain in [1e-3, 1e5), `2.5e-7` otherwise, 0 as `0`. */
function formatWith(v: number, digits: number): string {
  if (v === 0) return '0';
  const e = Math.floor(Math.log10(Math.abs(v)));
  if (e >= -3 && e < 5) return String(Number(v.toPrecision(digits)));
  const [mant, exp] = v.toExponential(digits - 1).split('e');
  const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
  return `${m}e${Number(exp)}`;
}

/** Labels for ticks: the fewest significant digits (1 to 12) that give every tick a different label. */
export function formatTicks(values: readonly number[]): string[] {
  for (let digits = 1; digits <= 12; digits++) {
    const labels = values.map((v) => formatWith(v, digits));
    if (new Set(labels).size === labels.length) return labels;
  }
  return values.map((v) => formatWith(v, 15));
}
