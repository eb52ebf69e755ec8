/**
 * `--save FILE`, `--compare FILE` and `--fail-above P%`, shared by `aecheck bench` and the paper benchmarks: parsing the
 * threshold, checking the save path before anything is measured, writing the file atomically, and comparing a run
 * with a saved one (exit code 1 when a case regressed).
 */
import { existsSync, mkdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ValidationError } from '../core/errors.ts';
import { type BenchFile, readBenchFile } from './benchFile.ts';
import { type BenchRunComparison, compareBenchRuns, formatBenchComparison } from './compareBenchRuns.ts';

/** Largest `--fail-above` accepted: 1000% (an eleven-fold slowdown). */
const MAX_FAIL_ABOVE_PERCENT = 1000;

/** `--fail-above 10%` → 0.1; anything but a percentage is a ValidationError naming the value and the fix. */
export function parseFailAbove(raw: string, flag = '--fail-above'): number {
  const m = /^(\d+(?:\.\d+)?)%$/.exec(raw.trim());
  const pct = m ? Number(m[1]) : Number.NaN;
  if (!(pct >= 0 && pct <= MAX_FAIL_ABOVE_PERCENT))
    throw new ValidationError({
      field: flag,
      received: raw,
      expected: `a percentage from 0% to ${MAX_FAIL_ABOVE_PERCENT}%`,
      hint: `write the allowed slowdown with a percent sign, e.g. ${flag} 10% (the ratio new/old may then reach 1.10)`,
    });
  return pct / 100;
}

/** Checks, before anything is measured, that `path` can be written: it is no folder and its folder is writable. */
export function checkSavePath(path: string, flag = '--save'): void {
  const full = resolve(path);
  if (existsSync(full) && statSync(full).isDirectory())
    throw new ValidationError({
      field: flag,
      received: path,
      expected: 'a file path',
      hint: `it is a folder; give a file name, e.g. ${flag} ${path.replace(/\/$/, '')}/bench.json`,
    });
  // A device (/dev/full, /dev/null) is refused: the atomic write renames a temporary file over the target, which as
  // root replaced /dev/full itself with a regular file.
  if (existsSync(full) && !statSync(full).isFile())
    throw new ValidationError({
      field: flag,
      received: path,
      expected: 'a regular file path',
      hint: `${path} is a device or other special file; give a file name, e.g. ${flag} reports/bench.json`,
    });
  const probe = `${full}.${process.pid}.tmp`;
  try {
    makeFolders(dirname(full));
    writeFileSync(probe, '');
    unlinkSync(probe);
  } catch (e) {
    throw new ValidationError({
      field: flag,
      received: path,
      expected: 'a writable file path',
      hint: `${(e as NodeJS.ErrnoException).code ?? 'cannot write there'}; choose a folder you can write to`,
    });
  }
}

/**
 * Creates `dir` and its missing parents one by one. Not `mkdirSync(…, { recursive: true })`: under /proc that call
 * never returns in Node 20 (it spins at full CPU), where a plain mkdir fails at once.
 */
function makeFolders(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing.reverse()) mkdirSync(d);
}

/** Writes a benchmark file atomically (a temporary file renamed over the target). */
export function writeBenchFile(path: string, file: BenchFile): void {
  const full = resolve(path);
  const tmp = `${full}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(file, null, 2)}\n`);
  renameSync(tmp, full);
}

/** The `--save`/`--compare`/`--current`/`--fail-above` flags of a benchmark, as given. */
export interface GuardFlags {
  save?: string;
  compare?: string;
  /** Take this run's results from a saved file instead of measuring (compare two saved runs). */
  current?: string;
  failAbove?: string;
}

/** The flags checked: the threshold parsed, the saved file read and validated, the save path writable. */
export interface GuardPlan {
  save?: string;
  compare?: { path: string; file: BenchFile };
  current?: { path: string; file: BenchFile };
  failAbove: number;
}

/** Validates the guard flags before anything runs (exit code 2 on any problem, through ValidationError). */
export function planGuard(flags: GuardFlags, defaultFailAbove: number): GuardPlan {
  const needsCompare = (flag: string, value: string | undefined) => {
    if (value !== undefined && flags.compare === undefined)
      throw new ValidationError({
        field: flag,
        received: value,
        expected: 'to come with --compare',
        hint: `add --compare saved.json (a file written by --save)`,
      });
  };
  needsCompare('--fail-above', flags.failAbove);
  needsCompare('--current', flags.current);
  if (flags.current !== undefined && flags.save !== undefined)
    throw new ValidationError({
      field: '--save',
      received: flags.save,
      expected: 'no --save with --current (nothing is measured)',
      hint: 'drop --save, or drop --current to measure now and save',
    });
  const failAbove = flags.failAbove === undefined ? defaultFailAbove : parseFailAbove(flags.failAbove);
  const compare =
    flags.compare === undefined ? undefined : { path: flags.compare, file: readBenchFile(flags.compare, '--compare') };
  const current =
    flags.current === undefined ? undefined : { path: flags.current, file: readBenchFile(flags.current, '--current') };
  if (flags.save !== undefined) checkSavePath(flags.save);
  return { save: flags.save, compare, current, failAbove };
}

/** What {@link finishGuard} did: the comparison (when asked) and its text, and the exit code it implies. */
export interface GuardResult {
  comparison?: BenchRunComparison;
  text?: string;
  /** 1 when a case regressed, else 0. */
  exitCode: 0 | 1;
}

/** Saves `run` (when asked) and compares it with the saved file (when asked). */
export function finishGuard(plan: GuardPlan, run: BenchFile): GuardResult {
  if (plan.save !== undefined) writeBenchFile(plan.save, run);
  if (!plan.compare) return { exitCode: 0 };
  const comparison = compareBenchRuns(plan.compare.file, run, plan.failAbove);
  return {
    comparison,
    text: formatBenchComparison(comparison, plan.compare.path, plan.compare.file.metadata),
    exitCode: comparison.regressions.length > 0 ? 1 : 0,
  };
}
