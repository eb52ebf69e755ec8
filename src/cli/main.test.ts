import { afterEach, describe, expect, test, vi } from 'vitest';
import { reportSchema } from '../report/reportSchema.ts';
import { runCliInProcess } from './runCliInProcess.ts';

/** Runs the CLI in-process and captures stdout, stderr and the exit code. */
const runCli = runCliInProcess;

afterEach(() => vi.restoreAllMocks());

describe('aecheck CLI', () => {
  test('verify --json runs a claim and prints a report that satisfies the schema', async () => {
    const r = await runCli([
      'verify',
      '--claim',
      'refinetti2022.integrals-quadrature',
      '--seed',
      '5',
      '--runs',
      '3',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const report = reportSchema.parse(JSON.parse(r.stdout));
    expect(report.seed).toBe(5);
    expect(report.claims[0].verdict).toBe('pass');
    expect(report.claims[0].results).toHaveLength(3);
  });
  test('the same seed gives the same numbers', async () => {
    const args = ['verify', '--claim', 'refinetti2022.integrals-monte-carlo', '--seed', '9', '--runs', '2', '--json'];
    const a = JSON.parse((await runCli(args)).stdout);
    const b = JSON.parse((await runCli(args)).stdout);
    const observed = (rep: { claims: { results: { measurement: { observed: number } }[] }[] }) =>
      rep.claims[0].results.map((x) => x.measurement.observed);
    expect(observed(a)).toEqual(observed(b));
  });
  test('a bad flag is a one-line error naming the flag, the value and the fix, with exit code 2', async () => {
    const r = await runCli(['verify', '--scale', 'huge']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--scale: received "huge", expected .*quick.*paper.*fix/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
  test('verify --params checks the regime, and --outside-regime runs the point anyway', async () => {
    // The run a quick verify found failing inside the old regime of gd-reaches-limit (now outside it: n/d = 17/16).
    const args = [
      'verify',
      '--claim',
      'shevchenko2023.gd-reaches-limit',
      '--seed',
      '1402731202',
      '--params',
      '{"dim":16,"rate":1.0824947338805107,"seed":645267930}',
      '--backend',
      'reference',
      '--json',
    ];
    const inside = await runCli(args);
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(/inside the claim's regime/);
    const outside = await runCli([...args, '--outside-regime']);
    expect(outside.code).toBe(1);
    const report = reportSchema.parse(JSON.parse(outside.stdout));
    expect(report.claims[0].verdict).toBe('fail');
  });
  test('an unknown claim id suggests `aecheck list`', async () => {
    const r = await runCli(['verify', '--claim', 'no.such-claim']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--claim: received "no.such-claim".*aecheck list/);
  });
  test('theory evaluates a function and validates its parameters', async () => {
    const ok = await runCli(['theory', 'refinetti2022.I2', '--param', 'g=linear', 'c11=1', 'c12=0.25', 'c22=1']);
    expect(Number(ok.stdout)).toBe(0.25);
    const bad = await runCli(['theory', 'refinetti2022.I2', '--param', 'g=linear', 'c11=-1', 'c12=0', 'c22=1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--param c11: received -1/);
  });
  test('list --json lists every claim with its source and tolerance', async () => {
    const r = await runCli(['list', '--json']);
    const rows = JSON.parse(r.stdout) as { id: string; source: string; tolerance: string }[];
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const row of rows) expect(row.source.length * row.tolerance.length).toBeGreaterThan(0);
  });
});
