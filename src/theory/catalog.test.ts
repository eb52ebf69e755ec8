/**
 * The contract of the theory catalog (what `aecheck theory` lists and evaluates): every function has a unique name
 * `<paper>.<name>` (the foundation's special functions have bare names), a summary, a meaning for every parameter
 * (`.describe`, shown by `aecheck theory NAME --help`), and an example that is valid and evaluates to finite numbers.
 */
import { describe, expect, test } from 'vitest';
import type { z } from 'zod';
import { theoryCatalog } from './catalog.ts';

const PAPERS = ['foundation', 'refinetti2022', 'shevchenko2023', 'persianrug2024'];

function numbersOf(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.flatMap(numbersOf);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(numbersOf);
  return [];
}

describe('theory catalog', () => {
  test('holds every paper, names are unique, and each name carries its paper', () => {
    const names = theoryCatalog.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(theoryCatalog.map((f) => f.paper))).toEqual(new Set(PAPERS));
    for (const f of theoryCatalog) {
      if (f.paper === 'foundation') expect(f.name).toMatch(/^[a-zA-Z0-9]+$/);
      else expect(f.name.startsWith(`${f.paper}.`)).toBe(true);
    }
  });

  test('the foundation, shevchenko2023 and persianrug2024 functions are all listed, by the names users type', () => {
    const names = theoryCatalog.map((f) => f.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'erf',
        'erfc',
        'normalCdf',
        'normalQuantile',
        'shevchenko2023.sheppard',
        'shevchenko2023.limit',
        'shevchenko2023.encoderRisk',
        'shevchenko2023.oddActivation',
        'persianrug2024.symmetricOptimum',
        'persianrug2024.loss',
        'persianrug2024.baselines',
      ]),
    );
  });

  test.each(theoryCatalog.map((f) => [f.name, f] as const))(
    '%s: a summary, a meaning for every parameter, and a valid example with finite values',
    (_name, f) => {
      expect(f.summary.trim().length).toBeGreaterThan(10);
      const shape = (f.params as unknown as { shape: Record<string, z.ZodType> }).shape;
      for (const [key, field] of Object.entries(shape)) {
        expect(field.description?.trim().length ?? 0, `--param ${key}`).toBeGreaterThan(3);
      }
      const values = numbersOf(f.evaluate(f.params.parse(f.example)));
      expect(values.length).toBeGreaterThan(0);
      for (const v of values) expect(Number.isFinite(v)).toBe(true);
    },
  );
});
