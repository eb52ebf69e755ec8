import type { AnyClaim } from '../claim.ts';
import { odeFormsAgree } from './odeFormsAgree.ts';
import { gradientFlow } from './gradientFlow.ts';
import { timeRescaling } from './timeRescaling.ts';
import { informedLinear } from './informedLinear.ts';
import { integratorOrder } from './integratorOrder.ts';
import { sequentialLearning } from './sequentialLearning.ts';
import { erfRescaling } from './erfRescaling.ts';
import { odeMatchesSgd } from './odeMatchesSgd.ts';
import { tiedSigmoidalFailure } from './tiedSigmoidalFailure.ts';
import { reluBias } from './reluBias.ts';
import { truncatedPcs } from './truncatedPcs.ts';
import { realDataFashionMnist } from './realDataFashionMnist.ts';

/** The claims of refinetti2022, in the order `aecheck verify` runs them. */
export const claims: readonly AnyClaim[] = [
  odeFormsAgree,
  gradientFlow,
  timeRescaling,
  informedLinear,
  integratorOrder,
  sequentialLearning,
  erfRescaling,
  odeMatchesSgd,
  tiedSigmoidalFailure,
  reluBias,
  truncatedPcs,
  realDataFashionMnist,
];
