import type { AnyTheoryFunction } from '../theoryFunction.ts';
import { limitFunctions } from './limitFunctions.ts';
import { sheppardFunction } from './sheppardFunctions.ts';

/** The theory functions of shevchenko2023 callable through `aecheck theory`. */
export const theoryFunctions: readonly AnyTheoryFunction[] = [sheppardFunction, ...limitFunctions];
