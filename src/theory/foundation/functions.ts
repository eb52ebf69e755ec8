import type { AnyTheoryFunction } from '../theoryFunction.ts';

/** Shared theory functions (special functions). */
export const theoryFunctions: readonly AnyTheoryFunction[] = [];
