/**
 * The one place where a claim's declarative domain becomes a zod schema (validation of `--params`) and a
 * fast-check arbitrary (properties and the parameter draws of `verify`).
 */
import fc from 'fast-check';
import { z } from 'zod';
import { createRng, type Rng } from '../core/rng.ts';
import { AecheckError } from '../core/errors.ts';
export { cleanZodMessage } from '../core/zodMessage.ts';
import type { AnyClaim, Domain, DomainField, ParamsOf, Regime, Scale } from './claim.ts';

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
      if (field.log) {
        const lo = Math.log(field.min);
        const hi = Math.log(field.max);
        return fc
          .double({ min: 0, max: 1, noNaN: true, noDefaultInfinity: true })
          .map((u) => Math.min(field.max, Math.max(field.min, Math.round(Math.exp(lo + u * (hi - lo))))));
      }
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

/** A stratified coordinate in [0, 1): stratum `k` of `n`, a uniform point inside it. */
function stratum(k: number, n: number, rng: Rng): number {
  return (k + rng.uniform()) / n;
}

/** One field's value at the stratified coordinate u ∈ [0, 1): uniform, log-uniform, evenly spread ints and choices. */
function fieldAt(field: DomainField, u: number, rng: Rng): number | string {
  switch (field.kind) {
    case 'int':
      if (field.log) {
        // Log-uniform over [min − ½, max + ½] before rounding, so the end values get their share of the draws.
        const lo = Math.log(field.min - 0.5);
        const hi = Math.log(field.max + 0.5);
        return Math.min(field.max, Math.max(field.min, Math.round(Math.exp(lo + u * (hi - lo)))));
      }
      return Math.min(field.max, field.min + Math.floor(u * (field.max - field.min + 1)));
    case 'float':
      if (field.log) {
        const lo = Math.log(field.min);
        const hi = Math.log(field.max);
        return Math.min(field.max, Math.max(field.min, Math.exp(lo + u * (hi - lo))));
      }
      return Math.min(field.max, field.min + u * (field.max - field.min));
    case 'choice':
      return field.values[Math.min(field.values.length - 1, Math.floor(u * field.values.length))];
    case 'seed':
      return rng.uint32();
  }
}

/** A uniformly random permutation of 0…n−1 (Fisher–Yates). */
function permutation(n: number, rng: Rng): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/**
 * `n` stratified draws from a domain (a Latin hypercube): each field's range is cut into n equal strata (in log space
 * for `log` fields) and every stratum is used exactly once, in an independent random order per field, so n runs cover
 * every field's whole range instead of clustering at edge values. Ints and choices are spread evenly the same way.
 */
export function stratifiedDraws<D extends Domain>(domain: D, n: number, rng: Rng): ParamsOf<D>[] {
  const out: Record<string, number | string>[] = Array.from({ length: n }, () => ({}));
  for (const [key, field] of Object.entries(domain)) {
    const order = permutation(n, rng);
    for (let i = 0; i < n; i++) out[i][key] = fieldAt(field, stratum(order[i], n, rng), rng);
  }
  return out as ParamsOf<D>[];
}

/**
 * `runs` parameter sets for `verify`: the defaults first, then runs − 1 stratified draws over the declared domain
 * ({@link stratifiedDraws}) from the seed and `stream` (the claim id), so the same seed gives the same runs. The
 * property suite draws with fast-check instead ({@link domainArbitrary}), which favours edge values on purpose.
 *
 * With a `regime` (the claim's {@link Regime}), draws outside it are replaced by the next draws inside it, taken from
 * further stratified batches of the same stream (deterministic); without one the draws are unchanged.
 */
export function sampleParams<D extends Domain>(
  domain: D,
  defaults: ParamsOf<D>,
  runs: number,
  seed: number,
  stream = 'params',
  regime?: Regime<D>,
): ParamsOf<D>[] {
  const out: ParamsOf<D>[] = [defaults];
  const wanted = runs - 1;
  if (wanted > 0) {
    const rng = createRng(seed).fork(`draws:${stream}`);
    if (!regime) out.push(...stratifiedDraws(domain, wanted, rng));
    else {
      const inside: ParamsOf<D>[] = [];
      for (let batch = 0; batch < MAX_REGIME_BATCHES && inside.length < wanted; batch++) {
        for (const p of stratifiedDraws(domain, wanted, rng))
          if (regime.holds(p) && inside.length < wanted) inside.push(p);
      }
      if (inside.length < wanted) {
        throw new AecheckError(
          'regime-too-narrow',
          `${stream}: only ${inside.length} of ${wanted} draws fell inside the regime (${regime.description}) after ` +
            `${MAX_REGIME_BATCHES} batches; narrow the domain to the regime`,
        );
      }
      out.push(...inside);
    }
  }
  return out.slice(0, Math.max(runs, 1));
}

/** Batches of stratified draws `sampleParams` tries before it calls a regime too narrow for its domain. */
const MAX_REGIME_BATCHES = 64;

/**
 * The domain a scale draws from: the claim's domain with the scale's `ranges` applied (see `ScaleBudget.ranges`).
 * A range outside the domain, or on a field that is not numeric, is a claim defect and throws.
 */
export function domainAtScale(claim: AnyClaim, scale: Scale): Domain {
  const ranges = claim.budget[scale].ranges;
  if (!ranges) return claim.domain;
  const out: Domain = { ...claim.domain };
  for (const [key, range] of Object.entries(ranges)) {
    const field = claim.domain[key] as DomainField | undefined;
    if (
      !field ||
      (field.kind !== 'int' && field.kind !== 'float') ||
      !(range.min >= field.min && range.max <= field.max && range.min <= range.max)
    ) {
      throw new AecheckError(
        'bad-scale-range',
        `${claim.id}: budget.${scale}.ranges.${key} = [${range.min}, ${range.max}] must narrow a numeric field of the domain` +
          (field && 'min' in field ? ` ([${field.min}, ${field.max}])` : ''),
      );
    }
    out[key] = { ...field, min: range.min, max: range.max };
  }
  return out;
}

/** Run 0's parameters at a scale: the claim's defaults with the scale's `defaults` over them. */
export function defaultsAtScale(claim: AnyClaim, scale: Scale): Record<string, unknown> {
  return { ...(claim.defaults as Record<string, unknown>), ...(claim.budget[scale].defaults ?? {}) };
}

/**
 * The parameter sets of `runs` runs of a claim at a scale, for `verify`: {@link defaultsAtScale} first, then stratified
 * draws over {@link domainAtScale}, inside the claim's regime (see {@link sampleParams}).
 */
export function paramsAtScale(claim: AnyClaim, scale: Scale, runs: number, seed: number): Record<string, unknown>[] {
  return sampleParams(
    domainAtScale(claim, scale),
    defaultsAtScale(claim, scale) as ParamsOf<Domain>,
    runs,
    seed,
    claim.id,
    claim.regime,
  ) as Record<string, unknown>[];
}
