// Side by side, CPU time per training step at n = 1024, m = 128, batch 1024, p = 0.05, float32, 1 thread: PyTorch
// (train_torch.py; its CPU per step is the difference of a 5 + 25-step and a 5 + 5-step run's user+sys, so that
// start-up and import cancel), aecheck before (a checkout given as OLD_SRC, e.g. commit 7ba7fa1's src/) and after
// (this checkout), alternating for ROUNDS rounds. CPU time, unlike wall time, stays near a quiet machine's figure
// under load (not equal to it: cache and core sharing still inflate it).
// Run from the repository root: OPENBLAS_NUM_THREADS=1 npx tsx benchmarks/results/2026-11-30-toy-s4/side-cpu.ts OLD_SRC [ROUNDS]
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const oldSrc = resolve(process.argv[2] ?? '.scratch/old/src');
const rounds = Number(process.argv[3] ?? 4);
const steps = 25;
const load = async (root: string) => ({
  rng: await import(pathToFileURL(`${root}/core/rng.ts`).href),
  reg: await import(pathToFileURL(`${root}/kernels/registry.ts`).href),
  tr: await import(pathToFileURL(`${root}/sim/persianrug2024/trainToyModel.ts`).href),
});
const sides = { before: await load(oldSrc), after: await load(resolve('src')) };
const torchCpu = (timed: number): number => {
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', 'CPU %U %S', '/usr/bin/python3', 'benchmarks/persianrug2024/train_torch.py', '1024', '128', '0.05', '1024', String(timed), 'float32', '1'],
    { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } },
  );
  const m = /CPU ([\d.]+) ([\d.]+)/.exec(r.stderr);
  if (!m) throw new Error(`train_torch.py failed: ${r.stderr}`);
  return Number(m[1]) + Number(m[2]);
};
const rows: Record<string, number[]> = { torch: [], before: [], after: [] };
for (let round = 0; round < rounds; round++) {
  const short = torchCpu(5);
  const long = torchCpu(5 + steps);
  rows.torch.push(((long - short) / steps) * 1000);
  for (const [name, L] of Object.entries(sides)) {
    const kernels = await L.reg.getKernelSet('auto:f32');
    let c5: NodeJS.CpuUsage | undefined;
    L.tr.trainToyModel({
      n: 1024, m: 128, p: 0.05, steps: 5 + steps, precision: 'float32', rng: L.rng.createRng(1), kernels, record: [],
      progress: (done: number) => { if (done === 5) c5 = process.cpuUsage(); },
    });
    const c = process.cpuUsage(c5);
    rows[name].push((c.user + c.system) / 1000 / steps);
  }
  console.log(`round ${round}: ${Object.entries(rows).map(([k, v]) => `${k} ${v.at(-1)?.toFixed(2)} ms`).join(', ')}`);
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
for (const [k, v] of Object.entries(rows))
  console.log(`${k}: best ${Math.min(...v).toFixed(2)} ms/step (${(1000 / Math.min(...v)).toFixed(1)} steps/s), median ${median(v).toFixed(2)} ms`);
const ratio = (k: string, f: (v: number[]) => number) => (f(rows.torch) / f(rows[k])).toFixed(2);
console.log(`ratio to torch (best / median): before ${ratio('before', (v) => Math.min(...v))} / ${ratio('before', median)}, after ${ratio('after', (v) => Math.min(...v))} / ${ratio('after', median)}`);
