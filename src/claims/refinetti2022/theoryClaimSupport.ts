/**
 * Shared pieces of the refinetti2022 theory claims (ODE side): the activation choices, with the custom tanh through
 * quadrature.
 */
import type { OdeActivation } from '../../theory/refinetti2022/odeActivation.ts';

/** Activation choices of the theory claims; `tanh` is a custom activation (mathjs + quadrature). */
export const THEORY_ACTIVATIONS = ['linear', 'erf', 'relu', 'tanh'] as const;
export type TheoryActivationChoice = (typeof THEORY_ACTIVATIONS)[number];

/**
 * Gauss–Hermite points per dimension for the custom `tanh` activation inside claims: the library's default 40. It was 24
 * (speed over the last digit) until ode-gradient-flow failed at paper scale on the 24-point rule's own Stein error
 * (src/claims/refinetti2022/gradientFlow.ts, RATE_QUADRATURE).
 */
export const CLAIM_CUSTOM_POINTS = 40;

/** The ODE activation of a choice. */
export function odeActivationOf(choice: TheoryActivationChoice): OdeActivation {
  return choice === 'tanh' ? { expression: 'tanh(x)', points: CLAIM_CUSTOM_POINTS } : choice;
}
