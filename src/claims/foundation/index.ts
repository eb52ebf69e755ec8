import type { AnyClaim } from '../claim.ts';
import { authorsI2ReluBug } from './authorsI2ReluBug.ts';
import { integralsMonteCarlo } from './integralsMonteCarlo.ts';
import { integralsQuadrature } from './integralsQuadrature.ts';
import { sheppardArcsin } from './sheppardArcsin.ts';
import { sheppardLinear } from './sheppardLinear.ts';

/**
 * The foundation's claims (they exercise the whole pipeline): Gaussian integrals of Refinetti & Goldt
 * (docs/theory-refinetti2022.md (E8)) and Sheppard's identities of Shevchenko et al. (docs/theory-shevchenko2023.md
 * (S3)). Their `paper` field files them under those papers.
 */
export const claims: readonly AnyClaim[] = [
  integralsQuadrature,
  integralsMonteCarlo,
  authorsI2ReluBug,
  sheppardArcsin,
  sheppardLinear,
];
