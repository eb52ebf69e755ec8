import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { PlotSpec } from '../claims/plotSpec.ts';
import { describeParams, formatNumber } from './formatCheck.ts';
import { reportHtml } from './reportHtml.ts';
import { renderSvg } from './renderSvg.ts';
import { type Report, type ReportClaim, reportSchema } from './reportSchema.ts';

/** The published JSON Schema of report.json, generated from the zod schema. */
export function reportJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(reportSchema, { unrepresentable: 'any' }) as Record<string, unknown>;
}

const fmt = formatNumber;

const VERDICT_MARK: Record<ReportClaim['verdict'], string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  error: '⚠️ error',
  skipped: '⏭ skipped',
};

/** File name of a plot's SVG. */
function plotFile(claimId: string, plot: PlotSpec): string {
  return `${claimId.replace(/[^A-Za-z0-9_.-]/g, '_')}.${plot.id.replace(/[^A-Za-z0-9_.-]/g, '_')}.svg`;
}

/** The summary part of the Markdown report: header, counts, backends and one row per claim (its worst check). */
function summaryLines(report: Report): string[] {
  const lines: string[] = [];
  lines.push('# aecheck verification report', '');
  lines.push(
    `Created ${report.createdAt} · scale \`${report.scale}\` · backend \`${report.backend}\` · seed \`${report.seed}\` · aecheck ${report.version}`,
    '',
  );
  const s = report.summary;
  lines.push(
    `**${s.pass} passed, ${s.fail} failed, ${s.error} errors, ${s.skipped} skipped** of ${report.claims.length} claims.`,
    '',
  );
  lines.push(
    'Backends: ' +
      report.backends.map((b) => (b.available ? `\`${b.id}\` ✓` : `\`${b.id}\` ✗ (${b.reason})`)).join(', '),
    '',
  );
  lines.push(
    '| claim | verdict | kind | worst check | measured | expected | error / allowed | margin | worst run | runs |',
    '|---|---|---|---|---|---|---|---|---|---|',
  );
  const cell = (t: string) => t.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  for (const c of report.claims) {
    const w = c.worst;
    lines.push(
      `| [${c.id}](#${c.id.replace(/[^a-z0-9-]/gi, '').toLowerCase()}) | ${VERDICT_MARK[c.verdict]} | ${c.kind} | ${cell(w?.check ? w.check.name : (w?.message ?? '—'))} | ${fmt(w?.check?.observed)} | ${fmt(w?.check?.expected)} | ${fmt(w?.check?.ratio)} | ${fmt(w?.check?.margin)} | ${w ? cell(`run ${w.run}: ${describeParams(w.params)}`) : '—'} | ${c.results.length} |`,
    );
  }
  return lines;
}

/** A short Markdown summary for a CI job summary (e.g. $GITHUB_STEP_SUMMARY): counts and one row per claim. */
export function reportSummaryMarkdown(report: Report): string {
  const failing = report.claims.filter((c) => c.worst && (c.verdict === 'fail' || c.verdict === 'error'));
  const replays = failing.map((c) => `- \`${c.id}\`: \`${c.worst?.replay}\``);
  return `${[...summaryLines(report), ...(replays.length ? ['', '**Replay the failures:**', '', ...replays] : [])].join('\n')}\n`;
}

/** The Markdown report: summary, one table row per claim, then each claim's statement, runs and plots. */
export function reportMarkdown(report: Report): string {
  const lines = summaryLines(report);
  const cell = (t: string) => t.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  for (const c of report.claims) {
    lines.push('', `## ${c.id}`, '', `**${c.title}** — ${VERDICT_MARK[c.verdict]}`, '', `> ${c.statement}`, '');
    lines.push(
      `Source: ${c.source.where} (${c.source.confidence})${c.source.note ? ` — ${c.source.note}` : ''}. Kind: ${c.kind}.`,
      '',
    );
    lines.push(`Tolerance: ${c.tolerance.description}. Why: ${c.tolerance.reason}.`, '');
    // Where a claim's real data came from (e.g. FashionMNIST: --data DIR, Debian's package or the fixture subset).
    const data = new Set(
      c.results.flatMap((r) =>
        'measurement' in r && typeof r.measurement.details?.dataSource === 'string'
          ? [r.measurement.details.dataSource]
          : [],
      ),
    );
    if (data.size > 0) lines.push(`Data: ${[...data].join('; ')}.`, '');
    lines.push(
      '| run | backend | status | check | metric | error | allowed | ratio | margin | observed | expected | ms |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const r of c.results) {
      if (r.status === 'pass' || r.status === 'fail') {
        r.measurement.checks.forEach((k, i) => {
          const head = i === 0 ? `| ${r.run} | ${r.backend} | ${r.status} |` : '| | | |';
          lines.push(
            `${head} ${cell(k.name)}${k.pass ? '' : ' ❌'} | ${cell(k.metric)} | ${fmt(k.error)} | ${fmt(k.allowed)} | ${fmt(k.ratio)} | ${fmt(k.margin)} | ${fmt(k.observed)} | ${fmt(k.expected)} | ${i === 0 ? r.ms.toFixed(0) : ''} |`,
          );
        });
      } else if (r.status === 'error') {
        lines.push(
          `| ${r.run} | ${r.backend} | error | ${r.error.name}${r.error.step !== undefined ? ` at step ${r.error.step}` : ''} | ${cell(r.error.message)} | | | | | | | ${r.ms.toFixed(0)} |`,
        );
      } else if (r.status === 'skipped') {
        lines.push(`| ${r.run} | ${r.backend} | skipped | ${cell(r.reason)} | | | | | | | | ${r.ms.toFixed(0)} |`);
      }
    }
    if (c.worst) lines.push('', `Replay the worst run: \`${c.worst.replay}\``);
    const plotted = c.results.find((r) => (r.status === 'pass' || r.status === 'fail') && r.measurement.plots?.length);
    if (plotted && 'measurement' in plotted) {
      for (const p of plotted.measurement.plots ?? [])
        lines.push('', `![${p.title}](plots/${plotFile(c.id, p as PlotSpec)})`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Writes report.json, report.schema.json, report.md, index.html and plots/*.svg into `dir`; returns the files written. */
export async function writeReport(report: Report, dir: string): Promise<string[]> {
  await mkdir(join(dir, 'plots'), { recursive: true });
  const written: string[] = [];
  const put = async (name: string, text: string) => {
    await writeFile(join(dir, name), text);
    written.push(join(dir, name));
  };
  await put('report.json', `${JSON.stringify(report, null, 2)}\n`);
  await put('report.schema.json', `${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
  const plots = new Map<string, { title: string; svg: string }[]>();
  for (const c of report.claims) {
    const plotted = c.results.find((r) => (r.status === 'pass' || r.status === 'fail') && r.measurement.plots?.length);
    if (!plotted || !('measurement' in plotted)) continue;
    for (const p of plotted.measurement.plots ?? []) {
      const name = `plots/${plotFile(c.id, p as PlotSpec)}`;
      const svg = await renderSvg(p as PlotSpec);
      await put(name, svg);
      plots.set(c.id, [...(plots.get(c.id) ?? []), { title: p.title, svg }]);
    }
  }
  await put('report.md', reportMarkdown(report));
  await put('index.html', reportHtml(report, plots));
  return written;
}
