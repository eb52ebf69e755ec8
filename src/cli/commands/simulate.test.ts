import { writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runCliInProcess } from '../runCliInProcess.ts';

const runCli = runCliInProcess;

test('aecheck simulate --json: explicit projections start SGD exactly at the ODE state; deterministic per seed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'simulate-'));
  const file = join(dir, 'c.json');
  writeFileSync(
    file,
    JSON.stringify({
      spectrum: { dim: 50, values: [20, 8, 1, 1, 1] },
      activation: 'erf',
      learningRate: 0.4,
      hidden: 2,
      times: [0, 1, 2],
      initial: {
        a: [
          [0.1, 0.05, 0, 0, 0.02],
          [-0.03, 0.08, 0.01, 0, 0],
        ],
        b: [
          [0.02, 0, 0.01, 0, 0],
          [0, 0.03, 0, 0.01, 0],
        ],
      },
      seed: 4,
    }),
  );
  const a = await runCli(['simulate', '--config', file, '--json']);
  expect(a.code).toBe(0);
  const out = JSON.parse(a.stdout);
  expect(out.times).toEqual([0, 1, 2]);
  expect(out.steps).toBe(100);
  expect(Math.abs(out.error[0] - out.odeError[0])).toBeLessThan(1e-12);
  expect(out.orderParameters).toHaveLength(3);
  const b = await runCli(['simulate', '--config', file, '--json']);
  expect(JSON.parse(b.stdout).error).toEqual(out.error);
  const c = await runCli(['simulate', '--config', file, '--json', '--steps', '60']);
  expect(JSON.parse(c.stdout).steps).toBe(60);
});

test('aecheck simulate rejects a bad config with exit code 2 and names the field', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'simulate-'));
  const file = join(dir, 'bad.json');
  writeFileSync(
    file,
    JSON.stringify({
      spectrum: { dim: 5, values: [1] },
      activation: { expression: 'tanh(x)' },
      learningRate: 0.4,
      hidden: 1,
      times: [0, 1],
      initial: { seed: 1 },
    }),
  );
  const r = await runCli(['simulate', '--config', file]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/config\.activation/);
});

test('aecheck simulate draws ε(t) as an ASCII plot under the table (SGD points, ODE line), not with --no-plots', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'simulate-'));
  const file = join(dir, 'c.json');
  writeFileSync(
    file,
    JSON.stringify({
      spectrum: { dim: 40, values: [20, 8, 1, 1, 1] },
      activation: 'erf',
      learningRate: 0.4,
      hidden: 2,
      times: [0, 1, 2],
      initial: { seed: 1, scale: 0.1 },
      seed: 4,
    }),
  );
  const r = await runCli(['simulate', '--config', file]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain('ε(t): online SGD against the ODE');
  expect(r.stdout).toContain('* ODE   + SGD');
  const plain = await runCli(['simulate', '--config', file, '--no-plots']);
  expect(plain.stdout).not.toContain('ε(t): online SGD');
});
