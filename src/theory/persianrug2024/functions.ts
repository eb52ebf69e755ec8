import type { AnyTheoryFunction } from '../theoryFunction.ts';
import { lossFunctions } from './lossFunctions.ts';

/** The theory functions of persianrug2024 callable through `aecheck theory`. */
export const theoryFunctions: readonly AnyTheoryFunction[] = [...lossFunctions];
