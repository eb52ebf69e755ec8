/**
 * Bad input gets a typed error that names the field, the value received and what was expected — never an uncaught
 * exception or a stack trace. fast-check feeds malformed and random values to every parser: the CLI's flags, every
 * theory function's parameters and every claim's parameters.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { catalog } from '../src/claims/catalog.ts';
import { runClaim } from '../src/claims/runClaim.ts';
import { evaluateTheory, parseParamPairs } from '../src/cli/commands/theory.ts';
import { parseOptions, verifyOptionsSchema } from '../src/cli/options.ts';
import { ValidationError } from '../src/core/errors.ts';
import { getKernelSet } from '../src/kernels/registry.ts';
import { theoryCatalog } from '../src/theory/catalog.ts';

/** Runs per parser: parsers are cheap, so many random inputs are tried. */
const RUNS = 300;

/** Any JSON-like value, including the ones a user mistypes: wrong types, NaN, huge numbers, empty strings. */
const anyValue = fc.oneof(
  fc.string(),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.oneof(fc.string(), fc.double()), { maxLength: 3 }),
  fc.constantFrom('', 'NaN', '-1', '1e400', 'quick', 'paper', 'reference', '{"a":1}', '[1,2]'),
);

/** Asserts the outcome is a value or a ValidationError whose message names a field, a received value and an expectation. */
function expectValueOrValidationError(run: () => unknown): void {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    const v = e as ValidationError;
    expect(v.issues.length).toBeGreaterThan(0);
    for (const issue of v.issues) {
      expect(issue.field.length).toBeGreaterThan(0);
      expect(issue.expected.length).toBeGreaterThan(0);
    }
    expect(v.message).toMatch(/received .*expected/s);
  }
}

describe('bad input gives a ValidationError naming field, value and expectation', () => {
  test('aecheck verify flags', () => {
    const keys = [
      'claim',
      'paper',
      'scale',
      'seed',
      'runs',
      'backend',
      'json',
      'report',
      'params',
      'plots',
      'progress',
      'bogus',
    ];
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), anyValue, { maxKeys: 5 }), (raw) => {
        expectValueOrValidationError(() => parseOptions(verifyOptionsSchema, raw));
      }),
      { numRuns: RUNS },
    );
  });

  test('aecheck theory --param pairs', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 12 }), { maxLength: 4 }), (pairs) => {
        expectValueOrValidationError(() => parseParamPairs(pairs));
      }),
      { numRuns: RUNS },
    );
  });

  test.each(theoryCatalog.map((f) => [f.name, f] as const))('theory function %s', (_name, fn) => {
    const keys = [...Object.keys(fn.example as object), 'bogus'];
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), anyValue, { maxKeys: keys.length }), (raw) => {
        expectValueOrValidationError(() => evaluateTheory(fn, raw));
      }),
      { numRuns: 100 },
    );
    // Its documented example is valid and gives a finite value.
    const value = evaluateTheory(fn, fn.example as Record<string, unknown>);
    const numbers =
      typeof value === 'number'
        ? [value]
        : Object.values(value)
            .flat(2)
            .filter((v) => typeof v === 'number');
    for (const n of numbers) expect(Number.isFinite(n)).toBe(true);
  });

  test.each(catalog.map((c) => [c.id, c] as const))('claim parameters of %s', async (_id, claim) => {
    const kernels = await getKernelSet('reference');
    // Invalid by construction: an unknown key, plus random values for the known ones.
    const invalid = fc
      .record({ bogus: anyValue })
      .chain((extra) =>
        fc.dictionary(fc.constantFrom(...Object.keys(claim.domain)), anyValue).map((known) => ({ ...known, ...extra })),
      );
    await fc.assert(
      fc.asyncProperty(invalid, async (params) => {
        const result = await runClaim(claim, { seed: 1, kernels, params });
        expect(result.status).toBe('error');
        if (result.status === 'error') {
          expect(result.error.name).toBe('ValidationError');
          expect(result.error.message).toMatch(/params\..*received .*expected/s);
        }
      }),
      { numRuns: 20 },
    );
  });
});
