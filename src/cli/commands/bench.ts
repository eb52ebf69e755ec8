import Table from 'cli-table3';
import { colourAllowed, tableHead, tableStyle } from '../colour.ts';
import type { Command } from 'commander';
import { z } from 'zod';
import type { BenchFile } from '../../bench/benchFile.ts';
import { finishGuard, planGuard } from '../../bench/benchGuard.ts';
import { collectBenchMetadata, cpusAllowedLine } from '../../bench/collectBenchMetadata.ts';
import { DEFAULT_FAIL_ABOVE } from '../../bench/compareBenchRuns.ts';
import { formatKernelBench } from '../../bench/formatKernelBench.ts';
import { kernelBenchCases } from '../../bench/kernelBenchCases.ts';
import { BENCH_KERNELS, type BenchRow, runKernelBench } from '../../bench/runKernelBench.ts';
import {
  compareGemm,
  comparisonThreads,
  formatGemmComparison,
  gemmRatesOf,
  runPythonBaseline,
} from '../../bench/runPythonBaseline.ts';
import { didYouMean } from '../../core/didYouMean.ts';
import { ValidationError } from '../../core/errors.ts';
import { BACKEND_IDS, type KernelName } from '../../kernels/kernelSpecs.ts';
import { openblasLibrary } from '../../kernels/openblas/openblasLibrary.ts';
import { getKernelSet, KERNEL_NAMES, probeBackends } from '../../kernels/registry.ts';
import { handleError } from '../handleError.ts';
import { parseOptions } from '../options.ts';

/** Largest GEMM size accepted (a 4096³ float64 GEMM already takes minutes on the reference backend). */
const MAX_SIZE = 4096;
/** Default sizes. */
const DEFAULT_SIZES = [64, 128, 256, 512];
/** Default minimum time per measurement, ms. */
const DEFAULT_TIME_MS = 300;

const benchOptionsSchema = z.strictObject({
  json: z.boolean().default(false),
  baseline: z.boolean().default(true),
  backend: z.array(z.enum(BACKEND_IDS)).optional(),
  kernel: z.array(z.enum(BENCH_KERNELS)).optional(),
  save: z.string().min(1).optional(),
  compare: z.string().min(1).optional(),
  current: z.string().min(1).optional(),
  failAbove: z.string().optional(),
  sizes: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'comma-separated positive integers, e.g. 64,128,256,512')
    .transform((s) => s.split(',').map(Number))
    .pipe(z.array(z.number().int().min(1).max(MAX_SIZE, `sizes at most ${MAX_SIZE}`)))
    .optional(),
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
    .optional(),
});

/** The run options a saved file records (`metadata.options`), reused by --compare when not given again. */
const savedKernelOptionsSchema = z.object({
  kernels: z.array(z.enum(BENCH_KERNELS)).optional(),
  backends: z.array(z.string()).optional(),
  sizes: z.array(z.number().int().min(1).max(MAX_SIZE)).optional(),
  timeMs: z.number().int().min(10).max(60_000).optional(),
  threads: z.number().int().min(1).max(64).optional(),
});

/**
 * Checks the names given to --kernel and --backend before anything runs: an unknown one is a ValidationError (exit 2)
 * naming it, the choices, and the nearest names.
 */
function checkNames(flag: '--kernel' | '--backend', given: unknown, known: readonly string[]): void {
  if (!Array.isArray(given)) return;
  for (const name of given)
    if (typeof name === 'string' && !known.includes(name))
      throw new ValidationError({
        field: flag,
        received: name,
        expected: `a known ${flag === '--kernel' ? 'kernel' : 'backend'} (${known.join(', ')})`,
        hint: didYouMean(name, known, `use one of ${known.join(', ')}`),
      });
}

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
      'time every kernel on every available backend, with numpy/PyTorch GEMM measured in the same run (--no-baseline to skip); --save/--compare guard against regressions',
    )
    .option('--json', 'print JSON')
    .option('--no-baseline', 'skip the numpy/PyTorch GEMM baseline (on by default, measured in the same run)')
    .option('--backend <id...>', `backends (default: every available one of ${BACKEND_IDS.join(', ')})`)
    .option('--kernel <name...>', `kernels (default: ${BENCH_KERNELS.join(', ')})`)
    .option('--sizes <list>', `sizes, comma-separated (default ${DEFAULT_SIZES.join(',')})`)
    .option(
      '--threads <n>',
      'BLAS threads for the Python baseline and the openblas backends alike (default 1, like the single-threaded JS backends)',
    )
    .option('--time <ms>', `minimum time per measurement in ms (default ${DEFAULT_TIME_MS})`)
    .option(
      '--save <file>',
      'write the samples, their median and spread, and the machine/Node/threads metadata to FILE',
    )
    .option(
      '--compare <file>',
      "compare with a file written by --save (its kernels, backends, sizes, time and threads unless given); exit 1 when a case's whole 95% CI of the time ratio lies above 1 + --fail-above",
    )
    .option('--fail-above <percent>', `allowed slowdown with --compare (default ${DEFAULT_FAIL_ABOVE * 100}%)`)
    .option(
      '--current <file>',
      'with --compare: take this run from a saved file instead of measuring (compare two saved runs)',
    )
    .action(async (raw) => {
      try {
        checkNames('--kernel', raw.kernel, BENCH_KERNELS);
        checkNames('--backend', raw.backend, BACKEND_IDS);
        const opts = parseOptions(benchOptionsSchema, raw);
        const plan = planGuard(opts, DEFAULT_FAIL_ABOVE);
        if (plan.current) {
          const result = finishGuard(plan, plan.current.file);
          if (opts.json) process.stdout.write(`${JSON.stringify({ comparison: result.comparison }, null, 2)}\n`);
          else process.stdout.write(`${result.text}\n`);
          process.exitCode = result.exitCode;
          return;
        }
        const saved = plan.compare ? savedKernelOptionsSchema.safeParse(plan.compare.file.metadata.options) : undefined;
        const reuse = saved?.success ? saved.data : {};
        const kernels = opts.kernel ?? reuse.kernels;
        const backends = opts.backend ?? reuse.backends;
        const sizes = opts.sizes ?? reuse.sizes ?? DEFAULT_SIZES;
        const timeMs = opts.time ?? reuse.timeMs ?? DEFAULT_TIME_MS;
        const threads = raw.threads === undefined ? (reuse.threads ?? opts.threads) : opts.threads;
        const progress = !opts.json && process.stderr.isTTY;
        // The openblas backends run on --threads (default 1), like the baseline: say so to the thread accounting too.
        process.env.AECHECK_THREADS = String(threads);
        const openblas = await openblasInfo(threads);
        const choices = await defaultChoices();
        const rows = await runKernelBench({
          kernels,
          backends,
          sizes,
          timeMs,
          onRow: (row) => {
            if (progress && row.status === 'ok')
              process.stderr.write(`  ${row.kernel} ${row.backend} ${row.size}: ${fmt(row.rate)} ${row.rateUnit}\n`);
          },
        });
        // Baselines at the thread count asked for, or at 1 thread and at all cores; a ratio is printed only where both
        // sides ran on the same number of threads and the baseline's BLAS is an optimised one (runPythonBaseline.ts).
        const baselineThreads = opts.baseline
          ? raw.threads !== undefined || reuse.threads !== undefined
            ? [threads]
            : comparisonThreads()
          : [];
        const baselines = baselineThreads.map((t) => runPythonBaseline(sizes, t));
        const precision = new Map<string, 'float64' | 'float32'>();
        for (const r of rows) {
          if (r.status === 'ok' && !precision.has(r.ranOn))
            precision.set(r.ranOn, (await getKernelSet(r.ranOn)).precision);
        }
        const comparison = compareGemm(
          gemmRatesOf(rows, (id) => precision.get(id) ?? 'float64'),
          baselines,
        );
        const run: BenchFile = {
          format: 'aecheck-bench',
          version: 1,
          metadata: await collectBenchMetadata({
            benchmark: 'kernels',
            options: { kernels, backends, sizes, timeMs, threads: raw.threads === undefined ? reuse.threads : threads },
            baselineThreads,
            command: ['aecheck', ...process.argv.slice(2)].join(' '),
          }),
          cases: kernelBenchCases(rows),
        };
        const guard = finishGuard(plan, run);
        process.exitCode = guard.exitCode;
        if (opts.json) {
          const summary = rows.map((r): Omit<BenchRow, 'sampleSeconds'> => {
            if (r.status !== 'ok') return r;
            const { sampleSeconds: _, ...rest } = r;
            return rest;
          });
          process.stdout.write(
            `${JSON.stringify(
              {
                metadata: run.metadata,
                rows: summary,
                baselines,
                gemm: comparison,
                defaultKernelSet: { id: 'auto', choices },
                openblas,
                comparison: guard.comparison,
              },
              null,
              2,
            )}\n`,
          );
          return;
        }
        const plain = !colourAllowed();
        process.stdout.write(`${formatKernelBench(rows, { plain })}\n`);
        const chosen = new Table({
          head: tableHead(['kernel', 'runs on', 'why']),
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
        const pinned = cpusAllowedLine(run.metadata.cpu.allowed);
        if (pinned) process.stdout.write(`${pinned}\n`);
        if (baselines.length > 0) process.stdout.write(`\n${formatGemmComparison(comparison, baselines)}\n`);
        if (plan.save) process.stdout.write(`\nsaved ${run.cases.length} cases to ${plan.save}\n`);
        if (guard.text) process.stdout.write(`\n${guard.text}\n`);
      } catch (e) {
        handleError(e);
      }
    });
}
