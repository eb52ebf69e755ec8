import type { AnyClaim } from '../claim.ts';

/** The claims of persianrug2024, in the order `aecheck verify` runs them. */
export const claims: readonly AnyClaim[] = [];
