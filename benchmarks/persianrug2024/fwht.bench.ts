/**
 * The Persian rug's forward pass Wx at n = 8192: two fast Walsh–Hadamard transforms (O(n log n)) against the dense
 * product with the same W (O(n²)), measured side by side with tinybench after checking that both agree.
 *
 * Usage: npx tsx benchmarks/persianrug2024/fwht.bench.ts [--n 8192] [--ratio 0.25]
 */
import { parseArgs } from 'node:util';
import { Bench } from 'tinybench';
import { createRng } from '../../src/core/rng.ts';
import { createPersianRug, persianRugApply } from '../../src/sim/persianrug2024/hadamard.ts';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '8192' }, ratio: { type: 'string', default: '0.25' } },
});
const n = Number(values.n);
const m = Math.max(1, Math.round(Number(values.ratio) * n));
const rng = createRng(0);
const rug = createPersianRug(n, m, rng);
// Dense W, column by column through the same transform (W is symmetric, so columns are rows).
const w = new Float64Array(n * n);
const e = new Float64Array(n);
const col = new Float64Array(n);
for (let j = 0; j < n; j++) {
  e.fill(0);
  e[j] = 1;
  persianRugApply(rug, e, col);
  w.set(col, j * n);
}
const x = new Float64Array(n);
rng.fillNormal(x);
const yFast = new Float64Array(n);
const yDense = new Float64Array(n);
const dense = () => {
  for (let i = 0; i < n; i++) {
    let s = 0;
    const o = i * n;
    for (let j = 0; j < n; j++) s += w[o + j] * x[j];
    yDense[i] = s;
  }
};
persianRugApply(rug, x, yFast);
dense();
let maxDiff = 0;
for (let i = 0; i < n; i++) maxDiff = Math.max(maxDiff, Math.abs(yFast[i] - yDense[i]));
const bench = new Bench({ time: 500 });
bench.add('FWHT (two transforms)', () => persianRugApply(rug, x, yFast));
bench.add('dense W·x', dense);
await bench.run();
const ms = bench.tasks.map((t) => (t.result as unknown as { latency: { p50: number } }).latency.p50);
process.stdout.write(`Persian rug forward pass, n = ${n}, m = ${m} (results agree to ${maxDiff.toExponential(1)}):\n`);
process.stdout.write(
  `  FWHT   ${ms[0].toFixed(3)} ms\n  dense  ${ms[1].toFixed(3)} ms\n  ratio  ${(ms[1] / ms[0]).toFixed(0)}× (FWHT faster)\n`,
);
