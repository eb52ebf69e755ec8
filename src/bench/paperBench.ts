/**
 * What the paper benchmarks (benchmarks/<paper>/*.bench.ts) share with `aecheck bench`: timing with tinybench into
 * per-iteration samples, the `--save`/`--compare`/`--fail-above`/`--current` flags, and a `--json` output that carries
 * the same metadata (machine, OS, Node, aecheck version and commit, threads, backends, OpenBLAS) as a saved file.
 */
import { Bench } from 'tinybench';
import { AecheckError } from '../core/errors.ts';
import type { BenchCase, BenchFile, BenchMetadata } from './benchFile.ts';
import { finishGuard, type GuardPlan, planGuard } from './benchGuard.ts';
import { collectBenchMetadata, cpusAllowedLine } from './collectBenchMetadata.ts';
import { DEFAULT_FAIL_ABOVE } from './compareBenchRuns.ts';

/** The guard flags in node:util parseArgs form, to spread into a benchmark's options. */
export const GUARD_ARGS = {
  save: { type: 'string' },
  compare: { type: 'string' },
  'fail-above': { type: 'string' },
  current: { type: 'string' },
} as const;

/** Usage line of the guard flags. */
export const GUARD_USAGE = '[--save FILE] [--compare FILE [--fail-above 10%] [--current FILE]]';

/** Prints a user error like the CLI does (no stack trace) and exits 2; anything else is rethrown. */
function exitOnUserError(e: unknown): never {
  if (e instanceof AecheckError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
  throw e;
}

/**
 * Checks the guard flags before anything is measured (exit 2 on a bad one). With `--compare A --current B` nothing
 * is measured: the two saved files are compared and the process exits (0, or 1 on a regression).
 */
export function planPaperGuard(
  values: { save?: string; compare?: string; 'fail-above'?: string; current?: string },
  json: boolean,
): GuardPlan {
  let plan: GuardPlan;
  try {
    plan = planGuard(
      { save: values.save, compare: values.compare, failAbove: values['fail-above'], current: values.current },
      DEFAULT_FAIL_ABOVE,
    );
  } catch (e) {
    exitOnUserError(e);
  }
  if (plan.current) {
    try {
      const result = finishGuard(plan, plan.current.file);
      process.stdout.write(
        json ? `${JSON.stringify({ comparison: result.comparison }, null, 2)}\n` : `${result.text}\n`,
      );
      process.exit(result.exitCode);
    } catch (e) {
      exitOnUserError(e);
    }
  }
  return plan;
}

/** Options of {@link tinybenchSamples}. */
export interface TinybenchSampleOptions {
  /** Time budget in ms (tinybench's `time`; default 0: only `iterations` count). */
  timeMs?: number;
  /** Fewest timed iterations (tinybench's `iterations`; default 5). */
  iterations?: number;
  /** Untimed warm-up iterations first (default 1: JIT, gpu.js compilation, caches). */
  warmupIterations?: number;
}

/**
 * Times the synchronous `fn` with tinybench and returns every iteration's time in seconds. `fn` may return
 * `{ overriddenDuration }` (ms) to time only part of its work, as tinybench allows.
 */
export async function tinybenchSamples(
  name: string,
  fn: () => unknown,
  options: TinybenchSampleOptions = {},
): Promise<number[]> {
  const warmupIterations = options.warmupIterations ?? 1;
  const bench = new Bench({
    time: options.timeMs ?? 0,
    iterations: options.iterations ?? 5,
    warmup: warmupIterations > 0,
    warmupIterations,
    warmupTime: 0,
    retainSamples: true,
    throws: true,
  });
  // Declared synchronous: otherwise tinybench calls fn once more to find out.
  bench.add(name, fn, { async: false });
  await bench.run();
  const result = bench.tasks[0].result;
  if (result.state !== 'completed' || !result.latency.samples)
    throw new Error(`tinybench: task ${name} ended in state ${result.state}`);
  return [...result.latency.samples].map((ms) => ms / 1000);
}

/**
 * Paired samples of what `k` more iterations of a run cost: `reps` pairs of a short and a long run (the long one has
 * `k` more iterations, both the same set-up and finish), their order alternating from pair to pair so that a drift in
 * the machine's speed falls on both; each sample is (long − short) / k seconds. One untimed call of each first (the
 * JIT's warm-up). Returns the samples and the long runs' own times (real measurements, for a saved case).
 */
export function pairedSlopeSamples(
  short: () => unknown,
  long: () => unknown,
  k: number,
  reps: number,
  clock: () => number = () => performance.now(),
): { perIteration: number[]; long: number[] } {
  if (!(Number.isInteger(k) && k >= 1))
    throw new RangeError(`pairedSlopeSamples: k must be a whole number ≥ 1, got ${k}`);
  if (!(Number.isInteger(reps) && reps >= 1)) {
    throw new RangeError(`pairedSlopeSamples: reps must be a whole number ≥ 1, got ${reps}`);
  }
  const time = (fn: () => unknown) => {
    const t0 = clock();
    fn();
    return (clock() - t0) / 1000;
  };
  long();
  short();
  const perIteration: number[] = [];
  const longTimes: number[] = [];
  for (let r = 0; r < reps; r++) {
    let tLong: number;
    let tShort: number;
    if (r % 2 === 0) {
      tLong = time(long);
      tShort = time(short);
    } else {
      tShort = time(short);
      tLong = time(long);
    }
    perIteration.push((tLong - tShort) / k);
    longTimes.push(tLong);
  }
  return { perIteration, long: longTimes };
}

/** What a paper benchmark hands to {@link finishPaperBench}. */
export interface PaperBenchResult {
  /** The benchmark's name in saved files, e.g. `persianrug2024-train`. */
  benchmark: string;
  plan: GuardPlan;
  /** The cases measured (times in seconds per operation). */
  cases: BenchCase[];
  /** The run's options, recorded in the metadata. */
  options: Record<string, unknown>;
  /** Thread counts of the Python baselines that ran (empty when none). */
  baselineThreads: readonly number[];
  /** Print JSON (the metadata, `payload`, and the comparison) instead of `text`. */
  json: boolean;
  /** The benchmark's own results for --json. */
  payload: Record<string, unknown>;
  /** The benchmark's own text report. */
  text: string;
}

/** Collects the metadata, saves and compares as asked, prints the text or the JSON, and exits (1 on a regression). */
export async function finishPaperBench(r: PaperBenchResult): Promise<never> {
  const metadata: BenchMetadata = await collectBenchMetadata({
    benchmark: r.benchmark,
    options: r.options,
    baselineThreads: r.baselineThreads,
  });
  const file: BenchFile = { format: 'aecheck-bench', version: 1, metadata, cases: r.cases };
  let guard: ReturnType<typeof finishGuard>;
  try {
    guard = finishGuard(r.plan, file);
  } catch (e) {
    exitOnUserError(e);
  }
  if (r.json) {
    const cases = r.cases.map(({ samples: _, ...rest }) => rest);
    process.stdout.write(
      `${JSON.stringify({ metadata, ...r.payload, cases, comparison: guard.comparison }, null, 2)}\n`,
    );
  } else {
    process.stdout.write(`${r.text}\n`);
    const pinned = cpusAllowedLine(metadata.cpu.allowed);
    if (pinned) process.stdout.write(`${pinned}\n`);
    if (r.plan.save) process.stdout.write(`saved ${r.cases.length} cases to ${r.plan.save}\n`);
    if (guard.text) process.stdout.write(`\n${guard.text}\n`);
  }
  process.exit(guard.exitCode);
}
