import type { AnyClaim, PaperId } from './claim.ts';
import { claims as foundationClaims } from './foundation/index.ts';
import { claims as persianrugClaims } from './persianrug2024/index.ts';
import { claims as refinettiClaims } from './refinetti2022/index.ts';
import { claims as shevchenkoClaims } from './shevchenko2023/index.ts';

/** Every claim, grouped by paper in a fixed order. */
export const catalog: readonly AnyClaim[] = [
  ...foundationClaims,
  ...refinettiClaims,
  ...shevchenkoClaims,
  ...persianrugClaims,
];

/** The claims of one paper. */
export function claimsOfPaper(paper: PaperId): AnyClaim[] {
  return catalog.filter((c) => c.paper === paper);
}

/** A claim by id, or undefined. */
export function findClaim(id: string): AnyClaim | undefined {
  return catalog.find((c) => c.id === id);
}
