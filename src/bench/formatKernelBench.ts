/**
 * The kernel bench as text: one table per kernel, backends down and sizes across, each cell the rate, the median time
 * per call with its spread, and the backend that really ran it where that differs; then every unavailable backend
 * with its full reason and fix.
 */
import Table from 'cli-table3';
import { formatSeconds } from './compareBenchRuns.ts';
import type { BenchKernel, BenchRow } from './runKernelBench.ts';

/** Options of {@link formatKernelBench}. */
export interface FormatKernelBenchOptions {
  /** Plain tables (no ANSI colour): for pipes, files and NO_COLOR (default true). */
  plain?: boolean;
}

type OkRow = Extract<BenchRow, { status: 'ok' }>;
type WrongRow = Extract<BenchRow, { status: 'wrong' }>;

function cell(r: OkRow | WrongRow | undefined): string {
  if (!r) return '—';
  if (r.status === 'wrong')
    return `WRONG RESULT\nerror ${r.relativeError.toExponential(1)}\n> ${r.allowed.toExponential(1)}`;
  const spread = r.timing.median > 0 ? ` ±${((50 * r.timing.iqr) / r.timing.median).toFixed(0)}%` : '';
  const lines = [`${r.rate.toPrecision(3)} ${r.rateUnit}`, `${formatSeconds(r.seconds)}${spread}`];
  if (r.ranOn !== r.backend)
    lines.push(r.backend === 'auto' || r.backend === 'auto:f32' ? `→ ${r.ranOn}` : `ran on ${r.ranOn}`);
  return lines.join('\n');
}

/** The kernel bench's tables (see the file's comment). */
export function formatKernelBench(rows: readonly BenchRow[], options: FormatKernelBenchOptions = {}): string {
  const style = options.plain === false ? {} : { style: { head: [], border: [] } };
  const timed = rows.filter((r): r is OkRow | WrongRow => r.status !== 'unavailable');
  const kernels = [...new Set(timed.map((r) => r.kernel))] as BenchKernel[];
  const sizes = [...new Set(timed.map((r) => r.size))].sort((a, b) => a - b);
  const out: string[] = [];
  for (const kernel of kernels) {
    const mine = timed.filter((r) => r.kernel === kernel);
    const backends = [...new Set(mine.map((r) => r.backend))];
    const t = new Table({ head: ['backend', ...sizes.map((s) => `size ${s}`)], ...style });
    for (const b of backends) t.push([b, ...sizes.map((s) => cell(mine.find((r) => r.backend === b && r.size === s)))]);
    out.push(
      `${kernel}: rate, median time per call ± half its IQR (interleaved rounds; the rate from the fastest round's median)`,
    );
    out.push(t.toString());
  }
  const unavailable = rows.filter((r): r is Extract<BenchRow, { status: 'unavailable' }> => r.status === 'unavailable');
  if (unavailable.length > 0) {
    out.push('Unavailable backends (not timed):');
    for (const u of unavailable) out.push(`  ${u.backend}: ${u.reason}`);
  }
  return out.join('\n');
}
