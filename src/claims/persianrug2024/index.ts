import type { AnyClaim } from '../claim.ts';
import { closedFormQuadrature } from './closedFormQuadrature.ts';
import { highSparsityScaling } from './highSparsityScaling.ts';
import { lossIdentities } from './lossIdentities.ts';
import { optimumOrdering } from './optimumOrdering.ts';

/** The claims of persianrug2024, in the order `aecheck verify` runs them. */
export const claims: readonly AnyClaim[] = [closedFormQuadrature, lossIdentities, optimumOrdering, highSparsityScaling];
