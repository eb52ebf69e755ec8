import { describe, expect, test } from 'vitest';
import { runCliInProcess } from './runCliInProcess.ts';

/** The in-process harness must give the codes a real process gives, and leave the process as it found it. */
describe('runCliInProcess', () => {
  test('an unknown command and a missing command exit 2, as in a real process', async () => {
    const unknown = await runCliInProcess(['verfy']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'verfy'/);
    expect((await runCliInProcess([])).code).toBe(2);
  });

  test('output, exit code and the patched process methods do not leak into the next run', async () => {
    const write = process.stdout.write;
    const writeErr = process.stderr.write;
    const exit = process.exit;
    const bad = await runCliInProcess(['verify', '--runs', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--runs: received "0"/);
    expect(process.stdout.write).toBe(write);
    expect(process.stderr.write).toBe(writeErr);
    expect(process.exit).toBe(exit);
    expect(process.exitCode).toBe(0);
    const good = await runCliInProcess(['schema']);
    expect(good.code).toBe(0);
    expect(good.stderr).toBe('');
    expect(JSON.parse(good.stdout)).toHaveProperty('type');
  });
});
