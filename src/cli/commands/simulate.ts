/**
 * `aecheck simulate --config FILE [--json] [--seed N] [--steps N]`: online SGD for the Refinetti & Goldt 2022
 * autoencoder on the configuration of `aecheck ode` (same zod schema, extended with `seed`, `steps`, `tied`,
 * `tiedGradient`, `bias`), printing ε(t) and Q, R, T, T0 measured from the weights at each output time, next to the ODE.
 *
 * Ω is taken diagonal (e_τ = the τ-th coordinate vector; the theory depends only on the spectrum): the spiked preset
 * becomes M coordinate spikes κ_m D on a flat bulk (sampling O(D·M)); an explicit spectrum lists n ≤ D eigenvalues, the
 * other D − n directions carrying zero variance. Initial weights: explicit projections {a, b} give W[k, τ] = a_τ^k,
 * V[k, τ] = √D b_τ^k exactly (so SGD and `aecheck ode` start from the same state); {seed, scale} draws every weight
 * entry i.i.d. N(0, scale²) (the same distribution as the ODE's random projections, not the same numbers).
 */
import Table from 'cli-table3';
import { colourAllowed, tableHead, tableStyle } from '../colour.ts';
import type { Command } from 'commander';
import { z } from 'zod';
import { ValidationError } from '../../core/errors.ts';
import { readJsonFile } from '../../core/readJsonFile.ts';
import { createRng } from '../../core/rng.ts';
import { createGaussianSource, sampleGaussianSource } from '../../data/gaussianSource.ts';
import { getKernelSet } from '../../kernels/registry.ts';
import { onlineSgd } from '../../sim/refinetti2022/onlineSgd.ts';
import { type AutoencoderWeights, initialWeights, projectWeights } from '../../sim/refinetti2022/weights.ts';
import { asciiPlot } from '../../report/asciiPlot.ts';
import { integrateOde } from '../../theory/refinetti2022/integrateOde.ts';
import { odeConfigSchema } from '../../theory/refinetti2022/odeConfig.ts';
import { handleError } from '../handleError.ts';
import { parseOptions, positiveIntFlag, seedFlag } from '../options.ts';

/** The simulate configuration: `aecheck ode`'s plus the SGD fields. */
export const simulateConfigSchema = odeConfigSchema.extend({
  seed: z.number().int().min(0).max(0xffffffff).default(0).describe('seed of the SGD samples (default 0)'),
  steps: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('total SGD steps; output times beyond steps/D are dropped and t = steps/D is added (default: last time)'),
  tied: z.boolean().default(false).describe('tied weights v ≡ w (no ODE; default false)'),
  tiedGradient: z.enum(['full', 'encoderPath']).default('full').describe("tied gradient (default 'full')"),
  bias: z.boolean().default(false).describe('train an encoder bias (no ODE; ε then from a 10⁴-sample test set)'),
});

const simulateOptionsSchema = z.strictObject({
  config: z.string().min(1),
  json: z.boolean().default(false),
  // Digits only: z.coerce accepted "1e3" and "0x10" as numbers, and gave zod's wording ("received NaN") for the rest.
  seed: seedFlag.optional(),
  steps: positiveIntFlag(Number.MAX_SAFE_INTEGER).optional(),
  plots: z.boolean().default(true),
});

/** Test samples for the biased network's ε (the authors' test_bs). */
const BIAS_TEST_SAMPLES = 10_000;

function rows(m: Float64Array, K: number): number[][] {
  return Array.from({ length: K }, (_, k) => Array.from(m.subarray(k * K, (k + 1) * K)));
}

function fmt(m: Float64Array, K: number): string {
  return rows(m, K)
    .map((r) => r.map((v) => v.toPrecision(4)).join(' '))
    .join('\n');
}

/** `aecheck simulate`. */
export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description(
      'online SGD for the Refinetti & Goldt 2022 autoencoder on an `aecheck ode` config; prints ε(t) and Q, R, T, T0',
    )
    .requiredOption('--config <file>', 'JSON configuration (the ode config plus seed, steps, tied, bias)')
    .option('--json', 'print JSON')
    .option('--seed <n>', 'override the config seed of the SGD samples')
    .option('--steps <n>', 'override the config number of SGD steps')
    .option('--no-plots', 'do not draw the ASCII plot of ε(t)')
    .action(async (raw) => {
      try {
        const opts = parseOptions(simulateOptionsSchema, raw);
        const config = parseOptions(
          simulateConfigSchema,
          readJsonFile('--config', opts.config, 'fixtures/refinetti2022/simulate-example.json'),
          (k) => (k ? `config.${k}` : 'config'),
        );
        if (typeof config.activation !== 'string') {
          throw new ValidationError({
            field: 'config.activation',
            received: config.activation,
            expected: "'linear', 'erf' or 'relu' for the simulator",
            hint: 'custom expressions are supported by `aecheck ode` only',
          });
        }
        const activation = config.activation;
        const K = config.hidden;
        const spec = config.spectrum;
        const D = spec.dim;
        // Diagonal Ω: the spiked preset lists its M spikes (bulk flat), an explicit spectrum lists n values (rest 0).
        const listed = 'preset' in spec ? spec.spikes.map((k) => k * D) : spec.values;
        const bulk = 'preset' in spec ? spec.bulk : 0;
        const n = listed.length;
        const basis = new Float64Array(n * D);
        for (let t = 0; t < n; t++) basis[t * D + t] = 1;
        const source = createGaussianSource({
          dim: D,
          values: Float64Array.from(listed),
          basis,
          bulk,
          label: 'config spectrum',
        });
        const seed = opts.seed ?? config.seed;
        const rng = createRng(seed);
        let weights: AutoencoderWeights;
        if ('seed' in config.initial) {
          weights = initialWeights({
            hidden: K,
            dim: D,
            initialScale: config.initial.scale,
            rng: createRng(config.initial.seed),
            bias: config.bias,
          });
        } else {
          const { a, b } = config.initial;
          if (a.length !== K || b.length !== K || [...a, ...b].some((r) => r.length !== n)) {
            throw new ValidationError({
              field: 'config.initial',
              received: 'a/b of the wrong shape',
              expected: `K = ${K} rows of n = ${n} numbers`,
            });
          }
          const W = new Float64Array(K * D);
          const V = new Float64Array(K * D);
          for (let k = 0; k < K; k++) {
            for (let t = 0; t < n; t++) {
              W[k * D + t] = a[k][t];
              V[k * D + t] = Math.sqrt(D) * b[k][t];
            }
          }
          weights = { hidden: K, dim: D, W, V };
          if (config.bias) weights.bias = new Float64Array(K);
        }
        let times = Array.isArray(config.times)
          ? [...config.times]
          : [
              0,
              ...Array.from({ length: config.times.count }, (_, i) => {
                const { from, to, count } = config.times as { from: number; to: number; count: number };
                return from * (to / from) ** (i / (count - 1));
              }),
            ];
        const steps = opts.steps ?? config.steps;
        if (steps !== undefined) times = [...times.filter((t) => t < steps / D), steps / D];
        let testSet: Float64Array | undefined;
        if (config.bias) {
          testSet = new Float64Array(BIAS_TEST_SAMPLES * D);
          const x = new Float64Array(D);
          const z2 = new Float64Array(Math.max(1, n));
          const testRng = rng.fork('test');
          for (let i = 0; i < BIAS_TEST_SAMPLES; i++) {
            sampleGaussianSource(source, testRng, x, z2);
            testSet.set(x, i * D);
          }
        }
        const kernels = await getKernelSet('reference');
        const sgd = onlineSgd({
          kernels,
          source,
          activation,
          rule: config.rule,
          tied: config.tied,
          tiedGradient: config.tiedGradient,
          learningRate: config.learningRate,
          initial: weights,
          times,
          rng: rng.fork('samples'),
          ...(testSet ? { testSet } : {}),
        });
        let odeError: number[] | undefined;
        if (!config.tied && !config.bias) {
          const p = projectWeights(weights, source);
          odeError = integrateOde({
            spectrum: p.spectrum,
            activation,
            rule: config.rule,
            learningRate: config.learningRate,
            initial: p.state,
            times,
            traceOmegaOverD: p.traceOmegaOverD,
            method: config.method,
            tolerance: config.tolerance,
          }).error;
        }
        if (opts.json) {
          const out = {
            config,
            seed,
            steps: sgd.steps,
            times: sgd.times,
            error: sgd.error,
            errorKind: sgd.errorKind,
            odeError: odeError ?? null,
            orderParameters: sgd.orderParameters.map((op) => ({
              Q: rows(op.Q, K),
              R: rows(op.R, K),
              T: rows(op.T, K),
              T0: rows(op.T0, K),
            })),
            bias: sgd.weights.bias ? Array.from(sgd.weights.bias) : null,
          };
          process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
          return;
        }
        const table = new Table({
          head: tableHead(['t', 'ε (SGD)', 'ε (ODE)', 'Q', 'R', 'T', 'T0']),
          style: tableStyle(),
        });
        sgd.times.forEach((t, i) => {
          const op = sgd.orderParameters[i];
          table.push([
            t.toPrecision(4),
            sgd.error[i].toPrecision(6),
            odeError ? odeError[i].toPrecision(6) : '—',
            op ? fmt(op.Q, K) : '',
            op ? fmt(op.R, K) : '',
            op ? fmt(op.T, K) : '',
            op ? fmt(op.T0, K) : '',
          ]);
        });
        process.stdout.write(
          `${table.toString()}\n${sgd.steps} SGD steps (D = ${D}, seed ${seed}); ε: ${sgd.errorKind}\n`,
        );
        const plot =
          opts.plots && sgd.times.length >= 2
            ? asciiPlot(
                {
                  kind: 'line',
                  id: 'eps',
                  title: `ε(t): online SGD${odeError ? ' against the ODE' : ''}`,
                  x: { label: 't = steps / D' },
                  y: { label: 'ε', log: true },
                  series: [
                    ...(odeError ? [{ name: 'ODE', x: sgd.times, y: odeError }] : []),
                    { name: 'SGD', x: sgd.times, y: sgd.error, style: 'points' as const },
                  ],
                },
                { colour: colourAllowed() },
              )
            : undefined;
        if (plot) process.stdout.write(`\n${plot}\n`);
      } catch (e) {
        handleError(e);
      }
    });
}
