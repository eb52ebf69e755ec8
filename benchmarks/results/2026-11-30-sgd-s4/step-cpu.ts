// Whole-step CPU time (process.cpuUsage) of the wasm stepper, best of 7 rounds, at the bench's two sizes. Run from
// the repository root: npx tsx benchmarks/results/2026-11-30-sgd-s4/step-cpu.ts LABEL (the 'before' figures ran the
// same script from a checkout of commit 37c3068). CPU time, unlike wall time, stays near a quiet machine's figure
// under load.
import { createRng } from '../../../src/core/rng.ts';
import { spikedCovariance } from '../../../src/data/spikedCovariance.ts';
import { onlineSgdStepper as wasmStepper } from '../../../src/kernels/wasm/onlineSgd.ts';
import { onlineSgdStepper as jsStepper } from '../../../src/kernels/reference/onlineSgd.ts';
import { initialWeights, cloneWeights } from '../../../src/sim/refinetti2022/weights.ts';
const tag = process.argv[2] ?? '';
const time = (n: number, f: () => void): number => {
  for (let i = 0; i < 3000; i++) f();
  let best = Infinity;
  for (let rep = 0; rep < 7; rep++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) f();
    const c1 = process.cpuUsage(c0);
    best = Math.min(best, (c1.user + c1.system) / 1e3 / n);
  }
  return best * 1e3;
};
for (const [D, K] of [[500, 2], [1000, 8]] as const) {
  const rng = createRng(0);
  const source = spikedCovariance({ dim: D, spikes: K, rng: rng.fork('data') });
  const initial = initialWeights({ hidden: K, dim: D, rng: rng.fork('weights') });
  const mk = (f: typeof wasmStepper) => f({ network: cloneWeights(initial), sampler: source, rng: createRng(1), activation: 'erf', truncated: false, tied: false, tiedFull: true, trainBias: false, learningRate: 0.4 });
  const sw = mk(wasmStepper);
  const t = time(D === 500 ? 40000 : 10000, () => sw.step());
  console.log(`${tag} D=${D} K=${K} wasm step ${t.toFixed(3)} µs cpu = ${(1e3 / t).toFixed(0)}k steps/s`);
}
