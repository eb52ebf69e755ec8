import type { ExploreMap } from './exploreClaim.ts';
import { axisValue } from './exploreClaim.ts';

/** Width and height of the rendered map in pixels. */
const MAP_SIZE = 480;
/** The colour scale of the margin 1 − ratio is clipped to [−MARGIN_CLIP, MARGIN_CLIP] (ratio 0…2): beyond, saturated. */
const MARGIN_CLIP = 1;

/** Colours of the regime edge and then the guides (dark green for the regime, then orange, purple, brown). */
const CURVE_COLOURS = ['#1b7837', '#e08214', '#762a83', '#8c510a'];

/** A vega-lite specification (loose: vega-lite validates it when compiling). */
export type VegaLiteSpec = Record<string, unknown>;

/**
 * The map as a vega-lite layered chart: every quadtree leaf a rectangle coloured by the mean margin 1 − ratio of its
 * corners (blue passes, red fails, white on the boundary), the leaves that hold the boundary outlined in black, every
 * evaluated point marked by its class, the boundary crossings (interpolated on leaf edges) as black diamonds, and the
 * claim's regime edge and any `--guide` curves as small coloured dots (a legend names each). Log axes where the domain
 * says `log`.
 */
export function mapToVegaLite(map: ExploreMap): VegaLiteSpec {
  const [ax, ay] = map.axes;
  const byKey = new Map(map.points.map((p) => [`${p.i},${p.j}`, p]));
  const u = (n: number) => n / map.lattice;
  const cells = map.leaves.flatMap((c) => {
    const corners = [
      [c.i, c.j],
      [c.i + c.size, c.j],
      [c.i, c.j + c.size],
      [c.i + c.size, c.j + c.size],
    ].map(([i, j]) => byKey.get(`${i},${j}`));
    const margins = corners.filter((p) => p !== undefined).map((p) => 1 - p.mean);
    const finite = margins.filter(Number.isFinite);
    const margin =
      finite.length === margins.length && finite.length > 0
        ? finite.reduce((a, b) => a + b, 0) / finite.length
        : -MARGIN_CLIP;
    return [
      {
        x: axisValue({ ...ax, int: false }, u(c.i)),
        x2: axisValue({ ...ax, int: false }, u(c.i + c.size)),
        y: axisValue({ ...ay, int: false }, u(c.j)),
        y2: axisValue({ ...ay, int: false }, u(c.j + c.size)),
        margin: Math.max(-MARGIN_CLIP, Math.min(MARGIN_CLIP, margin)),
      },
    ];
  });
  const points = map.points.map((p) => ({ x: p.x, y: p.y, class: p.cls, samples: p.ratios.length }));
  const named = [
    ...(map.regime ? [{ name: `regime edge: ${map.regime.label}`, edge: map.regime.edge }] : []),
    ...map.guides.map((g) => ({ name: `guide: ${g.label}`, edge: g.edge })),
  ];
  const curveNames = named.map((c) => c.name);
  const curves = named.flatMap((c) => c.edge.map((pt) => ({ x: pt.x, y: pt.y, curve: c.name })));
  const scale = (a: { min: number; max: number; log: boolean }) =>
    a.log
      ? { type: 'log', domain: [a.min, a.max], nice: false }
      : { type: 'linear', domain: [a.min, a.max], nice: false, zero: false };
  const xEnc = {
    field: 'x',
    type: 'quantitative',
    title: `${ax.field}${ax.log ? ' (log)' : ''}`,
    scale: scale(ax),
  };
  const yEnc = {
    field: 'y',
    type: 'quantitative',
    title: `${ay.field}${ay.log ? ' (log)' : ''}`,
    scale: scale(ay),
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `${map.claimId}: margin 1 − error/allowed of the worst check`,
      subtitle:
        map.boundaryCells.length > 0
          ? `${map.evaluations} evaluations (a uniform grid: ${map.uniformEvaluations}); boundary located to 1/${map.lattice} of each axis`
          : `${map.evaluations} evaluations; no boundary found on the coarse grid (1/${map.coarse} of each axis)`,
    },
    width: MAP_SIZE,
    height: MAP_SIZE,
    layer: [
      {
        data: { values: cells },
        mark: { type: 'rect' },
        encoding: {
          x: xEnc,
          x2: { field: 'x2' },
          y: yEnc,
          y2: { field: 'y2' },
          color: {
            field: 'margin',
            type: 'quantitative',
            title: 'margin',
            scale: { scheme: 'redblue', domain: [-MARGIN_CLIP, MARGIN_CLIP], domainMid: 0 },
          },
        },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 14, stroke: 'black', strokeWidth: 0.5 },
        encoding: {
          x: xEnc,
          y: yEnc,
          shape: {
            field: 'class',
            type: 'nominal',
            title: 'point',
            scale: { domain: ['pass', 'fail', 'uncertain', 'error'], range: ['circle', 'cross', 'triangle', 'square'] },
          },
          fill: { value: 'white' },
        },
      },
      {
        data: { values: map.boundaryCells.map((c) => ({ x: c.xMin, x2: c.xMax, y: c.yMin, y2: c.yMax })) },
        mark: { type: 'rect', fillOpacity: 0, stroke: 'black', strokeWidth: 0.6 },
        encoding: { x: xEnc, x2: { field: 'x2' }, y: yEnc, y2: { field: 'y2' } },
      },
      ...(curves.length > 0
        ? [
            {
              data: { values: curves },
              mark: { type: 'circle', size: 5, opacity: 0.9 },
              encoding: {
                x: xEnc,
                y: yEnc,
                color: {
                  field: 'curve',
                  type: 'nominal',
                  title: 'curves',
                  scale: {
                    domain: curveNames,
                    range: curveNames.map((_, k) => CURVE_COLOURS[k % CURVE_COLOURS.length]),
                  },
                  legend: { orient: 'bottom', direction: 'vertical', labelLimit: MAP_SIZE },
                },
              },
            },
          ]
        : []),
      {
        data: { values: map.crossings },
        mark: { type: 'point', shape: 'diamond', filled: true, size: 18, color: 'black' },
        encoding: { x: xEnc, y: yEnc },
      },
    ],
    resolve: { scale: { color: 'independent' } },
    config: { view: { stroke: null } },
  };
}
