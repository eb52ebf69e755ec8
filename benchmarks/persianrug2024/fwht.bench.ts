/**
 * The Persian rug's forward pass Wx at n = 8192: two fast Walsh–Hadamard transforms (O(n log n)) against the dense
 * product with the same W (O(n²)), measured side by side with tinybench after checking that both agree.
 *
 * Both are timed with tinybench (every iteration's time kept); `--json` gives the medians, their spread and the run's
 * metadata, and `--save`/`--compare` guard against regressions as `aecheck bench` does (docs/ci.md).
 *
 * Usage: npx tsx benchmarks/persianrug2024/fwht.bench.ts [--n 8192] [--ratio 0.25] [--time 500] [--json]
 *        [--save FILE] [--compare FILE [--fail-above 10%] [--current FILE]]
 */
import { parseArgs } from 'node:util';
import { benchCase } from '../../src/bench/benchFile.ts';
import { finishPaperBench, GUARD_ARGS, planPaperGuard, tinybenchSamples } from '../../src/bench/paperBench.ts';
import { createRng } from '../../src/core/rng.ts';
import { createPersianRug, persianRugApply } from '../../src/sim/persianrug2024/hadamard.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '8192' },
    ratio: { type: 'string', default: '0.25' },
    time: { type: 'string', default: '500' },
    json: { type: 'boolean', default: false },
    ...GUARD_ARGS,
  },
});
const plan = planPaperGuard(values, values.json);
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
const timeMs = Number(values.time);
const fast = benchCase(
  `fwht/n${n}-m${m}`,
  await tinybenchSamples('FWHT', () => persianRugApply(rug, x, yFast), { timeMs }),
  {
    n,
    m,
  },
);
const slow = benchCase(`dense/n${n}-m${m}`, await tinybenchSamples('dense W·x', dense, { timeMs }), { n, m });
const ms = (c: typeof fast) => c.median * 1e3;
const spread = (c: typeof fast) => `±${((50 * c.iqr) / c.median).toFixed(0)}%`;
await finishPaperBench({
  benchmark: 'persianrug2024-fwht',
  plan,
  cases: [fast, slow],
  options: { n, m, timeMs },
  baselineThreads: [],
  json: values.json,
  payload: { n, m, maxDifference: maxDiff, fwhtMs: ms(fast), denseMs: ms(slow), speedup: ms(slow) / ms(fast) },
  text: [
    `Persian rug forward pass, n = ${n}, m = ${m} (results agree to ${maxDiff.toExponential(1)}; tinybench medians, ± half the IQR):`,
    `  FWHT   ${ms(fast).toFixed(3)} ms ${spread(fast)}`,
    `  dense  ${ms(slow).toFixed(3)} ms ${spread(slow)}`,
    `  ratio  ${(ms(slow) / ms(fast)).toFixed(0)}× (FWHT faster)`,
  ].join('\n'),
});
