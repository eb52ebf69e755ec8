/**
 * The one place where a claim's declarative domain becomes a zod schema (validation of `--params`) and a
 * fast-check arbitrary (properties and the parameter draws of `verify`).
 */
import fc from 'fast-check';
import { z } from 'zod';
import type { Domain, DomainField, ParamsOf } from './claim.ts';

function fieldSchema(field: DomainField): z.ZodType {
  switch (field.kind) {
    case 'int':
      return z.number().int().min(field.min).max(field.max).describe(field.doc);
    case 'float':
      return z.number().min(field.min).max(field.max).describe(field.doc);
    case 'choice':
      return z.enum(field.values as [string, ...string[]]).describe(field.doc);
    case 'seed':
      return z.number().int().min(0).max(0xffffffff).describe(field.doc);
  }
}

/** zod schema of a domain (strict: unknown keys are errors). */
export function domainSchema<D extends Domain>(domain: D): z.ZodType<ParamsOf<D>> {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(domain)) shape[key] = fieldSchema(field);
  return z.strictObject(shape) as unknown as z.ZodType<ParamsOf<D>>;
}

function fieldArbitrary(field: DomainField): fc.Arbitrary<number | string> {
  switch (field.kind) {
    case 'int':
      return fc.integer({ min: field.min, max: field.max });
    case 'float':
      if (field.log) {
        const lo = Math.log(field.min);
        const hi = Math.log(field.max);
        return fc
          .double({ min: 0, max: 1, noNaN: true, noDefaultInfinity: true })
          .map((u) => Math.min(field.max, Math.max(field.min, Math.exp(lo + u * (hi - lo)))));
      }
      return fc.double({ min: field.min, max: field.max, noNaN: true, noDefaultInfinity: true });
    case 'choice':
      return fc.constantFrom(...field.values);
    case 'seed':
      return fc.integer({ min: 0, max: 0xffffffff });
  }
}

/** fast-check arbitrary of a domain. */
export function domainArbitrary<D extends Domain>(domain: D): fc.Arbitrary<ParamsOf<D>> {
  const record: Record<string, fc.Arbitrary<number | string>> = {};
  for (const [key, field] of Object.entries(domain)) record[key] = fieldArbitrary(field);
  return fc.record(record) as unknown as fc.Arbitrary<ParamsOf<D>>;
}

/** `runs` parameter sets: the defaults first, then draws from the domain with fast-check's generator at `seed`. */
export function sampleParams<D extends Domain>(
  domain: D,
  defaults: ParamsOf<D>,
  runs: number,
  seed: number,
): ParamsOf<D>[] {
  const out: ParamsOf<D>[] = [defaults];
  if (runs > 1) out.push(...fc.sample(domainArbitrary(domain), { seed, numRuns: runs - 1 }));
  return out.slice(0, Math.max(runs, 1));
}

/** zod's messages read "Invalid input: expected number, received string"; keep the part that says what was expected. */
export function cleanZodMessage(message: string): string {
  return message
    .replace(/^Invalid (input|option|value):\s*/i, '')
    .replace(/^expected /, '')
    .replace(/, received [a-z]+$/, '');
}
