/** Shevchenko, Kögler, Hassani, Mondelli 2023: sign autoencoders, the limit R_opt(r), and gradient methods that reach it. */
import { curveShape } from '../src/claims/shevchenko2023/curveShape.ts';
import { gdEquivariance } from '../src/claims/shevchenko2023/gdEquivariance.ts';
import { gdFeatures } from '../src/claims/shevchenko2023/gdFeatures.ts';
import { gdReachesLimit } from '../src/claims/shevchenko2023/gdReachesLimit.ts';
import { gradientCheck } from '../src/claims/shevchenko2023/gradientCheck.ts';
import { invariances } from '../src/claims/shevchenko2023/invariances.ts';
import { lowerBound } from '../src/claims/shevchenko2023/lowerBound.ts';
import { oddActivations } from '../src/claims/shevchenko2023/oddActivations.ts';
import { optimalDecoderClaim } from '../src/claims/shevchenko2023/optimalDecoder.ts';
import { orthonormalRows } from '../src/claims/shevchenko2023/orthonormalRows.ts';
import { randomEncoder } from '../src/claims/shevchenko2023/randomEncoder.ts';
import { reducedGdLimit } from '../src/claims/shevchenko2023/reducedGdLimit.ts';
import { riskMonteCarlo } from '../src/claims/shevchenko2023/riskMonteCarlo.ts';
import { tiedSgdLimit } from '../src/claims/shevchenko2023/tiedSgdLimit.ts';
import { tightFrameGap } from '../src/claims/shevchenko2023/tightFrameGap.ts';
import { universalityFashionMnist } from '../src/claims/shevchenko2023/universalityFashionMnist.ts';
import { claimProperty } from './helpers/claimProperty.ts';

claimProperty(riskMonteCarlo);
claimProperty(invariances);
claimProperty(optimalDecoderClaim);
claimProperty(orthonormalRows);
claimProperty(lowerBound);
claimProperty(curveShape);
claimProperty(tightFrameGap);
claimProperty(randomEncoder);
claimProperty(gradientCheck);
// Six draws of (r, d) inside the claim's regime (the defaults r = 2, d = 24 first).
claimProperty(gdReachesLimit, { numRuns: 6 });
claimProperty(gdEquivariance);
claimProperty(gdFeatures, { numRuns: 3 });
// Every rate once (the four choices).
claimProperty(reducedGdLimit, { numRuns: 4 });
claimProperty(tiedSgdLimit);
// The defaults and two draws of (r, d); a draw at d = 196, r = 2 trains for 30 s of CPU (measured on a loaded machine,
// where its wall time was 5 min), so the test gets 10 minutes.
claimProperty(universalityFashionMnist, { numRuns: 3, timeoutMs: 600_000 });
claimProperty(oddActivations);
