import type { AnyClaim } from '../claim.ts';

/** The foundation's claims: Gaussian integrals and Sheppard's identities. */
export const claims: readonly AnyClaim[] = [];
