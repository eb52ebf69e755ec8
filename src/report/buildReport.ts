import type { AnyClaim, ClaimResult, Scale } from '../claims/claim.ts';
import { stableJson } from '../claims/runClaim.ts';
import type { Report, ReportClaim, ReportResult } from './reportSchema.ts';

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
      measurement: {
        ...m,
        predicted: finiteOrNull(m.predicted),
        observed: finiteOrNull(m.observed),
        error: finiteOrNull(m.error),
        allowed: finiteOrNull(m.allowed),
        details,
        plots: m.plots?.map((p) =>
          p.kind === 'line'
            ? { ...p, series: p.series.map((s) => ({ ...s, x: s.x.map((v) => v), y: s.y.map((v) => v) })) }
            : p,
        ),
      },
    } as ReportResult;
  }
  return { ...r, replay } as ReportResult;
}

/** Inputs of {@link buildReport}. */
export interface BuildReportOptions {
  version: string;
  seed: number;
  scale: Scale;
  backend: string;
  backends: { id: string; available: boolean; reason?: string }[];
  runs: { claim: AnyClaim; results: ClaimResult[] }[];
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
    results: results.map(toReportResult),
  }));
  const count = (v: ReportClaim['verdict']) => claims.filter((c) => c.verdict === v).length;
  return {
    $schema: './report.schema.json',
    tool: 'aecheck',
    version: options.version,
    createdAt: new Date().toISOString(),
    seed: options.seed,
    scale: options.scale,
    backend: options.backend,
    backends: options.backends,
    summary: { pass: count('pass'), fail: count('fail'), error: count('error'), skipped: count('skipped') },
    claims,
  };
}
