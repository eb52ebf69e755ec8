import { randomInt } from 'node:crypto';
import { SingleBar } from 'cli-progress';
import Table from 'cli-table3';
import type { Command } from 'commander';
import type { AnyClaim, ClaimResult } from '../../claims/claim.ts';
import { catalog, claimsOfPaper, findClaim } from '../../claims/catalog.ts';
import { sampleParams } from '../../claims/domain.ts';
import { runClaim } from '../../claims/runClaim.ts';
import { ValidationError } from '../../core/errors.ts';
import { defaultBackendId, getKernelSet, probeBackends } from '../../kernels/registry.ts';
import { asciiPlot } from '../../report/asciiPlot.ts';
import { buildReport, claimVerdict, replayCommand } from '../../report/buildReport.ts';
import { writeReport } from '../../report/writeReport.ts';
import { handleError } from '../handleError.ts';
import { parseOptions, type VerifyOptions, verifyOptionsSchema } from '../options.ts';
import { VERSION } from '../version.ts';

function selectClaims(opts: VerifyOptions): AnyClaim[] {
  if (opts.claim?.length) {
    return opts.claim.map((id) => {
      const c = findClaim(id);
      if (!c) {
        throw new ValidationError({
          field: '--claim',
          received: id,
          expected: 'a claim id',
          hint: `run \`npx aecheck list\` to see the ${catalog.length} claims`,
        });
      }
      return c;
    });
  }
  return opts.paper ? claimsOfPaper(opts.paper) : [...catalog];
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a === 0 ? '0' : a >= 1e-3 && a < 1e5 ? v.toPrecision(4) : v.toExponential(2);
}

const VERDICT_TEXT = { pass: 'PASS', fail: 'FAIL', error: 'ERROR', skipped: 'SKIP' } as const;

/** Runs claims and reports measured vs predicted, verdict, seed and plots; exit code 1 when any claim fails or errs. */
export async function verify(opts: VerifyOptions): Promise<number> {
  const claims = selectClaims(opts);
  if (opts.params && claims.length !== 1) {
    throw new ValidationError({
      field: '--params',
      received: opts.params,
      expected: 'exactly one --claim with it',
      hint: 'add --claim <id>',
    });
  }
  const seed = opts.seed ?? randomInt(0, 0xffffffff);
  const backend = opts.backend ?? (await defaultBackendId());
  const kernels = await getKernelSet(backend);
  const backends = (await probeBackends()).map((b) =>
    b.available ? { id: b.id, available: true } : { id: b.id, available: false, reason: b.reason },
  );
  const interactive = !opts.json && opts.progress && process.stderr.isTTY === true;
  const log = (m: string) => {
    if (!opts.json) process.stderr.write(`${m}\n`);
  };
  log(`aecheck ${VERSION} verify: ${claims.length} claims, scale ${opts.scale}, backend ${backend}, seed ${seed}`);
  const runs: { claim: AnyClaim; results: ClaimResult[] }[] = [];
  for (const claim of claims) {
    const budget = claim.budget[opts.scale];
    const nRuns = opts.params ? 1 : (opts.runs ?? budget.runs);
    const paramSets = opts.params ? [opts.params] : sampleParams(claim.domain, claim.defaults, nRuns, seed);
    const bar = interactive
      ? new SingleBar({
          format: `{claim} [{bar}] {percentage}% | run {run}/{runs} {label}`,
          hideCursor: true,
          clearOnComplete: true,
          stream: process.stderr,
        })
      : undefined;
    bar?.start(1000, 0, { claim: claim.id.padEnd(44), run: 1, runs: paramSets.length, label: '' });
    const results: ClaimResult[] = [];
    for (let run = 0; run < paramSets.length; run++) {
      const result = await runClaim(claim, {
        seed,
        run,
        scale: opts.scale,
        kernels,
        params: paramSets[run] as Record<string, unknown>,
        progress: (done, total, label) =>
          bar?.update(Math.round((1000 * (run + (total > 0 ? Math.min(done / total, 1) : 0))) / paramSets.length), {
            run: run + 1,
            label: label ?? '',
          }),
      });
      results.push(result);
    }
    bar?.stop();
    runs.push({ claim, results });
    const verdict = claimVerdict(results);
    const worst = results.reduce((m, r) => ('ratio' in r && Number.isFinite(r.ratio) ? Math.max(m, r.ratio) : m), 0);
    const ms = results.reduce((s, r) => s + r.ms, 0);
    log(
      `${VERDICT_TEXT[verdict].padEnd(5)} ${claim.id} (${results.length} runs, worst error/allowed ${fmt(worst)}, ${(ms / 1000).toFixed(1)} s)`,
    );
    for (const r of results) {
      if (r.status === 'fail' || r.status === 'error') {
        log(
          `      ${r.status === 'error' ? `${r.error.name}: ${r.error.message}` : `${r.measurement.metric} ${fmt(r.measurement.error)} > allowed ${fmt(r.measurement.allowed)}`}`,
        );
        log(`      replay: ${replayCommand(r)}`);
        break;
      }
    }
  }
  const report = buildReport({ version: VERSION, seed, scale: opts.scale, backend, backends, runs });
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const table = new Table({
      head: ['claim', 'verdict', 'measured', 'predicted', 'metric', 'err/allowed', 'seed', 'time'],
    });
    for (const { claim, results } of runs) {
      const verdict = claimVerdict(results);
      const shown = results.find((r) => r.status === 'fail' || r.status === 'error') ?? results[0];
      const m = shown && 'measurement' in shown ? shown.measurement : undefined;
      const worst = results.reduce(
        (acc, r) => ('ratio' in r && Number.isFinite(r.ratio) ? Math.max(acc, r.ratio) : acc),
        0,
      );
      table.push([
        claim.id,
        VERDICT_TEXT[verdict],
        m ? fmt(m.observed) : shown?.status === 'skipped' ? shown.reason.slice(0, 30) : '—',
        m ? fmt(m.predicted) : '—',
        m ? m.metric : shown?.status === 'error' ? shown.error.name : '—',
        m ? fmt(worst) : '—',
        String(seed),
        `${(results.reduce((s, r) => s + r.ms, 0) / 1000).toFixed(1)}s`,
      ]);
    }
    process.stdout.write(`${table.toString()}\n`);
    if (opts.plots) {
      for (const { claim, results } of runs) {
        const r = results.find((x) => (x.status === 'pass' || x.status === 'fail') && x.measurement.plots?.length);
        if (!r || !('measurement' in r)) continue;
        for (const p of r.measurement.plots ?? []) {
          const text = asciiPlot(p, { colour: process.stdout.isTTY === true });
          if (text) process.stdout.write(`\n[${claim.id}] ${text}\n`);
        }
      }
    }
    const s = report.summary;
    process.stdout.write(
      `\n${s.pass} passed, ${s.fail} failed, ${s.error} errors, ${s.skipped} skipped (seed ${seed})\n`,
    );
  }
  if (opts.report) {
    const files = await writeReport(report, opts.report);
    log(
      `report written: ${files.filter((f) => /report\.(md|json)$|index\.html$/.test(f)).join(', ')} (+${files.length - 3} files)`,
    );
  }
  return report.summary.fail + report.summary.error > 0 ? 1 : 0;
}

/** `aecheck verify`. */
export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('run the claims: measured vs predicted, verdict, the seed that replays it, plots')
    .option('--claim <id...>', 'only these claims (see `aecheck list`)')
    .option('--paper <id>', 'only the claims of this paper')
    .option('--scale <scale>', "quick (small sizes, default) or paper (the papers' sizes)")
    .option('--seed <n>', 'seed (default: random, printed)')
    .option('--runs <n>', "parameter draws per claim (default: the claim's budget; run 0 uses its defaults)")
    .option('--backend <id>', 'kernel backend for the simulations (default reference)')
    .option('--params <json>', 'run one claim once with these parameters (replay)')
    .option('--json', 'print the report as JSON on stdout')
    .option('--report <dir>', 'write report.json, report.md, index.html and plots/*.svg to DIR')
    .option('--no-plots', 'do not draw ASCII plots in the terminal')
    .option('--no-progress', 'no progress bars')
    .action(async (raw) => {
      try {
        const code = await verify(parseOptions(verifyOptionsSchema, raw));
        process.exitCode = code;
      } catch (e) {
        handleError(e);
      }
    });
}
