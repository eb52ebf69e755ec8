import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { colourAllowed, tableHead, tableStyle } from './colour.ts';
import { type CliRun, runCliInProcess } from './runCliInProcess.ts';
import { scaledTimeout } from '../testing/scaledTimeout.ts';

/** The start of every ANSI escape sequence (colour, cursor movement). */
const ESC = '\x1b[';

/** A cheap claim with a plot (theory only, one run), for verify's table and ASCII plot. */
const PLOTTED_CLAIM = 'persianrug2024.hadamard-exact';

const saved = {
  stdoutTty: Object.getOwnPropertyDescriptor(process.stdout, 'isTTY'),
  stderrTty: Object.getOwnPropertyDescriptor(process.stderr, 'isTTY'),
  noColor: process.env.NO_COLOR,
};

/** Pretends stdout is a terminal or a pipe (stderr stays a pipe: no progress bars), and sets or clears NO_COLOR. */
function streams(stdoutTty: boolean, noColor: string | undefined): void {
  Object.defineProperty(process.stdout, 'isTTY', { value: stdoutTty, configurable: true, writable: true });
  Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true, writable: true });
  if (noColor === undefined) delete process.env.NO_COLOR;
  else process.env.NO_COLOR = noColor;
}

afterEach(() => {
  for (const [stream, d] of [
    [process.stdout, saved.stdoutTty],
    [process.stderr, saved.stderrTty],
  ] as const) {
    if (d) Object.defineProperty(stream, 'isTTY', d);
    else delete (stream as { isTTY?: boolean }).isTTY;
  }
  if (saved.noColor === undefined) delete process.env.NO_COLOR;
  else process.env.NO_COLOR = saved.noColor;
});

/** Every command once, cheaply; the report files verify writes feed merge-reports. */
async function runEveryCommand(): Promise<{ args: string[]; run: CliRun }[]> {
  const dir = mkdtempSync(join(tmpdir(), 'aecheck-nocolour-'));
  const simulate = join(dir, 'simulate.json');
  writeFileSync(
    simulate,
    JSON.stringify({
      ...JSON.parse(readFileSync('fixtures/refinetti2022/simulate-example.json', 'utf8')),
      spectrum: { dim: 40, values: [20, 8, 1, 1, 1] },
      times: [0, 1],
    }),
  );
  const ode = join(dir, 'ode.json');
  writeFileSync(
    ode,
    JSON.stringify({
      ...JSON.parse(readFileSync('fixtures/refinetti2022/ode-example.json', 'utf8')),
      times: { from: 1, to: 10, count: 3 },
    }),
  );
  const verify = ['verify', '--claim', PLOTTED_CLAIM, '--seed', '1', '--runs', '2', '--jobs', '1'];
  const commands = [
    ['list'],
    ['list', '--help'],
    ['theory'],
    ['ode', '--config', ode],
    ['simulate', '--config', simulate, '--steps', '200'],
    verify,
    [...verify, '--shard', '1/2', '--report', join(dir, 's1')],
    [...verify, '--shard', '2/2', '--report', join(dir, 's2')],
    ['merge-reports', join(dir, 's1', 'report.json'), join(dir, 's2', 'report.json'), '--report', join(dir, 'm')],
    ['bench', '--backend', 'reference', '--kernel', 'gemm', '--sizes', '8', '--time', '5', '--no-baseline'],
    ['explore', '--claim', 'persianrug2024.activation-gain', '--axes', 'r,p', '--budget', '9'],
    ['verify', '--nope'],
    ['verify', '--claim', 'no-such.claim'],
  ];
  const out: { args: string[]; run: CliRun }[] = [];
  for (const args of commands) out.push({ args, run: await runCliInProcess(args) });
  return out;
}

describe('NO_COLOR and piped output', () => {
  test('colourAllowed and tableHead: colour only on a TTY without NO_COLOR; cli-table3 never colours by itself', () => {
    streams(true, undefined);
    expect(colourAllowed()).toBe(true);
    expect(tableHead(['a'])[0]).toContain(ESC);
    // cli-table3's colour library decides on its own (CI, the terminal at load time): its colours stay off.
    expect(tableStyle()).toEqual({ head: [], border: [] });
    expect(colourAllowed({ isTTY: false })).toBe(false);
    expect(tableHead(['a'], { isTTY: false })).toEqual(['a']);
    expect(tableStyle({ isTTY: false })).toEqual({ head: [], border: [] });
    streams(true, '1');
    expect(colourAllowed()).toBe(false);
    streams(true, '');
    expect(colourAllowed()).toBe(true); // an empty NO_COLOR does not count (no-color.org)
  });

  test.each([
    ['stdout piped', false, undefined],
    ['NO_COLOR=1 on a terminal', true, '1'],
  ] as const)(
    'every command writes no ANSI escape with %s (list, theory, ode, simulate, verify, shards, merge-reports, bench, explore, errors)',
    async (_what, tty, noColor) => {
      streams(tty, noColor);
      const runs = await runEveryCommand();
      for (const { args, run } of runs) {
        expect({ args, stdout: run.stdout.includes(ESC), stderr: run.stderr.includes(ESC) }).toEqual({
          args,
          stdout: false,
          stderr: false,
        });
      }
      // The runs did something: tables, a plot and the usage error are there.
      const text = (i: number) => runs[i].run.stdout;
      expect(text(0)).toContain('claim');
      expect(text(5)).toContain('┤');
      expect(runs[runs.length - 1].run.code).toBe(2);
    },
    120_000,
  );

  test(
    'the control: on a terminal without NO_COLOR, tables and plots are coloured (so the check above can fail)',
    async () => {
      streams(true, undefined);
      expect((await runCliInProcess(['list'])).stdout).toContain(ESC);
      const verify = await runCliInProcess(['verify', '--claim', PLOTTED_CLAIM, '--seed', '1', '--runs', '1']);
      expect(verify.stdout).toContain(ESC);
      // stderr is a pipe here: no progress bar, so no escape there.
      expect(verify.stderr).not.toContain(ESC);
    },
    scaledTimeout(60_000),
  );
});
