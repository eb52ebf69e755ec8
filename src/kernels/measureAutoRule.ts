/**
 * Measures what `auto`'s rule (autoRule.ts) rests on, side by side in one process: each candidate implementation of a
 * kernel timed in turn, five rounds, the fastest of the per-round medians. OpenBLAS runs on one thread.
 *
 * Usage: npx tsx src/kernels/measureAutoRule.ts [gemm|ae|sparse|crossover|sgd|all]
 *
 * `crossover` (also part of `sparse`) times the sparse kernels as the toy-model trainer calls them (batch 1024, W
 * transposed, the nonzeros' values listed) on wasm against the dense route `auto` takes above SPARSE_DENSE_MIN (the
 * listed entries scattered into a dense X, then one OpenBLAS GEMM), after checking that both agree.
 */
import { fileURLToPath } from 'node:url';
import { createRng } from '../core/rng.ts';
import { maxRelativeDiff } from '../core/tolerance.ts';
import { denseSparseKernels } from './autoRule.ts';
import type { KernelSet } from './kernelSpecs.ts';
import { openblasLibrary } from './openblas/openblasLibrary.ts';
import { getKernelSet } from './registry.ts';

/** Minimum time per candidate and round, ms. */
const ROUND_MS = 60;
/** Rounds (the candidates alternate within each, so drifting load hits all alike). */
const ROUNDS = 5;

/** Median seconds per call of each candidate, timed in alternation. */
export function compareTimes(candidates: Record<string, () => void>): Record<string, number> {
  const medians: Record<string, number[]> = {};
  for (const f of Object.values(candidates)) {
    f();
    f();
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, f] of Object.entries(candidates)) {
      const samples: number[] = [];
      const start = performance.now();
      while (performance.now() - start < ROUND_MS || samples.length < 3) {
        const t = performance.now();
        f();
        samples.push(performance.now() - t);
      }
      samples.sort((x, y) => x - y);
      medians[name] ??= [];
      medians[name].push(samples[samples.length >> 1] / 1000);
    }
  }
  // The fastest round: load from other jobs only ever slows a round down (as in src/bench/runKernelBench.ts).
  return Object.fromEntries(Object.entries(medians).map(([name, v]) => [name, Math.min(...v)]));
}

async function main(what: string): Promise<void> {
  openblasLibrary().setThreads(1);
  const rng = createRng(1);
  const fill = (n: number): Float64Array => {
    const a = new Float64Array(n);
    rng.fillNormal(a);
    return a;
  };
  const sets: Record<string, KernelSet> = {
    reference: await getKernelSet('reference'),
    wasm: await getKernelSet('wasm'),
    openblas: await getKernelSet('openblas'),
  };
  const us = (s: number): string => `${(s * 1e6).toFixed(1)} µs`;
  if (what === 'all' || what === 'gemm') {
    for (const n of [6, 8, 10, 12, 16, 24, 32, 64, 128, 256, 512]) {
      const args = { m: n, n, k: n, a: fill(n * n), b: fill(n * n) };
      const t = compareTimes(Object.fromEntries(Object.entries(sets).map(([id, ks]) => [id, () => ks.gemm(args)])));
      const rates = Object.entries(t).map(([id, s]) => `${id} ${((2 * n ** 3) / s / 1e9).toFixed(2)}`);
      console.log(`gemm n=${n} GFLOP/s: ${rates.join(', ')}`);
    }
  }
  if (what === 'all' || what === 'ae') {
    for (const [batch, inputDim, hidden] of [
      [1, 100, 2],
      [1, 256, 2],
      [4, 100, 2],
      [1, 500, 4],
      [16, 100, 4],
      [64, 256, 8],
      [1000, 500, 8],
    ]) {
      const args = {
        batch,
        inputDim,
        hidden,
        x: fill(batch * inputDim),
        w: fill(hidden * inputDim),
        v: fill(inputDim * hidden),
        activation: 'erf' as const,
      };
      const f = compareTimes({
        reference: () => sets.reference.aeForward(args),
        openblas: () => sets.openblas.aeForward(args),
      });
      const b = compareTimes({
        reference: () => sets.reference.aeBackward(args),
        openblas: () => sets.openblas.aeBackward(args),
      });
      console.log(
        `ae B=${batch} D=${inputDim} K=${hidden} (B·D·K = ${batch * inputDim * hidden}): forward reference ${us(f.reference)}, openblas ${us(f.openblas)}; backward reference ${us(b.reference)}, openblas ${us(b.openblas)}`,
      );
    }
  }
  if (what === 'all' || what === 'sparse') {
    for (const size of [256, 512]) {
      const outputs = size >> 3;
      const x = new Float64Array(size * size);
      const nz = new Int32Array(size * size);
      const counts = new Int32Array(size);
      for (let s = 0; s < size; s++) {
        for (let j = 0; j < size; j++) {
          if (rng.uniform() < 0.05) {
            x[s * size + j] = rng.uniform();
            nz[s * size + counts[s]++] = j;
          }
        }
      }
      const base = { rows: size, cols: size, outputs, x, nz, counts };
      const w = fill(outputs * size);
      const g = fill(size * outputs);
      const e = compareTimes({
        reference: () => sets.reference.sparseEncode({ ...base, w }),
        wasm: () => sets.wasm.sparseEncode({ ...base, w }),
      });
      const gr = compareTimes({
        reference: () => sets.reference.sparseGradient({ ...base, g }),
        wasm: () => sets.wasm.sparseGradient({ ...base, g }),
      });
      console.log(
        `sparse ${size}×${size}, 5%: encode reference ${us(e.reference)}, wasm ${us(e.wasm)}; gradient reference ${us(gr.reference)}, wasm ${us(gr.wasm)}`,
      );
    }
  }
  if (what === 'all' || what === 'sparse' || what === 'crossover') {
    const dense = denseSparseKernels(sets.openblas.gemm);
    const ms = (s: number): string => (s * 1e3).toFixed(2);
    const batch = 1024;
    console.log(`sparse kernels, batch ${batch}, W transposed, values listed; ms per call, wasm vs dense (openblas)`);
    for (const [n, m] of [
      [128, 32],
      [512, 128],
      [512, 256],
      [1024, 128],
    ]) {
      for (const p of [0.05, 0.1, 0.15, 0.18, 0.2, 0.3, 0.4, 0.6]) {
        const nz = new Int32Array(batch * n);
        const values = new Float64Array(batch * n);
        const counts = new Int32Array(batch);
        for (let s = 0; s < batch; s++) {
          for (let j = 0; j < n; j++) {
            if (rng.uniform() < p) {
              nz[s * n + counts[s]] = j;
              values[s * n + counts[s]++] = rng.uniform();
            }
          }
        }
        const base = { rows: batch, cols: n, outputs: m, nz, counts, values };
        const enc = { ...base, w: fill(n * m), transW: true, out: new Float64Array(batch * m) };
        const grad = { ...base, g: fill(batch * m), out: new Float64Array(n * m) };
        const agree = (a: Float64Array, b: Float64Array): void => {
          if (!(maxRelativeDiff(a, b) <= 1e-12)) throw new Error(`dense and sparse disagree at n ${n}, m ${m}, p ${p}`);
        };
        agree(dense.sparseEncode({ ...enc, out: undefined }), sets.wasm.sparseEncode({ ...enc, out: undefined }));
        agree(dense.sparseGradient({ ...grad, out: undefined }), sets.wasm.sparseGradient({ ...grad, out: undefined }));
        const e = compareTimes({ wasm: () => sets.wasm.sparseEncode(enc), openblas: () => dense.sparseEncode(enc) });
        const g = compareTimes({
          wasm: () => sets.wasm.sparseGradient(grad),
          openblas: () => dense.sparseGradient(grad),
        });
        const sum = (e.openblas + g.openblas) / (e.wasm + g.wasm);
        console.log(
          `n=${n} m=${m} p=${p}: encode wasm ${ms(e.wasm)}, openblas ${ms(e.openblas)}; gradient wasm ${ms(g.wasm)}, openblas ${ms(g.openblas)}; both wasm ${ms(e.wasm + g.wasm)}, openblas ${ms(e.openblas + g.openblas)} (openblas/wasm ${sum.toFixed(2)})`,
        );
      }
    }
  }
  if (what === 'all' || what === 'sgd') {
    const steps = 20_000;
    for (const [dim, hidden] of [
      [100, 2],
      [500, 2],
      [1000, 8],
    ]) {
      const run = (ks: KernelSet) => (): void => {
        const r = createRng(3);
        const network = { hidden, dim, W: fill(hidden * dim), V: fill(hidden * dim) };
        const basis = new Float64Array(2 * dim);
        basis[0] = 1;
        basis[dim + 1] = 1;
        const stepper = ks.onlineSgdStepper({
          network,
          sampler: { kind: 'gaussian', directions: 2, basis, bulk: 1, amplitudes: Float64Array.of(2, 1.5) },
          rng: r,
          activation: 'erf',
          truncated: false,
          tied: false,
          tiedFull: true,
          trainBias: false,
          learningRate: 0.5,
        });
        for (let i = 0; i < steps; i++) stepper.step();
        stepper.finish();
      };
      const t = compareTimes({ reference: run(sets.reference), wasm: run(sets.wasm) });
      console.log(
        `onlineSgd D=${dim} K=${hidden}: reference ${(steps / t.reference / 1e3).toFixed(0)}k steps/s, wasm ${(steps / t.wasm / 1e3).toFixed(0)}k steps/s`,
      );
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main(process.argv[2] ?? 'all');
