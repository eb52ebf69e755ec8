import { randomInt } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { SingleBar } from 'cli-progress';
import Table from 'cli-table3';
import type { Command } from 'commander';
import type { AnyClaim, ClaimResult, PaperId } from '../../claims/claim.ts';
import { allClaims, claimsOfPaper, findClaim, selectablePapers } from '../../claims/catalog.ts';
import { paramsAtScale } from '../../claims/domain.ts';
import type { ClaimTask } from '../../claims/pool/runTask.ts';
import { blasThreadsPerRun, runPool } from '../../claims/pool/runPool.ts';
import { didYouMean } from '../../core/didYouMean.ts';
import { ValidationError } from '../../core/errors.ts';
import { checkParams } from '../../claims/validateParams.ts';
import type { BackendId } from '../../kernels/kernelSpecs.ts';
import { availableBackendIds, defaultBackendId, probeBackends } from '../../kernels/registry.ts';
import { asciiPlot } from '../../report/asciiPlot.ts';
import { groupPlots } from '../../report/groupPlots.ts';
import { buildReport, claimVerdict, worstOfRuns } from '../../report/buildReport.ts';
import { describeCheck, describeParams, formatNumber } from '../../report/formatCheck.ts';
import { compareReports } from '../../report/compareReports.ts';
import { reportJunit } from '../../report/junit.ts';
import { type Report, reportSchema } from '../../report/reportSchema.ts';
import { readJsonFile } from '../../core/readJsonFile.ts';
import { reportSummaryMarkdown, writeReport } from '../../report/writeReport.ts';
import { loadClaimModules } from '../../claims/loadClaims.ts';
import { loadConfig } from '../config.ts';
import { colourAllowed, tableStyle } from '../colour.ts';
import { describeDataSources, replayDataFlag, withDataDir } from '../dataSource.ts';
import { checkReportDir, checkWritableFile, writeOutput } from '../outputPaths.ts';
import { handleError } from '../handleError.ts';
import { parseOptions, type VerifyOptions, verifyOptionsSchema } from '../options.ts';
import { VERSION } from '../version.ts';

/** The claims `--claim`/`--paper` select; an unknown id or paper is a usage error with the closest names. */
function selectClaims(opts: VerifyOptions): AnyClaim[] {
  const catalog = allClaims();
  if (opts.claim?.length) {
    return opts.claim.map((id) => {
      const c = findClaim(id);
      if (!c) {
        throw new ValidationError({
          field: '--claim',
          received: id,
          expected: 'a claim id',
          hint: didYouMean(
            id,
            catalog.map((x) => x.id),
            `run \`npx aecheck list\` to see the ${catalog.length} claims`,
          ),
        });
      }
      return c;
    });
  }
  if (!opts.paper) return [...catalog];
  const papers = selectablePapers();
  if (!papers.includes(opts.paper)) {
    throw new ValidationError({
      field: '--paper',
      received: opts.paper,
      expected: `a paper with claims: ${papers.join(', ')}`,
      hint: didYouMean(opts.paper, papers, `use one of ${papers.join(', ')}`),
    });
  }
  return claimsOfPaper(opts.paper as PaperId);
}

/** Default of `--margin-tolerance`: a check's worst error/allowed may rise by 0.1 before it counts as a regression. */
const DEFAULT_MARGIN_TOLERANCE = 0.1;

/** Reads and validates a report.json (a usage error names the flag, the file and the schema's complaint). */
export function readReportFile(field: string, path: string): Report {
  const parsed = reportSchema.safeParse(readJsonFile(field, path));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ValidationError({
      field,
      received: path,
      expected: `a report.json written by \`aecheck verify --report\` (at ${issue.path.join('.') || 'the top'}: ${issue.message})`,
      hint: 'reports written before aecheck had named checks cannot be compared; write a new baseline',
    });
  }
  return parsed.data;
}

/**
 * `--params` merged over the claim's defaults and validated before anything runs (a bad value is a usage error); the
 * regime is checked too unless `--outside-regime` asks to run beyond it.
 */
function replayParams(
  claim: AnyClaim,
  params: Record<string, unknown>,
  outsideRegime: boolean,
): Record<string, unknown> {
  const checked = checkParams(claim, { ...claim.defaults, ...params }, { regime: !outsideRegime });
  if (!checked.ok) throw checked.error;
  return checked.params;
}

const fmt = formatNumber;

const VERDICT_TEXT = { pass: 'PASS', fail: 'FAIL', error: 'ERROR', skipped: 'SKIP' } as const;

/** One claim's runs on one backend. */
interface ClaimRuns {
  claim: AnyClaim;
  backend: string;
  results: ClaimResult[];
}

/** The backends `--backend` names: one id, or every available backend for `all`. */
async function selectBackends(opts: VerifyOptions): Promise<BackendId[]> {
  if (opts.backend === 'all') return availableBackendIds();
  return [opts.backend ?? (await defaultBackendId())];
}

/** The parameter sets of a claim's runs: `--params` alone, or the defaults then stratified draws. */
function paramSetsOf(claim: AnyClaim, opts: VerifyOptions, seed: number): Record<string, unknown>[] {
  if (opts.params) return [opts.params];
  const nRuns = opts.runs ?? claim.budget[opts.scale].runs;
  return paramsAtScale(claim, opts.scale, nRuns, seed);
}

/** Logs a claim's verdict line, and for a failure its worst run, check and replay command. */
function logClaim(log: (m: string) => void, cr: ClaimRuns, showBackend: boolean, data?: string): void {
  const verdict = claimVerdict(cr.results);
  const worst = worstOfRuns(cr.results);
  const ms = cr.results.reduce((s, r) => s + r.ms, 0);
  const ratio = worst?.check
    ? `worst ${worst.check.name} ${fmt(worst.check.ratio)} of allowed`
    : (worst?.message ?? '');
  log(
    `${VERDICT_TEXT[verdict].padEnd(5)} ${cr.claim.id}${showBackend ? ` [${cr.backend}]` : ''} (${cr.results.length} runs, ${ratio}, ${(ms / 1000).toFixed(1)} s)`,
  );
  if (worst && (verdict === 'fail' || verdict === 'error')) {
    log(`      run ${worst.run} (${describeParams(worst.params)})`);
    log(`      ${worst.check ? describeCheck(worst.check) : worst.message}`);
    log(`      replay: ${worst.replay}${replayDataFlag(cr.claim, data)}`);
  }
}

/** Every claim × backend × run of this invocation, in order, before sharding. */
function allTasks(
  claims: readonly AnyClaim[],
  backendIds: readonly BackendId[],
  opts: VerifyOptions & { modules?: string[] },
  seed: number,
): { claim: AnyClaim; backend: BackendId; tasks: ClaimTask[] }[] {
  const groups: { claim: AnyClaim; backend: BackendId; tasks: ClaimTask[] }[] = [];
  let index = 0;
  for (const backend of backendIds) {
    for (const claim of claims) {
      const tasks = paramSetsOf(claim, opts, seed).map((params, run) => ({
        index: index++,
        claimId: claim.id,
        run,
        params,
        seed,
        scale: opts.scale,
        backend,
        cost: claim.budget[opts.scale].cpuSeconds ?? 0,
        modules: opts.modules ?? [],
        outsideRegime: opts.outsideRegime,
      }));
      groups.push({ claim, backend, tasks });
    }
  }
  return groups;
}

/**
 * Runs every claim × backend × run as one task, on `jobs` worker threads (1: in this thread, with per-run progress).
 * With `--shard i/n` only the tasks whose position in the whole list is ≡ i − 1 (mod n) run: a deterministic split
 * that `merge-reports` puts back together. Results are identical for any `jobs` (each depends on its task alone); a
 * claim's line is printed, in catalog order, once all its runs are in.
 */
async function runTasks(
  claims: readonly AnyClaim[],
  backendIds: readonly BackendId[],
  opts: VerifyOptions & { modules?: string[] },
  seed: number,
  jobs: number,
  log: (m: string) => void,
  interactive: boolean,
): Promise<{ runs: ClaimRuns[]; totalRuns: number }> {
  const all = allTasks(claims, backendIds, opts, seed);
  const totalRuns = all.reduce((n, g) => n + g.tasks.length, 0);
  const inShard = (t: ClaimTask) => !opts.shard || t.index % opts.shard.count === opts.shard.index - 1;
  const tasks: ClaimTask[] = [];
  const groups = all
    .map((g) => ({ ...g, tasks: g.tasks.filter(inShard).map((t) => ({ ...t, index: -1 })) }))
    .filter((g) => g.tasks.length > 0);
  for (const g of groups) for (const t of g.tasks) tasks.push(Object.assign(t, { index: tasks.length }));
  if (opts.shard) log(`shard ${opts.shard.index}/${opts.shard.count}: ${tasks.length} of ${totalRuns} runs`);
  if (jobs > 1) {
    log(`running ${tasks.length} runs on ${jobs} worker threads (BLAS threads per worker: ${blasThreadsPerRun()})`);
  }
  const bar = interactive
    ? new SingleBar({
        format: 'runs [{bar}] {value}/{total} | {label}',
        hideCursor: true,
        clearOnComplete: true,
        stream: process.stderr,
      })
    : undefined;
  bar?.start(tasks.length, 0, { label: '' });
  const finished = new Array<ClaimResult | undefined>(tasks.length);
  let nextGroup = 0;
  const out: ClaimRuns[] = [];
  const flush = () => {
    while (nextGroup < groups.length && groups[nextGroup].tasks.every((t) => finished[t.index])) {
      const g = groups[nextGroup++];
      const cr = { claim: g.claim, backend: g.backend, results: g.tasks.map((t) => finished[t.index] as ClaimResult) };
      out.push(cr);
      bar?.stop();
      logClaim(log, cr, opts.backend === 'all', opts.data);
      bar?.start(tasks.length, countDone(), { label: '' });
    }
  };
  let doneCount = 0;
  const countDone = () => doneCount;
  await runPool(tasks, {
    jobs,
    onResult: (task, result, done) => {
      finished[task.index] = result;
      doneCount = done;
      bar?.update(done, { label: `${task.claimId} run ${task.run}` });
      flush();
    },
    onProgress: (task, done, total, label) =>
      bar?.update(countDone(), {
        label: `${task.claimId} run ${task.run}: ${total > 0 ? Math.round((100 * done) / total) : 0}% ${label ?? ''}`,
      }),
  });
  bar?.stop();
  return { runs: out, totalRuns };
}

/** Header cells, bold when the output may carry colour (cli-table3's own colours are off: see `tableStyle`). */
function bold(cells: string[], colour: boolean): string[] {
  return colour ? cells.map((c) => `\x1b[1m${c}\x1b[22m`) : cells;
}

/** The summary table: per claim, the worst check of the worst run with that run's parameters. */
function summaryTable(report: Report, colour: boolean): string {
  const table = new Table({
    head: bold(
      ['claim', 'verdict', 'worst check', 'measured', 'expected', 'err/allowed', 'margin', 'worst run', 'time'],
      colour,
    ),
    colWidths: [null, null, null, null, null, null, null, 34, null],
    wordWrap: true,
    style: tableStyle(),
  });
  for (const c of report.claims) {
    const w = c.worst;
    const ms = c.results.reduce((s, r) => s + r.ms, 0);
    table.push([
      c.id,
      VERDICT_TEXT[c.verdict],
      w?.check ? `${w.check.name} (${w.check.metric})` : (w?.message?.slice(0, 40) ?? '—'),
      fmt(w?.check?.observed),
      fmt(w?.check?.expected),
      fmt(w?.check?.ratio),
      fmt(w?.check?.margin),
      w ? `run ${w.run}: ${describeParams(w.params)}` : '—',
      `${(ms / 1000).toFixed(1)}s`,
    ]);
  }
  return table.toString();
}

/** The claim × backend matrix of `--backend all`: each cell the verdict and the worst error/allowed. */
function backendMatrix(runs: readonly ClaimRuns[], backends: readonly string[], colour: boolean): string {
  const table = new Table({ head: bold(['claim', ...backends], colour), style: tableStyle() });
  const ids = [...new Set(runs.map((r) => r.claim.id))];
  for (const id of ids) {
    table.push([
      id,
      ...backends.map((b) => {
        const cr = runs.find((r) => r.claim.id === id && r.backend === b);
        if (!cr) return '—';
        const w = worstOfRuns(cr.results);
        return `${VERDICT_TEXT[claimVerdict(cr.results)]}${w?.check ? ` ${fmt(w.check.ratio)}` : ''}`;
      }),
    ]);
  }
  return table.toString();
}

/**
 * Runs claims and reports measured vs expected per named check, verdict, seed and plots; exit 1 when any fails.
 * `--data DIR` is the FashionMNIST directory for the whole run.
 */
export async function verify(opts: VerifyOptions & { modules?: string[] }): Promise<number> {
  return withDataDir(opts.data, () => runVerify(opts));
}

async function runVerify(opts: VerifyOptions & { modules?: string[] }): Promise<number> {
  const claims = selectClaims(opts);
  if (opts.params && claims.length !== 1) {
    throw new ValidationError({
      field: '--params',
      received: opts.params,
      expected: 'exactly one --claim with it',
      hint: 'add --claim <id>',
    });
  }
  if (opts.params) opts = { ...opts, params: replayParams(claims[0], opts.params, opts.outsideRegime) };
  if (opts.report) await checkReportDir('--report', opts.report);
  if (opts.marginTolerance !== undefined && !opts.baseline) {
    throw new ValidationError({
      field: '--margin-tolerance',
      received: opts.marginTolerance,
      expected: 'to come with --baseline',
      hint: 'add --baseline old/report.json',
    });
  }
  const baseline = opts.baseline ? readReportFile('--baseline', opts.baseline) : undefined;
  const dataLines = describeDataSources(claims, opts.data);
  for (const [field, path] of [
    ['--junit', opts.junit],
    ['--summary', opts.summary],
  ] as const) {
    if (path) await checkWritableFile(field, path);
  }
  const seed = opts.seed ?? randomInt(0, 0xffffffff);
  const backendIds = await selectBackends(opts);
  const backends = (await probeBackends()).map((b) =>
    b.available ? { id: b.id, available: true } : { id: b.id, available: false, reason: b.reason },
  );
  const interactive = !opts.json && opts.progress && process.stderr.isTTY === true;
  const log = (m: string) => {
    if (!opts.json) process.stderr.write(`${m}\n`);
  };
  const backendLabel = opts.backend === 'all' ? `all (${backendIds.join(', ')})` : backendIds[0];
  log(`aecheck ${VERSION} verify: ${claims.length} claims, scale ${opts.scale}, backend ${backendLabel}, seed ${seed}`);
  for (const b of backends) if (!b.available && opts.backend === 'all') log(`skip backend ${b.id}: ${b.reason}`);
  for (const line of dataLines) log(line);
  const jobs = Math.max(1, opts.jobs ?? availableParallelism());
  const { runs, totalRuns } = await runTasks(claims, backendIds, opts, seed, jobs, log, interactive);
  // One report entry per claim: with --backend all its results hold every backend's runs (each result names it).
  const merged = claims.map((claim) => ({
    claim,
    results: runs.filter((r) => r.claim === claim).flatMap((r) => r.results),
  }));
  const report = buildReport({
    version: VERSION,
    seed,
    scale: opts.scale,
    backend: opts.backend === 'all' ? 'all' : backendIds[0],
    backends,
    runs: merged,
    shard: opts.shard ? { ...opts.shard, claimIds: claims.map((c) => c.id), totalRuns } : undefined,
  });
  // A run that read FashionMNIST from --data DIR replays only with the same DIR.
  for (const c of report.claims) {
    const claim = claims.find((x) => x.id === c.id);
    const flag = claim ? replayDataFlag(claim, opts.data) : '';
    if (!flag) continue;
    for (const r of c.results) r.replay += flag;
    if (c.worst) c.worst.replay += flag;
  }
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const colour = colourAllowed(process.stdout);
    process.stdout.write(`${summaryTable(report, colour)}\n`);
    if (opts.backend === 'all') process.stdout.write(`\n${backendMatrix(runs, backendIds, colour)}\n`);
    if (opts.plots) {
      // One figure per claim (its first measured run's), and a figure several claims share (same id, title and
      // axes) drawn once with every claim's points.
      const entries = merged.flatMap(({ claim, results }) => {
        const r = results.find((x) => (x.status === 'pass' || x.status === 'fail') && x.measurement.plots?.length);
        return r && 'measurement' in r ? (r.measurement.plots ?? []).map((plot) => ({ claimId: claim.id, plot })) : [];
      });
      for (const { claimIds, plot } of groupPlots(entries)) {
        const text = asciiPlot(plot, { colour });
        if (text) process.stdout.write(`\n[${claimIds.join(', ')}] ${text}\n`);
      }
    }
    const s = report.summary;
    process.stdout.write(
      `\n${s.pass} passed, ${s.fail} failed, ${s.error} errors, ${s.skipped} skipped (seed ${seed})\n`,
    );
  }
  const { junit, summary } = opts;
  if (junit) await writeOutput('--junit', junit, () => writeFile(junit, reportJunit(report)));
  if (summary) await writeOutput('--summary', summary, () => writeFile(summary, reportSummaryMarkdown(report)));
  let regressed = false;
  if (baseline) {
    const cmp = compareReports(baseline, report, opts.marginTolerance ?? DEFAULT_MARGIN_TOLERANCE);
    regressed = cmp.regressions.length > 0;
    const out = opts.json ? process.stderr : process.stdout;
    out.write(
      `\nagainst baseline ${opts.baseline} (seed ${baseline.seed}, ${baseline.scale}, ${baseline.backend}): ${cmp.comparedClaims} claims, ${cmp.comparedChecks} checks compared, ${cmp.regressions.length} regressions (margin tolerance ${opts.marginTolerance ?? DEFAULT_MARGIN_TOLERANCE})\n`,
    );
    if (baseline.seed !== report.seed || baseline.scale !== report.scale || baseline.backend !== report.backend) {
      out.write(
        '  note: seed, scale or backend differ, so the runs drew other parameters; margins are not like for like\n',
      );
    }
    for (const r of cmp.regressions) out.write(`  REGRESSED ${r.claimId} ${r.what}: ${r.before} → ${r.after}\n`);
    for (const n of cmp.notCompared) out.write(`  not compared: ${n}\n`);
  }
  if (opts.report) {
    const dir = opts.report;
    const files = await writeOutput('--report', dir, () => writeReport(report, dir));
    log(
      `report written: ${files.filter((f) => /report\.(md|json)$|index\.html$/.test(f)).join(', ')} (+${files.length - 3} files)`,
    );
  }
  return report.summary.fail + report.summary.error > 0 || regressed ? 1 : 0;
}

/** `aecheck verify`. */
export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('run the claims: measured vs predicted, verdict, the seed that replays it, plots')
    .option('--claim <id...>', 'only these claims (see `aecheck list`)')
    .option(
      '--paper <id>',
      'only the claims of this paper, or foundation: the shared Gaussian-integral and Sheppard checks',
    )
    .option('--scale <scale>', "quick (small sizes, default) or paper (the papers' sizes)")
    .option('--seed <n>', 'seed (default: random, printed)')
    .option('--runs <n>', "parameter draws per claim (default: the claim's budget; run 0 uses its defaults)")
    .option(
      '--backend <id>',
      'kernel backend for the simulations, or `all` for every available one (default auto: the fastest correct implementation per kernel, see `aecheck bench`)',
    )
    .option(
      '--jobs <n>',
      'worker threads that run claims in parallel (default: the number of cores; results are identical)',
    )
    .option(
      '--shard <i/n>',
      'run only part i of n of the claims × runs (merge the reports with `aecheck merge-reports`)',
    )
    .option(
      '--baseline <report.json>',
      'compare with a previous report: exit 1 when a verdict regresses or a margin worsens',
    )
    .option('--margin-tolerance <x>', "with --baseline: how much a check's worst error/allowed may rise (default 0.1)")
    .option('--junit <file>', 'also write the verdicts as JUnit XML')
    .option('--summary <file>', 'also write a short Markdown summary (for a CI job summary)')
    .option('--params <json>', 'run one claim once with these parameters (replay)')
    .option(
      '--outside-regime',
      "with --params: run even where the claim's regime says it need not hold (replays a point of `aecheck explore`)",
    )
    .option('--json', 'print the report as JSON on stdout')
    .option('--report <dir>', 'write report.json, report.md, index.html and plots/*.svg to DIR')
    .option(
      '--data <dir>',
      "FashionMNIST directory with the four IDX files (default: $AECHECK_FASHION_MNIST_DIR, then Debian's dataset-fashion-mnist, then the 1000-image subset in fixtures/)",
    )
    .option('--no-plots', 'do not draw ASCII plots in the terminal')
    .option('--no-progress', 'no progress bars')
    .option('--claims <file...>', 'also load the claims these modules export (your own; see docs/claims.md)')
    .option('--config <file>', 'an aecheck.config.ts (default: ./aecheck.config.{ts,mjs,js,json} when present)')
    .action(async (raw: Record<string, unknown>) => {
      try {
        const config = await loadConfig(raw.config as string | undefined);
        // The config's verify defaults apply where no flag was given (flags are strings, as commander gives them).
        const fromConfig = Object.fromEntries(
          Object.entries(config.verify)
            .filter(([k, v]) => v !== undefined && raw[k] === undefined)
            .map(([k, v]) => [k, String(v)]),
        );
        const opts = parseOptions(verifyOptionsSchema, { ...raw, ...fromConfig });
        const modules = await loadClaimModules([...config.claims, ...(opts.claims ?? [])]);
        const code = await verify({ ...opts, modules });
        process.exitCode = code;
      } catch (e) {
        handleError(e);
      }
    });
}
