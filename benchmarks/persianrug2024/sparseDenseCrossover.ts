/**
 * Where the toy model's sparse encoder stops paying (docs/kernels.md, "Where paper scale's time goes"): for a batch of
 * 1024 samples at n = 512 and p ∈ {0.05, 0.1, 0.2, 0.4}, the encoder h = X W_inᵀ and its gradient Xᵀ G as wasm's
 * sparse kernels against two dense GEMMs (the `--backend` set's `gemm`: OpenBLAS in `auto`, with the dense X built
 * from the nonzeros first), measured side by side in one process after checking that both give the same h and Xᵀ G
 * (relative 1e-12). Prints the fastest of 3 rounds × 7 repetitions (each of 3 calls) per variant, in ms per call.
 * (`auto`'s own sparse kernels now take the dense route from p = 0.2, so the sparse side is wasm's, named: this is
 * the measurement that route was built from; `src/kernels/measureAutoRule.ts crossover` is the one its threshold
 * rests on.)
 *
 * Usage: npx tsx benchmarks/persianrug2024/sparseDenseCrossover.ts [--backend auto]
 */
import { parseArgs } from 'node:util';
import { createRng } from '../../src/core/rng.ts';
import { maxRelativeDiff } from '../../src/core/tolerance.ts';
import { getKernelSet } from '../../src/kernels/registry.ts';

const { values: args } = parseArgs({ options: { backend: { type: 'string', default: 'auto' } } });
const k = await getKernelSet(args.backend as 'auto');
const wasm = await getKernelSet('wasm');
const batch = 1024;
const n = 512;
const rng = createRng(1);

function fastest(f: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    f();
    f();
    f();
    best = Math.min(best, (performance.now() - t0) / 3);
  }
  return best;
}

console.log(
  `sparse: wasm, dense: ${k.backend}'s gemm, batch ${batch}, n ${n}; ms per call (encoder + its gradient), fastest of 21`,
);
for (const m of [128, 256]) {
  for (const p of [0.05, 0.1, 0.2, 0.4]) {
    const x = new Float64Array(batch * n);
    const nz = new Int32Array(batch * n);
    const counts = new Int32Array(batch);
    const vals = new Float64Array(batch * n);
    for (let r = 0; r < batch; r++) {
      let c = 0;
      for (let j = 0; j < n; j++) {
        if (rng.uniform() < p) {
          const v = rng.uniform();
          nz[r * n + c] = j;
          vals[r * n + c] = v;
          c++;
        }
      }
      counts[r] = c;
    }
    const wT = new Float64Array(n * m).map(() => rng.uniform() - 0.5);
    const g = new Float64Array(batch * m).map(() => rng.uniform() - 0.5);
    const hS = new Float64Array(batch * m);
    const gS = new Float64Array(n * m);
    const hD = new Float64Array(batch * m);
    const gD = new Float64Array(n * m);
    const sparse = () => {
      wasm.sparseEncode({ rows: batch, cols: n, outputs: m, nz, counts, values: vals, w: wT, transW: true, out: hS });
      wasm.sparseGradient({ rows: batch, cols: n, outputs: m, nz, counts, values: vals, g, out: gS });
    };
    const dense = () => {
      x.fill(0);
      for (let r = 0; r < batch; r++) for (let c = 0; c < counts[r]; c++) x[r * n + nz[r * n + c]] = vals[r * n + c];
      k.gemm({ m: batch, n: m, k: n, a: x, b: wT, out: hD });
      k.gemm({ m: n, n: m, k: batch, a: x, b: g, transA: true, out: gD });
    };
    sparse();
    dense();
    const agree = Math.max(maxRelativeDiff(hS, hD), maxRelativeDiff(gS, gD));
    if (!(agree <= 1e-12)) throw new Error(`sparse and dense disagree at m = ${m}, p = ${p}: ${agree}`);
    const ts: number[] = [];
    const td: number[] = [];
    for (let round = 0; round < 3; round++) {
      ts.push(fastest(sparse));
      td.push(fastest(dense));
    }
    const s = Math.min(...ts);
    const d = Math.min(...td);
    console.log(
      `m = ${m}, p = ${p}: sparse ${s.toFixed(2)} ms, dense ${d.toFixed(2)} ms (dense/sparse ${(d / s).toFixed(2)})`,
    );
  }
}
