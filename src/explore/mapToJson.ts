import { replayCommand } from '../report/buildReport.ts';
import type { ExploreMap, PointClass } from './exploreClaim.ts';

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

/** The map as JSON-safe data (`explore --json`, `map.json` in the report): NaN/Infinity become null. */
export interface ExploreMapJson {
  claimId: string;
  axes: ExploreMap['axes'];
  fixed: Record<string, unknown>;
  seedFields: string[];
  seed: number;
  lattice: number;
  resolution: number;
  evaluations: number;
  uniformEvaluations: number;
  budget: number;
  truncated: boolean;
  counts: Record<PointClass, number>;
  boundaryCells: ExploreMap['boundaryCells'];
  crossings: ExploreMap['crossings'];
  points: { x: number; y: number; class: PointClass; mean: number | null; standardError: number; samples: number }[];
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
    lattice: map.lattice,
    resolution: map.resolution,
    evaluations: map.evaluations,
    uniformEvaluations: map.uniformEvaluations,
    budget: map.budget,
    truncated: map.truncated,
    counts,
    boundaryCells: map.boundaryCells,
    crossings: map.crossings,
    points: map.points.map((p) => ({
      x: p.x,
      y: p.y,
      class: p.cls,
      mean: finite(p.mean),
      standardError: p.standardError,
      samples: p.ratios.length,
    })),
    failing: failingSamples(map, replayFlags),
  };
}
