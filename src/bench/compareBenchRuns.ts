/**
 * Compares a run with a saved one (`--compare FILE`): every case present in both is decided by
 * {@link compareSamples}; cases present in one only are listed; differences of machine, Node, threads or OpenBLAS
 * between the two runs are warnings (the comparison still runs, but timings from different set-ups are not like for
 * like).
 */
import Table from 'cli-table3';
import { ValidationError } from '../core/errors.ts';
import type { BenchCase, BenchFile, BenchMetadata } from './benchFile.ts';
import { compareSamples, type SampleComparison } from './compareSamples.ts';

/** The default allowed slowdown of `--fail-above`: 10%. */
export const DEFAULT_FAIL_ABOVE = 0.1;

/** One case found in both runs. */
export interface CaseComparison {
  id: string;
  old: BenchCase;
  current: BenchCase;
  result: SampleComparison;
}

/** The comparison of two runs. */
export interface BenchRunComparison {
  /** Allowed slowdown (a fraction). */
  failAbove: number;
  cases: CaseComparison[];
  /** Cases of the saved run that this run did not measure. */
  onlyOld: string[];
  /** Cases of this run that the saved run lacks. */
  onlyCurrent: string[];
  /** Differences of set-up between the runs (machine, Node, threads, OpenBLAS, backends). */
  warnings: string[];
  /** Ids of the regressed cases. */
  regressions: string[];
}

/** What differs between the set-ups of two runs, one sentence each (empty when they match). */
export function metadataDifferences(old: BenchMetadata, now: BenchMetadata): string[] {
  const out: string[] = [];
  const differ = (what: string, a: unknown, b: unknown) => {
    const sa = JSON.stringify(a);
    const sb = JSON.stringify(b);
    if (sa !== sb) out.push(`${what} differs: saved ${sa}, now ${sb}`);
  };
  differ('CPU model', old.cpu.model, now.cpu.model);
  differ('core count', old.cpu.cores, now.cpu.cores);
  if (old.cpu.allowed !== undefined) differ('CPUs allowed', old.cpu.allowed, now.cpu.allowed);
  differ(
    'operating system',
    `${old.os.platform} ${old.os.release} ${old.os.arch}`,
    `${now.os.platform} ${now.os.release} ${now.os.arch}`,
  );
  differ('Node version', old.node, now.node);
  differ('aecheck threads', old.threads.aecheck, now.threads.aecheck);
  differ('baseline threads', old.threads.baselines, now.threads.baselines);
  differ('OpenBLAS', old.openblas, now.openblas);
  for (const b of now.backends) {
    const was = old.backends.find((o) => o.id === b.id);
    if (!was) continue;
    if (was.available !== b.available)
      out.push(
        `backend ${b.id} was ${was.available ? 'available' : 'unavailable'}, now ${b.available ? 'available' : `unavailable (${b.reason})`}`,
      );
    else if (was.precision !== b.precision) differ(`backend ${b.id} precision`, was.precision, b.precision);
  }
  return out;
}

/** Compares `current` with the saved `old` (see the file's comment); refuses files of another benchmark. */
export function compareBenchRuns(old: BenchFile, current: BenchFile, failAbove: number): BenchRunComparison {
  if (old.metadata.benchmark !== current.metadata.benchmark)
    throw new ValidationError({
      field: '--compare: metadata.benchmark',
      received: old.metadata.benchmark,
      expected: `a file saved by the same benchmark (${current.metadata.benchmark})`,
      hint: `compare it with the benchmark that saved it (${old.metadata.command})`,
    });
  const byId = new Map(old.cases.map((c) => [c.id, c]));
  const cases: CaseComparison[] = [];
  const onlyCurrent: string[] = [];
  for (const c of current.cases) {
    const before = byId.get(c.id);
    if (!before) {
      onlyCurrent.push(c.id);
      continue;
    }
    cases.push({
      id: c.id,
      old: before,
      current: c,
      result: compareSamples({ old: before.samples, current: c.samples, failAbove, name: c.id }),
    });
  }
  const measured = new Set(current.cases.map((c) => c.id));
  return {
    failAbove,
    cases,
    onlyOld: old.cases.filter((c) => !measured.has(c.id)).map((c) => c.id),
    onlyCurrent,
    warnings: metadataDifferences(old.metadata, current.metadata),
    regressions: cases.filter((c) => c.result.decision === 'regressed').map((c) => c.id),
  };
}

/** A time in s, ms, µs or ns with 3 significant digits. */
export function formatSeconds(s: number): string {
  const [scale, unit] = s >= 1 ? [1, 's'] : s >= 1e-3 ? [1e3, 'ms'] : s >= 1e-6 ? [1e6, 'µs'] : [1e9, 'ns'];
  return `${(s * scale).toPrecision(3)} ${unit}`;
}

/** The comparison as text: warnings, a table (case, old median, new median, ratio with CI, decision), a verdict line. */
export function formatBenchComparison(c: BenchRunComparison, savedPath: string, saved: BenchMetadata): string {
  const pct = `${Number((c.failAbove * 100).toPrecision(4))}%`;
  const lines: string[] = [];
  for (const w of c.warnings) lines.push(`warning: ${w} — timings may not be comparable`);
  const t = new Table({
    head: [
      'case',
      'saved median',
      'median now',
      `ratio now/saved (${Math.round((c.cases[0]?.result.confidence ?? 0.95) * 100)}% CI)`,
      'Mann–Whitney p',
      'decision',
    ],
    style: { head: [], border: [] },
  });
  for (const x of c.cases) {
    const r = x.result;
    const iqr = (b: BenchCase) => `${formatSeconds(b.median)} ±${((50 * b.iqr) / b.median).toFixed(0)}%`;
    t.push([
      x.id,
      iqr(x.old),
      iqr(x.current),
      `${r.ratio.toFixed(3)} [${r.low.toFixed(3)}, ${r.high.toFixed(3)}]`,
      r.mannWhitneyP < 1e-4 ? '<1e-4' : r.mannWhitneyP.toFixed(4),
      r.decision === 'regressed'
        ? `REGRESSED (> ${pct} slower)`
        : r.decision === 'improved'
          ? `improved (> ${pct} faster)`
          : 'ok',
    ]);
  }
  lines.push(
    `against ${savedPath} (saved ${saved.createdAt}${saved.gitCommit ? ` at ${saved.gitCommit.slice(0, 12)}` : ''}): a case regresses when the whole confidence interval of the ratio lies above 1 + ${pct}; ± is half the IQR over the median`,
  );
  lines.push(t.toString());
  if (c.onlyOld.length > 0) lines.push(`not measured now (in the saved file only): ${c.onlyOld.join(', ')}`);
  if (c.onlyCurrent.length > 0) lines.push(`new cases (not in the saved file): ${c.onlyCurrent.join(', ')}`);
  lines.push(
    c.regressions.length > 0
      ? `${c.regressions.length} of ${c.cases.length} cases regressed: ${c.regressions.join(', ')}`
      : `no regression in ${c.cases.length} cases (fail above ${pct})`,
  );
  return lines.join('\n');
}
