import { describe, expect, test } from 'vitest';
import type { PlotSeries, PlotSpec } from '../claims/plotSpec.ts';
import { limitCurves } from '../claims/shevchenko2023/limitCurves.ts';
import { asciiPlot, PLOT_MARKERS } from './asciiPlot.ts';
import { groupPlots } from './groupPlots.ts';
import { formatTicks, niceTicks } from './niceTicks.ts';

/** The y-axis labels of a rendered plot: the text before `┤` on the rows of the plot area. */
function yLabels(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.includes('┤'))
    .map((l) => l.slice(0, l.indexOf('┤')).trim());
}

/** The x-axis labels: the line under the axis line `└…`. */
function xLabels(text: string): string[] {
  const lines = text.split('\n');
  const axis = lines.findIndex((l) => l.includes('└'));
  return lines[axis + 1].trim().split(/\s+/);
}

const line = (series: PlotSeries[]): PlotSpec & { kind: 'line' } => ({
  kind: 'line',
  id: 'p',
  title: 'a plot',
  x: { label: 'x' },
  y: { label: 'y' },
  series,
});

describe('niceTicks and formatTicks', () => {
  test('a log axis over 1e-3..1e1 gets the decades, labelled 0.001 … 10, all distinct', () => {
    const ticks = niceTicks({ lo: 1e-3, hi: 10, log: true });
    expect(ticks).toEqual([1e-3, 1e-2, 1e-1, 1, 10]);
    expect(formatTicks(ticks)).toEqual(['0.001', '0.01', '0.1', '1', '10']);
  });
  test('a log axis spanning less than a decade gets 1-2-5 or linear ticks, never one label repeated', () => {
    const lo = 0.0386;
    const hi = 0.041;
    const ticks = niceTicks({ lo, hi, log: true });
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    for (const t of ticks) expect(t >= lo && t <= hi).toBe(true);
    const labels = formatTicks(ticks);
    expect(new Set(labels).size).toBe(labels.length);
  });
  test('a linear axis from a tiny negative number gets an exact 0 and no float noise', () => {
    const ticks = niceTicks({ lo: -5.55e-17, hi: 0.7 });
    expect(ticks[0]).toBe(0);
    expect(formatTicks(ticks)).toEqual(['0', '0.1', '0.2', '0.3', '0.4', '0.5', '0.6', '0.7']);
  });
  test('labels take the fewest digits that keep them distinct, exponent form outside [1e-3, 1e5)', () => {
    expect(formatTicks([0.0395, 0.04, 0.0405])).toEqual(['0.0395', '0.04', '0.0405']);
    expect(formatTicks([2e-7, 2.5e-7, 3e-7])).toEqual(['2e-7', '2.5e-7', '3e-7']);
    expect(formatTicks([1e5, 2e5])).toEqual(['1e5', '2e5']);
  });
});

describe('asciiPlot', () => {
  test('log y axis over 1e-3..1e1: every labelled row shows a distinct round value', () => {
    const xs = Array.from({ length: 41 }, (_, i) => i);
    const text = asciiPlot({
      ...line([{ name: 'decay', x: xs, y: xs.map((i) => 10 * 10 ** (-i / 10)) }]),
      y: { label: 'y', log: true },
    }) as string;
    const labels = yLabels(text);
    expect(labels).toEqual(['10', '1', '0.1', '0.01', '0.001']);
  });
  test('a flat line on a log axis (the plateau plot) gets several distinct labels, not 1e-1.4 on every row', () => {
    const L = 0.0398;
    const text = asciiPlot({
      ...line([
        { name: 'trained', x: [1000, 2000, 3000, 4000], y: [0.0399, 0.0397, 0.04, 0.039], style: 'points' },
        { name: 'L*', x: [0, 4000], y: [L, L], style: 'dashed' },
        { name: '+3%', x: [1000, 4000], y: [L * 1.03, L * 1.03], style: 'dashed' },
        { name: '−3%', x: [1000, 4000], y: [L * 0.97, L * 0.97], style: 'dashed' },
      ]),
      y: { label: 'loss', log: true },
    }) as string;
    const labels = yLabels(text);
    expect(labels.length).toBeGreaterThanOrEqual(3);
    expect(new Set(labels).size).toBe(labels.length);
    expect(text).not.toMatch(/1e-1\.4/);
  });
  test('a linear axis spanning tiny negatives shows 0 as 0 and round labels only', () => {
    const text = asciiPlot(line([{ name: 'a', x: [0, 1, 2, 3], y: [-5.55e-17, 0.1, 0.3, 0.5] }])) as string;
    expect(yLabels(text)).toEqual(['0.5', '0.4', '0.3', '0.2', '0.1', '0']);
    expect(text).not.toMatch(/e-17/);
  });
  test('the x axis has tick marks and distinct round labels, on linear and log axes', () => {
    const lin = asciiPlot(line([{ name: 'a', x: [0, 4000], y: [1, 2] }])) as string;
    expect(xLabels(lin)).toEqual(['0', '500', '1000', '1500', '2000', '2500', '3000', '3500', '4000']);
    expect((lin.match(/┬/g) ?? []).length).toBe(9);
    const log = asciiPlot({ ...line([{ name: 'a', x: [1e-3, 10], y: [1, 2] }]), x: { label: 'x', log: true } });
    expect(xLabels(log as string)).toEqual(['0.001', '0.01', '0.1', '1', '10']);
  });
  test('without colour every series has its own marker in the plot and the legend, and no ANSI escape', () => {
    const n = 10;
    const series = Array.from({ length: n }, (_, k) => ({
      name: `series ${k}`,
      x: [0, 1, 2],
      y: [k, k + 0.5, k + 1],
    }));
    const text = asciiPlot(line(series)) as string;
    expect(text).not.toContain('\x1b[');
    const body = text.split('\n').filter((l) => l.includes('│') || l.includes('┤'));
    for (let k = 0; k < n; k++) {
      const m = PLOT_MARKERS[k];
      expect(text).toContain(`${m} series ${k}`);
      expect(body.some((l) => l.slice(l.search(/[│┤]/) + 1).includes(m))).toBe(true);
    }
    expect(new Set(PLOT_MARKERS.slice(0, n)).size).toBe(n);
  });
  test('colour only adds ANSI escapes around the same markers', () => {
    const plot = line([
      { name: 'a', x: [0, 1], y: [0, 1] },
      { name: 'b', x: [0, 1], y: [1, 0], style: 'points' },
    ]);
    const plain = asciiPlot(plot) as string;
    const coloured = asciiPlot(plot, { colour: true }) as string;
    expect(coloured).toContain('\x1b[');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI escapes
    expect(coloured.replace(/\x1b\[\d+m/g, '')).toBe(plain);
  });
  test('single points, partial ranges, flat lines and NaN are drawn where they are (nothing crashes)', () => {
    const text = asciiPlot({
      ...line([
        { name: 'curve', x: [1, 10, 100], y: [0.3, 0.3, 0.3] },
        { name: 'one point', x: [5], y: [0.2], style: 'points' },
        { name: 'partial', x: [20, 30], y: [Number.NaN, 0.1] },
        { name: 'nothing', x: [1], y: [Number.NaN] },
      ]),
      x: { label: 'x', log: true },
    }) as string;
    expect(text).toContain('+ one point');
    expect(text).toContain('o partial');
    expect(text).toContain('nothing to draw for: nothing');
  });
  test('a series of 300 000 points is drawn (no spread of the whole array into Math.min)', () => {
    const xs = Array.from({ length: 300_000 }, (_, i) => i + 1);
    const text = asciiPlot({
      ...line([{ name: 'long', x: xs, y: xs.map((x) => 1 / x) }]),
      y: { label: 'y', log: true },
    });
    expect(text).toContain('* long');
  });
  test('a series drawn entirely under another one says so in the legend', () => {
    const text = asciiPlot(
      line([
        { name: 'curve', x: [0, 1], y: [0, 1] },
        { name: 'first point', x: [0.5], y: [0.5], style: 'points' },
        { name: 'same point', x: [0.5], y: [0.5], style: 'points' },
      ]),
    ) as string;
    expect(text).toContain('+ first point   o same point (hidden under the others)');
  });
});

describe('groupPlots', () => {
  test('the R_opt figure four claims share is drawn once, with the curves once and each claim’s point', () => {
    const ids = ['a.gd', 'a.reduced', 'a.tied', 'a.fashion'];
    const entries = ids.map((claimId, k) => ({
      claimId,
      plot: limitCurves({ name: `point ${k}`, rate: 0.5 + k / 4, risk: 0.2 }),
    }));
    const grouped = groupPlots(entries);
    expect(grouped).toHaveLength(1);
    expect(grouped[0].claimIds).toEqual(ids);
    const plot = grouped[0].plot;
    expect(plot.kind === 'line' && plot.series.map((s) => s.name)).toEqual([
      'R_opt(r)',
      'Shannon 2^(−2r)',
      'random encoder (MP)',
      'point 0',
      'point 1',
      'point 2',
      'point 3',
    ]);
  });
  test('distinct figures stay apart, and one claim’s figure is not merged with a different one', () => {
    const a = line([{ name: 'a', x: [0, 1], y: [0, 1] }]);
    const b = { ...a, title: 'another plot' };
    expect(
      groupPlots([
        { claimId: 'c.one', plot: a },
        { claimId: 'c.one', plot: a },
        { claimId: 'c.two', plot: b },
      ]).map((g) => g.claimIds),
    ).toEqual([['c.one'], ['c.two']]);
  });
});
