import type { AnyClaim } from '../claim.ts';

/** The claims of shevchenko2023, in the order `aecheck verify` runs them. */
export const claims: readonly AnyClaim[] = [];
