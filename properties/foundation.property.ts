/**
 * The foundation's claims as properties: Gaussian integrals (Refinetti & Goldt; docs/theory-refinetti2022.md (E8))
 * against quadrature and Monte Carlo over fast-check-generated covariances, the authors' I2_relu bug, and Sheppard's
 * identities (docs/foundation.md). Their negative controls run in negativeControls.property.ts.
 */
import { authorsI2ReluBug } from '../src/claims/foundation/authorsI2ReluBug.ts';
import { integralsMonteCarlo } from '../src/claims/foundation/integralsMonteCarlo.ts';
import { integralsQuadrature } from '../src/claims/foundation/integralsQuadrature.ts';
import { sheppardArcsin } from '../src/claims/foundation/sheppardArcsin.ts';
import { sheppardLinear } from '../src/claims/foundation/sheppardLinear.ts';
import { claimProperty } from './helpers/claimProperty.ts';

claimProperty(integralsQuadrature);
claimProperty(integralsMonteCarlo);
claimProperty(authorsI2ReluBug);
claimProperty(sheppardArcsin);
claimProperty(sheppardLinear);
