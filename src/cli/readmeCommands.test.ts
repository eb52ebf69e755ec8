/**
 * Every command the README shows must work. The test extracts each ```sh/```bash block of README.md, splits its lines
 * and `&&` chains into commands, and treats each one as the table HOW says: run exactly as written; run on a slice of
 * its runs (`--shard 1/n` appended: every flag is parsed and checked, reports are written and compared, a real part of
 * the work runs); checked only (`--shard n/n` with n beyond the number of runs: every flag, claim and path is
 * validated, nothing runs); or not run, with the reason. A README command missing from HOW fails the test, so nothing
 * is dropped silently. `npx aecheck` runs as `node bin/aecheck.js` (the same program, without npx's lookup), in the
 * repository, with `reports/` redirected to a temporary folder.
 *
 * The README's tables and inline commands are templates (`--paper ID`): for those, every flag they name must be a flag
 * of that subcommand's --help, and every `npm run` script must exist in package.json. The ```ts block's imports must
 * be exports of the package's entry points.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCliInProcess } from './runCliInProcess.ts';
import { runCliProcess } from './runCliProcess.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const TMP = mkdtempSync(join(tmpdir(), 'aecheck-readme-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** How a README command is checked. */
type How =
  | { kind: 'run'; why?: string; codes?: number[] }
  | { kind: 'slice'; shards: number; why: string }
  | { kind: 'check'; why: string }
  | { kind: 'not run'; why: string };

/** Shard index far beyond any run count: `--shard N/N` then selects no run but validates everything. */
const NO_RUNS_SHARD = 1_000_000;
/** Limit per command (a full quick verify takes 93 s on 2 idle cores; this machine is often loaded several times over). */
const COMMAND_LIMIT_MS = 900_000;

/** Every command of README.md's sh blocks, by its exact text. */
const HOW: Record<string, How> = {
  'npm ci': { kind: 'not run', why: 'reinstalls node_modules; CI (.ci/run) runs it before `npm test`' },
  'npx aecheck verify': {
    kind: 'run',
    why: 'what a user runs first: every claim at quick scale, exactly as shown (about 93 s on 2 cores)',
  },
  'npm test': { kind: 'not run', why: 'this test is part of `npm test`: running it here would recurse' },
  'npx aecheck list --paper shevchenko2023': { kind: 'run' },
  'npx aecheck verify --paper refinetti2022 --seed 7 --report reports/refinetti': {
    kind: 'slice',
    shards: 12,
    why: 'the whole paper is in `npx aecheck verify` above; here a twelfth of its runs, with the report written',
  },
  'npx aecheck verify --claim refinetti2022.integrals-monte-carlo --runs 50': {
    kind: 'slice',
    shards: 10,
    why: 'five of the fifty Monte-Carlo runs (each draws 10⁵ samples)',
  },
  'npx aecheck verify --paper shevchenko2023 --backend all': {
    kind: 'slice',
    shards: 40,
    why: 'every claim of the paper on every available backend is minutes of work; a fortieth of it runs',
  },
  'npx aecheck verify --seed 7 --report reports/base': {
    kind: 'slice',
    shards: 40,
    why: 'two full verifies would double the first command; the same shard on both sides of the comparison',
  },
  'npx aecheck verify --seed 7 --baseline reports/base/report.json': {
    kind: 'slice',
    shards: 40,
    why: 'compares the same shard of the run just written (an identical run: no regression, exit 0)',
  },
  'npx aecheck verify --scale paper --paper persianrug2024': {
    kind: 'check',
    why: "the papers' sizes take tens of minutes; every flag is validated and the claims are selected, none runs",
  },
  'npx aecheck theory refinetti2022.I2 --param g=relu c11=1.2 c12=0.4 c22=0.9': { kind: 'run' },
  'npx aecheck bench --json --kernel gemm --sizes 64,128,256,512': {
    kind: 'run',
    why: 'one kernel on every backend at four sizes, with the numpy/PyTorch baseline when Python has them',
  },
  'npx aecheck bench --no-baseline --kernel gemm --sizes 64 --save reports/bench.json': { kind: 'run' },
  'npx aecheck bench --no-baseline --compare reports/bench.json': {
    kind: 'run',
    codes: [0, 1],
    why: 'exit 1 is its documented answer when the rerun is slower beyond --fail-above: two back-to-back runs on a loaded machine can differ by 1.25× (docs/ci.md), so either code passes if the cases were compared',
  },
  'npx aecheck ode --config fixtures/refinetti2022/ode-example.json': { kind: 'run' },
  'npx aecheck theory shevchenko2023.limit --param rate=2': { kind: 'run' },
};

/** The commands of the README's sh/bash blocks, in order: comments dropped, `&&` chains split. */
function readmeCommands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/^```(?:sh|bash)\n([\s\S]*?)^```/gm)].map((m) => m[1]);
  return blocks.flatMap((b) =>
    b
      .split('\n')
      .map((line) => line.replace(/\s+#.*$/, '').trim())
      .filter((line) => line.length > 0)
      .flatMap((line) => line.split('&&').map((c) => c.trim())),
  );
}

/** Splits a command line into words (the README's commands use single quotes at most). */
function words(command: string): string[] {
  return [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

/** Runs `node bin/aecheck.js ARGS` in the repository with reports/ moved to the temporary folder. */
async function runAecheck(args: string[]): Promise<{ code: number; stdout: string; stderr: string; seconds: number }> {
  const t0 = performance.now();
  const redirected = args.map((a) => a.replace(/^reports\//, `${TMP}/reports/`));
  const run = await runCliProcess(ROOT, redirected, COMMAND_LIMIT_MS);
  return { ...run, seconds: (performance.now() - t0) / 1000 };
}

const commands = readmeCommands(README);

describe('README.md: every command block', () => {
  test('the blocks hold the commands listed here, and each has a treatment', () => {
    expect(commands.length).toBeGreaterThan(5);
    const missing = commands.filter((c) => !(c in HOW));
    expect(missing, 'README commands with no entry in HOW (add one: run, slice, check or not run)').toEqual([]);
    const stale = Object.keys(HOW).filter((c) => !commands.includes(c));
    expect(stale, 'entries of HOW no longer in the README').toEqual([]);
  });

  const runnable = commands.filter((c) => HOW[c] && HOW[c].kind !== 'not run');
  test.each(runnable)(
    '%s',
    async (command) => {
      const how = HOW[command];
      const args = words(command);
      expect(args.slice(0, 2), 'a runnable README command starts with npx aecheck').toEqual(['npx', 'aecheck']);
      const extra =
        how.kind === 'slice'
          ? ['--shard', `1/${how.shards}`]
          : how.kind === 'check'
            ? ['--shard', `${NO_RUNS_SHARD}/${NO_RUNS_SHARD}`]
            : [];
      // CI pins AECHECK_SEED so that a run replays (.ci/run): a README verify without a seed of its own takes it too.
      // Elsewhere it draws a fresh seed, as a user's does, and a failure prints it.
      const pinned = process.env.AECHECK_SEED;
      if (pinned && args[2] === 'verify' && !args.includes('--seed')) extra.push('--seed', pinned);
      const r = await runAecheck([...args.slice(2), ...extra]);
      // The tail alone can miss what failed (a full verify prints 50 verdict lines): the seed line and every line that
      // is not a PASS come first, so a failure at a random seed can be replayed.
      const notPass = `${r.stdout}\n${r.stderr}`
        .split('\n')
        .filter((l) => /seed \d+|^(FAIL|ERROR)\b|diverged|error/i.test(l))
        .slice(0, 40)
        .join('\n');
      const context = `${command} ${extra.join(' ')} (${r.seconds.toFixed(1)} s)\n${notPass}\n…\n${r.stderr.slice(-2000)}`;
      expect(how.kind === 'run' && how.codes ? how.codes : [0], context).toContain(r.code);
      expect(r.stderr, context).not.toMatch(/^\s+at |internal error/m);
      if (how.kind === 'slice') {
        // A real part ran: the shard line says how many of the runs, and at least one did.
        const m = /shard 1\/\d+: (\d+) of (\d+) runs/.exec(r.stderr);
        expect(m, context).not.toBeNull();
        expect(Number(m?.[1]), context).toBeGreaterThan(0);
      }
      if (how.kind === 'check') expect(r.stderr, context).toMatch(/: 0 of \d+ runs/);
      // What the command promises beyond its exit code: the report it names is written, the baseline is compared.
      const report = args.indexOf('--report');
      if (report >= 0) {
        const dir = args[report + 1].replace(/^reports\//, `${TMP}/reports/`);
        expect(existsSync(join(dir, 'report.json')), `${context}\nno ${dir}/report.json`).toBe(true);
      }
      if (args.includes('--save')) {
        expect(existsSync(args[args.indexOf('--save') + 1].replace(/^reports\//, `${TMP}/reports/`)), context).toBe(
          true,
        );
      }
      if (args.includes('--compare'))
        expect(r.stdout, context).toMatch(/no regression in [1-9]\d* cases|\d+ of [1-9]\d* cases regressed/);
      if (args.includes('--baseline')) {
        const m = /against baseline .*: (\d+) claims, (\d+) checks compared, (\d+) regressions/.exec(r.stdout);
        expect(m, `${context}\n${r.stdout.slice(-1500)}`).not.toBeNull();
        expect(Number(m?.[2]), context).toBeGreaterThan(0);
        expect(Number(m?.[3]), context).toBe(0);
      }
      process.stderr.write(`README: ${command} ${extra.join(' ')}: exit ${r.code} in ${r.seconds.toFixed(1)} s\n`);
    },
    COMMAND_LIMIT_MS + 10_000,
  );
});

/** Subcommands and flags named in inline code and tables, e.g. `aecheck verify [--claim ID…] [--paper ID]`. */
function templates(markdown: string): { command: string; flags: string[]; text: string }[] {
  const spans = [...markdown.matchAll(/`((?:npx )?aecheck [a-z-]+[^`]*)`/g)].map((m) => m[1].replace(/\\\|/g, '|'));
  return spans.map((text) => {
    const command = /aecheck ([a-z-]+)/.exec(text)?.[1] ?? '';
    const flags = [...text.matchAll(/(?<![\w-])(--[a-z][a-z-]*)/g)].map((m) => m[1]);
    return { command, flags, text };
  });
}

describe('README.md: commands in tables and text', () => {
  test('every aecheck subcommand and flag the README names exists', async () => {
    const problems: string[] = [];
    const help = new Map<string, string>();
    for (const t of templates(README)) {
      if (!help.has(t.command)) {
        const r = await runCliInProcess([t.command, '--help']);
        help.set(t.command, r.code === 0 ? r.stdout : '');
      }
      const text = help.get(t.command) ?? '';
      if (!text) problems.push(`\`${t.text}\`: no subcommand ${t.command}`);
      for (const f of t.flags) if (!text.includes(f)) problems.push(`\`${t.text}\`: ${t.command} has no ${f}`);
    }
    expect(problems).toEqual([]);
  });

  test('every `npm run` script the README names exists in package.json', () => {
    const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
    const named = [...README.matchAll(/`npm run ([\w:-]+)`/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((n) => !(n in scripts))).toEqual([]);
  });

  test("the ```ts block's imports are exports of aecheck and aecheck/vitest", async () => {
    const block = /^```ts\n([\s\S]*?)^```/m.exec(README)?.[1] ?? '';
    const imports = [...block.matchAll(/import \{([^}]*)\} from '(aecheck(?:\/vitest)?)'/g)];
    expect(imports.length).toBeGreaterThan(0);
    const entry: Record<string, string> = { aecheck: '../index.ts', 'aecheck/vitest': '../vitest.ts' };
    for (const [, names, from] of imports) {
      const mod = (await import(entry[from])) as Record<string, unknown>;
      for (const name of names.split(',').map((n) => n.trim())) expect(mod[name], `${name} from ${from}`).toBeDefined();
    }
  });
});
