import Table from 'cli-table3';
import { tableStyle } from '../colour.ts';
import type { Command } from 'commander';
import { z } from 'zod';
import { BENCH_KERNELS, runKernelBench } from '../../bench/runKernelBench.ts';
import {
  compareGemm,
  comparisonThreads,
  formatGemmComparison,
  gemmRatesOf,
  runPythonBaseline,
} from '../../bench/runPythonBaseline.ts';
import { BACKEND_IDS, type KernelName } from '../../kernels/kernelSpecs.ts';
import { openblasLibrary } from '../../kernels/openblas/openblasLibrary.ts';
import { getKernelSet, KERNEL_NAMES, probeBackends } from '../../kernels/registry.ts';
import { handleError } from '../handleError.ts';
import { parseOptions } from '../options.ts';

/** Largest GEMM size accepted (a 4096³ float64 GEMM already takes minutes on the reference backend). */
const MAX_SIZE = 4096;

const benchOptionsSchema = z.strictObject({
  json: z.boolean().default(false),
  baseline: z.boolean().default(true),
  backend: z.array(z.enum(BACKEND_IDS)).optional(),
  kernel: z.array(z.enum(BENCH_KERNELS)).optional(),
  sizes: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'comma-separated positive integers, e.g. 64,128,256,512')
    .transform((s) => s.split(',').map(Number))
    .pipe(z.array(z.number().int().min(1).max(MAX_SIZE, `sizes at most ${MAX_SIZE}`)))
    .default([64, 128, 256, 512]),
  threads: z
    .string()
    .regex(/^\d+$/, 'a positive integer')
    .transform(Number)
    .pipe(z.number().int().min(1).max(64))
    .default(1),
  time: z
    .string()
    .regex(/^\d+$/, 'milliseconds, a positive integer')
    .transform(Number)
    .pipe(z.number().int().min(10).max(60_000))
    .default(300),
});

function fmt(v: number, digits = 3): string {
  return Number.isFinite(v) ? v.toPrecision(digits) : String(v);
}

/** The default kernel set (`auto`): which backend runs each kernel, and why. */
async function defaultChoices(): Promise<{ kernel: KernelName; backend: string; reason: string }[]> {
  const auto = await getKernelSet('auto');
  return KERNEL_NAMES.map((kernel) => ({ kernel, backend: auto.resolved[kernel], reason: auto.reasons[kernel] }));
}

/**
 * Sets OpenBLAS to `threads` for the run (the baseline's count, so both sides of a ratio use the same) and says what it
 * runs; undefined when OpenBLAS is unavailable.
 */
async function openblasInfo(threads: number): Promise<{ config: string; core: string; threads: number } | undefined> {
  const status = (await probeBackends()).find((s) => s.id === 'openblas');
  if (!status?.available) return undefined;
  const library = openblasLibrary();
  library.setThreads(threads);
  return { config: library.config, core: library.coreName, threads: library.threads() };
}

/** `aecheck bench`. */
export function registerBench(program: Command): void {
  program
    .command('bench')
    .description(
      'time every kernel on every available backend, with numpy/PyTorch GEMM measured in the same run (--no-baseline to skip)',
    )
    .option('--json', 'print JSON')
    .option('--no-baseline', 'skip the numpy/PyTorch GEMM baseline (on by default, measured in the same run)')
    .option('--backend <id...>', `backends (default: every available one of ${BACKEND_IDS.join(', ')})`)
    .option('--kernel <name...>', `kernels (default: ${BENCH_KERNELS.join(', ')})`)
    .option('--sizes <list>', 'sizes, comma-separated (default 64,128,256,512)')
    .option(
      '--threads <n>',
      'BLAS threads for the Python baseline and the openblas backends alike (default 1, like the single-threaded JS backends)',
    )
    .option('--time <ms>', 'minimum time per measurement in ms (default 300)')
    .action(async (raw) => {
      try {
        const opts = parseOptions(benchOptionsSchema, raw);
        const progress = !opts.json && process.stderr.isTTY;
        // The openblas backends run on --threads (default 1), like the baseline: say so to the thread accounting too.
        process.env.AECHECK_THREADS = String(opts.threads);
        const openblas = await openblasInfo(opts.threads);
        const choices = await defaultChoices();
        const rows = await runKernelBench({
          kernels: opts.kernel,
          backends: opts.backend,
          sizes: opts.sizes,
          timeMs: opts.time,
          onRow: (row) => {
            if (progress && row.status === 'ok')
              process.stderr.write(`  ${row.kernel} ${row.backend} ${row.size}: ${fmt(row.rate)} ${row.rateUnit}\n`);
          },
        });
        // Baselines at the thread count asked for, or at 1 thread and at all cores; a ratio is printed only where both
        // sides ran on the same number of threads and the baseline's BLAS is an optimised one (runPythonBaseline.ts).
        const baselines = opts.baseline
          ? (raw.threads ? [opts.threads] : comparisonThreads()).map((t) => runPythonBaseline(opts.sizes, t))
          : [];
        const precision = new Map<string, 'float64' | 'float32'>();
        for (const r of rows) {
          if (r.status === 'ok' && !precision.has(r.ranOn))
            precision.set(r.ranOn, (await getKernelSet(r.ranOn)).precision);
        }
        const comparison = compareGemm(
          gemmRatesOf(rows, (id) => precision.get(id) ?? 'float64'),
          baselines,
        );
        if (opts.json) {
          process.stdout.write(
            `${JSON.stringify({ rows, baselines, gemm: comparison, defaultKernelSet: { id: 'auto', choices }, openblas }, null, 2)}\n`,
          );
          return;
        }
        const table = new Table({
          head: ['kernel', 'backend', 'size', 'median time', 'rate', 'rel. error vs reference'],
          style: tableStyle(),
        });
        for (const r of rows) {
          if (r.status === 'ok')
            table.push([
              r.kernel,
              r.ranOn === r.backend
                ? r.backend
                : r.backend === 'auto'
                  ? `auto → ${r.ranOn}`
                  : `${r.backend} (lacks it: ran on ${r.ranOn})`,
              r.size,
              `${fmt(r.seconds * 1e3)} ms`,
              `${fmt(r.rate)} ${r.rateUnit}`,
              r.relativeError.toExponential(1),
            ]);
          else if (r.status === 'wrong')
            table.push([
              r.kernel,
              r.backend,
              r.size,
              'WRONG RESULT',
              '—',
              `${r.relativeError.toExponential(1)} > ${r.allowed.toExponential(1)}`,
            ]);
          else table.push(['—', r.backend, '—', 'unavailable', r.reason.slice(0, 60), '']);
        }
        process.stdout.write(`${table.toString()}\n`);
        const chosen = new Table({
          head: ['kernel', 'runs on', 'why'],
          colWidths: [18, 12, 90],
          wordWrap: true,
          style: tableStyle(),
        });
        for (const c of choices) chosen.push([c.kernel, c.backend, c.reason]);
        process.stdout.write(
          `\nThe default kernel set (\`auto\`, used by verify unless --backend says otherwise) chose:\n${chosen.toString()}\n`,
        );
        if (openblas)
          process.stdout.write(`OpenBLAS: ${openblas.config}; core ${openblas.core}; ${openblas.threads} thread(s)\n`);
        if (baselines.length > 0) process.stdout.write(`\n${formatGemmComparison(comparison, baselines)}\n`);
      } catch (e) {
        handleError(e);
      }
    });
}
