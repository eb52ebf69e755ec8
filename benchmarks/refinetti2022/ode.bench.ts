/**
 * Speed of the refinetti2022 ODE (vector form): 500 directions, K = 5, integrated to t = 10⁴ at tolerance 1e-8, with
 * the explicit adaptive Dormand–Prince 5(4) method ('adaptive') beside the stiff integrators ('rosenbrock': RODAS4
 * with the exact structured Jacobian; 'auto': Dormand–Prince until its step is limited by stability, then RODAS4),
 * for linear / erf / ReLU and the vanilla / truncated rules, in one run. Target (issue 12): erf, vanilla, under 1 s.
 * Spectrum: the "random, M = 5, standardised" case (κ = 0.7175, 0.2051, 0.0555, 0.0150, 0.0062, bulk ρ ≈ 6.7e-4),
 * η = 0.4, initial weights N(0, 0.1²).
 *
 * The methods of one case run interleaved (repeat r runs every method once), so that a change in the machine's load
 * hits all of them alike; wall-clock and CPU time (process.cpuUsage: less sensitive to other processes) are both
 * printed, medians over the repeats. ε(10⁴) of every method is printed beside the adaptive one's (they agree to
 * about the tolerance).
 *
 * Every repeat's wall time is kept as a sample (the interleaving is why this benchmark times with performance.now
 * rather than tinybench, which runs one task's iterations back to back): `--json` gives the medians with their spread
 * and the run's metadata, and `--save`/`--compare` guard against regressions as `aecheck bench` does (docs/ci.md).
 *
 * Run: npm run bench:refinetti2022-ode [-- --quick] [--json] [--save FILE] [--compare FILE [--fail-above 10%]]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { type BenchCase, benchCase } from '../../src/bench/benchFile.ts';
import { finishPaperBench, GUARD_ARGS, planPaperGuard } from '../../src/bench/paperBench.ts';
import { createRng } from '../../src/core/rng.ts';
import { integrateOde, type OdeMethod, type OdeTrajectory } from '../../src/theory/refinetti2022/integrateOde.ts';
import { randomOdeState } from '../../src/theory/refinetti2022/odeState.ts';
import { spikedSpectrum } from '../../src/theory/refinetti2022/spikedSpectrum.ts';

/** Input dimension = number of directions. */
const DIM = 500;
const HIDDEN = 5;
const HORIZON = 1e4;
const TOLERANCE = 1e-8;
const LEARNING_RATE = 0.4;
/** Target from issue 12: under 1 s for erf, vanilla. */
const TARGET_MS = 1000;
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    ...GUARD_ARGS,
  },
});
const plan = planPaperGuard(values, values.json);
const REPEATS = values.quick ? 1 : 3;
const METHODS: readonly OdeMethod[] = ['adaptive', 'rosenbrock', 'auto'];

// The bulk is spread over [0.5, 1.5]·6.7e-4 so that no two directions share an eigenvalue: every one of the 500
// directions is integrated on its own (no lumping of degenerate directions).
const spectrum = spikedSpectrum({ dim: DIM, spikes: [0.7175, 0.2051, 0.0555, 0.015, 0.0062], bulk: 6.7e-4 });
for (let i = 5; i < DIM; i++) spectrum.values[i] = 6.7e-4 * (1.5 - (i - 5) / (DIM - 5));
const initial = randomOdeState({
  hidden: HIDDEN,
  inputDim: DIM,
  directions: DIM,
  initialScale: 0.1,
  rng: createRng(1),
});

// Warm-up: let the JIT compile the right-hand side and the integrators before timing.
for (const activation of ['erf', 'linear', 'relu'] as const) {
  for (const method of METHODS) {
    integrateOde({
      spectrum,
      activation,
      rule: 'vanilla',
      learningRate: LEARNING_RATE,
      initial,
      times: [0, 100],
      method,
    });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}

const loadAtStart = loadavg()[0];
const cases: BenchCase[] = [];
const measured: Record<string, string | number | null>[] = [];
const rows: string[] = [
  'activation rule       method        wall ms  CPU ms   steps  rejected  RHS evals  Jacobians  ε(10⁴)       |Δε| vs adaptive',
];
let best = { ms: Number.POSITIVE_INFINITY, method: '' };
for (const activation of ['erf', 'linear', 'relu'] as const) {
  for (const rule of ['vanilla', 'truncated'] as const) {
    const wall = new Map<OdeMethod, number[]>(METHODS.map((m) => [m, []]));
    const cpu = new Map<OdeMethod, number[]>(METHODS.map((m) => [m, []]));
    const results = new Map<OdeMethod, OdeTrajectory>();
    for (let r = 0; r < REPEATS; r++) {
      for (const method of METHODS) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const result = integrateOde({
          spectrum,
          activation,
          rule,
          learningRate: LEARNING_RATE,
          initial,
          times: [0, HORIZON],
          tolerance: TOLERANCE,
          method,
        });
        wall.get(method)?.push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        cpu.get(method)?.push((c.user + c.system) / 1000);
        results.set(method, result);
      }
    }
    const reference = results.get('adaptive')?.error[1] ?? Number.NaN;
    for (const method of METHODS) {
      const result = results.get(method);
      if (!result) continue;
      const s = result.stats;
      const w = median(wall.get(method) ?? []);
      const c = benchCase(
        `${activation}/${rule}/${method}`,
        (wall.get(method) ?? []).map((ms) => ms / 1000),
        { activation, rule, method, steps: s.steps },
      );
      cases.push(c);
      measured.push({
        activation,
        rule,
        method,
        wallMs: Number(w.toFixed(1)),
        iqrMs: Number((c.iqr * 1000).toFixed(1)),
        cpuMs: Number(median(cpu.get(method) ?? []).toFixed(1)),
        steps: s.steps,
        rejected: s.rejected,
        evaluations: s.evaluations,
        jacobians: s.jacobians ?? null,
        error: result.error[1],
        differenceFromAdaptive: Math.abs(result.error[1] - reference),
      });
      if (activation === 'erf' && rule === 'vanilla' && method !== 'adaptive' && w < best.ms) best = { ms: w, method };
      rows.push(
        [
          activation.padEnd(10),
          rule.padEnd(10),
          method.padEnd(12),
          w.toFixed(0).padStart(8),
          median(cpu.get(method) ?? [])
            .toFixed(0)
            .padStart(7),
          String(s.steps).padStart(7),
          String(s.rejected).padStart(9),
          String(s.evaluations).padStart(10),
          String(s.jacobians ?? '–').padStart(10),
          ` ${result.error[1].toExponential(6)}`,
          ` ${Math.abs(result.error[1] - reference).toExponential(1)}${s.switchedAt === undefined ? '' : `  (RODAS4 from t = ${s.switchedAt.toPrecision(3)})`}`,
        ].join(' '),
      );
    }
  }
}
await finishPaperBench({
  benchmark: 'refinetti2022-ode',
  plan,
  cases,
  options: { repeats: REPEATS, dim: DIM, hidden: HIDDEN, horizon: HORIZON, tolerance: TOLERANCE },
  baselineThreads: [],
  json: values.json,
  payload: {
    loadAverage: { start: loadAtStart, end: loadavg()[0] },
    results: measured,
    target: { ms: TARGET_MS, best: best.method, bestMs: best.ms, met: best.ms < TARGET_MS },
  },
  text:
    `load average at start: ${loadAtStart.toFixed(2)} (the wall-clock timings scale with contention)\n` +
    `refinetti2022 ODE, vector form, n = ${DIM} directions, K = ${HIDDEN}, t = 0 → ${HORIZON}, tolerance ${TOLERANCE} (median of ${REPEATS}, methods interleaved)\n${rows.join('\n')}\n` +
    `erf, vanilla, best stiff method (${best.method}): ${best.ms.toFixed(0)} ms wall against the ${TARGET_MS} ms target: ${best.ms < TARGET_MS ? 'met' : 'NOT met'}\n` +
    `load average at end: ${loadavg()[0].toFixed(2)}`,
});
