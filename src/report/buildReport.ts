import type { JudgedCheck } from '../claims/check.ts';
import type { AnyClaim, ClaimResult, Scale } from '../claims/claim.ts';
import { stableJson } from '../claims/runClaim.ts';
import type { Report, ReportCheck, ReportClaim, ReportResult, ReportShard, ReportWorst } from './reportSchema.ts';

/** The verdict of a claim over its runs: error > fail > pass > skipped. */
export function claimVerdict(results: readonly ClaimResult[]): ReportClaim['verdict'] {
  if (results.some((r) => r.status === 'error')) return 'error';
  if (results.some((r) => r.status === 'fail')) return 'fail';
  if (results.some((r) => r.status === 'pass')) return 'pass';
  return 'skipped';
}

/** The CLI command that replays one run exactly. */
export function replayCommand(result: ClaimResult): string {
  const params = stableJson(result.params as Record<string, unknown>);
  const scale = result.scale === 'paper' ? ' --scale paper' : '';
  const backend = result.backend === 'reference' ? '' : ` --backend ${result.backend}`;
  return `npx aecheck verify --claim ${result.claimId} --seed ${result.seed} --params '${params}'${scale}${backend}`;
}

/** JSON cannot hold NaN/Infinity: they become null (the verdict already says fail/error). */
function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

function toReportCheck(c: JudgedCheck): ReportCheck {
  return {
    ...c,
    observed: finiteOrNull(c.observed),
    expected: finiteOrNull(c.expected),
    error: finiteOrNull(c.error),
    allowed: finiteOrNull(c.allowed),
    ratio: finiteOrNull(c.ratio),
    margin: finiteOrNull(c.margin),
  };
}

function toReportResult(r: ClaimResult): ReportResult {
  const replay = replayCommand(r);
  if (r.status === 'pass' || r.status === 'fail') {
    const m = r.measurement;
    const details = m.details
      ? Object.fromEntries(
          Object.entries(m.details).map(([k, v]) => [
            k,
            typeof v === 'number' ? finiteOrNull(v) : Array.isArray(v) ? v.map(finiteOrNull) : v,
          ]),
        )
      : undefined;
    return {
      ...r,
      replay,
      ratio: finiteOrNull(r.ratio),
      measurement: { checks: m.checks.map(toReportCheck), worst: m.worst, details, plots: m.plots },
    } as ReportResult;
  }
  return { ...r, replay } as ReportResult;
}

/** How bad a reported check is: a failing check whose ratio is not a number ranks above every finite ratio. */
function checkBadness(c: ReportCheck): number {
  if (c.ratio === null) return c.pass ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return c.ratio;
}

/** How bad a run is: an error ranks first, then a run whose worst check has the largest error/allowed; skips last. */
function runBadness(r: ReportResult): number {
  if (r.status === 'error') return Number.POSITIVE_INFINITY;
  if (r.status === 'skipped') return Number.NEGATIVE_INFINITY;
  return checkBadness(r.measurement.checks[r.measurement.worst]);
}

/** Index of the worst run (the first of equals), -1 for none. */
export function worstRunIndex(results: readonly ReportResult[]): number {
  let worst = -1;
  for (let i = 0; i < results.length; i++) {
    if (worst === -1 || runBadness(results[i]) > runBadness(results[worst])) worst = i;
  }
  return worst;
}

/**
 * The worst check of the worst run, with that run's parameters and replay command (null for no runs). Computed
 * from the report's own results, so a merged report gets the same answer as an unsharded run.
 */
export function worstOfReportResults(results: readonly ReportResult[]): ReportWorst | null {
  const i = worstRunIndex(results);
  if (i < 0) return null;
  const r = results[i];
  const base = { run: r.run, status: r.status, params: r.params, replay: r.replay };
  if (r.status === 'pass' || r.status === 'fail') return { ...base, check: r.measurement.checks[r.measurement.worst] };
  if (r.status === 'error') {
    const at = r.error.step !== undefined ? ` (at step ${r.error.step})` : '';
    return { ...base, message: `${r.error.name}: ${r.error.message}${at}` };
  }
  return { ...base, message: r.status === 'skipped' ? r.reason : '' };
}

/** {@link worstOfReportResults} of a claim's results as the runner returns them. */
export function worstOfRuns(results: readonly ClaimResult[]): ReportWorst | null {
  return worstOfReportResults(results.map(toReportResult));
}

/** The verdict of reported results: error > fail > pass > skipped. */
export function reportVerdict(results: readonly ReportResult[]): ReportClaim['verdict'] {
  if (results.some((r) => r.status === 'error')) return 'error';
  if (results.some((r) => r.status === 'fail')) return 'fail';
  if (results.some((r) => r.status === 'pass')) return 'pass';
  return 'skipped';
}

/** Verdict counts over claims. */
export function summarize(claims: readonly ReportClaim[]): Report['summary'] {
  const count = (v: ReportClaim['verdict']) => claims.filter((c) => c.verdict === v).length;
  return { pass: count('pass'), fail: count('fail'), error: count('error'), skipped: count('skipped') };
}

/** Inputs of {@link buildReport}. */
export interface BuildReportOptions {
  version: string;
  seed: number;
  scale: Scale;
  backend: string;
  backends: { id: string; available: boolean; reason?: string }[];
  runs: { claim: AnyClaim; results: ClaimResult[] }[];
  /** Set by `verify --shard i/n`: which part of the runs this report holds. */
  shard?: ReportShard;
}

/** Assembles the report object from the runs of `verify`. */
export function buildReport(options: BuildReportOptions): Report {
  const claims: ReportClaim[] = options.runs.map(({ claim, results }) => ({
    id: claim.id,
    paper: claim.paper,
    title: claim.title,
    statement: claim.statement,
    kind: claim.kind,
    source: claim.source,
    tolerance: claim.tolerance,
    verdict: claimVerdict(results),
    worst: worstOfRuns(results),
    results: results.map(toReportResult),
  }));
  return {
    $schema: './report.schema.json',
    tool: 'aecheck',
    version: options.version,
    createdAt: new Date().toISOString(),
    seed: options.seed,
    scale: options.scale,
    backend: options.backend,
    backends: options.backends,
    summary: summarize(claims),
    ...(options.shard ? { shard: options.shard } : {}),
    claims,
  };
}
