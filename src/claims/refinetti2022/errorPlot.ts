import type { PlotSpec } from '../plotSpec.ts';

/** One ε(t) curve of {@link errorPlot}. */
export interface ErrorCurve {
  name: string;
  times: readonly number[];
  error: readonly number[];
  /** Default 'line'. */
  style?: 'line' | 'points' | 'dashed';
}

/**
 * ε(t) on log time with dashed ε_PCA(m) levels, m = 0, 1, … (t = 0 is dropped from the log axis): the one plot helper
 * of the refinetti2022 ODE and simulation claims.
 */
export function errorPlot(
  id: string,
  title: string,
  curves: readonly ErrorCurve[],
  pcaLevels: readonly number[],
): PlotSpec {
  const series: { name: string; x: number[]; y: number[]; style?: 'line' | 'points' | 'dashed' }[] = curves.map((c) => {
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < c.times.length; i++) {
      if (c.times[i] > 0) {
        x.push(c.times[i]);
        y.push(c.error[i]);
      }
    }
    return { name: c.name, x, y, style: c.style ?? 'line' };
  });
  const positive = curves.flatMap((c) => c.times.filter((t) => t > 0));
  const lo = Math.min(...positive);
  const hi = Math.max(...positive);
  pcaLevels.forEach((level, m) => {
    series.push({ name: `ε_PCA(${m})`, x: [lo, hi], y: [level, level], style: 'dashed' });
  });
  return { kind: 'line', id, title, x: { label: 't = steps / D', log: true }, y: { label: 'ε', log: true }, series };
}
