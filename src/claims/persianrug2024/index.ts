import type { AnyClaim } from '../claim.ts';
import { activationGain } from './activationGain.ts';
import { antipodalCounterexample } from './antipodalCounterexample.ts';
import { closedFormQuadrature } from './closedFormQuadrature.ts';
import { dataMoments } from './dataMoments.ts';
import { hadamardExact } from './hadamardExact.ts';
import { hadamardMatchesOptimum } from './hadamardMatchesOptimum.ts';
import { highSparsityScaling } from './highSparsityScaling.ts';
import { lossCurves } from './lossCurves.ts';
import { lossIdentities } from './lossIdentities.ts';
import { meanFieldEstimate } from './meanFieldEstimate.ts';
import { optimumOrdering } from './optimumOrdering.ts';
import { permutationEquivariance } from './permutationEquivariance.ts';
import { plateau } from './plateau.ts';
import { rankBound } from './rankBound.ts';
import { rugScalarsTrained } from './rugScalarsTrained.ts';
import { trainedNearOptimum } from './trainedNearOptimum.ts';

/** The claims of persianrug2024, in the order `aecheck verify` runs them. */
export const claims: readonly AnyClaim[] = [
  dataMoments,
  permutationEquivariance,
  closedFormQuadrature,
  lossIdentities,
  optimumOrdering,
  highSparsityScaling,
  hadamardExact,
  rankBound,
  hadamardMatchesOptimum,
  rugScalarsTrained,
  meanFieldEstimate,
  lossCurves,
  activationGain,
  trainedNearOptimum,
  plateau,
  antipodalCounterexample,
];
