import { ValidationError } from '../core/errors.ts';
import type { AnyClaim, PaperId } from './claim.ts';
import { claims as foundationClaims } from './foundation/index.ts';
import { claims as persianrugClaims } from './persianrug2024/index.ts';
import { claims as refinettiClaims } from './refinetti2022/index.ts';
import { claims as shevchenkoClaims } from './shevchenko2023/index.ts';
import { checkParams } from './validateParams.ts';

/** The built-in claims, grouped by paper in a fixed order. */
export const catalog: readonly AnyClaim[] = [
  ...foundationClaims,
  ...refinettiClaims,
  ...shevchenkoClaims,
  ...persianrugClaims,
];

/** Claims registered at run time (a user's own, from `--claims` or `aecheck.config.ts`), in registration order. */
const registered: AnyClaim[] = [];

/** The built-in claims, then the registered ones. */
export function allClaims(): readonly AnyClaim[] {
  return registered.length === 0 ? catalog : [...catalog, ...registered];
}

/**
 * The claims of one paper. `foundation` is the group of shared mathematical checks in src/claims/foundation/ (Gaussian
 * integrals, Sheppard's identities; docs/foundation.md): their ids and `paper` fields name the paper each comes from,
 * so they are also among that paper's claims.
 */
export function claimsOfPaper(paper: PaperId): AnyClaim[] {
  if (paper === 'foundation') {
    return [
      ...foundationClaims,
      ...registered.filter((c) => c.paper === 'foundation' && !foundationClaims.includes(c)),
    ];
  }
  return allClaims().filter((c) => c.paper === paper);
}

/** The papers `--paper` accepts: `foundation` (see {@link claimsOfPaper}), then every paper that has claims. */
export function selectablePapers(): string[] {
  return [...new Set(['foundation', ...allClaims().map((c) => c.paper as string)])];
}

/** A claim by id, or undefined. */
export function findClaim(id: string): AnyClaim | undefined {
  return allClaims().find((c) => c.id === id);
}

/** `<paper>.<slug>` in lowercase letters, digits and hyphens. */
const CLAIM_ID = /^[a-z][a-z0-9-]*\.[a-z0-9][a-z0-9-]*$/;

/**
 * Adds claims to the catalog, after checking each: an id `<paper>.<slug>` that starts with its paper, not taken by
 * another claim, a budget of at least one run per scale, and defaults inside its own domain. A claim object that is
 * already registered is skipped (loading a module twice is harmless). `origin` names the file in errors.
 */
export function registerClaims(claims: readonly AnyClaim[], origin: string): void {
  for (const claim of claims) {
    if (registered.includes(claim) || catalog.includes(claim)) continue;
    const field = `${origin}: claim ${JSON.stringify(claim.id)}`;
    if (typeof claim.id !== 'string' || !CLAIM_ID.test(claim.id) || !claim.id.startsWith(`${claim.paper}.`)) {
      throw new ValidationError({
        field: `${field}.id`,
        received: claim.id,
        expected: `an id "<paper>.<slug>" in lowercase letters, digits and hyphens, starting with its paper (${JSON.stringify(claim.paper)})`,
        hint: `e.g. id: '${claim.paper ?? 'mypaper2025'}.my-claim'`,
      });
    }
    if (findClaim(claim.id)) {
      throw new ValidationError({
        field: `${field}.id`,
        received: claim.id,
        expected: 'an id no other claim has',
        hint: 'rename the claim (ids are unique across the built-in and loaded claims)',
      });
    }
    for (const scale of ['quick', 'paper'] as const) {
      const runs = claim.budget?.[scale]?.runs;
      if (!Number.isInteger(runs) || runs < 1) {
        throw new ValidationError({
          field: `${field}.budget.${scale}.runs`,
          received: runs,
          expected: 'an integer ≥ 1',
        });
      }
    }
    const defaults = checkParams(claim, claim.defaults as Record<string, unknown>);
    if (!defaults.ok) {
      throw new ValidationError({
        field: `${field}.defaults`,
        received: claim.defaults,
        expected: `parameters inside the claim's domain (${defaults.error.message})`,
      });
    }
    registered.push(claim);
  }
}

/** Forgets the registered claims (tests). */
export function clearRegisteredClaims(): void {
  registered.length = 0;
}
