/**
 * What `auto`'s dense route for the sparse kernels (src/kernels/autoRule.ts: X scattered into a dense scratch and one
 * OpenBLAS GEMM from density SPARSE_DENSE_MIN) saves in the toy-model trainer at the densities the Persian Rug claims
 * train at (docs/kernels.md): `trainToyModel` on the `auto` set against the same set with wasm's sparse kernels spliced
 * in (the rule before the route), the same seed, alternating rounds in one process. Reports CPU time (this process:
 * OpenBLAS runs on one thread) and wall time per training, the fastest round of each side, and the final held-out loss
 * of both (the two differ only by rounding).
 *
 * Usage: AECHECK_THREADS=1 npx tsx benchmarks/persianrug2024/sparseRouteTrain.ts [--rounds 3]
 */
import { parseArgs } from 'node:util';
import { createRng } from '../../src/core/rng.ts';
import { SPARSE_DENSE_MIN } from '../../src/kernels/autoRule.ts';
import type { KernelSet } from '../../src/kernels/kernelSpecs.ts';
import { openblasLibrary } from '../../src/kernels/openblas/openblasLibrary.ts';
import { getKernelSet } from '../../src/kernels/registry.ts';
import { trainToyModel } from '../../src/sim/persianrug2024/trainToyModel.ts';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const rounds = Number(args.rounds);
openblasLibrary().setThreads(1);

const auto = await getKernelSet('auto');
const wasm = await getKernelSet('wasm');
/** `auto` as it was before the dense route: every sparse call on wasm. */
const before: KernelSet = { ...auto, sparseEncode: wasm.sparseEncode, sparseGradient: wasm.sparseGradient };

/** The trained-near-optimum and loss-curves shapes (docs/kernels.md, "Where paper scale's time goes"). */
const CASES = [
  { n: 512, m: 128, p: 0.5, steps: 200 },
  { n: 512, m: 256, p: 0.4, steps: 100 },
] as const;

interface Timing {
  cpu: number;
  wall: number;
  loss: number;
}

function time(kernels: KernelSet, c: (typeof CASES)[number]): Timing {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const trained = trainToyModel({ ...c, rng: createRng(11), kernels });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { cpu: (cpu.user + cpu.system) / 1e6, wall, loss: trained.heldOutLoss[trained.heldOutLoss.length - 1] };
}

console.log(
  `trainToyModel, batch 1024, auto with the dense route (density ≥ ${SPARSE_DENSE_MIN}) vs auto with wasm's sparse kernels; ` +
    `1 OpenBLAS thread, OPENBLAS_CORETYPE=${process.env.OPENBLAS_CORETYPE ?? '(unset)'}, ${rounds} alternating rounds`,
);
for (const c of CASES) {
  const sides: Record<'before' | 'after', Timing[]> = { before: [], after: [] };
  for (let r = 0; r < rounds; r++) {
    // Alternate which side goes first, so that drifting load hits both alike.
    const order = r % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const);
    for (const side of order) {
      const t = time(side === 'before' ? before : auto, c);
      sides[side].push(t);
      console.log(
        `  n=${c.n} m=${c.m} p=${c.p} ${c.steps} steps, round ${r + 1}, ${side}: CPU ${t.cpu.toFixed(2)} s, wall ${t.wall.toFixed(2)} s, held-out loss ${t.loss.toPrecision(8)}`,
      );
    }
  }
  const best = (ts: Timing[], k: 'cpu' | 'wall'): number => Math.min(...ts.map((t) => t[k]));
  const b = { cpu: best(sides.before, 'cpu'), wall: best(sides.before, 'wall') };
  const a = { cpu: best(sides.after, 'cpu'), wall: best(sides.after, 'wall') };
  console.log(
    `n=${c.n} m=${c.m} p=${c.p}, ${c.steps} steps (fastest round): before CPU ${b.cpu.toFixed(2)} s, wall ${b.wall.toFixed(2)} s; ` +
      `after CPU ${a.cpu.toFixed(2)} s, wall ${a.wall.toFixed(2)} s; after/before CPU ${(a.cpu / b.cpu).toFixed(2)}, wall ${(a.wall / b.wall).toFixed(2)}; ` +
      `route ${auto.route('sparseEncode', { rows: 1024, cols: c.n, outputs: c.m, counts: new Int32Array(1024).fill(Math.round(c.p * c.n)) })}`,
  );
}
