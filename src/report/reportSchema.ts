/**
 * The report's JSON format, as a zod schema. `schemas/report.schema.json` is generated from it
 * (`npm run schema`) and a unit test keeps the two in sync.
 */
import { z } from 'zod';

const plotSeries = z.object({
  name: z.string(),
  x: z.array(z.number()),
  y: z.array(z.number()),
  style: z.enum(['line', 'points', 'dashed']).optional(),
});

/** A plot attached to a measurement. */
export const plotSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('line'),
    id: z.string(),
    title: z.string(),
    x: z.object({ label: z.string(), log: z.boolean().optional() }),
    y: z.object({ label: z.string(), log: z.boolean().optional() }),
    series: z.array(plotSeries),
  }),
  z.object({
    kind: z.literal('heatmap'),
    id: z.string(),
    title: z.string(),
    rows: z.number().int(),
    cols: z.number().int(),
    values: z.array(z.number()),
    xLabel: z.string().optional(),
    yLabel: z.string().optional(),
  }),
]);

/** One named check of a measurement, judged. Non-finite numbers are written as null (the check then fails). */
export const checkSchema = z.object({
  name: z.string(),
  observed: z.number().nullable(),
  expected: z.number().nullable(),
  /** Signed: |observed − expected| for closeness, observed − bound for an inequality (negative = room left). */
  error: z.number().nullable(),
  allowed: z.number().nullable(),
  metric: z.string(),
  /** error / allowed; ≤ 1 passes. */
  ratio: z.number().nullable(),
  /** allowed − error; ≥ 0 passes. */
  margin: z.number().nullable(),
  pass: z.boolean(),
});

const measurementSchema = z.object({
  checks: z.array(checkSchema).min(1),
  /** Index of the worst check. */
  worst: z.number().int(),
  details: z
    .record(z.string(), z.union([z.number().nullable(), z.string(), z.boolean(), z.array(z.number().nullable())]))
    .optional(),
  plots: z.array(plotSchema).optional(),
});

/** The worst check of the worst run of a claim, with that run's parameters: what the summary rows show. */
export const worstSchema = z.object({
  run: z.number().int(),
  status: z.enum(['pass', 'fail', 'error', 'skipped']),
  params: z.record(z.string(), z.unknown()),
  /** The worst check of that run (absent for an error or a skip). */
  check: checkSchema.optional(),
  /** The error's or skip's message. */
  message: z.string().optional(),
  replay: z.string(),
});

const resultBase = {
  claimId: z.string(),
  seed: z.number().int(),
  run: z.number().int(),
  backend: z.string(),
  scale: z.enum(['quick', 'paper']),
  params: z.record(z.string(), z.unknown()),
  ms: z.number(),
  /** The command that replays this run. */
  replay: z.string(),
};

/** One run of one claim. */
export const resultSchema = z.discriminatedUnion('status', [
  z.object({
    ...resultBase,
    status: z.enum(['pass', 'fail']),
    measurement: measurementSchema,
    ratio: z.number().nullable(),
  }),
  z.object({
    ...resultBase,
    status: z.literal('error'),
    error: z.object({ name: z.string(), message: z.string(), step: z.number().optional() }),
  }),
  z.object({ ...resultBase, status: z.literal('skipped'), reason: z.string() }),
]);

/** A claim's metadata as the report shows it. */
export const claimInfoSchema = z.object({
  id: z.string(),
  paper: z.string(),
  title: z.string(),
  statement: z.string(),
  kind: z.enum(['exact', 'numerical', 'statistical']),
  source: z.object({ paper: z.string(), where: z.string(), confidence: z.string(), note: z.string().optional() }),
  tolerance: z.object({ description: z.string(), reason: z.string() }),
  verdict: z.enum(['pass', 'fail', 'error', 'skipped']),
  /** The worst check of the worst run (null when the claim ran no run). */
  worst: worstSchema.nullable(),
  results: z.array(resultSchema),
});

/** The whole report written by `aecheck verify --report DIR` (report.json) and printed by `--json`. */
export const reportSchema = z.object({
  $schema: z.string().optional(),
  tool: z.literal('aecheck'),
  version: z.string(),
  createdAt: z.string(),
  seed: z.number().int(),
  scale: z.enum(['quick', 'paper']),
  backend: z.string(),
  backends: z.array(z.object({ id: z.string(), available: z.boolean(), reason: z.string().optional() })),
  /** Present on a report of `verify --shard i/n`: merge the shards with `aecheck merge-reports`. */
  shard: z
    .object({
      index: z.number().int().min(1),
      count: z.number().int().min(1),
      /** Every claim the unsharded run selects, in order (a shard may hold runs of only some). */
      claimIds: z.array(z.string()),
      /** Runs in the whole unsharded run. */
      totalRuns: z.number().int().min(0),
    })
    .optional(),
  summary: z.object({
    pass: z.number().int(),
    fail: z.number().int(),
    error: z.number().int(),
    skipped: z.number().int(),
  }),
  claims: z.array(claimInfoSchema),
});

/** The report object. */
export type Report = z.infer<typeof reportSchema>;
/** One claim in the report. */
export type ReportClaim = z.infer<typeof claimInfoSchema>;
/** The shard a report holds. */
export type ReportShard = NonNullable<Report['shard']>;
/** One judged check in the report. */
export type ReportCheck = z.infer<typeof checkSchema>;
/** The worst run's worst check. */
export type ReportWorst = z.infer<typeof worstSchema>;
/** One result in the report. */
export type ReportResult = z.infer<typeof resultSchema>;
