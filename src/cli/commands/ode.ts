/**
 * `aecheck ode --config FILE [--json]`: integrates the Refinetti & Goldt 2022 ODEs (vector form) for a configuration
 * file and prints ε(t) and the order parameters Q, R, T, T0 at every output time.
 */
import Table from 'cli-table3';
import { tableHead, tableStyle } from '../colour.ts';
import type { Command } from 'commander';
import { z } from 'zod';
import { readJsonFile } from '../../core/readJsonFile.ts';
import { ValidationError } from '../../core/errors.ts';
import { odeConfigSchema, runOdeConfig } from '../../theory/refinetti2022/odeConfig.ts';
import { handleError } from '../handleError.ts';
import { parseOptions } from '../options.ts';

const odeOptionsSchema = z.strictObject({
  config: z.string().min(1),
  json: z.boolean().default(false),
});

/** Hints for the config's fields, used in error messages. */
const CONFIG_HINTS: Record<string, string> = {
  'config.spectrum': 'give { "preset": "spiked", "dim": 500, "spikes": [0.7, 0.2] } or { "dim": D, "values": [ρ…] }',
  'config.activation': 'use "linear", "erf", "relu" or { "expression": "tanh(x)" }',
  'config.times': 'give a list such as [0, 1, 10] or { "from": 0.1, "to": 1000, "count": 20 }',
  'config.initial': 'give { "seed": 1, "scale": 0.1 } or { "a": [[…]], "b": [[…]] } with K rows of n numbers',
  'config.learningRate': 'give a positive number such as 0.4',
  'config.hidden': 'give a positive integer K such as 2',
  'config.method':
    'use "adaptive", "rk4", "rosenbrock" or "auto" (stiff, for long runs; see fixtures/refinetti2022/ode-stiff-example.json)',
};

/** Reads and validates a configuration file. */
export function readOdeConfig(path: string) {
  const raw = readJsonFile('--config', path, 'fixtures/refinetti2022/ode-example.json');
  const prefix = (key: string) => (key ? `config.${key}` : 'config');
  try {
    return parseOptions(odeConfigSchema, raw, prefix);
  } catch (e) {
    if (e instanceof ValidationError) {
      throw new ValidationError(
        e.issues.map((i) => ({ ...i, hint: i.hint ?? CONFIG_HINTS[i.field.split('.').slice(0, 2).join('.')] })),
      );
    }
    throw e;
  }
}

function rows(m: Float64Array, K: number): number[][] {
  return Array.from({ length: K }, (_, k) => Array.from(m.subarray(k * K, (k + 1) * K)));
}

function fmt(m: Float64Array, K: number): string {
  return rows(m, K)
    .map((r) => r.map((v) => v.toPrecision(4)).join(' '))
    .join('\n');
}

/** `aecheck ode`. */
export function registerOde(program: Command): void {
  program
    .command('ode')
    .description('integrate the Refinetti & Goldt 2022 ODEs for a config file; print ε(t) and Q, R, T, T0')
    .requiredOption('--config <file>', 'JSON configuration (see fixtures/refinetti2022/ode-example.json)')
    .option('--json', 'print JSON')
    .action((raw) => {
      try {
        const opts = parseOptions(odeOptionsSchema, raw);
        const config = readOdeConfig(opts.config);
        const result = runOdeConfig(config);
        const { trajectory: tr } = result;
        const K = config.hidden;
        if (opts.json) {
          const out = {
            config,
            pcaErrors: result.pcaErrors,
            times: tr.times,
            error: tr.error,
            orderParameters: tr.orderParameters.map((op, i) => ({
              Q: rows(op.Q, K),
              R: rows(op.R, K),
              T: rows(op.T, K),
              T0: rows(op.T0, K),
              ...(tr.states[i].bias ? { bias: Array.from(tr.states[i].bias ?? []) } : {}),
            })),
            stats: tr.stats,
          };
          process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
          return;
        }
        const hasBias = tr.states[0]?.bias !== undefined;
        const table = new Table({
          head: tableHead(['t', 'ε', 'Q', 'R', 'T', 'T0', ...(hasBias ? ['β'] : [])]),
          style: tableStyle(),
        });
        tr.times.forEach((t, i) => {
          const op = tr.orderParameters[i];
          table.push([
            t.toPrecision(4),
            tr.error[i].toPrecision(6),
            fmt(op.Q, K),
            fmt(op.R, K),
            fmt(op.T, K),
            fmt(op.T0, K),
            ...(hasBias ? [Array.from(tr.states[i].bias ?? [], (v) => v.toPrecision(4)).join(' ')] : []),
          ]);
        });
        process.stdout.write(
          `${table.toString()}\nε_PCA(m), m = 0..${result.pcaErrors.length - 1}: ${result.pcaErrors.map((p) => p.toPrecision(4)).join(', ')}\n` +
            `${tr.stats.steps} steps (${tr.stats.rejected} rejected), ${tr.stats.evaluations} right-hand-side evaluations${tr.stats.jacobians === undefined ? '' : `, ${tr.stats.jacobians} Jacobians`}${tr.stats.switchedAt === undefined ? '' : ` (RODAS4 from t = ${tr.stats.switchedAt.toPrecision(4)})`}\n`,
        );
      } catch (e) {
        handleError(e);
      }
    });
}
