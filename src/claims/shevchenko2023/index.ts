import type { AnyClaim } from '../claim.ts';
import { curveShape } from './curveShape.ts';
import { gdEquivariance } from './gdEquivariance.ts';
import { gdFeatures } from './gdFeatures.ts';
import { gdReachesLimit } from './gdReachesLimit.ts';
import { gradientCheck } from './gradientCheck.ts';
import { invariances } from './invariances.ts';
import { lowerBound } from './lowerBound.ts';
import { oddActivations } from './oddActivations.ts';
import { optimalDecoderClaim } from './optimalDecoder.ts';
import { orthonormalRows } from './orthonormalRows.ts';
import { randomEncoder } from './randomEncoder.ts';
import { reducedGdLimit } from './reducedGdLimit.ts';
import { riskMonteCarlo } from './riskMonteCarlo.ts';
import { tiedSgdLimit } from './tiedSgdLimit.ts';
import { tightFrameGap } from './tightFrameGap.ts';
import { universalityFashionMnist } from './universalityFashionMnist.ts';

/** The claims of shevchenko2023, in the order `aecheck verify` runs them (Sheppard's identities are in foundation/). */
export const claims: readonly AnyClaim[] = [
  riskMonteCarlo,
  invariances,
  optimalDecoderClaim,
  orthonormalRows,
  lowerBound,
  curveShape,
  tightFrameGap,
  randomEncoder,
  gradientCheck,
  gdReachesLimit,
  gdEquivariance,
  gdFeatures,
  reducedGdLimit,
  tiedSgdLimit,
  universalityFashionMnist,
  oddActivations,
];
