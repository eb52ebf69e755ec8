import type { PlotSpec } from '../claims/plotSpec.ts';

/** Width and height of rendered plots in pixels. */
const PLOT_WIDTH = 480;
const PLOT_HEIGHT = 300;

/** A vega-lite specification (kept loose: vega-lite validates it when compiling). */
export type VegaLiteSpec = Record<string, unknown>;

/**
 * Translates a PlotSpec into vega-lite: line plots as layered line/point/dashed marks coloured by series (non-positive
 * values dropped on log axes, where they cannot be drawn), heatmaps as `rect` marks with a diverging colour scale.
 */
export function plotToVegaLite(plot: PlotSpec): VegaLiteSpec {
  if (plot.kind === 'heatmap') {
    const values: { row: number; col: number; value: number }[] = [];
    for (let i = 0; i < plot.rows; i++)
      for (let j = 0; j < plot.cols; j++) values.push({ row: i, col: j, value: plot.values[i * plot.cols + j] });
    const side = Math.min(PLOT_WIDTH, Math.max(120, 6 * Math.max(plot.rows, plot.cols)));
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: plot.title,
      width: side,
      height: Math.round((side * plot.rows) / Math.max(plot.cols, 1)),
      data: { values },
      mark: { type: 'rect' },
      encoding: {
        x: { field: 'col', type: 'ordinal', title: plot.xLabel ?? 'column', axis: plot.cols > 24 ? null : {} },
        y: { field: 'row', type: 'ordinal', title: plot.yLabel ?? 'row', axis: plot.rows > 24 ? null : {} },
        color: { field: 'value', type: 'quantitative', scale: { scheme: 'redblue', domainMid: 0, reverse: true } },
      },
      config: { view: { stroke: null } },
    };
  }
  const values: { x: number; y: number; series: string }[] = [];
  const styleOf: Record<string, string> = {};
  for (const s of plot.series) {
    styleOf[s.name] = s.style ?? 'line';
    for (let i = 0; i < s.x.length; i++) {
      const x = s.x[i];
      const y = s.y[i];
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      if ((plot.x.log && x <= 0) || (plot.y.log && y <= 0)) continue;
      values.push({ x, y, series: s.name });
    }
  }
  const axis = (a: { label: string; log?: boolean }, field: 'x' | 'y') => ({
    field,
    type: 'quantitative',
    title: a.label,
    scale: a.log ? { type: 'log' } : { zero: false },
  });
  const layer = (style: string, mark: Record<string, unknown>) => ({
    transform: [
      {
        filter: { field: 'series', oneOf: plot.series.filter((s) => (s.style ?? 'line') === style).map((s) => s.name) },
      },
    ],
    mark,
    encoding: { x: axis(plot.x, 'x'), y: axis(plot.y, 'y'), color: { field: 'series', type: 'nominal', title: null } },
  });
  const layers = [];
  if (Object.values(styleOf).includes('line')) layers.push(layer('line', { type: 'line', strokeWidth: 2 }));
  if (Object.values(styleOf).includes('dashed'))
    layers.push(layer('dashed', { type: 'line', strokeDash: [6, 4], strokeWidth: 1.5 }));
  if (Object.values(styleOf).includes('points'))
    layers.push(layer('points', { type: 'point', filled: true, size: 30 }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: plot.title,
    width: PLOT_WIDTH,
    height: PLOT_HEIGHT,
    data: { values },
    layer: layers,
    config: { legend: { labelLimit: 360 } },
  };
}
