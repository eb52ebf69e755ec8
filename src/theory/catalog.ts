import { theoryFunctions as foundation } from './foundation/functions.ts';
import { theoryFunctions as persianrug } from './persianrug2024/functions.ts';
import { theoryFunctions as refinetti } from './refinetti2022/functions.ts';
import { theoryFunctions as shevchenko } from './shevchenko2023/functions.ts';
import type { AnyTheoryFunction } from './theoryFunction.ts';

/** Every theory function callable through `aecheck theory`. */
export const theoryCatalog: readonly AnyTheoryFunction[] = [...foundation, ...refinetti, ...shevchenko, ...persianrug];
