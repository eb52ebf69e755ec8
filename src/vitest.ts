/** `aecheck/vitest`: a claim as a fast-check property under vitest (see `claimProperty`). */
export type { ClaimPropertyOptions } from './testing/claimProperty.ts';
export { claimProperty, describeResult } from './testing/claimProperty.ts';
