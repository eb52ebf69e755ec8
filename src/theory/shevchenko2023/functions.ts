import type { AnyTheoryFunction } from '../theoryFunction.ts';

/** The theory functions of shevchenko2023 callable through `aecheck theory`. */
export const theoryFunctions: readonly AnyTheoryFunction[] = [];
