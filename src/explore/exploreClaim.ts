/**
 * The regime-map engine behind `aecheck explore`: locates the boundary between PASS and FAIL of one claim on a 2-D
 * slice of its declared domain, spending the evaluations on the boundary rather than the interior.
 *
 * Theory-free and claim-agnostic: it sees a claim only through its `domain`, its `defaults` and an evaluator that
 * runs it. The signal is the worst check's ratio error/allowed (≤ 1 passes, docs/verdicts.md); the boundary is where
 * ratio − 1 changes sign.
 *
 * Algorithm (an adaptive quadtree on the unit square, log-scaled where the domain says `log`):
 * 1. evaluate a coarse grid of `coarse × coarse` cells (`(coarse + 1)²` points);
 * 2. a point is `pass`, `fail` or `uncertain` (|mean ratio − 1| ≤ z·SE, the standard error estimated from re-runs with
 *    different seeds), or `error` (the run threw or gave a non-finite ratio: it counts as FAIL for the boundary);
 * 3. uncertain points get more samples (doubling, up to `maxSamples`);
 * 4. a cell whose corners are not all of one class (pass vs fail, or any uncertain) is split in four, level by level,
 *    until `maxDepth` or the budget is spent. Every leaf cell that still mixes classes holds the boundary, which is
 *    thereby located to within one finest cell (`resolution`).
 *
 * Same claim, slice, seed and options ⇒ same evaluations in the same order ⇒ the same map.
 */
import { ValidationError } from '../core/errors.ts';
import type { AnyClaim, ClaimResult, DomainField } from '../claims/claim.ts';
import { didYouMean } from '../core/didYouMean.ts';
import type { Guide } from './parseGuide.ts';
import { type CurvePoint, predicateEdge } from './predicateEdge.ts';

/** Coarse cells per axis by default: a 5 × 5 grid of points. */
export const DEFAULT_COARSE = 4;
/** Quadtree levels below the coarse grid by default (finest cell: 1/(4·2⁴) = 1/64 of each axis). */
export const DEFAULT_MAX_DEPTH = 4;
/** Samples per point at most (an uncertain point doubles its samples up to this). */
export const DEFAULT_MAX_SAMPLES = 8;
/**
 * A point is uncertain when |mean ratio − 1| ≤ z·SE. z = 2: a point whose true ratio is on the other side of 1 is
 * called with the wrong sign with probability ≲ 2.3% per point (one-sided normal tail), and is sampled more instead.
 */
export const DEFAULT_UNCERTAIN_Z = 2;
/** Step between the run seeds of successive samples of one point (the golden-ratio increment, odd). */
const SAMPLE_SEED_STEP = 0x9e3779b9;

/** One evaluation request: parameters (complete, validated by the runner) and the run seed. */
export interface EvaluationRequest {
  params: Record<string, unknown>;
  seed: number;
}

/** Runs a batch of evaluations (in this thread or on the worker pool) and returns results in request order. */
export type Evaluator = (requests: readonly EvaluationRequest[]) => Promise<ClaimResult[]>;

/** A numeric axis of the slice, resolved from the domain. */
export interface ExploreAxis {
  field: string;
  min: number;
  max: number;
  log: boolean;
  int: boolean;
}

/** Class of an evaluated point. */
export type PointClass = 'pass' | 'fail' | 'uncertain' | 'error';

/** One evaluated point of the map. */
export interface ExplorePoint {
  /** Lattice coordinates (0…`lattice`) on the finest grid. */
  i: number;
  j: number;
  /** Axis values (after int snapping). */
  x: number;
  y: number;
  /** Worst-check ratio of each sample (NaN for an error or a non-finite ratio). */
  ratios: number[];
  /** Mean of the finite ratios (NaN when none). */
  mean: number;
  /** Standard error of the mean (0 with one sample). */
  standardError: number;
  cls: PointClass;
  /** The failing (or erroring) samples: the results to replay. */
  failures: ClaimResult[];
  /** Whether the claim's regime holds here (absent when the claim declares no regime). */
  inRegime?: boolean;
}

/** A curve drawn on the map: the claim's regime edge, or a comparison guide. */
export interface MapCurve {
  /** The regime's description, or the guide's equation. */
  label: string;
  /** Points of the curve (see {@link predicateEdge}), in axis values. */
  edge: CurvePoint[];
}

/** A leaf of the quadtree: lattice corner (i, j), side `size` (lattice units), and whether its corners disagree. */
export interface ExploreCell {
  i: number;
  j: number;
  size: number;
  depth: number;
  mixed: boolean;
}

/** A boundary crossing on a leaf edge, linearly interpolated in the unit square where ratio − 1 changes sign. */
export interface BoundaryCrossing {
  x: number;
  y: number;
}

/** The map. */
export interface ExploreMap {
  claimId: string;
  axes: [ExploreAxis, ExploreAxis];
  /** Values of the other fields. */
  fixed: Record<string, unknown>;
  /** `seed` fields that follow each sample's run seed (neither mapped nor fixed), so re-runs are independent draws. */
  seedFields: string[];
  seed: number;
  coarse: number;
  maxDepth: number;
  /** Finest cells per axis: coarse·2^maxDepth. */
  lattice: number;
  /** The part of the map this is (absent for a whole map); see {@link ExploreOptions.shard}. */
  shard?: { index: number; count: number };
  /** Side of the finest cell as a fraction of each axis (of log(max/min) on a log axis). */
  resolution: number;
  /** Evaluations spent (runs of the claim). */
  evaluations: number;
  /**
   * Runs a uniform grid at the finest resolution with the same initial samples would need: (lattice + 1)² · samples,
   * an int axis counting at most its distinct integers.
   */
  uniformEvaluations: number;
  budget: number;
  /** True when the budget ran out before every boundary cell reached `maxDepth`. */
  truncated: boolean;
  points: ExplorePoint[];
  leaves: ExploreCell[];
  /** Leaves that still mix classes: each contains part of the boundary. */
  boundaryCells: { xMin: number; xMax: number; yMin: number; yMax: number; depth: number }[];
  crossings: BoundaryCrossing[];
  /**
   * The claim's regime edge on this slice (where `regime.holds` changes), absent when the claim declares no regime.
   * The map covers both sides: the edge is what the claim asserts, the PASS/FAIL boundary what the runs show.
   */
  regime?: MapCurve;
  /** Comparison curves given with `--guide` (in the order given). */
  guides: MapCurve[];
}

/** Options of {@link exploreClaim}. */
export interface ExploreOptions {
  claim: AnyClaim;
  /** Two numeric (int or float) domain fields. */
  axes: readonly [string, string];
  /** Values of other fields (default: the claim's defaults). Keys must be domain fields other than the axes. */
  fixed?: Record<string, unknown>;
  /** Evaluations at most (runs of the claim). Must cover the coarse grid. */
  budget: number;
  /** Base run seed (default 1). */
  seed?: number;
  /** Coarse cells per axis (default {@link DEFAULT_COARSE}). */
  coarse?: number;
  /** Quadtree levels below the coarse grid (default {@link DEFAULT_MAX_DEPTH}). */
  maxDepth?: number;
  /** Samples per point at first (default: 2 for a `statistical` claim, whose runs are noisy; else 1). */
  samples?: number;
  /** Samples per point at most (default {@link DEFAULT_MAX_SAMPLES}). */
  maxSamples?: number;
  /** z of the uncertainty band (default {@link DEFAULT_UNCERTAIN_Z}). */
  z?: number;
  /**
   * Part `index` of `count` (1 ≤ index ≤ count ≤ coarse) of the map (default: the whole map): the coarse cells of
   * columns ⌊(index−1)·coarse/count⌋ … ⌊index·coarse/count⌋ − 1 along x, refined as in the whole map. A cell is refined
   * from its own corners only and every run depends only on its parameters and seed, so the shards' leaves and points
   * together are those of the unsharded map (`mergeMaps`); the points on a column two strips share are run by both.
   */
  shard?: { index: number; count: number };
  /** Comparison curves to draw (default none; see `parseGuide`). */
  guides?: readonly Guide[];
  evaluate: Evaluator;
}

/** Resolves an axis name to a numeric domain field, or throws a ValidationError naming `--axes`. */
export function resolveAxis(claim: AnyClaim, name: string): ExploreAxis {
  const domain = claim.domain as Record<string, DomainField>;
  const field = domain[name];
  const numeric = Object.entries(domain)
    .filter(([, f]) => f.kind === 'int' || f.kind === 'float')
    .map(([k]) => k);
  if (!field) {
    throw new ValidationError({
      field: '--axes',
      received: name,
      expected: `a numeric field of ${claim.id}'s domain: ${numeric.join(', ') || '(none)'}`,
      hint: didYouMean(name, Object.keys(domain), `see \`aecheck list --claim ${claim.id}\``),
    });
  }
  if (field.kind !== 'int' && field.kind !== 'float') {
    throw new ValidationError({
      field: '--axes',
      received: name,
      expected: `a numeric (int or float) field, but ${name} is a ${field.kind} field; numeric fields: ${numeric.join(', ') || '(none)'}`,
      hint: `fix a ${field.kind} field with --fixed ${name}=<value> and map two numeric fields`,
    });
  }
  if (field.min === field.max) {
    throw new ValidationError({
      field: '--axes',
      received: name,
      expected: `a field with a range, but ${name} is fixed at ${field.min}`,
      hint: 'choose another field',
    });
  }
  return {
    field: name,
    min: field.min,
    max: field.max,
    log: field.log === true,
    int: field.kind === 'int',
  };
}

/** An axis value at the unit coordinate u ∈ [0, 1] (log-uniform on a log axis; rounded on an int axis). */
export function axisValue(axis: ExploreAxis, u: number): number {
  const v = axis.log
    ? Math.exp(Math.log(axis.min) + u * (Math.log(axis.max) - Math.log(axis.min)))
    : axis.min + u * (axis.max - axis.min);
  const clamped = Math.min(axis.max, Math.max(axis.min, v));
  return axis.int ? Math.round(clamped) : clamped;
}

/** The unit coordinate of an axis value (inverse of {@link axisValue} without rounding). */
export function axisUnit(axis: ExploreAxis, v: number): number {
  return axis.log
    ? (Math.log(v) - Math.log(axis.min)) / (Math.log(axis.max) - Math.log(axis.min))
    : (v - axis.min) / (axis.max - axis.min);
}

/** Mean and standard error of the finite values. */
function meanAndSe(xs: readonly number[]): { mean: number; se: number } {
  const f = xs.filter(Number.isFinite);
  if (f.length === 0) return { mean: Number.NaN, se: 0 };
  const mean = f.reduce((a, b) => a + b, 0) / f.length;
  if (f.length < 2) return { mean, se: 0 };
  const variance = f.reduce((a, b) => a + (b - mean) ** 2, 0) / (f.length - 1);
  return { mean, se: Math.sqrt(variance / f.length) };
}

/** Sign of a class for the boundary: pass −1, fail/error +1, uncertain 0. */
function signOf(cls: PointClass): number {
  return cls === 'pass' ? -1 : cls === 'uncertain' ? 0 : 1;
}

/** Order of leaves in a map: by row, then column, then size (so that a merged map lists them as an unsharded one). */
export function compareCells(a: ExploreCell, b: ExploreCell): number {
  return a.j - b.j || a.i - b.i || a.size - b.size;
}

/**
 * The boundary of a map from its leaves and points: the leaves whose corners mix classes (as axis ranges), and the
 * crossings, where ratio − 1 changes sign on a leaf edge between a pass and a fail (or error) corner, linearly
 * interpolated. Leaves are visited in the order given; an edge shared by two leaves counts once.
 */
export function boundaryOf(
  axes: readonly [ExploreAxis, ExploreAxis],
  lattice: number,
  leaves: readonly ExploreCell[],
  points: readonly Pick<ExplorePoint, 'i' | 'j' | 'cls' | 'mean'>[],
): Pick<ExploreMap, 'boundaryCells' | 'crossings'> {
  const byKey = new Map(points.map((p) => [`${p.i},${p.j}`, p]));
  const at = (i: number, j: number) => {
    const p = byKey.get(`${i},${j}`);
    if (!p) throw new Error(`explore: leaf corner (${i}, ${j}) was not evaluated`);
    return p;
  };
  const unitOf = (n: number) => n / lattice;
  const free = (a: ExploreAxis, u: number) => axisValue({ ...a, int: false }, u);
  const crossings: BoundaryCrossing[] = [];
  const seen = new Set<string>();
  const mixed: ExploreCell[] = [];
  for (const c of leaves) {
    const [p00, p10, p01, p11] = [
      at(c.i, c.j),
      at(c.i + c.size, c.j),
      at(c.i, c.j + c.size),
      at(c.i + c.size, c.j + c.size),
    ];
    const signs = new Set([p00, p10, p01, p11].map((p) => signOf(p.cls)));
    if (signs.size > 1 || signs.has(0)) mixed.push(c);
    for (const [p, q] of [
      [p00, p10],
      [p01, p11],
      [p00, p01],
      [p10, p11],
    ]) {
      const key = `${p.i},${p.j}-${q.i},${q.j}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const sp = signOf(p.cls);
      const sq = signOf(q.cls);
      if (sp === 0 || sq === 0 || sp === sq) continue;
      const dp = p.mean - 1;
      const dq = q.mean - 1;
      const t = Number.isFinite(dp) && Number.isFinite(dq) && dp !== dq ? dp / (dp - dq) : 0.5;
      crossings.push({
        x: free(axes[0], unitOf(p.i + t * (q.i - p.i))),
        y: free(axes[1], unitOf(p.j + t * (q.j - p.j))),
      });
    }
  }
  return {
    boundaryCells: mixed.map((c) => ({
      xMin: free(axes[0], unitOf(c.i)),
      xMax: free(axes[0], unitOf(c.i + c.size)),
      yMin: free(axes[1], unitOf(c.j)),
      yMax: free(axes[1], unitOf(c.j + c.size)),
      depth: c.depth,
    })),
    crossings,
  };
}

/** Builds the map of one claim over a 2-D slice (see the module comment for the algorithm). */
export async function exploreClaim(options: ExploreOptions): Promise<ExploreMap> {
  const { claim, evaluate } = options;
  const domain = claim.domain as Record<string, DomainField>;
  if (options.axes[0] === options.axes[1]) {
    throw new ValidationError({
      field: '--axes',
      received: options.axes.join(','),
      expected: 'two different fields',
      hint: 'give --axes A,B with A ≠ B',
    });
  }
  const axes: [ExploreAxis, ExploreAxis] = [resolveAxis(claim, options.axes[0]), resolveAxis(claim, options.axes[1])];
  const fixedIn = options.fixed ?? {};
  for (const key of Object.keys(fixedIn)) {
    if (!(key in domain)) {
      throw new ValidationError({
        field: '--fixed',
        received: key,
        expected: `a field of ${claim.id}'s domain: ${Object.keys(domain).join(', ')}`,
        hint: didYouMean(key, Object.keys(domain), `see \`aecheck list --claim ${claim.id}\``),
      });
    }
    if (options.axes.includes(key)) {
      throw new ValidationError({
        field: '--fixed',
        received: key,
        expected: 'a field that is not an axis',
        hint: `drop --fixed ${key}=… (it is mapped)`,
      });
    }
  }
  const coarse = options.coarse ?? DEFAULT_COARSE;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const samples = options.samples ?? (claim.kind === 'statistical' ? 2 : 1);
  const maxSamples = Math.max(samples, options.maxSamples ?? DEFAULT_MAX_SAMPLES);
  const z = options.z ?? DEFAULT_UNCERTAIN_Z;
  const seed = (options.seed ?? 1) >>> 0;
  const lattice = coarse * 2 ** maxDepth;
  const shard = options.shard;
  if (
    shard &&
    !(
      Number.isInteger(shard.index) &&
      Number.isInteger(shard.count) &&
      shard.index >= 1 &&
      shard.index <= shard.count &&
      shard.count <= coarse
    )
  ) {
    throw new ValidationError({
      field: '--shard',
      received: `${shard.index}/${shard.count}`,
      expected: `i/n with 1 ≤ i ≤ n ≤ ${coarse} (the map is split into n strips of the ${coarse} coarse columns)`,
      hint: `give at most --shard i/${coarse}, or raise --coarse`,
    });
  }
  const columnLo = shard ? Math.floor(((shard.index - 1) * coarse) / shard.count) : 0;
  const columnHi = shard ? Math.floor((shard.index * coarse) / shard.count) : coarse;
  const coarsePoints = (columnHi - columnLo + 1) * (coarse + 1) * samples;
  if (!Number.isInteger(options.budget) || options.budget < coarsePoints) {
    throw new ValidationError({
      field: '--budget',
      received: options.budget,
      expected: `at least the coarse grid${shard ? ` of this shard: ${columnHi - columnLo + 1}` : `: (${coarse} + 1)`} × ${coarse + 1} points × ${samples} sample(s) = ${coarsePoints} evaluations`,
      hint: `give --budget ${coarsePoints * 4} or more`,
    });
  }
  // A `seed` field that is neither mapped nor fixed follows the sample's run seed, so re-runs are independent draws.
  const seedFields = Object.entries(domain)
    .filter(([k, f]) => f.kind === 'seed' && !(k in fixedIn))
    .map(([k]) => k);
  const fixed: Record<string, unknown> = { ...(claim.defaults as Record<string, unknown>), ...fixedIn };
  delete fixed[axes[0].field];
  delete fixed[axes[1].field];
  for (const f of seedFields) delete fixed[f];

  const points = new Map<string, ExplorePoint>();
  const cache = new Map<string, ClaimResult>(); // snapped params + sample seed → result (int axes can coincide)
  let evaluations = 0;
  let truncated = false;

  const paramsAt = (p: ExplorePoint): Record<string, unknown> => ({
    ...(claim.defaults as Record<string, unknown>),
    ...fixed,
    [axes[0].field]: p.x,
    [axes[1].field]: p.y,
  });
  const sampleSeed = (k: number) => (seed + k * SAMPLE_SEED_STEP) >>> 0;
  const classify = (p: ExplorePoint) => {
    const { mean, se } = meanAndSe(p.ratios);
    p.mean = mean;
    p.standardError = se;
    if (p.ratios.some((r) => !Number.isFinite(r))) p.cls = 'error';
    else if (Math.abs(mean - 1) <= z * se) p.cls = 'uncertain';
    else p.cls = mean <= 1 ? 'pass' : 'fail';
  };

  /** Brings each point to `target` samples, within the budget; points beyond the budget stay as they are. */
  const sample = async (wanted: { p: ExplorePoint; target: number }[]) => {
    const requests: { p: ExplorePoint; k: number; req: EvaluationRequest; key: string }[] = [];
    for (const { p, target } of wanted) {
      for (let k = p.ratios.length; k < target; k++) {
        const s = sampleSeed(k);
        const params = paramsAt(p);
        for (const f of seedFields) params[f] = s;
        const key = `${JSON.stringify(params)}#${s}`;
        requests.push({ p, k, req: { params, seed: s }, key });
      }
    }
    const queued = new Set<string>();
    const fresh = requests.filter((r) => {
      if (cache.has(r.key) || queued.has(r.key)) return false;
      queued.add(r.key);
      return true;
    });
    const room = options.budget - evaluations;
    const run = fresh.slice(0, room);
    if (run.length < fresh.length) truncated = true;
    const results = run.length > 0 ? await evaluate(run.map((r) => r.req)) : [];
    evaluations += run.length;
    for (const [idx, r] of run.entries()) cache.set(r.key, results[idx]);
    for (const r of requests) {
      const res = cache.get(r.key);
      if (!res || r.p.ratios.length !== r.k) continue; // over budget: this point keeps its samples so far
      const ratio = res.status === 'pass' || res.status === 'fail' ? res.ratio : Number.NaN;
      r.p.ratios.push(ratio);
      if (res.status !== 'pass') r.p.failures.push(res);
    }
    for (const { p } of wanted) classify(p);
  };

  const pointAt = (i: number, j: number): ExplorePoint => {
    const key = `${i},${j}`;
    let p = points.get(key);
    if (!p) {
      p = {
        i,
        j,
        x: axisValue(axes[0], i / lattice),
        y: axisValue(axes[1], j / lattice),
        ratios: [],
        mean: Number.NaN,
        standardError: 0,
        cls: 'error',
        failures: [],
      };
      points.set(key, p);
    }
    return p;
  };
  const corners = (c: ExploreCell) => [
    pointAt(c.i, c.j),
    pointAt(c.i + c.size, c.j),
    pointAt(c.i, c.j + c.size),
    pointAt(c.i + c.size, c.j + c.size),
  ];
  const isMixed = (c: ExploreCell) => {
    const signs = new Set(corners(c).map((p) => signOf(p.cls)));
    return signs.size > 1 || signs.has(0);
  };
  /** Gives the uncertain points among `ps` more samples (doubling) until they are decided or at `maxSamples`. */
  const resolveUncertain = async (ps: ExplorePoint[]) => {
    for (;;) {
      const todo = ps.filter((p) => p.cls === 'uncertain' && p.ratios.length < maxSamples);
      if (todo.length === 0 || evaluations >= options.budget) return;
      const before = evaluations;
      await sample(todo.map((p) => ({ p, target: Math.min(maxSamples, 2 * p.ratios.length) })));
      if (evaluations === before) return;
    }
  };

  // 1. The coarse grid.
  const step = 2 ** maxDepth;
  let level: ExploreCell[] = [];
  for (let a = columnLo; a < columnHi; a++)
    for (let b = 0; b < coarse; b++) level.push({ i: a * step, j: b * step, size: step, depth: 0, mixed: false });
  const gridPoints: ExplorePoint[] = [];
  for (let a = columnLo; a <= columnHi; a++)
    for (let b = 0; b <= coarse; b++) gridPoints.push(pointAt(a * step, b * step));
  await sample(gridPoints.map((p) => ({ p, target: samples })));
  await resolveUncertain(gridPoints);

  // 2. Refine level by level.
  const leaves: ExploreCell[] = [];
  for (let depth = 0; ; depth++) {
    for (const c of level) c.mixed = isMixed(c);
    const split = depth < maxDepth && !truncated ? level.filter((c) => c.mixed) : [];
    const children: ExploreCell[] = [];
    const fresh: ExplorePoint[] = [];
    for (const c of split) {
      const h = c.size / 2;
      for (const [di, dj] of [
        [0, 0],
        [h, 0],
        [0, h],
        [h, h],
      ])
        children.push({ i: c.i + di, j: c.j + dj, size: h, depth: depth + 1, mixed: false });
      for (const [di, dj] of [
        [h, 0],
        [0, h],
        [h, h],
        [2 * h, h],
        [h, 2 * h],
      ]) {
        const p = pointAt(c.i + di, c.j + dj);
        if (p.ratios.length === 0 && !fresh.includes(p)) fresh.push(p);
      }
    }
    if (children.length > 0) {
      await sample(fresh.map((p) => ({ p, target: samples })));
      await resolveUncertain(fresh);
    }
    // A split cell whose new points did not all fit in the budget stays a leaf.
    const complete = (c: ExploreCell) =>
      corners({ ...c, size: c.size / 2 }).every((p) => p.ratios.length > 0) &&
      corners({ ...c, i: c.i + c.size / 2, j: c.j + c.size / 2, size: c.size / 2 }).every((p) => p.ratios.length > 0);
    const done = split.filter(complete);
    for (const c of level) if (!done.includes(c)) leaves.push(c);
    level = children.filter((ch) =>
      done.some((c) => ch.i >= c.i && ch.j >= c.j && ch.i < c.i + c.size && ch.j < c.j + c.size),
    );
    if (level.length === 0) break;
  }
  for (const c of leaves) c.mixed = isMixed(c);
  // Points created for splits that did not fit in the budget have no samples: drop them.
  const evaluated = [...points.values()].filter((p) => p.ratios.length > 0);
  evaluated.sort((p, q) => p.j - q.j || p.i - q.i);

  leaves.sort(compareCells);
  const { boundaryCells, crossings } = boundaryOf(axes, lattice, leaves, evaluated);
  // The regime edge and the guides: cheap predicates of the parameters (no run of the claim).
  const paramsXY = (x: number, y: number): Record<string, unknown> => ({
    ...(claim.defaults as Record<string, unknown>),
    ...fixed,
    [axes[0].field]: x,
    [axes[1].field]: y,
  });
  const regime = claim.regime as { description: string; holds(p: Record<string, unknown>): boolean } | undefined;
  if (regime) for (const p of evaluated) p.inRegime = regime.holds(paramsXY(p.x, p.y));
  return {
    claimId: claim.id,
    axes,
    fixed,
    seedFields,
    seed,
    coarse,
    maxDepth,
    lattice,
    ...(shard ? { shard: { index: shard.index, count: shard.count } } : {}),
    resolution: 1 / lattice,
    evaluations,
    uniformEvaluations: axes.reduce(
      (n, a) => n * (a.int ? Math.min(lattice + 1, a.max - a.min + 1) : lattice + 1),
      samples,
    ),
    budget: options.budget,
    truncated,
    points: evaluated,
    leaves,
    boundaryCells,
    crossings,
    regime: regime
      ? { label: regime.description, edge: predicateEdge(axes, (x, y) => regime.holds(paramsXY(x, y))) }
      : undefined,
    guides: (options.guides ?? []).map((g) => ({
      label: g.expression,
      edge: predicateEdge(axes, (x, y) => g.difference(paramsXY(x, y)) <= 0),
    })),
  };
}
