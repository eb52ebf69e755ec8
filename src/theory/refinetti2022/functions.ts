import type { AnyTheoryFunction } from '../theoryFunction.ts';

/** The theory functions of refinetti2022 callable through `aecheck theory`. */
export const theoryFunctions: readonly AnyTheoryFunction[] = [];
