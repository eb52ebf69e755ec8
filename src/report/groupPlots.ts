import type { PlotSeries, PlotSpec } from '../claims/plotSpec.ts';

/** A plot and the claims that contributed to it. */
export interface GroupedPlot {
  /** The claims whose measurements hold this figure, in the order first seen. */
  claimIds: string[];
  plot: PlotSpec;
}

/** What makes two plots the same figure: kind, id, title and axes (a heatmap also its values). */
function figureKey(p: PlotSpec): string {
  return p.kind === 'line'
    ? JSON.stringify(['line', p.id, p.title, p.x, p.y])
    : JSON.stringify(['heatmap', p.id, p.title, p.rows, p.cols, p.xLabel, p.yLabel, p.values]);
}

/** What makes two series the same curve: name, style and every point. */
function seriesKey(s: PlotSeries): string {
  return JSON.stringify([s.name, s.style ?? 'line', s.x, s.y]);
}

/**
 * One plot per distinct figure, for the terminal: plots of several claims (or runs) that share id, title and axes are
 * drawn once, with every distinct series of theirs (a curve they all carry appears once; each claim's own points are
 * kept). Order: first appearance.
 */
export function groupPlots(entries: readonly { claimId: string; plot: PlotSpec }[]): GroupedPlot[] {
  const groups = new Map<string, GroupedPlot>();
  for (const { claimId, plot } of entries) {
    const key = figureKey(plot);
    const g = groups.get(key);
    if (!g) {
      groups.set(key, {
        claimIds: [claimId],
        plot: plot.kind === 'line' ? { ...plot, series: dedupeSeries(plot.series) } : plot,
      });
      continue;
    }
    if (!g.claimIds.includes(claimId)) g.claimIds.push(claimId);
    if (g.plot.kind === 'line' && plot.kind === 'line') {
      g.plot = { ...g.plot, series: dedupeSeries([...g.plot.series, ...plot.series]) };
    }
  }
  return [...groups.values()];
}

/** The series without repeats (same name, style and points), in order. */
function dedupeSeries(series: readonly PlotSeries[]): PlotSeries[] {
  const seen = new Set<string>();
  return series.filter((s) => {
    const k = seriesKey(s);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
