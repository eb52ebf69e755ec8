/**
 * Refinetti & Goldt 2022, theory half: the ODE forms agree, the vanilla ODE is a gradient flow with time rescaling and
 * the informed PCA fixed point, the integrators converge at their order, sequential learning of the principal
 * components and the erf rescaling phase.
 */
import { erfRescaling } from '../src/claims/refinetti2022/erfRescaling.ts';
import { gradientFlow } from '../src/claims/refinetti2022/gradientFlow.ts';
import { informedLinear } from '../src/claims/refinetti2022/informedLinear.ts';
import { integratorOrder } from '../src/claims/refinetti2022/integratorOrder.ts';
import { odeBiasIsGradient } from '../src/claims/refinetti2022/odeBiasIsGradient.ts';
import { odeFormsAgree } from '../src/claims/refinetti2022/odeFormsAgree.ts';
import { odeIsGradient } from '../src/claims/refinetti2022/odeIsGradient.ts';
import { sequentialLearning } from '../src/claims/refinetti2022/sequentialLearning.ts';
import { timeRescaling } from '../src/claims/refinetti2022/timeRescaling.ts';
import { claimProperty } from './helpers/claimProperty.ts';

claimProperty(odeFormsAgree);
claimProperty(odeIsGradient);
claimProperty(odeBiasIsGradient);
// A custom-tanh draw (quadrature in every ε and drift) takes 5–50 s on the shared 2-core machine.
claimProperty(gradientFlow, { timeoutMs: 300_000 });
claimProperty(timeRescaling);
claimProperty(informedLinear);
claimProperty(integratorOrder);
claimProperty(sequentialLearning);
claimProperty(erfRescaling);
