import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import type { AnyClaim, ClaimResult, DomainField } from '../../claims/claim.ts';
import { allClaims, findClaim } from '../../claims/catalog.ts';
import { loadClaimModules } from '../../claims/loadClaims.ts';
import { runPool } from '../../claims/pool/runPool.ts';
import { createWorkerPool } from '../../explore/createWorkerPool.ts';
import type { ClaimTask } from '../../claims/pool/runTask.ts';
import { checkParams } from '../../claims/validateParams.ts';
import { didYouMean } from '../../core/didYouMean.ts';
import { ValidationError } from '../../core/errors.ts';
import {
  DEFAULT_COARSE,
  DEFAULT_MAX_DEPTH,
  type Evaluator,
  type ExploreMap,
  exploreClaim,
} from '../../explore/exploreClaim.ts';
import { type ExploreMapJson, mapToJson } from '../../explore/mapToJson.ts';
import { parseGuide } from '../../explore/parseGuide.ts';
import { mapToVegaLite } from '../../explore/mapToVegaLite.ts';
import { renderAsciiMap } from '../../explore/renderAsciiMap.ts';
import { renderMapSvg } from '../../explore/renderMapSvg.ts';
import { BACKEND_IDS } from '../../kernels/kernelSpecs.ts';
import { defaultBackendId } from '../../kernels/registry.ts';
import { loadConfig } from '../config.ts';
import { describeDataSources, withDataDir } from '../dataSource.ts';
import { handleError } from '../handleError.ts';
import { checkReportDir, writeOutput } from '../outputPaths.ts';
import { parseOptions, positiveIntFlag, seedFlag, shardFlag } from '../options.ts';

/** Evaluations by default: the coarse grid and about four levels of refinement along a boundary. */
const DEFAULT_BUDGET = 200;
/** Failing samples listed in the terminal (all of them are in --json and the report). */
const FAILURES_SHOWN = 10;

const exploreOptionsSchema = z.strictObject({
  claim: z.string().min(1),
  axes: z.string().regex(/^[^,\s]+,[^,\s]+$/, 'two field names separated by a comma, e.g. r,p'),
  fixed: z.array(z.string().regex(/^[^=\s]+=.+$/, 'key=value, e.g. dim=20')).optional(),
  budget: positiveIntFlag(1_000_000).default(DEFAULT_BUDGET),
  depth: z
    .string()
    .regex(/^\d+$/, 'a non-negative integer')
    .transform(Number)
    .pipe(z.number().int().min(0).max(10, 'at most 10'))
    .optional(),
  coarse: positiveIntFlag(64).optional(),
  samples: positiveIntFlag(64).optional(),
  scale: z.enum(['quick', 'paper']).default('quick'),
  seed: seedFlag.default(1),
  jobs: positiveIntFlag(256).default(1),
  shard: shardFlag.optional(),
  guide: z.array(z.string().min(1)).optional(),
  backend: z.enum(BACKEND_IDS).optional(),
  json: z.boolean().default(false),
  report: z.string().min(1).optional(),
  claims: z.array(z.string().min(1)).optional(),
  config: z.string().min(1).optional(),
  data: z.string().min(1).optional(),
});
type ExploreOptions = z.infer<typeof exploreOptionsSchema>;

/** Parses `--fixed key=value` against the claim's domain (numbers for numeric and seed fields). */
function parseFixed(claim: AnyClaim, entries: readonly string[]): Record<string, unknown> {
  const domain = claim.domain as Record<string, DomainField>;
  const fixed: Record<string, unknown> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const key = entry.slice(0, eq);
    const text = entry.slice(eq + 1);
    const field = domain[key];
    if (!field) {
      throw new ValidationError({
        field: '--fixed',
        received: key,
        expected: `a field of ${claim.id}'s domain: ${Object.keys(domain).join(', ')}`,
        hint: didYouMean(key, Object.keys(domain), `see \`aecheck list --claim ${claim.id}\``),
      });
    }
    const value = field.kind === 'choice' ? text : Number(text);
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new ValidationError({
        field: `--fixed ${key}`,
        received: text,
        expected: `a number (${key} is a ${field.kind} field)`,
        hint: `e.g. --fixed ${key}=${'min' in field ? field.min : 1}`,
      });
    }
    fixed[key] = value;
  }
  // Each fixed value must lie in the domain: checked on the defaults with the fixed values over them.
  const check = checkParams(claim, { ...(claim.defaults as Record<string, unknown>), ...fixed }, { regime: false });
  if (!check.ok) {
    throw new ValidationError(
      check.error.issues.map((i) => ({ ...i, field: i.field.replace(/^params\./, '--fixed ') })),
    );
  }
  return fixed;
}

/** Writes map.json, map.vl.json, map.svg and map.txt of a map to `dir` (`explore --report`, `merge-reports`). */
export async function writeMapReport(dir: string, map: ExploreMap, json: ExploreMapJson): Promise<void> {
  // checkReportDir creates DIR component by component (Node's recursive mkdir loops forever on some paths: /proc/x).
  await checkReportDir('--report', dir);
  await writeFile(join(dir, 'map.json'), `${JSON.stringify(json, null, 2)}\n`);
  await writeFile(join(dir, 'map.vl.json'), `${JSON.stringify(mapToVegaLite(map), null, 2)}\n`);
  await writeFile(join(dir, 'map.svg'), await renderMapSvg(map));
  await writeFile(join(dir, 'map.txt'), `${renderAsciiMap(map)}\n`);
}

/** `aecheck explore`: a regime map of one claim over two of its parameters. */
export async function explore(opts: ExploreOptions & { modules: readonly string[] }): Promise<number> {
  const claim = findClaim(opts.claim);
  if (!claim) {
    throw new ValidationError({
      field: '--claim',
      received: opts.claim,
      expected: 'a claim id listed by `aecheck list`',
      hint: didYouMean(
        opts.claim,
        allClaims().map((c) => c.id),
        'run `npx aecheck list`',
      ),
    });
  }
  const [a, b] = opts.axes.split(',');
  const fixed = parseFixed(claim, opts.fixed ?? []);
  for (const line of describeDataSources([claim], opts.data)) if (!opts.json) process.stderr.write(`${line}\n`);
  const numericFields = Object.entries(claim.domain as Record<string, DomainField>)
    .filter(([, f]) => f.kind === 'int' || f.kind === 'float')
    .map(([k]) => k);
  const guides = (opts.guide ?? []).map((g) => parseGuide(g, numericFields));
  // Checked before the map is computed: a bad path used to surface only after every evaluation (and /proc/x hung).
  if (opts.report) await checkReportDir('--report', opts.report);
  const backend = opts.backend ?? (await defaultBackendId());
  let index = 0;
  const pool = opts.jobs > 1 ? createWorkerPool(opts.jobs) : undefined;
  const evaluate: Evaluator = async (requests) => {
    const tasks: ClaimTask[] = requests.map((r, k) => ({
      index: k,
      claimId: claim.id,
      run: index + k,
      params: r.params,
      seed: r.seed,
      scale: opts.scale,
      backend,
      modules: opts.modules,
      // A map covers the whole domain; the regime is drawn on it, not imposed (docs/regimes.md).
      outsideRegime: true,
    }));
    index += requests.length;
    const progress = (done: number) => {
      if (!opts.json && process.stderr.isTTY) process.stderr.write(`\r  ${index - requests.length + done} runs`);
    };
    // --jobs 1 runs in this thread; more workers persist across the map's batches (see createWorkerPool).
    const results: ClaimResult[] = pool
      ? await pool.run(tasks, progress)
      : await runPool(tasks, { jobs: 1, onResult: (_t, _r, done) => progress(done) });
    // A result's `run` is only a label: the replay command depends on the seed and parameters alone.
    return results.map((r) => ({ ...r, run: 0 }));
  };
  const started = performance.now();
  let map: ExploreMap;
  try {
    map = await exploreClaim({
      claim,
      axes: [a, b],
      fixed,
      budget: opts.budget,
      seed: opts.seed,
      coarse: opts.coarse,
      maxDepth: opts.depth,
      samples: opts.samples,
      shard: opts.shard,
      guides,
      evaluate,
    });
  } finally {
    await pool?.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const json = mapToJson(
    map,
    (opts.modules.length > 0 ? ` --claims ${opts.modules.map((m) => relative(process.cwd(), m)).join(' ')}` : '') +
      (claim.regime ? ' --outside-regime' : ''),
  );
  const dir = opts.report;
  if (dir) await writeOutput('--report', dir, () => writeMapReport(dir, map, json));
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return 0;
  }
  if (process.stderr.isTTY) process.stderr.write('\r');
  const fixedText = Object.entries(map.fixed)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const out = [
    `${claim.id} over ${map.axes[0].field} × ${map.axes[1].field} (${opts.scale} scale, seed ${map.seed}); fixed: ${fixedText || '(none)'}` +
      `${map.seedFields.length > 0 ? `; ${map.seedFields.join(', ')} = each sample's run seed` : ''}`,
    renderAsciiMap(map),
    `${map.evaluations} evaluations in ${seconds.toFixed(1)} s` +
      `${map.boundaryCells.length > 0 ? ` (a uniform grid at this resolution: ${map.uniformEvaluations})` : ''}` +
      `${map.truncated ? `; budget ${map.budget} spent before every boundary cell reached 1/${map.lattice}: raise --budget` : ''}`,
    `points: ${json.counts.pass} pass, ${json.counts.fail} fail, ${json.counts.uncertain} uncertain, ${json.counts.error} error; ` +
      `${map.boundaryCells.length} boundary cells, ${map.crossings.length} crossings`,
  ];
  if (map.boundaryCells.length === 0) {
    const only = json.counts.fail + json.counts.error > 0 ? 'fails' : 'passes';
    out.push(
      `no boundary found: every point ${only}; a region of the other verdict narrower than a coarse cell ` +
        `(1/${map.coarse} of each axis) could be missed (raise --coarse to look closer)`,
    );
  }
  const judged = map.points.filter((p) => Number.isFinite(p.mean));
  if (judged.length > 0) {
    const closest = judged.reduce((w, p) => (p.mean > w.mean ? p : w));
    out.push(
      `worst point: error/allowed ${closest.mean.toPrecision(3)} (margin ${(1 - closest.mean).toPrecision(3)} of allowed) at ` +
        `${map.axes[0].field}=${closest.x.toPrecision(4)} ${map.axes[1].field}=${closest.y.toPrecision(4)}`,
    );
  }
  if (json.failing.length > 0) {
    // One line per failing point (its first failing sample); every sample is in --json and map.json.
    const perPoint = json.failing.filter(
      (f, k) => k === 0 || f.x !== json.failing[k - 1].x || f.y !== json.failing[k - 1].y,
    );
    out.push(
      `failing runs: ${json.failing.length} at ${perPoint.length} points (all of them in --json); the first ${Math.min(FAILURES_SHOWN, perPoint.length)}:`,
    );
    for (const f of perPoint.slice(0, FAILURES_SHOWN))
      out.push(
        `  ${map.axes[0].field}=${f.x.toPrecision(4)} ${map.axes[1].field}=${f.y.toPrecision(4)} ${f.status}` +
          `${f.ratio !== null ? ` ratio ${f.ratio.toPrecision(3)}` : ''} (${f.why.slice(0, 80)})\n    ${f.replay}`,
      );
  }
  if (map.shard) {
    out.push(
      `shard ${map.shard.index}/${map.shard.count} (coarse columns of x only): merge the shards' map.json files with ` +
        '`aecheck merge-reports DIR1/map.json … DIRn/map.json --report DIR` into the unsharded map',
    );
  }
  if (opts.report) out.push(`map written to ${join(opts.report, 'map.svg')} (and map.json, map.vl.json, map.txt)`);
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

/** Registers `aecheck explore`. */
export function registerExplore(program: Command): void {
  program
    .command('explore')
    .description('map where a claim holds and where it breaks over two of its parameters (adaptive, boundary-first)')
    .requiredOption('--claim <id>', 'the claim to map')
    .requiredOption('--axes <a,b>', 'two numeric domain fields: x and y of the map (log where the domain says log)')
    .option('--fixed <k=v...>', "values of other fields (default: the claim's defaults)")
    .option('--budget <n>', `evaluations (runs of the claim) at most (default ${DEFAULT_BUDGET})`)
    .option('--depth <n>', `refinement levels below the coarse grid (default ${DEFAULT_MAX_DEPTH})`)
    .option('--coarse <n>', `coarse grid cells per axis (default ${DEFAULT_COARSE})`)
    .option('--samples <n>', 'samples per point at first (default 2 for a statistical claim, else 1)')
    .option('--scale <scale>', 'quick (default) or paper')
    .option('--seed <n>', 'base seed (default 1); the same seed gives the same map')
    .option('--jobs <n>', 'worker threads (default 1; the map does not depend on it)')
    .option(
      '--shard <i/n>',
      'map only strip i of n of the coarse columns along x (merge the map.json files with `aecheck merge-reports`)',
    )
    .option(
      '--guide <lhs=rhs...>',
      "draw the curve lhs = rhs for comparison, e.g. '(1/r-1)*p=1e-3' (numbers, the claim's numeric fields, + - * / ^, log, exp, sqrt, min, max)",
    )
    .option('--backend <id>', 'kernel backend (default auto)')
    .option('--json', 'print the map as JSON (boundary cells, crossings, points, failing runs with replay commands)')
    .option('--report <dir>', 'write map.svg (vega-lite), map.vl.json, map.json and map.txt to DIR')
    .option('--claims <file...>', 'also load the claims these modules export')
    .option('--config <file>', 'an aecheck.config.ts (default: ./aecheck.config.* when present)')
    .option('--data <dir>', 'FashionMNIST directory with the four IDX files (as for verify)')
    .action(async (raw: Record<string, unknown>) => {
      try {
        const opts = parseOptions(exploreOptionsSchema, raw);
        const config = await loadConfig(opts.config);
        const modules = await loadClaimModules([...config.claims, ...(opts.claims ?? [])]);
        process.exitCode = await withDataDir(opts.data, () => explore({ ...opts, modules }));
      } catch (e) {
        handleError(e);
      }
    });
}
