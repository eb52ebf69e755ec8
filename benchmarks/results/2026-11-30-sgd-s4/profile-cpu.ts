// Profile of one online-SGD step (wasm engine): each pass of the module timed in isolation (CPU time, best of 5 rounds
// of many calls) on the bench's layout and sizes. Run from the repository root:
// npx tsx benchmarks/results/2026-11-30-sgd-s4/profile-cpu.ts
import { createRng, zigguratAccess } from '../../../src/core/rng.ts';
import { spikedCovariance } from '../../../src/data/spikedCovariance.ts';
import { getKernelSet } from '../../../src/kernels/registry.ts';
import { onlineSgdStepper as wasmStepper } from '../../../src/kernels/wasm/onlineSgd.ts';
import { onlineSgdStepper as jsStepper } from '../../../src/kernels/reference/onlineSgd.ts';
import { createOnlineSgdWasm } from '../../../src/kernels/wasm/onlineSgdWasm.ts';
import { writeZigguratTables, ZIGGURAT_LAYOUT, zigguratViews } from '../../../src/kernels/wasm/onlineSgd.ts';
import { activate } from '../../../src/kernels/reference/onlineSgd.ts';
import { initialWeights } from '../../../src/sim/refinetti2022/weights.ts';
import { cloneWeights } from '../../../src/sim/refinetti2022/weights.ts';

const time = (label: string, n: number, f: () => void): number => {
  for (let i = 0; i < Math.min(n, 2000); i++) f();
  let best = Infinity;
  for (let rep = 0; rep < 5; rep++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) f();
    const c1 = process.cpuUsage(c0);
    best = Math.min(best, (c1.user + c1.system) / 1e3 / n);
  }
  console.log(`  ${label.padEnd(34)} ${(best * 1e3).toFixed(3).padStart(8)} µs`);
  return best * 1e3;
};
await getKernelSet('reference');
for (const [D, K] of [[500, 2], [1000, 8]] as const) {
  console.log(`D = ${D}, K = ${K}`);
  const rng = createRng(0);
  const source = spikedCovariance({ dim: D, spikes: K, rng: rng.fork('data') });
  const initial = initialWeights({ hidden: K, dim: D, rng: rng.fork('weights') });
  const mk = (f: typeof wasmStepper) => f({ network: cloneWeights(initial), sampler: source, rng: createRng(1), activation: 'erf', truncated: false, tied: false, tiedFull: true, trainBias: false, learningRate: 0.4 });
  const sw = mk(wasmStepper);
  const total = time('whole step (wasm)', 20000, () => sw.step());
  const sj = mk(jsStepper);
  time('whole step (js)', 5000, () => sj.step());
  const { arrays: a, exports: w } = createOnlineSgdWasm({ ...ZIGGURAT_LAYOUT, W: K * D, V: K * D, x: D, xPrev: D, r: D, alpha: K, lam: K, h: K, coef: K, basis: K * D, amp: K, z: K });
  a.W.view.set(initial.W); a.V.view.set(initial.V); a.basis.view.set(source.basis.subarray(0, K * D)); a.amp.view.set(source.amplitudes.subarray(0, K));
  const r2 = createRng(2);
  const zig = zigguratAccess(r2)!;
  writeZigguratTables(zig, a.zigTables);
  const zs = zigguratViews(a);
  zs[0] = 1; zs[1] = 2; zs[2] = 3; zs[3] = 4;
  const sq = Math.sqrt(source.bulk);
  const tNorm = time('normals (wasm, D, slow path incl.)', 20000, () => w.normals(a.x.ptr, D, sq));
  const tSample = time('sample (normals + z + mix)', 20000, () => w.sample(a.x.ptr, D, 1, sq, a.z.ptr, K, a.amp.ptr, a.basis.ptr));
  const tMix = tSample - tNorm;
  a.x.view.fill(0.01); a.xPrev.view.fill(0.01); a.alpha.view.fill(1e-9);
  const tEnc = time('encoder (pending, fused W update)', 50000, () => w.encoder(a.W.ptr, a.xPrev.ptr, a.alpha.ptr, a.x.ptr, a.lam.ptr, K, D, 1));
  const hV = a.h.view, dg = new Float64Array(K);
  const tAct = time('activations (JS erf, K)', 200000, () => { for (let k = 0; k < K; k++) activate(1, a.lam.view[k] * 0.03 + 0.1 * k, k, hV, dg); });
  hV.fill(0.3);
  const tDec = time('decoderVanilla', 50000, () => w.decoderVanilla(a.V.ptr, a.x.ptr, a.h.ptr, a.r.ptr, a.coef.ptr, K, D, 1e-12, 0));
  hV.fill(0);
  time('decoderVanilla, h = 0 (no residual)', 50000, () => w.decoderVanilla(a.V.ptr, a.x.ptr, a.h.ptr, a.r.ptr, a.coef.ptr, K, D, 1e-12, 0));
  time('decoderVanilla tied, h = 0 (coef only)', 50000, () => w.decoderVanilla(a.V.ptr, a.x.ptr, a.h.ptr, a.r.ptr, a.coef.ptr, K, D, 1e-12, 1));
  time('axpy over W (K rows, read+write)', 50000, () => { for (let k = 0; k < K; k++) w.axpy(a.W.ptr + k * D * 8, a.x.ptr, 1e-12, 0, 0, 0, D); });
  time('encoder, no pending (read W only)', 50000, () => w.encoder(a.W.ptr, a.xPrev.ptr, a.alpha.ptr, a.x.ptr, a.lam.ptr, K, D, 0));
  const tCall = time('empty-ish call (axpy n=0)', 200000, () => w.axpy(a.x.ptr, a.x.ptr, 0, 0, 0, 0, 0));
  console.log(`  sum of parts (sample + enc + act + dec): ${(tSample + tEnc + tAct + tDec).toFixed(3)} µs of ${total.toFixed(3)}`);
}
