/**
 * Shared pieces of the refinetti2022 theory claims (ODE side): activation choices, log-spaced output times,
 * the ε(t) plot with the ε_PCA(m) levels.
 */
import type { OdeActivation } from '../../theory/refinetti2022/odeActivation.ts';
import type { PlotSpec } from '../plotSpec.ts';

/** Activation choices of the theory claims; `tanh` is a custom activation (mathjs + quadrature). */
export const THEORY_ACTIVATIONS = ['linear', 'erf', 'relu', 'tanh'] as const;
export type TheoryActivationChoice = (typeof THEORY_ACTIVATIONS)[number];

/** Gauss–Hermite points per dimension for the custom `tanh` activation inside claims (speed over the last digit). */
export const CLAIM_CUSTOM_POINTS = 24;

/** The ODE activation of a choice. */
export function odeActivationOf(choice: TheoryActivationChoice): OdeActivation {
  return choice === 'tanh' ? { expression: 'tanh(x)', points: CLAIM_CUSTOM_POINTS } : choice;
}

/** `count` log-spaced times from `first` to `last` (inclusive), preceded by 0 when `withZero`. */
export function logTimes(first: number, last: number, count: number, withZero = true): number[] {
  const out: number[] = withZero ? [0] : [];
  for (let i = 0; i < count; i++) out.push(first * (last / first) ** (i / Math.max(count - 1, 1)));
  return out;
}

/** ε(t) on log time with dashed ε_PCA(m) levels (t = 0 is dropped from the log axis). */
export function errorPlot(
  id: string,
  title: string,
  curves: { name: string; times: readonly number[]; error: readonly number[] }[],
  pcaLevels: readonly number[],
): PlotSpec {
  const series: { name: string; x: number[]; y: number[]; style?: 'line' | 'points' | 'dashed' }[] = curves.map((c) => {
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < c.times.length; i++) {
      if (c.times[i] > 0) {
        x.push(c.times[i]);
        y.push(c.error[i]);
      }
    }
    return { name: c.name, x, y, style: 'line' as const };
  });
  const positive = curves.flatMap((c) => c.times.filter((t) => t > 0));
  const lo = Math.min(...positive);
  const hi = Math.max(...positive);
  pcaLevels.forEach((level, m) => {
    series.push({ name: `ε_PCA(${m})`, x: [lo, hi], y: [level, level], style: 'dashed' });
  });
  return { kind: 'line', id, title, x: { label: 't = steps/D', log: true }, y: { label: 'ε', log: true }, series };
}
