import Table from 'cli-table3';
import { tableHead, tableStyle } from '../colour.ts';
import type { Command } from 'commander';
import { z } from 'zod';
import { ValidationError } from '../../core/errors.ts';
import { theoryCatalog } from '../../theory/catalog.ts';
import type { AnyTheoryFunction, TheoryValue } from '../../theory/theoryFunction.ts';
import { handleError } from '../handleError.ts';
import { parseOptions } from '../options.ts';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parses `k=v` pairs: numbers, JSON arrays/objects/booleans, else strings. */
export function parseParamPairs(pairs: readonly string[]): Record<string, unknown> {
  // Collected as entries: `out[key] = value` with key __proto__ set the prototype and dropped the pair silently.
  const out: [string, unknown][] = [];
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      throw new ValidationError({
        field: '--param',
        received: pair,
        expected: 'key=value',
        hint: 'write e.g. --param r=0.5',
      });
    }
    const key = pair.slice(0, eq);
    const text = pair.slice(eq + 1);
    let value: unknown = text;
    if (NUMBER.test(text)) value = Number(text);
    else if (/^[[{]/.test(text) || text === 'true' || text === 'false') {
      try {
        value = JSON.parse(text);
      } catch {
        throw new ValidationError({
          field: `--param ${key}`,
          received: text,
          expected: 'valid JSON',
          hint: "quote it, e.g. --param 'rho=[1,0.5]'",
        });
      }
    }
    out.push([key, value]);
  }
  return Object.fromEntries(out);
}

/** Evaluates a theory function on raw parameters, validating them with its zod schema. */
export function evaluateTheory(fn: AnyTheoryFunction, raw: Record<string, unknown>): TheoryValue {
  const params = parseOptions(fn.params, raw, (key) => `--param ${key}`);
  return fn.evaluate(params);
}

function describeParams(fn: AnyTheoryFunction): string[] {
  const schema = fn.params as unknown as { shape?: Record<string, z.ZodType> };
  if (!schema.shape) return [];
  return Object.entries(schema.shape).map(([k, v]) => `  --param ${k}=…  ${v.description ?? ''}`);
}

function findFunction(name: string): AnyTheoryFunction {
  const fn = theoryCatalog.find((f) => f.name === name);
  if (!fn) {
    const close = name
      ? theoryCatalog.filter((f) => f.name.toLowerCase().includes(name.toLowerCase())).map((f) => f.name)
      : [];
    throw new ValidationError({
      field: 'NAME',
      received: name,
      expected: 'a theory function name',
      hint: close.length ? `did you mean ${close.slice(0, 5).join(', ')}?` : 'run `npx aecheck theory` for the list',
    });
  }
  return fn;
}

const theoryOptionsSchema = z.strictObject({
  param: z.array(z.string()).default([]),
  json: z.boolean().default(false),
  help: z.boolean().optional(),
});

/** `aecheck theory [NAME] --param k=v … [--json]`. */
export function registerTheory(program: Command): void {
  program
    .command('theory [name]')
    .description('list the theory functions, or evaluate one: aecheck theory NAME --param k=v …')
    .option('--param <kv...>', 'a parameter as key=value (numbers, JSON arrays, strings)')
    .option('--json', 'print JSON')
    .action((name: string | undefined, raw) => {
      try {
        const opts = parseOptions(theoryOptionsSchema, raw);
        if (name === undefined) {
          if (opts.json) {
            process.stdout.write(
              `${JSON.stringify(
                theoryCatalog.map((f) => ({ name: f.name, paper: f.paper, summary: f.summary, example: f.example })),
                null,
                2,
              )}\n`,
            );
            return;
          }
          const table = new Table({
            head: tableHead(['function', 'summary', 'example']),
            wordWrap: true,
            colWidths: [34, 50, 40],
            style: tableStyle(),
          });
          for (const f of theoryCatalog) {
            table.push([
              f.name,
              f.summary,
              Object.entries(f.example)
                .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
                .join(' '),
            ]);
          }
          process.stdout.write(
            `${table.toString()}\n${theoryCatalog.length} functions. Evaluate one with: npx aecheck theory NAME --param k=v …\n`,
          );
          return;
        }
        const fn = findFunction(name);
        if (opts.param.length === 0 && !opts.json && Object.keys(fn.example).length > 0) {
          process.stderr.write(
            `${fn.name}: ${fn.summary}\nparameters:\n${describeParams(fn).join('\n')}\n(evaluating the example)\n`,
          );
        }
        const raw2 = opts.param.length === 0 ? (fn.example as Record<string, unknown>) : parseParamPairs(opts.param);
        const value = evaluateTheory(fn, raw2);
        if (opts.json) process.stdout.write(`${JSON.stringify({ name: fn.name, params: raw2, value }, null, 2)}\n`);
        else process.stdout.write(`${typeof value === 'number' ? value : JSON.stringify(value, null, 2)}\n`);
      } catch (e) {
        handleError(e);
      }
    });
}
