import type { AnyClaim } from '../claim.ts';
import { odeFormsAgree } from './odeFormsAgree.ts';
import { odeIsGradient } from './odeIsGradient.ts';
import { odeBiasIsGradient } from './odeBiasIsGradient.ts';
import { gradientFlow } from './gradientFlow.ts';
import { timeRescaling } from './timeRescaling.ts';
import { informedLinear } from './informedLinear.ts';
import { integratorOrder } from './integratorOrder.ts';
import { sequentialLearning } from './sequentialLearning.ts';
import { erfRescaling } from './erfRescaling.ts';
import { odeDriftMatchesSgd } from './odeDriftMatchesSgd.ts';
import { odeMatchesSgd } from './odeMatchesSgd.ts';
import { tiedSigmoidalFailure } from './tiedSigmoidalFailure.ts';
import { reluBias } from './reluBias.ts';
import { truncatedPcs } from './truncatedPcs.ts';
import { realDataFashionMnist } from './realDataFashionMnist.ts';

/** The claims of refinetti2022, in the order `aecheck verify` runs them. */
export const claims: readonly AnyClaim[] = [
  odeFormsAgree,
  odeIsGradient,
  odeBiasIsGradient,
  gradientFlow,
  timeRescaling,
  informedLinear,
  integratorOrder,
  sequentialLearning,
  erfRescaling,
  odeDriftMatchesSgd,
  odeMatchesSgd,
  tiedSigmoidalFailure,
  reluBias,
  truncatedPcs,
  realDataFashionMnist,
];
