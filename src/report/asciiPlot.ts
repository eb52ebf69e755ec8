import asciichart from 'asciichart';
import type { PlotSpec } from '../claims/plotSpec.ts';

/** Columns and rows of a terminal plot. */
const ASCII_WIDTH = 64;
const ASCII_HEIGHT = 12;
/** Colours for up to six series. */
const COLOURS = [
  asciichart.blue,
  asciichart.red,
  asciichart.green,
  asciichart.magenta,
  asciichart.yellow,
  asciichart.cyan,
];

/** Linear interpolation of (xs, ys) at x; NaN outside the data. */
function interpolate(xs: number[], ys: number[], x: number): number {
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

/**
 * A line plot as an ASCII chart (asciichart) for the terminal: every series resampled on a common x grid (logarithmic
 * when the x axis is), y on a log scale when the plot's y axis is. Heatmaps are not drawn in the terminal.
 */
export function asciiPlot(plot: PlotSpec, options: { colour?: boolean } = {}): string | undefined {
  if (plot.kind !== 'line' || plot.series.length === 0) return undefined;
  const tx = (v: number) => (plot.x.log ? Math.log10(v) : v);
  const ty = (v: number) => (plot.y.log ? Math.log10(v) : v);
  const series = plot.series
    .map((s) => {
      const pts = s.x
        .map((x, i) => [x, s.y[i]] as const)
        .filter(
          ([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!plot.x.log || x > 0) && (!plot.y.log || y > 0),
        )
        .map(([x, y]) => [tx(x), ty(y)] as const)
        .sort((a, b) => a[0] - b[0]);
      return { name: s.name, xs: pts.map((p) => p[0]), ys: pts.map((p) => p[1]) };
    })
    .filter((s) => s.xs.length > 0);
  if (series.length === 0) return undefined;
  // asciichart cannot draw gaps (a NaN breaks its range), so the grid spans the x-range every curve covers, and
  // series that do not cover it (single points, short runs) are listed as omitted: the SVG report shows them.
  const curves = series.filter((s) => s.xs.length >= 2);
  let xmin = Math.max(...curves.map((s) => s.xs[0]));
  let xmax = Math.min(...curves.map((s) => s.xs[s.xs.length - 1]));
  if (curves.length === 0 || !(xmax > xmin)) {
    xmin = Math.min(...series.map((s) => s.xs[0]));
    xmax = Math.max(...series.map((s) => s.xs[s.xs.length - 1]));
  }
  const grid = Array.from({ length: ASCII_WIDTH }, (_, i) => xmin + ((xmax - xmin) * i) / (ASCII_WIDTH - 1));
  const sampled = series.map((s) => ({ name: s.name, ys: grid.map((x) => interpolate(s.xs, s.ys, x)) }));
  const drawn = sampled.filter((s) => s.ys.every((v) => Number.isFinite(v)));
  const omitted = sampled.filter((s) => !s.ys.every((v) => Number.isFinite(v))).map((s) => s.name);
  if (drawn.length === 0) return undefined;
  const lines = drawn.map((s) => s.ys);
  // asciichart needs at least one finite value and a non-empty range; a single point or a flat line gets a padded range.
  const finite = lines.flat().filter((v) => Number.isFinite(v));
  if (finite.length === 0) return undefined;
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (!(hi > lo)) {
    const pad = Math.max(Math.abs(lo) * 1e-3, 1e-12);
    lo -= pad;
    hi += pad;
  }
  const colours = options.colour ? COLOURS.slice(0, lines.length) : undefined;
  let chart: string;
  try {
    chart = asciichart.plot(lines, {
      height: ASCII_HEIGHT,
      min: lo,
      max: hi,
      colors: colours,
      format: (v: number) => (plot.y.log ? `1e${v.toFixed(1)}` : v.toPrecision(3)).padStart(9),
    });
  } catch {
    return undefined; // a plot the terminal cannot draw is still written to the report as SVG
  }
  const legend =
    drawn
      .map(
        (s, i) =>
          `${options.colour ? COLOURS[i % COLOURS.length] : ''}■${options.colour ? asciichart.reset : ''} ${s.name}`,
      )
      .join('  ') + (omitted.length ? `  (in the report only: ${omitted.join(', ')})` : '');
  const xLabel = `${plot.x.label}${plot.x.log ? ' (log)' : ''}: ${plot.x.log ? (10 ** xmin).toPrecision(3) : xmin.toPrecision(3)} … ${plot.x.log ? (10 ** xmax).toPrecision(3) : xmax.toPrecision(3)}`;
  return `${plot.title}\n${chart}\n${' '.repeat(10)}${xLabel}; y: ${plot.y.label}${plot.y.log ? ' (log)' : ''}\n${' '.repeat(10)}${legend}`;
}
