import type { AnyTheoryFunction } from '../theoryFunction.ts';
import { integralFunctions } from './integralFunctions.ts';
import { odeFunctions } from './odeFunctions.ts';

/** The theory functions of refinetti2022 callable through `aecheck theory`. */
export const theoryFunctions: readonly AnyTheoryFunction[] = [...integralFunctions, ...odeFunctions];
