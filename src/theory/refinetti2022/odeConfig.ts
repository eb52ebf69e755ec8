/**
 * The configuration of `aecheck ode` (a JSON file): spectrum, activation, rule, η, K, output times and the initial
 * condition. {@link odeConfigSchema} is the zod schema (documented field by field); {@link runOdeConfig} integrates it.
 */
import { z } from 'zod';
import { ValidationError } from '../../core/errors.ts';
import { createRng } from '../../core/rng.ts';
import { integrateOde, ODE_METHODS, type OdeMethod, type OdeTrajectory } from './integrateOde.ts';
import { lumpDirections } from './lumpDirections.ts';
import type { OdeState } from './odeState.ts';
import { randomOdeState } from './odeState.ts';
import { pcaErrors } from './pcaError.ts';
import { spikedSpectrum } from './spikedSpectrum.ts';

const explicitSpectrum = z
  .strictObject({
    dim: z.number().int().positive().describe('input dimension D'),
    values: z
      .array(z.number().min(0).finite())
      .min(1)
      .describe('eigenvalues ρ_τ of Ω, one per ODE direction (at most D); unlisted directions carry no weight'),
    traceOmegaOverD: z.number().finite().optional().describe('TrΩ/D over all D directions (default: Σ values / D)'),
  })
  .refine((s) => s.values.length <= s.dim, { message: 'at most D eigenvalues', path: ['values'] });

const spikedPreset = z.strictObject({
  preset: z
    .literal('spiked')
    .describe('M spikes κ_m D on a flat bulk ρ_bulk (paper eq. (3); docs/theory-refinetti2022.md (E4))'),
  dim: z.number().int().positive().describe('input dimension D'),
  spikes: z.array(z.number().positive().finite()).min(1).describe('κ_m = ρ_m/D, descending'),
  bulk: z.number().min(0).finite().default(1).describe('bulk eigenvalue ρ_bulk (default 1)'),
});

const customActivationSchema = z.strictObject({
  expression: z.string().min(1).describe("g(x) as a mathjs expression, e.g. 'tanh(x)'"),
  points: z.number().int().min(4).max(200).optional().describe('Gauss–Hermite points per dimension (default 40)'),
});

const logTimes = z.strictObject({
  from: z.number().positive().finite().describe('first positive output time'),
  to: z.number().positive().finite().describe('last output time'),
  count: z.number().int().min(2).max(10_000).describe('number of log-spaced times (t = 0 is added)'),
});

const initialBias = z
  .array(z.number().finite())
  .optional()
  .describe('effective encoder bias β_k = b_k/√D (K numbers); fixed unless trainBias');

const explicitInitial = z.strictObject({
  a: z.array(z.array(z.number().finite())).describe('a_τ^k = w^k·e_τ: K rows of n numbers'),
  b: z.array(z.array(z.number().finite())).describe('b_τ^k = v^k·e_τ/√D: K rows of n numbers'),
  bias: initialBias,
});

const randomInitial = z.strictObject({
  seed: z.number().int().min(0).max(0xffffffff).describe('seed of the initial weights'),
  scale: z.number().positive().finite().default(0.1).describe('std of every weight entry (default 0.1)'),
  bias: initialBias,
});

/** The `aecheck ode` configuration. */
export const odeConfigSchema = z.strictObject({
  spectrum: z
    .union([spikedPreset, explicitSpectrum], {
      error: 'a spectrum: { preset: "spiked", dim, spikes, bulk? } or { dim, values, traceOmegaOverD? }',
    })
    .describe('the input spectrum'),
  activation: z
    .union([z.enum(['linear', 'erf', 'relu']), customActivationSchema], {
      error: "'linear', 'erf', 'relu' or { expression: '…', points? }",
    })
    .describe("'linear', 'erf' (erf(x/√2)), 'relu', or { expression, points? }"),
  rule: z.enum(['vanilla', 'truncated']).default('vanilla').describe('SGD rule (default vanilla)'),
  learningRate: z.number().positive().finite().describe('η'),
  hidden: z.number().int().min(1).max(100).describe('hidden units K'),
  times: z
    .union([z.array(z.number().min(0).finite()).min(1), logTimes], {
      error: 'a non-empty list of times ≥ 0, or { from, to, count }',
    })
    .describe('output times (t = steps/D): a non-decreasing list, or { from, to, count } log-spaced'),
  initial: z
    .union([explicitInitial, randomInitial], { error: '{ a: K×n, b: K×n } or { seed, scale? }' })
    .describe('explicit projections { a, b } or { seed, scale }'),
  method: z
    .enum(ODE_METHODS)
    .optional()
    .describe(
      "integrator: 'auto' (default without trainBias: Dormand–Prince 5(4), then RODAS4 once the step is limited by " +
        "stability), 'adaptive' (default with trainBias: Dormand–Prince 5(4) throughout), 'rosenbrock' (RODAS4 " +
        "throughout) or 'rk4' (fixed step); 'auto' and 'rosenbrock' do not train a bias",
    ),
  tolerance: z
    .number()
    .positive()
    .max(1e-2)
    .default(1e-8)
    .describe('per-step tolerance (atol = rtol) of adaptive and rosenbrock (default 1e-8)'),
  step: z
    .number()
    .positive()
    .finite()
    .optional()
    .describe('RK4 step (default 0.01); adaptive, rosenbrock: first trial step'),
  trainBias: z
    .boolean()
    .default(false)
    .describe('train an encoder bias β = b/√D from initial.bias or 0 (any activation, ReLU included)'),
});
/** A parsed configuration. */
export type OdeConfig = z.infer<typeof odeConfigSchema>;

/** The trajectory of a configuration, with ε_PCA(m) for m = 0..min(K, n). */
export interface OdeConfigResult {
  dim: number;
  values: Float64Array;
  pcaErrors: number[];
  trajectory: OdeTrajectory;
}

/**
 * The integrator when the configuration names none: 'auto' (Dormand–Prince, RODAS4 once stability-limited: never slower
 * in the benchmark, 3.8× less CPU for erf to t = 10⁴, see docs/refinetti2022-theory.md), or 'adaptive' with a trained
 * bias (which the stiff integrator does not handle).
 */
export function defaultOdeMethod(trainBias: boolean): OdeMethod {
  return trainBias ? 'adaptive' : 'auto';
}

/** Integrates a parsed configuration. */
export function runOdeConfig(config: OdeConfig): OdeConfigResult {
  const spec = config.spectrum;
  const spectrum =
    'preset' in spec
      ? spikedSpectrum({ dim: spec.dim, spikes: spec.spikes, bulk: spec.bulk })
      : { dim: spec.dim, values: Float64Array.from(spec.values) };
  const traceOmegaOverD = 'preset' in spec ? undefined : spec.traceOmegaOverD;
  const n = spectrum.values.length;
  const K = config.hidden;
  let initial: OdeState;
  if ('seed' in config.initial) {
    initial = randomOdeState({
      hidden: K,
      inputDim: spectrum.dim,
      directions: n,
      initialScale: config.initial.scale,
      rng: createRng(config.initial.seed),
    });
  } else {
    const a = new Float64Array(K * n);
    const b = new Float64Array(K * n);
    for (const [key, rows, out] of [
      ['a', config.initial.a, a],
      ['b', config.initial.b, b],
    ] as const) {
      if (rows.length !== K || rows.some((r) => r.length !== n)) {
        throw new ValidationError({
          field: `config.initial.${key}`,
          received: `${rows.length} rows of lengths ${[...new Set(rows.map((r) => r.length))].join('/')}`,
          expected: `K = ${K} rows of n = ${n} numbers (one per spectrum direction)`,
          hint: 'or give { "seed": 1, "scale": 0.1 } for random initial weights',
        });
      }
      rows.forEach((row, k) => {
        out.set(row, k * n);
      });
    }
    initial = { hidden: K, directions: n, a, b };
  }
  const bias = config.initial.bias;
  if (bias !== undefined) {
    if (bias.length !== K) {
      throw new ValidationError({
        field: 'config.initial.bias',
        received: `${bias.length} numbers`,
        expected: `K = ${K} numbers`,
      });
    }
    initial.bias = Float64Array.from(bias);
  }
  const times = Array.isArray(config.times)
    ? config.times
    : [
        0,
        ...Array.from({ length: config.times.count }, (_, i) => {
          const { from, to, count } = config.times as { from: number; to: number; count: number };
          return from * (to / from) ** (i / (count - 1));
        }),
      ];
  if (!Array.isArray(config.times) && config.times.to <= config.times.from) {
    throw new ValidationError({
      field: 'config.times.to',
      received: config.times.to,
      expected: `a time > from = ${config.times.from}`,
    });
  }
  // The spiked preset's flat bulk is lumped into ≤ 2K representative directions: exact (lumpDirections.ts), and
  // D/(M + 2K) times faster. TrΩ/D is taken from the full spectrum.
  const lumped = 'preset' in spec ? lumpDirections({ state: initial, spectrum }) : undefined;
  const trajectory = integrateOde({
    spectrum: lumped?.spectrum ?? spectrum,
    activation: config.activation,
    rule: config.rule,
    learningRate: config.learningRate,
    initial: lumped?.state ?? initial,
    times,
    method: config.method ?? defaultOdeMethod(config.trainBias),
    tolerance: config.tolerance,
    step: config.step,
    traceOmegaOverD: traceOmegaOverD ?? sum(spectrum.values) / spectrum.dim,
    trainBias: config.trainBias,
  });
  const pca: number[] = [];
  const all = pcaErrors(spectrum, Math.min(K, n));
  for (const p of all)
    pca.push(traceOmegaOverD === undefined ? p : p + 0.5 * (traceOmegaOverD - sum(spectrum.values) / spectrum.dim));
  return { dim: spectrum.dim, values: spectrum.values, pcaErrors: pca, trajectory };
}

function sum(v: Float64Array): number {
  let s = 0;
  for (const x of v) s += x;
  return s;
}
