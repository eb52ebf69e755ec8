import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../cli/runCliInProcess.ts';

/**
 * A cheap exact claim (theory only) with two numeric fields, one of them log. (activation-gain, used before, became
 * statistical with its Monte Carlo checks: explore samples such a claim twice per point.)
 */
const CLAIM = 'persianrug2024.optimum-ordering';

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
      ['--claim', 'persianrug2024.optimum-ordring', '--axes', 'r,p'],
      /--claim.*did you mean persianrug2024.optimum-ordering/,
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

describe('aecheck explore on the worker pool', () => {
  it('gives the same map with --jobs 2 as with --jobs 1, and writes map.svg with --report', async () => {
    const { mkdtemp, readFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'aecheck-explore-'));
    // The noisy synthetic claim, loaded by each worker: its map depends on every sample's seed.
    const args = [
      'explore',
      ...['--claims', 'src/explore/productClaim.ts', '--claim', 'synthetic.product', '--axes', 'x,y'],
      ...['--fixed', 'noise=0.05', '--samples', '2', '--depth', '1', '--budget', '120', '--json'],
    ];
    const one = await runCliInProcess([...args, '--jobs', '1']);
    const two = await runCliInProcess([...args, '--jobs', '2', '--report', dir]);
    expect(two.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    const svg = await readFile(join(dir, 'map.svg'), 'utf8');
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('y (log)');
    const map = JSON.parse(one.stdout);
    expect(map.evaluations).toBeGreaterThan(50);
    expect(map.failing.length).toBeGreaterThan(0);
    expect(map.failing[0].replay).toContain('--claims src/explore/productClaim.ts');
  });
});

describe('aecheck explore --shard and merge-reports', () => {
  it('two shards merged by merge-reports give the unsharded map.json; --guide and the regime edge reach the outputs', async () => {
    const { mkdtemp, readFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'aecheck-shard-'));
    const args = [
      'explore',
      ...['--claims', 'src/explore/productClaim.ts', '--claim', 'synthetic.product-regime', '--axes', 'x,y'],
      ...['--depth', '2', '--budget', '400', '--guide', 'x*y=4'],
    ];
    const whole = await runCliInProcess([...args, '--report', join(dir, 'whole')]);
    expect(whole.code).toBe(0);
    expect(whole.stdout).toContain("* the claim's regime edge (x·y ≤ 0.25)");
    expect(whole.stdout).toContain('+ guide x*y=4');
    for (const i of [1, 2]) {
      const part = await runCliInProcess([...args, '--shard', `${i}/2`, '--report', join(dir, `s${i}`)]);
      expect(part.code).toBe(0);
      expect(part.stdout).toContain(`shard ${i}/2`);
    }
    const merged = await runCliInProcess([
      'merge-reports',
      ...[join(dir, 's2', 'map.json'), join(dir, 's1', 'map.json')],
      ...['--report', join(dir, 'merged')],
    ]);
    expect(merged.code).toBe(0);
    const read = async (d: string) => readFile(join(dir, d, 'map.json'), 'utf8');
    expect(await read('merged')).toBe(await read('whole'));
    expect(await readFile(join(dir, 'merged', 'map.txt'), 'utf8')).toBe(
      await readFile(join(dir, 'whole', 'map.txt'), 'utf8'),
    );
    const svg = await readFile(join(dir, 'merged', 'map.svg'), 'utf8');
    expect(svg).toContain('regime edge: x·y ≤ 0.25');
  });

  it.each([
    [['--shard', '3/2'], /--shard/],
    [['--shard', '1/5'], /--shard.*n ≤ 4/],
    [['--guide', 'x+q=1'], /--guide.*"q" is not allowed/],
  ])('rejects %j naming the flag', async (extra, message) => {
    const run = await runCliInProcess([
      'explore',
      ...['--claims', 'src/explore/productClaim.ts', '--claim', 'synthetic.product', '--axes', 'x,y'],
      ...extra,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
