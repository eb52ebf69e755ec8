import type { z } from 'zod';

/** A value a theory function returns. */
export type TheoryValue = number | Record<string, number | number[] | number[][] | string>;

/**
 * A named theory function callable from `aecheck theory NAME --param k=v`. Float64, deterministic, no backend.
 * `params` is a zod object whose fields carry `.describe('meaning, units, default')`.
 */
export interface TheoryFunction<P extends z.ZodType = z.ZodType> {
  /** `<paper>.<name>`, e.g. `refinetti2022.I2`. */
  name: string;
  paper: 'foundation' | 'refinetti2022' | 'shevchenko2023' | 'persianrug2024';
  summary: string;
  params: P;
  evaluate(params: z.infer<P>): TheoryValue;
  /** A valid parameter set, shown in the help and used by the tests. */
  example: z.input<P>;
}

/** Fixes the generic types of a theory function (identity at run time). */
export function defineTheoryFunction<P extends z.ZodType>(fn: TheoryFunction<P>): TheoryFunction<P> {
  return fn;
}

/** A theory function of any parameter type (what catalogs hold). */
// biome-ignore lint/suspicious/noExplicitAny: a catalog holds functions of every parameter type.
export type AnyTheoryFunction = TheoryFunction<any>;
