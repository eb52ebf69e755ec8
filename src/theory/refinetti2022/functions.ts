import type { AnyTheoryFunction } from '../theoryFunction.ts';
import { integralFunctions } from './integralFunctions.ts';

/** The theory functions of refinetti2022 callable through `aecheck theory`. */
export const theoryFunctions: readonly AnyTheoryFunction[] = [...integralFunctions];
