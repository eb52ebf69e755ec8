import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runCliInProcess } from '../runCliInProcess.ts';

test('aecheck ode: a ReLU network with a trained bias (the example config, shortened) prints β in JSON and in the table', async () => {
  const example = JSON.parse(readFileSync('fixtures/refinetti2022/ode-relu-bias-example.json', 'utf8'));
  const file = join(mkdtempSync(join(tmpdir(), 'ode-')), 'c.json');
  writeFileSync(file, JSON.stringify({ ...example, times: { from: 1, to: 100, count: 3 } }));
  const json = await runCliInProcess(['ode', '--config', file, '--json']);
  expect(json.code).toBe(0);
  const out = JSON.parse(json.stdout);
  expect(out.orderParameters[0].bias).toEqual([0.01, 0.01]);
  const last = out.orderParameters[out.orderParameters.length - 1].bias;
  expect(last[0]).toBeGreaterThan(0.01); // the bias is trained
  expect(out.error[out.error.length - 1]).toBeLessThan(out.error[0]);
  const table = await runCliInProcess(['ode', '--config', file]);
  expect(table.code).toBe(0);
  expect(table.stdout).toContain('β');
  expect(table.stdout).toContain(last[0].toPrecision(4));
});
