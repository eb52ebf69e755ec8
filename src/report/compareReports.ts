import type { Report, ReportCheck } from './reportSchema.ts';

/** One regression found by {@link compareReports}. */
export interface Regression {
  claimId: string;
  /** `verdict` (pass → fail/error, or a claim that vanished) or the check's name. */
  what: string;
  before: string;
  after: string;
  /** Increase of the worst error/allowed (NaN for a verdict change). */
  worsenedBy: number;
}

/** What {@link compareReports} found. */
export interface Comparison {
  regressions: Regression[];
  /** Claims and checks compared (checks present in both reports). */
  comparedClaims: number;
  comparedChecks: number;
  /** Claims or checks present in only one report (listed, not failed). */
  notCompared: string[];
}

const RANK = { pass: 0, skipped: 0, fail: 1, error: 2 } as const;

/** The worst error/allowed of each check name over a claim's runs (NaN ratio of a failing check counts as +∞). */
function worstRatios(results: Report['claims'][number]['results']): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of results) {
    if (r.status !== 'pass' && r.status !== 'fail') continue;
    for (const c of r.measurement.checks as ReportCheck[]) {
      const ratio = c.ratio ?? (c.pass ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY);
      out.set(c.name, Math.max(out.get(c.name) ?? Number.NEGATIVE_INFINITY, ratio));
    }
  }
  return out;
}

/**
 * Compares a report with a baseline report: a claim whose verdict got worse (pass → fail or error) is a regression,
 * and so is a check whose worst error/allowed over the runs rose by more than `marginTolerance` (in units of its
 * allowed error: 0.1 means the margin may shrink by 10% of the tolerance). Compare runs of the same seed, scale and
 * backend for a like-for-like comparison; otherwise the parameter draws differ and only verdicts are meaningful.
 */
export function compareReports(baseline: Report, current: Report, marginTolerance: number): Comparison {
  const regressions: Regression[] = [];
  const notCompared: string[] = [];
  let comparedClaims = 0;
  let comparedChecks = 0;
  const now = new Map(current.claims.map((c) => [c.id, c]));
  for (const before of baseline.claims) {
    const after = now.get(before.id);
    if (!after) {
      notCompared.push(`${before.id} (not in this run)`);
      continue;
    }
    comparedClaims++;
    if (RANK[after.verdict] > RANK[before.verdict]) {
      regressions.push({
        claimId: before.id,
        what: 'verdict',
        before: before.verdict,
        after: after.verdict,
        worsenedBy: Number.NaN,
      });
    }
    const b = worstRatios(before.results);
    const a = worstRatios(after.results);
    for (const [name, rb] of b) {
      const ra = a.get(name);
      if (ra === undefined) {
        notCompared.push(`${before.id}: check ${name} (not in this run)`);
        continue;
      }
      comparedChecks++;
      const worse = ra - rb;
      if (worse > marginTolerance || (ra === Number.POSITIVE_INFINITY && rb !== ra)) {
        regressions.push({
          claimId: before.id,
          what: name,
          before: `error/allowed ${rb.toPrecision(4)}`,
          after: `error/allowed ${ra.toPrecision(4)}`,
          worsenedBy: worse,
        });
      }
    }
  }
  for (const c of current.claims) if (!baseline.claims.some((x) => x.id === c.id)) notCompared.push(`${c.id} (new)`);
  return { regressions, comparedClaims, comparedChecks, notCompared };
}
