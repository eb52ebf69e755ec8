import type { PlotSpec } from '../../claims/plotSpec.ts';
import { randomEncoderRisk } from '../../theory/shevchenko2023/marchenkoPastur.ts';
import { optimalRisk, shannonDistortion } from '../../theory/shevchenko2023/signRisk.ts';

/** Rates at which the theory curves are drawn. */
const CURVE_RATES = Array.from({ length: 60 }, (_, i) => 0.1 * 80 ** (i / 59));

/** R_opt(r), Shannon's 2^(−2r) and the random-encoder (Marchenko–Pastur) curve against r, with measured points on top. */
export function limitCurves(...points: { name: string; rate: number; risk: number }[]): PlotSpec {
  return {
    kind: 'line',
    id: 'limit-vs-rate',
    title: 'Sign autoencoder: R_opt(r) against Shannon and a random encoder',
    x: { label: 'rate r = n/d (bits per coordinate)', log: true },
    y: { label: 'risk per coordinate', log: true },
    series: [
      { name: 'R_opt(r)', x: CURVE_RATES, y: CURVE_RATES.map(optimalRisk) },
      { name: 'Shannon 2^(−2r)', x: CURVE_RATES, y: CURVE_RATES.map(shannonDistortion), style: 'dashed' },
      { name: 'random encoder (MP)', x: CURVE_RATES, y: CURVE_RATES.map(randomEncoderRisk), style: 'dashed' },
      ...points.map((p) => ({ name: p.name, x: [p.rate], y: [p.risk], style: 'points' as const })),
    ],
  };
}
