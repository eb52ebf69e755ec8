import type { AnyClaim } from '../claim.ts';

/** The claims of refinetti2022, in the order `aecheck verify` runs them. */
export const claims: readonly AnyClaim[] = [];
