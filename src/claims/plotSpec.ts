/** One curve or point set of a line plot. */
export interface PlotSeries {
  name: string;
  x: number[];
  y: number[];
  /** `line` (default) for theory curves, `points` for simulation, `dashed` for reference levels. */
  style?: 'line' | 'points' | 'dashed';
}

/** A plot a claim attaches to its measurement; the report renders it, the terminal shows line plots as ASCII. */
export type PlotSpec =
  | {
      kind: 'line';
      /** File-name-safe identifier, unique within the claim. */
      id: string;
      title: string;
      x: { label: string; log?: boolean };
      y: { label: string; log?: boolean };
      series: PlotSeries[];
    }
  | {
      kind: 'heatmap';
      id: string;
      title: string;
      rows: number;
      cols: number;
      /** Row-major values, length rows·cols. */
      values: number[];
      xLabel?: string;
      yLabel?: string;
    };
