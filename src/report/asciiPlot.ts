import type { PlotSpec } from '../claims/plotSpec.ts';
import { formatTicks, niceTicks } from './niceTicks.ts';

/** Columns and rows of the plot area of a terminal plot. */
const ASCII_WIDTH = 64;
const ASCII_HEIGHT = 13;
/** About how many labelled ticks per axis. */
const Y_TICKS = 5;
const X_TICKS = 6;
/** A legend line wraps after this many characters. */
const LEGEND_WIDTH = 100;
/**
 * One marker character per series, so the series stay apart without colour (piped output, NO_COLOR): 12 symbols,
 * then letters; a plot with more series than markers reuses them from the start.
 */
export const PLOT_MARKERS: readonly string[] = [...'*+ox#@%&=$~^', ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
/** ANSI foreground colours cycled over the series when colour is on (the marker still tells them apart). */
const ANSI_COLOURS = [34, 31, 32, 35, 33, 36, 94, 91, 92, 95, 93, 96];
const ANSI_RESET = '\x1b[0m';

/** Options of {@link asciiPlot}. */
export interface AsciiPlotOptions {
  /** Colour the markers with ANSI escapes (only for a TTY without NO_COLOR). Default false. */
  colour?: boolean;
}

/** Linear interpolation of ascending (xs, ys) at x; NaN outside the data. */
function interpolate(xs: readonly number[], ys: readonly number[], x: number): number {
  if (xs.length === 0 || x < xs[0] || x > xs[xs.length - 1]) return Number.NaN;
  let lo = 0;
  let hi = xs.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid;
    else hi = mid;
  }
  if (xs[hi] === xs[lo]) return ys[lo];
  const t = (x - xs[lo]) / (xs[hi] - xs[lo]);
  return ys[lo] + t * (ys[hi] - ys[lo]);
}

/** The range of an axis in plotted units (log10 on a log axis), widened when it is a single value. */
function axisRange(values: readonly number[], log: boolean): [number, number] {
  // A loop, not Math.min(...values): a long series (10⁵ points) would overflow the call stack.
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > lo)) {
    // A flat line or a single point: a tenth of a decade on a log axis, 10% (or ±1 around 0) on a linear one.
    const pad = log ? 0.05 : lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  return [lo, hi];
}

/** Ticks of an axis as plotted positions with distinct labels. */
function axisTicks(lo: number, hi: number, log: boolean, target: number): { at: number; label: string }[] {
  const values = log
    ? niceTicks({ lo: 10 ** lo, hi: 10 ** hi, log: true, target })
    : niceTicks({ lo, hi, log: false, target });
  const labels = formatTicks(values);
  return values.map((v, i) => ({ at: log ? Math.log10(v) : v, label: labels[i] }));
}

/** `s` coloured with ANSI colour `i` (cycled), or as is. */
function paint(s: string, i: number, colour: boolean): string {
  return colour ? `\x1b[${ANSI_COLOURS[i % ANSI_COLOURS.length]}m${s}${ANSI_RESET}` : s;
}

/**
 * A line plot for the terminal: every series drawn with its own marker character (`*`, `+`, `o`, `x`, …; colour only
 * adds to it), lines and dashed lines sampled at every column (dashed at every other one), point series at their
 * points; y ticks at round values (decades on a log axis) labelled only where they fall, x ticks under the axis, and a
 * legend that shows each series' marker. Values a log axis cannot show (≤ 0) and non-finite values are left out.
 * Heatmaps are not drawn in the terminal (undefined), nor a plot with nothing to draw.
 */
export function asciiPlot(plot: PlotSpec, options: AsciiPlotOptions = {}): string | undefined {
  if (plot.kind !== 'line' || plot.series.length === 0) return undefined;
  const colour = options.colour === true;
  const tx = (v: number) => (plot.x.log ? Math.log10(v) : v);
  const ty = (v: number) => (plot.y.log ? Math.log10(v) : v);
  const series = plot.series
    .map((s, index) => {
      const pts = s.x
        .map((x, i) => [x, s.y[i]] as const)
        .filter(
          ([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!plot.x.log || x > 0) && (!plot.y.log || y > 0),
        )
        .map(([x, y]) => [tx(x), ty(y)] as const)
        .sort((a, b) => a[0] - b[0]);
      return {
        name: s.name,
        style: s.style ?? 'line',
        marker: PLOT_MARKERS[index % PLOT_MARKERS.length],
        index,
        xs: pts.map((p) => p[0]),
        ys: pts.map((p) => p[1]),
      };
    })
    .filter((s) => s.xs.length > 0);
  if (series.length === 0) return undefined;
  const [xmin, xmax] = axisRange(
    series.flatMap((s) => s.xs),
    plot.x.log === true,
  );
  const [ymin, ymax] = axisRange(
    series.flatMap((s) => s.ys),
    plot.y.log === true,
  );
  const col = (x: number) => Math.round(((x - xmin) / (xmax - xmin)) * (ASCII_WIDTH - 1));
  const row = (y: number) => Math.round(((ymax - y) / (ymax - ymin)) * (ASCII_HEIGHT - 1));
  const xAt = (c: number) => xmin + ((xmax - xmin) * c) / (ASCII_WIDTH - 1);

  // The canvas: one cell per character, each holding the series drawn there last: lines, then points on top, each
  // group from the last series to the first, so the first (a claim's main curve) stays visible where curves meet.
  const cells: (number | undefined)[][] = Array.from({ length: ASCII_HEIGHT }, () =>
    new Array<number | undefined>(ASCII_WIDTH).fill(undefined),
  );
  const put = (c: number, r: number, s: number) => {
    if (r >= 0 && r < ASCII_HEIGHT && c >= 0 && c < ASCII_WIDTH) cells[r][c] = s;
  };
  const ordered = [
    ...series.filter((s) => s.style !== 'points').reverse(),
    ...series.filter((s) => s.style === 'points').reverse(),
  ];
  for (const s of ordered) {
    if (s.style !== 'points') {
      for (let c = 0; c < ASCII_WIDTH; c++) {
        if (s.style === 'dashed' && c % 2 === 1) continue;
        const y = interpolate(s.xs, s.ys, xAt(c));
        if (Number.isFinite(y)) put(c, row(y), s.index);
      }
    }
    for (let i = 0; i < s.xs.length; i++) put(col(s.xs[i]), row(s.ys[i]), s.index);
  }
  const byIndex = new Map(series.map((s) => [s.index, s]));

  // y ticks: each on its nearest row, at most one per row (the first wins), labelled right-aligned.
  const yTicks = new Map<number, string>();
  for (const t of axisTicks(ymin, ymax, plot.y.log === true, Y_TICKS)) {
    const r = row(t.at);
    if (r >= 0 && r < ASCII_HEIGHT && !yTicks.has(r)) yTicks.set(r, t.label);
  }
  const labelWidth = Math.max(1, ...[...yTicks.values()].map((l) => l.length));
  const lines: string[] = [plot.title];
  for (let r = 0; r < ASCII_HEIGHT; r++) {
    const label = yTicks.get(r);
    const body = cells[r]
      .map((s) => {
        if (s === undefined) return ' ';
        const ser = byIndex.get(s);
        return ser ? paint(ser.marker, ser.index, colour) : ' ';
      })
      .join('');
    lines.push(`${(label ?? '').padStart(labelWidth)} ${label === undefined ? '│' : '┤'}${body}`);
  }

  // x ticks: a mark on the axis line under each, and its label centred below where it does not overlap the last.
  const axis = new Array<string>(ASCII_WIDTH).fill('─');
  const under = new Array<string>(ASCII_WIDTH + 12).fill(' ');
  let freeFrom = 0;
  for (const t of axisTicks(xmin, xmax, plot.x.log === true, X_TICKS)) {
    const c = col(t.at);
    if (c < 0 || c >= ASCII_WIDTH || axis[c] === '┬') continue;
    const start = Math.max(0, c - Math.floor((t.label.length - 1) / 2));
    if (start < freeFrom) continue;
    axis[c] = '┬';
    for (let k = 0; k < t.label.length; k++) under[start + k] = t.label[k];
    freeFrom = start + t.label.length + 1;
  }
  const indent = ' '.repeat(labelWidth + 1);
  lines.push(`${indent}└${axis.join('')}`);
  lines.push(`${indent} ${under.join('').trimEnd()}`);
  lines.push(
    `${indent} x: ${plot.x.label}${plot.x.log ? ' (log)' : ''}; y: ${plot.y.label}${plot.y.log ? ' (log)' : ''}`,
  );

  // The legend: marker and name of every series drawn, wrapped.
  // A series every one of whose cells another series overwrote says so (points at the same place, e.g. three end
  // points at one rate).
  const visible = new Set(cells.flat());
  const entries = series.map((s) => {
    const note = visible.has(s.index) ? '' : ' (hidden under the others)';
    return { text: `${s.marker} ${s.name}${note}`, shown: `${paint(s.marker, s.index, colour)} ${s.name}${note}` };
  });
  const left = plot.series.filter((s) => !series.some((d) => d.name === s.name)).map((s) => s.name);
  let line = '';
  let shown = '';
  const legend: string[] = [];
  for (const e of entries) {
    if (line && line.length + 3 + e.text.length > LEGEND_WIDTH) {
      legend.push(shown);
      line = '';
      shown = '';
    }
    line += `${line ? '   ' : ''}${e.text}`;
    shown += `${shown ? '   ' : ''}${e.shown}`;
  }
  if (shown) legend.push(shown);
  if (left.length) legend.push(`(nothing to draw for: ${left.join(', ')})`);
  for (const l of legend) lines.push(`${indent} ${l}`);
  return lines.join('\n');
}
