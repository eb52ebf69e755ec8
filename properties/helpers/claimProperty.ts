/** The claim property helper lives in the library (`aecheck/vitest`); the property files import it from here. */
export { claimProperty, describeResult } from '../../src/testing/claimProperty.ts';
export type { ClaimPropertyOptions } from '../../src/testing/claimProperty.ts';
