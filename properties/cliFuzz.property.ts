/**
 * The command line under random input: fast-check builds `aecheck` invocations (every subcommand, unknown ones, valid
 * and mistyped flags, missing values, repeated flags, numbers out of range, bad --params, unwritable and odd paths) and
 * runs them in this process through runCliInProcess. Each invocation must end within a time limit, print no stack
 * trace, and exit 2 with a message naming the offending flag or field when its input is bad. The valid invocations
 * are cheap by construction (a few fast claims with --runs 1, `list`, `theory`, `schema`); commands whose valid runs
 * are long (bench, simulate, explore) get bad input only. A sample of the cases also runs as real subprocesses
 * (`node bin/aecheck.js …`) to show that the in-process harness and the real process agree.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { allClaims } from '../src/claims/catalog.ts';
import type { DomainField } from '../src/claims/claim.ts';
import { runCliInProcess } from '../src/cli/runCliInProcess.ts';
import { runCliProcess } from '../src/cli/runCliProcess.ts';
import { scaledTimeout } from '../src/testing/scaledTimeout.ts';

/** Random invocations run in this process. */
const IN_PROCESS_RUNS = 1000;
/**
 * Of the same generator, cases run as real subprocesses and compared with the in-process result. A cold start costs
 * about 1.3 s of CPU from dist/ and 3 s through tsx; at a load average of 19 on 2 cores, 12 processes took 58 s and 30
 * took 173 s (through tsx), so `npm test` runs 10; AECHECK_CLI_FUZZ_PROCESSES=30 runs more.
 */
const SUBPROCESS_CASES = Number(process.env.AECHECK_CLI_FUZZ_PROCESSES ?? 10);
/** Subprocesses at once (the machine has 2 cores, shared). */
const SUBPROCESS_PARALLEL = 3;
/** An in-process invocation must end within this (the cheap valid ones take about a second on a loaded machine). */
const IN_PROCESS_LIMIT_MS = 30_000;
/** A subprocess must end within this (a cold start compiles TypeScript through tsx: a few seconds under load). */
const SUBPROCESS_LIMIT_MS = 60_000;

/** Claims whose one run takes well under a second (exact claims, measured with `verify --runs 1`). */
const FAST_CLAIMS = [
  'refinetti2022.informed-linear-pca',
  'persianrug2024.rank-bound',
  'persianrug2024.loss-identities',
  'shevchenko2023.lower-bound',
  'shevchenko2023.curve-shape',
] as const;

const ROOT = resolve(import.meta.dirname, '..');
const COMMANDS = ['verify', 'list', 'theory', 'simulate', 'ode', 'bench', 'explore', 'merge-reports', 'schema'];

/** One invocation and what it must do. */
interface Case {
  args: string[];
  /** Bad input: exit 2 and stderr names one of `names`. Valid input: exit with one of `codes`. */
  bad: boolean;
  names: string[];
  codes: number[];
  /** What the generator did, for the failure message. */
  what: string;
}

const ok = (args: string[], what: string, codes = [0]): Case => ({ args, bad: false, names: [], codes, what });
const bad = (args: string[], names: string[], what: string): Case => ({ args, bad: true, names, codes: [2], what });

/** Paths made in beforeAll (fixed names so that the generator can refer to them before they exist). */
const TMP = mkdtempSync(join(tmpdir(), 'aecheck-cli-fuzz-'));
const P = {
  tmp: TMP,
  spaceDir: join(TMP, 'dir with space'),
  unicodeDir: join(TMP, 'ünï cødé ☃'),
  existingFile: join(TMP, 'existing file.txt'),
  notJson: join(TMP, 'not-json.json'),
  emptyJson: join(TMP, 'empty.json'),
  arrayJson: join(TMP, 'array.json'),
  shard: join(TMP, 'shard report.json'),
  /** ode/simulate configs with one bad field. */
  badConfigs: [] as { path: string; field: string }[],
  /** verify configs with one bad field. */
  badVerifyConfigs: [] as { path: string; field: string }[],
};

/** Paths where a report directory, an output file, a JSON file or a module cannot be (Linux: /proc, /dev). */
const UNWRITABLE_DIRS = ['/proc/x', '/proc/x/y', '/dev/full', '/dev/null/x', 'package.json', P.existingFile];
const UNWRITABLE_FILES = ['/proc/x', '/dev/full', '/nonexistent-aecheck/dir/out.xml', P.spaceDir, P.unicodeDir, '/'];
const UNREADABLE_JSON = [
  '/nonexistent-aecheck.json',
  join(P.unicodeDir, 'missing ☃.json'),
  P.spaceDir,
  '/dev/full',
  '/dev/zero',
  '/dev/null',
  P.existingFile,
  P.notJson,
  P.emptyJson,
  P.arrayJson,
  'README.md',
  'package.json',
];
const UNLOADABLE_MODULES = [
  '/nonexistent-aecheck.ts',
  join(P.unicodeDir, 'missing ☃.ts'),
  P.spaceDir,
  '/dev/full',
  '/dev/zero',
  P.existingFile,
  P.notJson,
  'README.md',
];

/** Values no integer flag accepts. */
const BAD_NUMBERS = [
  '',
  ' ',
  '-1',
  '-0.5',
  '1.5',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e3',
  'abc',
  '0x10',
  '99999999999999999999999',
  '１',
];
/** Bad values per flag of verify (each is bad whatever the other flags are). */
const VERIFY_BAD_VALUES: Record<string, string[]> = {
  '--seed': [...BAD_NUMBERS, '4294967296'],
  '--runs': [...BAD_NUMBERS, '0', '10001'],
  '--jobs': [...BAD_NUMBERS, '0', '257'],
  '--scale': ['', 'Quick', 'huge', 'paper ', 'fast'],
  '--backend': ['', 'nope', 'REFERENCE', 'gpu', 'auto,wasm', 'all '],
  '--shard': ['', '0/3', '3/2', '1/0', 'a/b', '1-2', '1/2/3', '/', '-1/2', '1/', '1.5/2', ' 1/2'],
  '--margin-tolerance': ['', '-0.1', 'abc', 'NaN', '1e400'],
  '--params': ['', '{bad', '[1]', '"text"', 'null', '1', '{"a":NaN}', "{'a':1}"],
};

/** A claim id with one typo (never another claim's id). */
const misspelledClaim = fc
  .tuple(
    fc.constantFrom(...allClaims().map((c) => c.id)),
    fc.nat(),
    fc.constantFrom('drop', 'swap', 'add', 'case', 'space'),
  )
  .map(([id, at, how]) => {
    const i = at % id.length;
    if (how === 'drop') return id.slice(0, i) + id.slice(i + 1);
    if (how === 'swap') return id.slice(0, i) + (id[i + 1] ?? '') + id[i] + id.slice(i + 2);
    if (how === 'add') return `${id.slice(0, i)}x${id.slice(i)}`;
    if (how === 'case') return id.toUpperCase();
    return `${id} `;
  })
  .filter((id) => !allClaims().some((c) => c.id === id));

/** A misspelt or unknown long flag: never one commander knows for any command. */
const unknownFlag = fc.constantFrom(
  '--bogus',
  '--seeds',
  '--run',
  '--claim-id',
  '--back-end',
  '--reports',
  '--param',
  '--jsn',
  '-x',
  '---seed',
);

/** Text that error messages print verbatim (JSON.stringify escapes quotes, backslashes and control characters). */
const printable = (s: string) =>
  [...s].every((ch) => ch !== '"' && ch !== '\\' && ch.charCodeAt(0) >= 32 && ch !== '\u007f');

/** Bad --params for a claim: an unknown key, a wrong type, or a number outside the domain. Returns [json, field]. */
function badParamsFor(claimId: string): fc.Arbitrary<[string, string]> {
  const claim = allClaims().find((c) => c.id === claimId);
  const domain = (claim?.domain ?? {}) as Record<string, DomainField>;
  const keys = Object.keys(domain);
  const options: fc.Arbitrary<[string, string]>[] = [
    fc.constantFrom('dimm', 'Rate', 'seed2', '__proto__x').map((k) => [JSON.stringify({ [k]: 1 }), k]),
  ];
  if (keys.length > 0) {
    options.push(
      fc
        .tuple(fc.constantFrom(...keys), fc.constantFrom<unknown>('x', null, [], {}, true, -1e308, 1e308, 0.5))
        .map(([k, v]) => {
          const f = domain[k];
          // A value that is bad for this field: a string or null anywhere; for numbers, outside [min, max] or fractional.
          let value = v;
          if (f.kind === 'choice') value = typeof v === 'string' ? `${f.values[0]}-not` : v === null ? 3 : v;
          else if (f.kind === 'int' && typeof v === 'number') value = v === 0.5 ? f.min + 0.5 : v;
          else if (f.kind === 'float' && typeof v === 'number') value = v === 0.5 ? f.max * 2 + 1 : v;
          else if (f.kind === 'seed' && typeof v === 'number') value = v === 0.5 ? -1 : v;
          return [JSON.stringify({ [k]: value }), k] as [string, string];
        }),
    );
  }
  return fc.oneof(...options);
}

/** `verify`: a cheap valid base, then at most one known defect. */
const verifyCase: fc.Arbitrary<Case> = fc
  .record({
    claim: fc.constantFrom(...FAST_CLAIMS),
    seed: fc.option(fc.integer({ min: 0, max: 0xffffffff }).map(String)),
    repeatSeed: fc.boolean(),
    json: fc.boolean(),
    plots: fc.boolean(),
    backend: fc.option(fc.constantFrom('reference', 'auto')),
    out: fc.option(fc.constantFrom('report', 'junit', 'summary')),
    outDir: fc.constantFrom(P.tmp, P.spaceDir, P.unicodeDir),
    n: fc.nat(),
    defect: fc.oneof(
      { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
      { weight: 2, arbitrary: unknownFlag.map((flag) => ({ kind: 'unknown' as const, flag })) },
      {
        weight: 2,
        arbitrary: fc
          .constantFrom(
            '--seed',
            '--runs',
            '--claim',
            '--scale',
            '--backend',
            '--shard',
            '--params',
            '--report',
            '--junit',
            '--jobs',
            '--baseline',
            '--config',
            '--claims',
            '--paper',
          )
          .map((flag) => ({ kind: 'missing' as const, flag })),
      },
      {
        weight: 6,
        arbitrary: fc
          .constantFrom(...Object.keys(VERIFY_BAD_VALUES))
          .chain((flag) =>
            fc.constantFrom(...VERIFY_BAD_VALUES[flag]).map((value) => ({ kind: 'value' as const, flag, value })),
          ),
      },
      {
        weight: 2,
        arbitrary: fc.oneof(misspelledClaim, fc.constant('')).map((id) => ({ kind: 'claim' as const, id })),
      },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom('foundations', 'refinetti', 'Shevchenko2023', '', 'persianrug2025')
          .map((paper) => ({ kind: 'paper' as const, paper })),
      },
      { weight: 3, arbitrary: fc.constant({ kind: 'params' as const }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'params-without-claim' as const }) },
      { weight: 2, arbitrary: fc.constantFrom(...UNWRITABLE_DIRS).map((path) => ({ kind: 'report' as const, path })) },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.constantFrom('--junit', '--summary'), fc.constantFrom(...UNWRITABLE_FILES))
          .map(([flag, path]) => ({ kind: 'file' as const, flag, path })),
      },
      {
        weight: 2,
        arbitrary: fc.constantFrom(...UNREADABLE_JSON).map((path) => ({ kind: 'baseline' as const, path })),
      },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.constantFrom('--config', '--claims'), fc.nat())
          .map(([flag, k]) => ({ kind: 'module' as const, flag, k })),
      },
      { weight: 1, arbitrary: fc.constant({ kind: 'margin-alone' as const }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'repeated-bad-last' as const }) },
    ),
  })
  .chain((r) => {
    const base = ['verify', '--claim', r.claim, '--runs', '1', '--jobs', '1', '--no-progress'];
    if (r.seed) base.push('--seed', r.seed);
    if (r.seed && r.repeatSeed) base.push('--seed', r.seed); // a repeated flag: the last one counts
    if (r.json) base.push('--json');
    if (!r.plots) base.push('--no-plots');
    if (r.backend) base.push('--backend', r.backend);
    const fresh = join(r.outDir, `out-${r.n}`);
    if (r.out === 'report') base.push('--report', fresh);
    if (r.out === 'junit') base.push('--junit', `${fresh}.xml`);
    if (r.out === 'summary') base.push('--summary', `${fresh}.md`);
    const d = r.defect;
    const valid = ok(base, 'valid verify', [0, 1]);
    switch (d.kind) {
      case 'none':
        return fc.constant(valid);
      case 'unknown':
        return fc.constant(bad([...base, d.flag], [d.flag], `unknown flag ${d.flag}`));
      case 'missing':
        return fc.constant(bad([...base, d.flag], [d.flag], `${d.flag} without its value`));
      case 'value':
        return fc.constant(bad([...base, d.flag, d.value], [d.flag], `${d.flag} ${JSON.stringify(d.value)}`));
      case 'claim':
        return fc.constant(bad([...base, '--claim', d.id], ['--claim'], `misspelt claim ${d.id}`));
      case 'paper': {
        const noClaim = base.filter((a, i) => a !== '--claim' && base[i - 1] !== '--claim');
        return fc.constant(bad([...noClaim, '--paper', d.paper], ['--paper'], `paper ${d.paper}`));
      }
      case 'params':
        return badParamsFor(r.claim).map(([json, field]) =>
          bad([...base, '--params', json], [`params.${field}`], `bad --params ${json}`),
        );
      case 'params-without-claim': {
        const noClaim = base.filter((a, i) => a !== '--claim' && base[i - 1] !== '--claim');
        return fc.constant(bad([...noClaim, '--params', '{}'], ['--params'], '--params without --claim'));
      }
      case 'report':
        return fc.constant(bad([...base, '--report', d.path], ['--report'], `--report ${d.path}`));
      case 'file':
        return fc.constant(bad([...base, d.flag, d.path], [d.flag], `${d.flag} ${d.path}`));
      case 'baseline':
        return fc.constant(bad([...base, '--baseline', d.path], ['--baseline'], `--baseline ${d.path}`));
      case 'module': {
        const configs = [...P.badConfigs, ...P.badVerifyConfigs];
        const paths =
          d.flag === '--config'
            ? [...UNREADABLE_JSON.filter((p) => p !== 'package.json'), ...configs.map((c) => c.path)]
            : UNLOADABLE_MODULES;
        const path = paths[d.k % paths.length];
        const cfg = configs.find((c) => c.path === path);
        // A verify config that is an ode config: every key is unknown to verify, and each is named as config.<key>.
        return fc.constant(bad([...base, d.flag, path], cfg ? [cfg.field, 'config.'] : [d.flag], `${d.flag} ${path}`));
      }
      case 'margin-alone':
        return fc.constant(
          bad([...base, '--margin-tolerance', '0.1'], ['--margin-tolerance'], '--margin-tolerance without --baseline'),
        );
      case 'repeated-bad-last':
        return fc.constant(
          bad([...base, '--runs', '1', '--runs', '0'], ['--runs'], 'repeated --runs, the last one bad'),
        );
    }
  });

/** `list`: valid filters, or one defect. */
const listCase: fc.Arbitrary<Case> = fc.oneof(
  fc.constantFrom<Case>(
    ok(['list'], 'list'),
    ok(['list', '--json'], 'list --json'),
    ok(['list', '--paper', 'shevchenko2023'], 'list --paper'),
    ok(['list', '--claim', FAST_CLAIMS[0]], 'list --claim'),
    ok(['list', '--paper', 'persianrug2024', '--paper', 'refinetti2022', '--json'], 'list, repeated --paper'),
  ),
  fc
    .oneof(misspelledClaim, fc.constant(''))
    .map((id) => bad(['list', '--claim', id], ['--claim'], `list --claim ${id}`)),
  fc.constantFrom('foundations', 'nope', '').map((p) => bad(['list', '--paper', p], ['--paper'], `list --paper ${p}`)),
  unknownFlag.map((f) => bad(['list', f], [f], `list ${f}`)),
  fc
    .constantFrom('--paper', '--claim', '--config', '--claims')
    .map((f) => bad(['list', f], [f], `list ${f} without value`)),
  fc
    .constantFrom(...UNREADABLE_JSON.filter((p) => p !== 'package.json'))
    .map((p) => bad(['list', '--config', p], ['--config'], `list --config ${p}`)),
  fc.constantFrom(...UNLOADABLE_MODULES).map((p) => bad(['list', '--claims', p], ['--claims'], `list --claims ${p}`)),
);

/** `theory`: the list, two cheap functions, or bad names and parameters. */
const theoryCase: fc.Arbitrary<Case> = fc.oneof(
  fc.constantFrom<Case>(
    ok(['theory'], 'theory'),
    ok(['theory', '--json'], 'theory --json'),
    ok(['theory', 'shevchenko2023.limit'], 'theory example'),
    ok(['theory', 'shevchenko2023.limit', '--param', 'rate=0.5', '--json'], 'theory limit'),
    ok(['theory', 'refinetti2022.I2', '--param', 'g=relu', 'c11=1.2', 'c12=0.4', 'c22=0.9'], 'theory I2'),
  ),
  fc
    .string({ maxLength: 12 })
    .filter(printable)
    .map((name) => bad(['theory', `x${name}`], [`x${name}`], `unknown theory function ${name}`)),
  fc
    .constantFrom('-1', '0', 'NaN', 'abc', '1e400', '-Infinity', '', '[1]', '{"a":1}', 'true')
    .map((v) => bad(['theory', 'shevchenko2023.limit', '--param', `rate=${v}`], ['--param rate'], `rate=${v}`)),
  fc
    .constantFrom('novalue', '=1', 'rate', 'rate:2')
    .map((p) => bad(['theory', 'shevchenko2023.limit', '--param', p], ['--param'], `--param ${p}`)),
  fc.constant(bad(['theory', ''], ['NAME'], 'theory with an empty name')),
  fc
    .constantFrom('zzz', 'Rate', 'rates', '__proto__', 'constructor')
    .map((k) =>
      bad(['theory', 'shevchenko2023.limit', '--param', 'rate=1', `${k}=1`], [k], `unknown theory parameter ${k}`),
    ),
  fc
    .constantFrom(...UNREADABLE_JSON)
    .map((p) => bad(['theory', 'shevchenko2023.encoderRisk', '--param', `encoder=${p}`], ['encoder'], `encoder=${p}`)),
  fc
    .constantFrom('c11=-1', 'c12=5', 'g=tanh', 'c22=NaN')
    .map((p) =>
      bad(
        ['theory', 'refinetti2022.I2', '--param', 'g=relu', 'c11=1', 'c12=0.1', 'c22=1', p],
        [`--param ${p.split('=')[0]}`],
        `I2 ${p}`,
      ),
    ),
  unknownFlag.filter((f) => f !== '--param').map((f) => bad(['theory', f], [f], `theory ${f}`)),
  fc.constant(bad(['theory', 'shevchenko2023.limit', '--param'], ['--param'], 'theory --param without value')),
);

/** `ode` and `simulate`: the config flag and the config's content (simulate only bad: its valid runs are long). */
const odeCase: fc.Arbitrary<Case> = fc.oneof(
  fc.constant(ok(['ode', '--config', 'fixtures/refinetti2022/ode-example.json', '--json'], 'ode example')),
  fc
    .tuple(fc.constantFrom('ode', 'simulate'), fc.constantFrom(...UNREADABLE_JSON))
    .map(([cmd, p]) => bad([cmd, '--config', p], ['--config', 'config'], `${cmd} --config ${p}`)),
  fc.tuple(fc.constantFrom('ode', 'simulate'), fc.nat()).map(([cmd, k]) => {
    const c = P.badConfigs[k % P.badConfigs.length];
    return bad([cmd, '--config', c.path], [c.field], `${cmd} config with bad ${c.field}`);
  }),
  fc.constantFrom('ode', 'simulate').map((cmd) => bad([cmd], ['--config'], `${cmd} without --config`)),
  fc
    .constantFrom('ode', 'simulate')
    .map((cmd) => bad([cmd, '--config'], ['--config'], `${cmd} --config without value`)),
  fc
    .tuple(fc.constantFrom('--seed', '--steps'), fc.constantFrom(...BAD_NUMBERS))
    .map(([f, v]) =>
      bad(['simulate', '--config', 'fixtures/refinetti2022/simulate-example.json', f, v], [f], `simulate ${f} ${v}`),
    ),
  fc
    .constantFrom(['--seed', '4294967296'], ['--steps', '0'])
    .map(([f, v]) =>
      bad(['simulate', '--config', 'fixtures/refinetti2022/simulate-example.json', f, v], [f], `simulate ${f} ${v}`),
    ),
  fc
    .tuple(fc.constantFrom('ode', 'simulate'), unknownFlag)
    .map(([cmd, f]) => bad([cmd, '--config', 'fixtures/refinetti2022/ode-example.json', f], [f], `${cmd} ${f}`)),
);

/** `bench`: bad flags only (a valid bench times every kernel for seconds). */
const benchCase: fc.Arbitrary<Case> = fc.oneof(
  fc
    // Not the missing-folder path: --save creates missing folders (that path is valid for it).
    .constantFrom(...UNWRITABLE_FILES.filter((p) => !p.startsWith('/nonexistent')), '/dev/full', '/dev/null')
    .map((p) => bad(['bench', '--no-baseline', '--save', p], ['--save'], `bench --save ${p}`)),
  fc
    .constantFrom(...UNREADABLE_JSON)
    .map((p) => bad(['bench', '--no-baseline', '--compare', p], ['--compare'], `bench --compare ${p}`)),
  fc
    .constantFrom('abc', '-5%', '10', '')
    .map((v) => bad(['bench', '--fail-above', v], ['--fail-above'], `bench --fail-above ${v}`)),
  fc
    .constantFrom('0', '4097', 'a,b', '64,', ',64', '-1', '64;128', '1e3', '')
    .map((v) => bad(['bench', '--sizes', v], ['--sizes'], `--sizes ${v}`)),
  fc.constantFrom('0', '65', 'x', '-2', '').map((v) => bad(['bench', '--threads', v], ['--threads'], `--threads ${v}`)),
  fc.constantFrom('0', '9', '60001', 'fast', '').map((v) => bad(['bench', '--time', v], ['--time'], `--time ${v}`)),
  fc.constantFrom('nope', 'GEMM', '').map((v) => bad(['bench', '--kernel', 'gemm', v], ['--kernel'], `--kernel ${v}`)),
  fc
    .constantFrom('nope', 'all', 'Reference')
    .map((v) => bad(['bench', '--backend', v], ['--backend'], `--backend ${v}`)),
  fc
    .constantFrom('--sizes', '--threads', '--time', '--kernel', '--backend')
    .map((f) => bad(['bench', f], [f], `bench ${f} without value`)),
  unknownFlag.map((f) => bad(['bench', '--no-baseline', f], [f], `bench ${f}`)),
);

/** `explore`: bad flags only (a valid map runs the claim hundreds of times). */
const EXPLORE_BAD_VALUES: Record<string, string[]> = {
  '--budget': ['0', '-1', 'x', '1e3', '', '1000001'],
  '--depth': ['-1', '11', 'x', ''],
  '--coarse': ['0', '65', 'x', ''],
  '--samples': ['0', '65', 'x', ''],
  '--seed': ['-1', 'x', '4294967296', ''],
  '--jobs': ['0', '257', 'x', ''],
  '--scale': ['huge', ''],
  '--backend': ['nope', 'all', ''],
};
const exploreBase = ['explore', '--claim', 'shevchenko2023.curve-shape', '--axes'];
const exploreCase: fc.Arbitrary<Case> = fc.oneof(
  fc.constant(bad(['explore'], ['--claim'], 'explore without flags')),
  fc.constant(bad(['explore', '--claim', FAST_CLAIMS[0]], ['--axes'], 'explore without --axes')),
  misspelledClaim.map((id) => bad(['explore', '--claim', id, '--axes', 'a,b'], ['--claim'], `explore --claim ${id}`)),
  fc
    .constantFrom('a', 'a,b,c', ',', 'a b,c', '', 'rate,rate', 'zz,yy', 'rate,zz')
    .map((v) => bad([...exploreBase, v], ['--axes'], `--axes ${v}`)),
  fc
    .constantFrom(...Object.keys(EXPLORE_BAD_VALUES))
    .chain((f) => fc.constantFrom(...EXPLORE_BAD_VALUES[f]).map((v) => [f, v] as const))
    .map(([f, v]) => bad([...exploreBase, 'rate,step', f, v], [f], `explore ${f} ${v}`)),
  fc
    .constantFrom('noequals', 'zz=1', '=1', 'rate=1', 'step=abc')
    .map((v) => bad([...exploreBase, 'rate,step', '--fixed', v], ['--fixed'], `--fixed ${v}`)),
  fc
    .constantFrom(...UNWRITABLE_DIRS)
    .map((p) =>
      bad([...exploreBase, 'rate,step', '--budget', '1', '--report', p], ['--report'], `explore --report ${p}`),
    ),
  unknownFlag.map((f) => bad([...exploreBase, 'rate,step', f], [f], `explore ${f}`)),
);

/** `merge-reports`: one valid shard, or unreadable files and unwritable --report. */
const mergeCase: fc.Arbitrary<Case> = fc.oneof(
  fc.constant(ok(['merge-reports', P.shard], 'merge one shard')),
  fc.constant(bad(['merge-reports'], ['files'], 'merge-reports without files')),
  fc.constantFrom(...UNREADABLE_JSON).map((p) => bad(['merge-reports', p], ['FILES[0]'], `merge-reports ${p}`)),
  fc
    .constantFrom(...UNWRITABLE_DIRS)
    .map((p) => bad(['merge-reports', P.shard, '--report', p], ['--report'], `merge --report ${p}`)),
  unknownFlag.map((f) => bad(['merge-reports', P.shard, f], [f], `merge-reports ${f}`)),
  fc.constant(bad(['merge-reports', P.shard, '--report'], ['--report'], 'merge --report without value')),
);

/** `schema`, unknown subcommands and top-level flags. */
const otherCase: fc.Arbitrary<Case> = fc.oneof(
  fc.constantFrom<Case>(
    ok(['schema'], 'schema'),
    ok(['--version'], '--version'),
    ok(['--help'], '--help'),
    ok(['verify', '--help'], 'verify --help'),
    bad([], ['Usage'], 'no command'),
    bad(['schema', 'extra'], ['schema'], 'schema with an argument'),
  ),
  unknownFlag.map((f) => bad(['schema', f], [f], `schema ${f}`)),
  unknownFlag.map((f) => bad([f], [f], `top-level ${f}`)),
  fc
    .oneof(
      fc.constantFrom('verfy', 'lst', 'Verify', 'run', 'help-me', 'mergereports', '☃', 'théorie', ' verify'),
      fc.string({ minLength: 1, maxLength: 10 }).filter(printable),
    )
    .filter((s) => !s.startsWith('-') && !COMMANDS.includes(s) && s !== 'help')
    .map((s) => bad([s, '--seed', '1'], [s], `unknown command ${JSON.stringify(s)}`)),
);

/** Every kind of invocation; bad input outweighs valid input about 6 to 1. */
const anyCase: fc.Arbitrary<Case> = fc.oneof(
  { weight: 8, arbitrary: verifyCase },
  { weight: 3, arbitrary: listCase },
  { weight: 3, arbitrary: theoryCase },
  { weight: 3, arbitrary: odeCase },
  { weight: 2, arbitrary: benchCase },
  { weight: 3, arbitrary: exploreCase },
  { weight: 2, arbitrary: mergeCase },
  { weight: 2, arbitrary: otherCase },
);

/** A stack frame, Node's internals or the internal-error banner: none may reach the user. */
const STACK = /^\s+at .+|node:internal|internal error/m;

/** Devices the cases write to: an atomic write renames over its target, which as root replaces the device itself. */
const DEVICES = ['/dev/full', '/dev/null', '/dev/zero'];

/** Checks one invocation's outcome against its case; returns what is wrong, or undefined. */
function judge(c: Case, r: { code: number; stdout: string; stderr: string }): string | undefined {
  for (const d of DEVICES) {
    if (c.args.includes(d) && !statSync(d).isCharacterDevice()) {
      return `${d} is no longer a device: aecheck replaced it (restore it as root: rm ${d}; mknod -m 666 ${d} c 1 ${d === '/dev/full' ? 7 : d === '/dev/null' ? 3 : 5})`;
    }
  }
  const text = `${r.stdout}\n${r.stderr}`;
  if (STACK.test(text)) return `a stack trace or internal error in the output:\n${r.stderr.slice(0, 1500)}`;
  if (c.bad) {
    if (r.code !== 2) return `bad input exited ${r.code}, expected 2:\n${r.stderr.slice(0, 800)}`;
    if (!c.names.some((n) => r.stderr.includes(n)))
      return `the message does not name ${c.names.join(' or ')}:\n${r.stderr.slice(0, 800)}`;
    return undefined;
  }
  if (!c.codes.includes(r.code))
    return `valid input exited ${r.code}, expected ${c.codes.join(' or ')}:\n${r.stderr.slice(0, 800)}`;
  return undefined;
}

/** Runs in process with a time limit (an asynchronous hang becomes a failure, not a stuck test). */
async function runInProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not end within ${IN_PROCESS_LIMIT_MS} ms`)), IN_PROCESS_LIMIT_MS);
  });
  try {
    const r = await Promise.race([runCliInProcess(args), limit]);
    return { ...r, ms: performance.now() - t0 };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `node bin/aecheck.js …` with a time limit; a hang is killed and reported as code -1. */
function runSubprocess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCliProcess(ROOT, args, SUBPROCESS_LIMIT_MS);
}

/** The bad config files: the example with one field given a wrong type or value, or an unknown key. */
function writeBadConfigs(): void {
  const example = JSON.parse(readFileSync(join(ROOT, 'fixtures/refinetti2022/ode-example.json'), 'utf8'));
  const variants: [string, unknown, string][] = [
    ['learningRate', 'fast', 'config.learningRate'],
    ['learningRate', -1, 'config.learningRate'],
    ['hidden', 0, 'config.hidden'],
    ['hidden', 1.5, 'config.hidden'],
    ['hidden', '2', 'config.hidden'],
    ['spectrum', 5, 'config.spectrum'],
    ['activation', 7, 'config.activation'],
    ['activation', 'sigmoidal', 'config.activation'],
    ['times', 'x', 'config.times'],
    ['tolerance', -1, 'config.tolerance'],
    ['learningrate', 0.4, 'learningrate'],
  ];
  for (const [i, [key, value, field]] of variants.entries()) {
    const path = join(P.unicodeDir, `bad config ${i}.json`);
    writeFileSync(path, JSON.stringify({ ...example, [key]: value }));
    P.badConfigs.push({ path, field });
  }
  const verifyConfig = join(P.spaceDir, 'aecheck.config.json');
  writeFileSync(verifyConfig, JSON.stringify({ verify: { seeds: 3 } }));
  P.badVerifyConfigs.push({ path: verifyConfig, field: 'config.verify.seeds' });
}

beforeAll(async () => {
  mkdirSync(P.spaceDir, { recursive: true });
  mkdirSync(P.unicodeDir, { recursive: true });
  writeFileSync(P.existingFile, 'not a directory\n');
  writeFileSync(P.notJson, '{ "unterminated": ');
  writeFileSync(P.emptyJson, '');
  writeFileSync(P.arrayJson, '[1, 2, 3]');
  writeBadConfigs();
  const shard = await runCliInProcess([
    'verify',
    '--claim',
    FAST_CLAIMS[1],
    '--runs',
    '1',
    '--seed',
    '3',
    '--jobs',
    '1',
    '--shard',
    '1/1',
    '--json',
  ]);
  expect(shard.code).toBe(0);
  writeFileSync(P.shard, shard.stdout);
});

afterAll(() => rmSync(TMP, { recursive: true, force: true }));

describe('aecheck under random command lines', () => {
  test(
    `${IN_PROCESS_RUNS} random invocations in process: no hang, no stack trace, exit 2 naming the flag for bad input`,
    async () => {
      // Every failure is collected (not only the first): the cases are small already, and one run then lists them all.
      const seed = fc.readConfigureGlobal().seed ?? (Date.now() ^ (process.pid << 8)) >>> 1;
      const failures: string[] = [];
      let count = 0;
      let badCount = 0;
      const t0 = performance.now();
      await fc.assert(
        fc.asyncProperty(anyCase, async (c) => {
          const r = await runInProcess(c.args);
          count++;
          if (c.bad) badCount++;
          const wrong = judge(c, r);
          if (wrong) failures.push(`${c.what}: aecheck ${c.args.map((a) => JSON.stringify(a)).join(' ')}\n${wrong}`);
        }),
        { numRuns: IN_PROCESS_RUNS, seed },
      );
      const seconds = (performance.now() - t0) / 1000;
      process.stderr.write(
        `cli fuzz: ${count} invocations (${badCount} bad) in ${seconds.toFixed(1)} s, seed ${seed}\n`,
      );
      expect(count).toBeGreaterThanOrEqual(IN_PROCESS_RUNS);
      expect(failures, `${failures.length} failing invocations (replay: AECHECK_SEED=${seed})`).toEqual([]);
    },
    scaledTimeout(600_000),
  );

  test(
    `${SUBPROCESS_CASES} of the cases as real processes agree with the in-process runs`,
    async () => {
      const seed = fc.readConfigureGlobal().seed ?? (Date.now() ^ (process.pid << 8)) >>> 1;
      const cases = fc.sample(anyCase, { numRuns: SUBPROCESS_CASES, seed });
      const disagreements: string[] = [];
      for (let i = 0; i < cases.length; i += SUBPROCESS_PARALLEL) {
        const batch = cases.slice(i, i + SUBPROCESS_PARALLEL);
        const subs = await Promise.all(batch.map((c) => runSubprocess(c.args)));
        for (const [k, c] of batch.entries()) {
          const sub = subs[k];
          const inProc = await runInProcess(c.args);
          const line = `aecheck ${c.args.map((a) => JSON.stringify(a)).join(' ')}`;
          const wrong = judge(c, sub);
          if (wrong) disagreements.push(`${line} as a process: ${wrong}`);
          // Same exit code and the same first line on stderr up to its hint (verify's banner carries a random seed when
          // none is given; an import error's hint comes from vitest's loader in process and from Node's in a process).
          const first = (s: string) =>
            s
              .split('\n')[0]
              .replace(/seed \d+/, 'seed N')
              .replace(/ \(fix: .*$/, '');
          if (sub.code !== inProc.code || first(sub.stderr) !== first(inProc.stderr)) {
            disagreements.push(
              `${line}: process exit ${sub.code} «${first(sub.stderr)}», in process exit ${inProc.code} «${first(inProc.stderr)}»`,
            );
          }
        }
      }
      process.stderr.write(`cli fuzz: ${cases.length} cases as processes, seed ${seed}\n`);
      expect(disagreements, `replay: AECHECK_SEED=${seed}`).toEqual([]);
    },
    scaledTimeout(600_000),
  );
});
