/** Refinetti & Goldt 2022, simulation half: online SGD against the ODEs, and the headline claims measured on SGD. */
import { odeDriftMatchesSgd } from '../src/claims/refinetti2022/odeDriftMatchesSgd.ts';
import { odeMatchesSgd } from '../src/claims/refinetti2022/odeMatchesSgd.ts';
import { realDataFashionMnist } from '../src/claims/refinetti2022/realDataFashionMnist.ts';
import { reluBias } from '../src/claims/refinetti2022/reluBias.ts';
import { tiedSigmoidalFailure } from '../src/claims/refinetti2022/tiedSigmoidalFailure.ts';
import { truncatedPcs } from '../src/claims/refinetti2022/truncatedPcs.ts';
import { claimProperty } from './helpers/claimProperty.ts';

claimProperty(odeDriftMatchesSgd);
claimProperty(odeMatchesSgd);
claimProperty(tiedSigmoidalFailure);
claimProperty(reluBias);
claimProperty(truncatedPcs);
claimProperty(realDataFashionMnist);
