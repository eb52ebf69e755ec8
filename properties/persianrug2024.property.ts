/** Cowsik, Dolev, Infanger 2024 (The Persian Rug): the loss from large-scale statistics and the symmetric optimum. */
import { activationGain } from '../src/claims/persianrug2024/activationGain.ts';
import { antipodalCounterexample } from '../src/claims/persianrug2024/antipodalCounterexample.ts';
import { closedFormQuadrature } from '../src/claims/persianrug2024/closedFormQuadrature.ts';
import { dataMoments } from '../src/claims/persianrug2024/dataMoments.ts';
import { hadamardExact } from '../src/claims/persianrug2024/hadamardExact.ts';
import { hadamardMatchesOptimum } from '../src/claims/persianrug2024/hadamardMatchesOptimum.ts';
import { highSparsityScaling } from '../src/claims/persianrug2024/highSparsityScaling.ts';
import { lossCurves } from '../src/claims/persianrug2024/lossCurves.ts';
import { lossIdentities } from '../src/claims/persianrug2024/lossIdentities.ts';
import { meanFieldEstimate } from '../src/claims/persianrug2024/meanFieldEstimate.ts';
import { optimumOrdering } from '../src/claims/persianrug2024/optimumOrdering.ts';
import { permutationEquivariance } from '../src/claims/persianrug2024/permutationEquivariance.ts';
import { plateau } from '../src/claims/persianrug2024/plateau.ts';
import { rankBound } from '../src/claims/persianrug2024/rankBound.ts';
import { rugScalarsTrained } from '../src/claims/persianrug2024/rugScalarsTrained.ts';
import { trainedNearOptimum } from '../src/claims/persianrug2024/trainedNearOptimum.ts';
import { claimProperty } from './helpers/claimProperty.ts';

claimProperty(dataMoments);
claimProperty(permutationEquivariance);
claimProperty(closedFormQuadrature);
claimProperty(lossIdentities);
claimProperty(optimumOrdering);
claimProperty(highSparsityScaling);
claimProperty(hadamardExact);
claimProperty(rankBound);
claimProperty(hadamardMatchesOptimum);
claimProperty(rugScalarsTrained);
claimProperty(meanFieldEstimate);
claimProperty(lossCurves, { numRuns: 1 });
claimProperty(activationGain);
// One training run each at quick scale (about 5 s and 10 s on the wasm backend).
claimProperty(trainedNearOptimum, { numRuns: 1 });
claimProperty(plateau, { numRuns: 1 });
claimProperty(antipodalCounterexample);
