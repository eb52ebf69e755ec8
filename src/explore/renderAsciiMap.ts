import type { ExploreMap, ExplorePoint, PointClass } from './exploreClaim.ts';
import { axisUnit, axisValue } from './exploreClaim.ts';
import type { CurvePoint } from './predicateEdge.ts';

/** Glyph of each class in the terminal map. */
export const GLYPHS: Readonly<Record<PointClass, string>> = { pass: '·', fail: '#', uncertain: '?', error: '!' };
/** Glyph of the claim's regime edge, drawn over the classes. */
export const REGIME_GLYPH = '*';
/** Glyph of a comparison guide (`--guide`), drawn over the classes and under the regime edge. */
export const GUIDE_GLYPH = '+';

/** Options of {@link renderAsciiMap}. */
export interface AsciiMapOptions {
  /** Columns of the map (default 64). */
  width?: number;
  /** Rows of the map (default 24). */
  height?: number;
}

/** Ticks labelled on each axis (ends and middle). */
const TICKS = [0, 0.5, 1];

function fmt(v: number): string {
  return Number.parseFloat(v.toPrecision(3)).toString();
}

/**
 * The map as text: each character shows the class of the nearest evaluated corner of the quadtree leaf that contains
 * it (· pass, # fail, ? uncertain, ! error); x runs left to right, y bottom to top, ticks at the ends and the middle,
 * `(log)` on log axes. The claim's regime edge is drawn over it as `*` and each `--guide` curve as `+`, in every
 * character cell that a point of the curve falls in; the legend names them.
 */
export function renderAsciiMap(map: ExploreMap, options: AsciiMapOptions = {}): string {
  const width = options.width ?? 64;
  const height = options.height ?? 24;
  const [ax, ay] = map.axes;
  const byKey = new Map<string, ExplorePoint>(map.points.map((p) => [`${p.i},${p.j}`, p]));
  const glyphAt = (u: number, v: number): string => {
    const i = u * map.lattice;
    const j = v * map.lattice;
    let best: ExplorePoint | undefined;
    let bestSize = Number.POSITIVE_INFINITY;
    for (const c of map.leaves) {
      if (i < c.i || i > c.i + c.size || j < c.j || j > c.j + c.size || c.size >= bestSize) continue;
      const ci = i - c.i < c.size / 2 ? c.i : c.i + c.size;
      const cj = j - c.j < c.size / 2 ? c.j : c.j + c.size;
      const p = byKey.get(`${ci},${cj}`);
      if (p) {
        best = p;
        bestSize = c.size;
      }
    }
    return best ? GLYPHS[best.cls] : ' ';
  };
  // Character cells a curve passes through, keyed `row,column`.
  const cellsOf = (edge: readonly CurvePoint[]) => {
    const cells = new Set<string>();
    for (const pt of edge) {
      const u = axisUnit(ax, pt.x);
      const v = axisUnit(ay, pt.y);
      const c = Math.min(width - 1, Math.max(0, Math.floor(u * width)));
      const r = Math.min(height - 1, Math.max(0, Math.floor((1 - v) * height)));
      cells.add(`${r},${c}`);
    }
    return cells;
  };
  const regimeCells = map.regime ? cellsOf(map.regime.edge) : new Set<string>();
  const guideCells = cellsOf(map.guides.flatMap((g) => g.edge));
  const yLabels = TICKS.map((t) => fmt(axisValue(ay, t)));
  const pad = Math.max(...yLabels.map((l) => l.length));
  const lines: string[] = [`${ay.field}${ay.log ? ' (log)' : ''}`];
  for (let r = 0; r < height; r++) {
    const v = 1 - (r + 0.5) / height;
    let label = '';
    if (r === 0) label = yLabels[2];
    else if (r === Math.floor(height / 2)) label = yLabels[1];
    else if (r === height - 1) label = yLabels[0];
    let row = '';
    for (let c = 0; c < width; c++) {
      const key = `${r},${c}`;
      row += regimeCells.has(key) ? REGIME_GLYPH : guideCells.has(key) ? GUIDE_GLYPH : glyphAt((c + 0.5) / width, v);
    }
    lines.push(`${label.padStart(pad)} │${row}`);
  }
  lines.push(`${' '.repeat(pad)} └${'─'.repeat(width)}`);
  const xLabels = TICKS.map((t) => fmt(axisValue(ax, t)));
  let axisLine = ' '.repeat(pad + 2 + width);
  const place = (text: string, at: number) => {
    const start = Math.max(0, Math.min(axisLine.length - text.length, at));
    axisLine = axisLine.slice(0, start) + text + axisLine.slice(start + text.length);
  };
  place(xLabels[0], pad + 2);
  place(xLabels[1], pad + 2 + Math.floor(width / 2) - Math.floor(xLabels[1].length / 2));
  place(xLabels[2], pad + 2 + width - xLabels[2].length);
  lines.push(axisLine.trimEnd());
  lines.push(`${' '.repeat(pad + 2)}${ax.field}${ax.log ? ' (log)' : ''}`);
  lines.push(
    `${GLYPHS.pass} pass  ${GLYPHS.fail} fail  ${GLYPHS.uncertain} uncertain  ${GLYPHS.error} error   ` +
      `resolution 1/${map.lattice} of each axis${ax.log || ay.log ? ' (of log range on log axes)' : ''}`,
  );
  if (map.regime) {
    lines.push(
      `${REGIME_GLYPH} the claim's regime edge (${map.regime.label})` +
        `${map.regime.edge.length === 0 ? `: not on this slice (the regime holds on ${map.points[0]?.inRegime ? 'all' : 'none'} of it)` : ''}`,
    );
  }
  for (const g of map.guides)
    lines.push(`${GUIDE_GLYPH} guide ${g.label}${g.edge.length === 0 ? ': not on this slice' : ''}`);
  return lines.join('\n');
}
