import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../cli/runCliInProcess.ts';

/** A cheap exact claim (theory only) with two numeric fields, one of them log. */
const CLAIM = 'persianrug2024.activation-gain';

describe('aecheck explore', () => {
  it('maps a claim over two fields: an ASCII map with labelled log ticks, and JSON with the boundary as data', async () => {
    const text = await runCliInProcess(['explore', '--claim', CLAIM, '--axes', 'r,p', '--budget', '25']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('p (log)');
    expect(text.stdout).toContain('25 evaluations');
    const json = await runCliInProcess(['explore', '--claim', CLAIM, '--axes', 'r,p', '--budget', '25', '--json']);
    const map = JSON.parse(json.stdout);
    expect(map.axes.map((a: { field: string }) => a.field)).toEqual(['r', 'p']);
    expect(map.axes[1].log).toBe(true);
    expect(Array.isArray(map.boundaryCells)).toBe(true);
    expect(map.points).toHaveLength(25);
  });

  it.each([
    [
      ['--claim', 'persianrug2024.activation-gian', '--axes', 'r,p'],
      /--claim.*did you mean persianrug2024.activation-gain/,
    ],
    [['--claim', CLAIM, '--axes', 'r,pp'], /--axes.*pp.*did you mean p/],
    [['--claim', 'persianrug2024.data-moments', '--axes', 'n,sampler'], /--axes.*sampler.*numeric/],
    [['--claim', CLAIM, '--axes', 'r,p', '--fixed', 'q=1'], /--fixed.*q/],
    [['--claim', CLAIM, '--axes', 'r,p', '--budget', '5'], /--budget.*25 evaluations/],
    [['--claim', CLAIM, '--axes', 'r'], /--axes.*two field names/],
  ])('rejects %j naming the flag', async (args, message) => {
    const run = await runCliInProcess(['explore', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
