import type { Report } from './reportSchema.ts';
import { describeCheck } from './formatCheck.ts';

function xml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .split('')
    .filter((ch) => {
      // XML 1.0 forbids control characters other than tab, newline and carriage return.
      const code = ch.charCodeAt(0);
      return code >= 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
    })
    .join('');
}

/**
 * The report as JUnit XML (one testsuite per paper, one testcase per claim; a failing claim carries its worst check
 * and the replay command, an erroring one its error, a skipped one its reason), for CI systems that show test results.
 */
export function reportJunit(report: Report): string {
  const papers = [...new Set(report.claims.map((c) => c.paper))];
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const s = report.summary;
  lines.push(
    `<testsuites name="aecheck verify" tests="${report.claims.length}" failures="${s.fail}" errors="${s.error}" skipped="${s.skipped}">`,
  );
  for (const paper of papers) {
    const claims = report.claims.filter((c) => c.paper === paper);
    const count = (v: string) => claims.filter((c) => c.verdict === v).length;
    const time = claims.reduce((t, c) => t + c.results.reduce((u, r) => u + r.ms, 0), 0) / 1000;
    lines.push(
      `  <testsuite name="${xml(paper)}" tests="${claims.length}" failures="${count('fail')}" errors="${count('error')}" skipped="${count('skipped')}" time="${time.toFixed(3)}">`,
    );
    for (const c of claims) {
      const t = c.results.reduce((u, r) => u + r.ms, 0) / 1000;
      lines.push(`    <testcase classname="${xml(paper)}" name="${xml(c.id)}" time="${t.toFixed(3)}">`);
      const w = c.worst;
      const body = w ? `${w.check ? describeCheck(w.check) : (w.message ?? '')}\nreplay: ${w.replay}` : '';
      if (c.verdict === 'fail') {
        lines.push(`      <failure message="${xml(w?.check?.name ?? 'fail')}">${xml(body)}</failure>`);
      } else if (c.verdict === 'error') {
        lines.push(`      <error message="${xml((w?.message ?? 'error').split('\n')[0])}">${xml(body)}</error>`);
      } else if (c.verdict === 'skipped') {
        lines.push(`      <skipped message="${xml(w?.message ?? 'skipped')}"/>`);
      }
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
