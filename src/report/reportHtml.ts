import { describeParams, formatNumber as fmt } from './formatCheck.ts';
import type { Report, ReportCheck, ReportClaim } from './reportSchema.ts';

/** HTML-escapes text (for element content and attribute values). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The anchor of a claim's section. */
export function claimAnchor(id: string): string {
  return `claim-${id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

const VERDICT_LABEL: Record<ReportClaim['verdict'], string> = {
  pass: 'PASS',
  fail: 'FAIL',
  error: 'ERROR',
  skipped: 'SKIP',
};

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1180px;margin:24px auto;padding:0 16px;color:#1b1f24;line-height:1.45}
h1{font-size:1.6em;margin-bottom:4px}h2{font-size:1.2em;margin:0}
.meta{color:#57606a;font-size:.9em}
table{border-collapse:collapse;margin:10px 0;font-size:.86em;width:100%}
th,td{border:1px solid #d0d7de;padding:4px 7px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.verdict{font-weight:700;border-radius:4px;padding:1px 6px;font-size:.85em}
.v-pass{background:#dafbe1;color:#116329}.v-fail{background:#ffebe9;color:#a40e26}
.v-error{background:#fff1e5;color:#953800}.v-skipped{background:#eaeef2;color:#57606a}
tr.check-fail td{background:#fff5f5}
section.claim{border-top:2px solid #d0d7de;margin-top:28px;padding-top:12px}
blockquote{margin:8px 0;padding:4px 12px;border-left:4px solid #d0d7de;color:#24292f}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85em}
pre{background:#f6f8fa;padding:8px;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
figure{margin:10px 0}figcaption{font-size:.85em;color:#57606a}
figure svg{max-width:100%;height:auto}
`;

function verdictBadge(v: ReportClaim['verdict']): string {
  return `<span class="verdict v-${v}">${VERDICT_LABEL[v]}</span>`;
}

function checkRow(c: ReportCheck, lead: string): string {
  return `<tr class="check-${c.pass ? 'pass' : 'fail'}">${lead}<td>${escapeHtml(c.name)}</td><td>${escapeHtml(c.metric)}</td><td class="num">${fmt(c.observed)}</td><td class="num">${fmt(c.expected)}</td><td class="num">${fmt(c.error)}</td><td class="num">${fmt(c.allowed)}</td><td class="num">${fmt(c.ratio)}</td><td class="num">${fmt(c.margin)}</td><td>${c.pass ? 'pass' : '<b>fail</b>'}</td></tr>`;
}

/** One claim's section: statement, source, tolerance and reason, every run's checks, the replay command, plots. */
function claimSection(c: ReportClaim, plots: readonly { title: string; svg: string }[]): string {
  const rows: string[] = [];
  for (const r of c.results) {
    const head = `<td class="num">${r.run}</td><td>${escapeHtml(r.backend)}</td><td>${escapeHtml(describeParams(r.params))}</td>`;
    if (r.status === 'pass' || r.status === 'fail') {
      r.measurement.checks.forEach((k, i) => {
        rows.push(checkRow(k, i === 0 ? head : '<td></td><td></td><td></td>'));
      });
    } else if (r.status === 'error') {
      const at = r.error.step !== undefined ? ` at step ${r.error.step}` : '';
      rows.push(
        `<tr class="check-fail">${head}<td colspan="9"><b>${escapeHtml(r.error.name)}${at}</b>: ${escapeHtml(r.error.message)}</td></tr>`,
      );
    } else {
      rows.push(`<tr>${head}<td colspan="9">skipped: ${escapeHtml(r.status === 'skipped' ? r.reason : '')}</td></tr>`);
    }
  }
  const worst = c.worst;
  const figures = plots
    .map((p) => `<figure class="plot"><figcaption>${escapeHtml(p.title)}</figcaption>${p.svg}</figure>`)
    .join('\n');
  return `<section class="claim" id="${claimAnchor(c.id)}" data-claim="${escapeHtml(c.id)}">
<h2>${verdictBadge(c.verdict)} ${escapeHtml(c.id)}</h2>
<p><b>${escapeHtml(c.title)}</b></p>
<blockquote>${escapeHtml(c.statement)}</blockquote>
<p class="meta">Source: ${escapeHtml(c.source.where)} (confidence ${escapeHtml(c.source.confidence)})${c.source.note ? ` — ${escapeHtml(c.source.note)}` : ''} · kind ${c.kind}</p>
<p><b>Tolerance:</b> ${escapeHtml(c.tolerance.description)}. <b>Why:</b> ${escapeHtml(c.tolerance.reason)}.</p>
<table class="checks"><thead><tr><th>run</th><th>backend</th><th>parameters</th><th>check</th><th>metric</th><th>observed</th><th>expected</th><th>error</th><th>allowed</th><th>error / allowed</th><th>margin</th><th>verdict</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
${worst ? `<p>Replay the worst run (run ${worst.run}):</p><pre>${escapeHtml(worst.replay)}</pre>` : ''}
${figures}
</section>`;
}

/**
 * The report as one self-contained HTML page: a summary table (each claim's worst check of its worst run), then one
 * section per claim with its statement, tolerance and reason, every check with its margin, the replay command and its
 * plots (inline SVG). No scripts, no external resources.
 */
export function reportHtml(
  report: Report,
  plots: ReadonlyMap<string, readonly { title: string; svg: string }[]>,
): string {
  const s = report.summary;
  const summaryRows = report.claims
    .map((c) => {
      const w = c.worst;
      return `<tr><td><a href="#${claimAnchor(c.id)}">${escapeHtml(c.id)}</a></td><td>${verdictBadge(c.verdict)}</td><td>${c.kind}</td><td>${escapeHtml(w?.check?.name ?? w?.message ?? '—')}</td><td class="num">${fmt(w?.check?.observed)}</td><td class="num">${fmt(w?.check?.expected)}</td><td class="num">${fmt(w?.check?.ratio)}</td><td class="num">${fmt(w?.check?.margin)}</td><td>${w ? `run ${w.run}: ${escapeHtml(describeParams(w.params))}` : '—'}</td><td class="num">${c.results.length}</td></tr>`;
    })
    .join('\n');
  const backends = report.backends
    .map((b) =>
      b.available
        ? `<code>${escapeHtml(b.id)}</code> ✓`
        : `<code>${escapeHtml(b.id)}</code> ✗ (${escapeHtml(b.reason ?? '')})`,
    )
    .join(', ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>aecheck report — ${s.pass} passed, ${s.fail} failed</title><style>${STYLE}</style></head>
<body>
<h1>aecheck verification report</h1>
<p class="meta">Created ${escapeHtml(report.createdAt)} · scale <code>${report.scale}</code> · backend <code>${escapeHtml(report.backend)}</code> · seed <code>${report.seed}</code> · aecheck ${escapeHtml(report.version)}</p>
<p id="summary-counts"><b>${s.pass} passed, ${s.fail} failed, ${s.error} errors, ${s.skipped} skipped</b> of ${report.claims.length} claims.</p>
<p class="meta">Backends: ${backends}</p>
<table id="summary"><thead><tr><th>claim</th><th>verdict</th><th>kind</th><th>worst check</th><th>measured</th><th>expected</th><th>error / allowed</th><th>margin</th><th>worst run</th><th>runs</th></tr></thead>
<tbody>${summaryRows}</tbody></table>
<p class="meta">A check passes when error ≤ allowed with every number finite; error/allowed ≤ 1 passes and the margin (allowed − error) is the room left — negative when it fails. Inequalities keep their signed slack.</p>
${report.claims.map((c) => claimSection(c, plots.get(c.id) ?? [])).join('\n')}
</body></html>
`;
}
