/**
 * The saved-benchmark file of `aecheck bench --save FILE` (and of the paper benchmarks' `--save`): what ran, where, and
 * every case's bounded samples with their median and spread, so that a later run can be compared with it
 * (`--compare FILE`). The format is documented in docs/ci.md ("The benchmark file"); {@link readBenchFile} validates a
 * file with zod and names the first wrong field, the value, what was expected and how to fix it.
 */
import { readFileSync } from 'node:fs';
import { unreadableFileReason } from '../core/readJsonFile.ts';
import { z } from 'zod';
import { cleanZodMessage } from '../core/zodMessage.ts';
import { ValidationError } from '../core/errors.ts';
import { keepSamples, MAX_KEPT_SAMPLES, type SampleSummary, summarizeSamples } from './summarizeSamples.ts';

/** The `format` tag of every benchmark file. */
export const BENCH_FILE_FORMAT = 'aecheck-bench';
/** The format's version; a reader refuses other versions (a newer aecheck may write more). */
export const BENCH_FILE_VERSION = 1;

const positive = z.number().positive().finite();

/** One measured case: a name that stays the same from run to run, its samples and their summary. */
export const benchCaseSchema = z.strictObject({
  /** Stable name, e.g. `gemm/wasm/64` or `train/n512-m64/auto/float64@1`: cases are matched by it. */
  id: z.string().min(1),
  /** Unit of the samples: seconds per operation (one kernel call, one training step, one iteration …). */
  unit: z.literal('seconds'),
  /** Up to MAX_KEPT_SAMPLES samples, sorted (evenly spaced order statistics of all the run's samples when more). */
  samples: z.array(positive).min(1).max(MAX_KEPT_SAMPLES),
  /** Samples the run took in all (≥ samples.length). */
  count: z.number().int().positive(),
  median: positive,
  q1: z.number().nonnegative(),
  q3: z.number().nonnegative(),
  iqr: z.number().nonnegative(),
  mad: z.number().nonnegative(),
  /** Free-form facts about the case (kernel, backend, size, rate, the backend it ran on …), shown, never compared. */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
});
export type BenchCase = z.infer<typeof benchCaseSchema>;

/** A backend as probed at the time of the run. */
const backendStatusSchema = z.strictObject({
  id: z.string(),
  available: z.boolean(),
  /** float64 or float32 (available backends). */
  precision: z.enum(['float64', 'float32']).optional(),
  /** Why it was unavailable. */
  reason: z.string().optional(),
});

/** Where and how the run was made. */
export const benchMetadataSchema = z.strictObject({
  /** ISO 8601 time the file was written. */
  createdAt: z.iso.datetime(),
  /** Which benchmark: `kernels` (aecheck bench) or a paper benchmark's name, e.g. `persianrug2024-train`. */
  benchmark: z.string().min(1),
  /** The command line that produced it. */
  command: z.string(),
  aecheckVersion: z.string(),
  /** `git rev-parse HEAD` of the checkout, or null outside a git checkout. */
  gitCommit: z.string().nullable(),
  /** process.version, e.g. v20.19.2. */
  node: z.string(),
  os: z.strictObject({ platform: z.string(), release: z.string(), arch: z.string() }),
  cpu: z.strictObject({
    model: z.string(),
    cores: z.number().int().positive(),
    /** The CPUs the run was allowed (Linux's list, e.g. "0" when pinned with `taskset -c 0`); null elsewhere. */
    allowed: z.string().nullable().optional(),
  }),
  /** Threads: the aecheck side (AECHECK_THREADS / OpenBLAS) and the Python baselines' counts, when they ran. */
  threads: z.strictObject({
    aecheck: z.number().int().positive(),
    baselines: z.array(z.number().int().positive()),
  }),
  backends: z.array(backendStatusSchema),
  /** OpenBLAS's build configuration, core type and threads, or null when it was not loaded. */
  openblas: z.strictObject({ config: z.string(), core: z.string(), threads: z.number().int().positive() }).nullable(),
  /** The run's options (kernels, backends, sizes, time …): `--compare` reuses them when not given again. */
  options: z.record(z.string(), z.unknown()),
});
export type BenchMetadata = z.infer<typeof benchMetadataSchema>;

/** A saved benchmark run. */
export const benchFileSchema = z.strictObject({
  format: z.literal(BENCH_FILE_FORMAT),
  version: z.literal(BENCH_FILE_VERSION),
  metadata: benchMetadataSchema,
  cases: z.array(benchCaseSchema),
});
export type BenchFile = z.infer<typeof benchFileSchema>;

/** A case from raw samples (seconds per operation): bounded, sorted, summarised. */
export function benchCase(
  id: string,
  samples: readonly number[],
  details: Record<string, string | number | boolean | null> = {},
): BenchCase {
  const s: SampleSummary = summarizeSamples(samples);
  const kept = keepSamples(samples);
  return {
    id,
    unit: 'seconds',
    samples: kept,
    count: s.count,
    median: s.median,
    q1: s.q1,
    q3: s.q3,
    iqr: s.iqr,
    mad: s.mad,
    details,
  };
}

/** What a field of the benchmark file should hold, for error messages. */
function hintFor(path: string): string {
  if (path === 'format' || path === 'version')
    return `write the file with \`aecheck bench --save FILE\` (format "${BENCH_FILE_FORMAT}", version ${BENCH_FILE_VERSION})`;
  return 'write the file again with `aecheck bench --save FILE` (or the paper benchmark with --save); see docs/ci.md, "The benchmark file"';
}

/** Validates parsed JSON as a benchmark file; `flag` names where it came from (e.g. `--compare`). */
export function parseBenchFile(json: unknown, flag: string, path: string): BenchFile {
  const parsed = benchFileSchema.safeParse(json);
  if (parsed.success) {
    const seen = new Set<string>();
    for (const [i, c] of parsed.data.cases.entries()) {
      if (seen.has(c.id))
        throw new ValidationError({
          field: `${flag} ${path}: cases[${i}].id`,
          received: c.id,
          expected: 'a case name used once',
          hint: hintFor('cases'),
        });
      seen.add(c.id);
    }
    return parsed.data;
  }
  const issues = parsed.error.issues.slice(0, 5).map((issue, i) => {
    const field = issue.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .slice(1);
    const received = issue.path.reduce<unknown>(
      (v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k as string],
      json,
    );
    return {
      field: `${flag} ${path}: ${field || '(root)'}`,
      received: issue.code === 'unrecognized_keys' ? issue.keys : received,
      expected: issue.code === 'unrecognized_keys' ? 'no such field' : cleanZodMessage(issue.message),
      // One fix for the whole file: said once, on the first line.
      hint: i === 0 ? hintFor(String(issue.path[0] ?? '')) : undefined,
    };
  });
  throw new ValidationError(issues);
}

/** Reads and validates a benchmark file; a missing file, bad JSON or a wrong field is a ValidationError (exit 2). */
export function readBenchFile(path: string, flag: string): BenchFile {
  let text: string;
  try {
    // A directory or a device is refused first: reading /dev/zero never ends.
    const why = unreadableFileReason(path);
    if (why) throw Object.assign(new Error(why), { code: why.endsWith('directory') ? 'EISDIR' : 'not a file' });
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ValidationError({
      field: flag,
      received: path,
      expected: 'a readable benchmark file',
      hint: `${(e as NodeJS.ErrnoException).code ?? 'unreadable'}; write one with \`aecheck bench --save ${path}\``,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ValidationError({
      field: flag,
      received: path,
      expected: 'a JSON benchmark file',
      hint: `it is not JSON (${(e as Error).message}); write it again with \`aecheck bench --save ${path}\``,
    });
  }
  return parseBenchFile(json, flag, path);
}
