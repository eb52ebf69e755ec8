import type { ExploreAxis } from './exploreClaim.ts';
import { axisValue } from './exploreClaim.ts';

/** A point on a curve drawn on a map, in axis values. */
export interface CurvePoint {
  x: number;
  y: number;
}

/**
 * Grid lines per axis on which a predicate's edge is searched (a 129 × 129 grid of the unit square): a curve is
 * found wherever it crosses a grid line, so a region of the other side narrower than 1/128 of an axis can be missed.
 * Holds evaluations are cheap (no run of the claim): 2·128·129 bisections of at most {@link BISECTIONS} steps.
 */
export const EDGE_GRID = 128;
/** Bisection steps on a grid edge: the edge point is located to 2⁻³⁰ of a grid step (far below a pixel). */
const BISECTIONS = 30;

/**
 * Where a boolean predicate of the two axis values changes between neighbouring points of a grid over the map
 * (`EDGE_GRID` cells per axis), each crossing located by bisection along its grid edge: the points of the curve that
 * separates where `holds` is true from where it is false (a claim's regime edge, or a guide line). On an int axis the
 * predicate is evaluated at integers, and a crossing lies midway between the two integers. Deterministic; ordered by
 * grid edge (rows of horizontal edges, then columns of vertical ones).
 */
export function predicateEdge(
  axes: readonly [ExploreAxis, ExploreAxis],
  holds: (x: number, y: number) => boolean,
): CurvePoint[] {
  const [ax, ay] = axes;
  const n = EDGE_GRID;
  const at = (u: number, v: number) => holds(axisValue(ax, u), axisValue(ay, v));
  const grid: boolean[][] = [];
  for (let a = 0; a <= n; a++) {
    const col: boolean[] = [];
    for (let b = 0; b <= n; b++) col.push(at(a / n, b / n));
    grid.push(col);
  }
  const out: CurvePoint[] = [];
  // Bisect between unit coordinates (u0, v0) (where holds = h0) and (u1, v1) along one axis.
  const locate = (u0: number, v0: number, u1: number, v1: number, h0: boolean): CurvePoint => {
    const alongX = v0 === v1;
    const axis = alongX ? ax : ay;
    let lo = 0;
    let hi = 1;
    if (!axis.int) {
      for (let k = 0; k < BISECTIONS; k++) {
        const t = (lo + hi) / 2;
        if (at(u0 + t * (u1 - u0), v0 + t * (v1 - v0)) === h0) lo = t;
        else hi = t;
      }
    }
    const t = (lo + hi) / 2;
    const free = (a: ExploreAxis, u: number) => axisValue({ ...a, int: false }, u);
    return { x: free(ax, u0 + t * (u1 - u0)), y: free(ay, v0 + t * (v1 - v0)) };
  };
  for (let b = 0; b <= n; b++)
    for (let a = 0; a < n; a++)
      if (grid[a][b] !== grid[a + 1][b]) out.push(locate(a / n, b / n, (a + 1) / n, b / n, grid[a][b]));
  for (let a = 0; a <= n; a++)
    for (let b = 0; b < n; b++)
      if (grid[a][b] !== grid[a][b + 1]) out.push(locate(a / n, b / n, a / n, (b + 1) / n, grid[a][b]));
  return out;
}
