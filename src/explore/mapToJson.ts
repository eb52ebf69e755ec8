import { replayCommand } from '../report/buildReport.ts';
import type { ExploreMap, PointClass } from './exploreClaim.ts';
import type { CurvePoint } from './predicateEdge.ts';

/** A failing (or erroring) sample of the map, with the command that replays it. */
export interface FailingSample {
  x: number;
  y: number;
  seed: number;
  status: 'fail' | 'error';
  /** Worst check's error/allowed (null for an error or a non-finite ratio). */
  ratio: number | null;
  /** The worst check's name, or the error's message. */
  why: string;
  replay: string;
}

/** One point of the map as JSON. */
export interface ExplorePointJson {
  /** Lattice coordinates (0…lattice) on the finest grid. */
  i: number;
  j: number;
  x: number;
  y: number;
  class: PointClass;
  mean: number | null;
  standardError: number;
  samples: number;
  /** Worst-check ratio of each sample (null for an error or a non-finite ratio). */
  ratios: (number | null)[];
  /** Whether the claim's regime holds here (only when the claim declares a regime). */
  inRegime?: boolean;
}

/**
 * The map as JSON-safe data (`explore --json`, `map.json` in the report): NaN/Infinity become null. It holds
 * everything the renderers and `mergeMaps` need (points with lattice coordinates and samples, leaves), so a map can be
 * merged from shards and re-drawn from its JSON alone (`mapFromJson`).
 */
export interface ExploreMapJson
  extends Pick<
    ExploreMap,
    | 'claimId'
    | 'axes'
    | 'fixed'
    | 'seedFields'
    | 'seed'
    | 'coarse'
    | 'maxDepth'
    | 'lattice'
    | 'shard'
    | 'resolution'
    | 'evaluations'
    | 'uniformEvaluations'
    | 'budget'
    | 'truncated'
    | 'boundaryCells'
    | 'crossings'
    | 'leaves'
  > {
  counts: Record<PointClass, number>;
  /**
   * The claim's regime on this slice: its description and the points of its edge (where `regime.holds` changes,
   * located by bisection on a 129 × 129 grid); each point says `inRegime`. Absent when the claim declares no regime.
   */
  regime?: { description: string; edge: CurvePoint[] };
  /** Comparison curves (`--guide`): the equation and points of the curve. */
  guides: { expression: string; edge: CurvePoint[] }[];
  points: ExplorePointJson[];
  failing: FailingSample[];
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/**
 * Every failing sample of the map, with its replay command, in point order. `replayFlags` is appended to each command
 * (e.g. ` --claims my-claims.ts` for a user's claim).
 */
export function failingSamples(map: ExploreMap, replayFlags = ''): FailingSample[] {
  return map.points.flatMap((p) =>
    p.failures.map((r): FailingSample => {
      const judged = r.status === 'pass' || r.status === 'fail';
      return {
        x: p.x,
        y: p.y,
        seed: r.seed,
        status: r.status === 'fail' ? 'fail' : 'error',
        ratio: judged ? finite(r.ratio) : null,
        why: judged
          ? r.measurement.checks[r.measurement.worst].name
          : r.status === 'error'
            ? r.error.message
            : r.status === 'skipped'
              ? r.reason
              : '',
        replay: `${replayCommand(r)}${replayFlags}`,
      };
    }),
  );
}

/** The JSON form of a map (`replayFlags`: see {@link failingSamples}). */
export function mapToJson(map: ExploreMap, replayFlags = ''): ExploreMapJson {
  const counts: Record<PointClass, number> = { pass: 0, fail: 0, uncertain: 0, error: 0 };
  for (const p of map.points) counts[p.cls]++;
  return {
    claimId: map.claimId,
    axes: map.axes,
    fixed: map.fixed,
    seedFields: map.seedFields,
    seed: map.seed,
    coarse: map.coarse,
    maxDepth: map.maxDepth,
    lattice: map.lattice,
    ...(map.shard ? { shard: map.shard } : {}),
    resolution: map.resolution,
    evaluations: map.evaluations,
    uniformEvaluations: map.uniformEvaluations,
    budget: map.budget,
    truncated: map.truncated,
    counts,
    boundaryCells: map.boundaryCells,
    crossings: map.crossings,
    ...(map.regime ? { regime: { description: map.regime.label, edge: map.regime.edge } } : {}),
    guides: map.guides.map((g) => ({ expression: g.label, edge: g.edge })),
    points: map.points.map((p) => ({
      i: p.i,
      j: p.j,
      x: p.x,
      y: p.y,
      class: p.cls,
      mean: finite(p.mean),
      standardError: p.standardError,
      samples: p.ratios.length,
      ratios: p.ratios.map(finite),
      ...(p.inRegime !== undefined ? { inRegime: p.inRegime } : {}),
    })),
    leaves: map.leaves,
    failing: failingSamples(map, replayFlags),
  };
}

/**
 * A map back from its JSON, for the renderers (ASCII, vega-lite) and `mergeMaps`. The failing runs are not rebuilt
 * (each point's `failures` is empty): they stay in the JSON's `failing` list, with their replay commands.
 */
export function mapFromJson(json: ExploreMapJson): ExploreMap {
  return {
    claimId: json.claimId,
    axes: json.axes,
    fixed: json.fixed,
    seedFields: json.seedFields,
    seed: json.seed,
    coarse: json.coarse,
    maxDepth: json.maxDepth,
    lattice: json.lattice,
    ...(json.shard ? { shard: json.shard } : {}),
    resolution: json.resolution,
    evaluations: json.evaluations,
    uniformEvaluations: json.uniformEvaluations,
    budget: json.budget,
    truncated: json.truncated,
    points: json.points.map((p) => ({
      i: p.i,
      j: p.j,
      x: p.x,
      y: p.y,
      ratios: p.ratios.map((r) => r ?? Number.NaN),
      mean: p.mean ?? Number.NaN,
      standardError: p.standardError,
      cls: p.class,
      failures: [],
      ...(p.inRegime !== undefined ? { inRegime: p.inRegime } : {}),
    })),
    leaves: json.leaves,
    boundaryCells: json.boundaryCells,
    crossings: json.crossings,
    ...(json.regime ? { regime: { label: json.regime.description, edge: json.regime.edge } } : {}),
    guides: json.guides.map((g) => ({ label: g.expression, edge: g.edge })),
  };
}
