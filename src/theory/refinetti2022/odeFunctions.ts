/** `aecheck theory` functions of the refinetti2022 ODE side: ε from order parameters, ε_PCA(m). */
import { z } from 'zod';
import { defineTheoryFunction } from '../theoryFunction.ts';
import { pcaError } from './pcaError.ts';
import { testErrorTerms } from './testError.ts';

const square = (name: string) => z.array(z.array(z.number().finite())).min(1).describe(`${name}, K×K (list of rows)`);

const testErrorParams = z
  .strictObject({
    g: z.enum(['linear', 'erf', 'relu']).describe("activation: 'linear', 'erf' (erf(x/√2)) or 'relu'"),
    Q: square('Q = E[λλᵀ]'),
    R: square('R^{kl} = E[ν^k λ^l]'),
    T: square('T = E[ννᵀ]'),
    T0: square('T0 = v·v/D'),
    traceOmegaOverD: z.number().finite().describe('TrΩ/D'),
  })
  .refine(
    (p) => [p.Q, p.R, p.T, p.T0].every((m) => m.length === p.Q.length && m.every((r) => r.length === p.Q.length)),
    {
      message: 'four K×K matrices of the same K',
      path: ['Q'],
    },
  );

const pcaParams = z
  .strictObject({
    values: z.array(z.number().min(0).finite()).min(1).describe('eigenvalues ρ_τ (listed ones; others count as 0)'),
    dim: z.number().int().positive().describe('input dimension D'),
    m: z.number().int().min(0).describe('number of principal components'),
  })
  .refine((p) => p.m <= p.values.length && p.values.length <= p.dim, {
    message: 'm ≤ number of values ≤ D',
    path: ['m'],
  });

/** The ODE-side theory functions. */
export const odeFunctions = [
  defineTheoryFunction({
    name: 'refinetti2022.testError',
    paper: 'refinetti2022',
    summary:
      'ε = ½TrΩ/D − Σ_k J2 + ½ Σ_kl T0 I2 from Q, R, T, T0 (docs/theory-refinetti2022.md (E7); ε = ½·MSE), with its three terms',
    params: testErrorParams,
    evaluate: (p) => {
      const flat = (m: number[][]) => m.flat();
      const terms = testErrorTerms({
        Q: flat(p.Q),
        R: flat(p.R),
        T: flat(p.T),
        T0: flat(p.T0),
        traceOmegaOverD: p.traceOmegaOverD,
        activation: p.g,
      });
      return { ...terms };
    },
    example: {
      g: 'erf' as const,
      Q: [
        [0.0624351226, -0.0131330705],
        [-0.0131330705, 0.0340715063],
      ],
      R: [
        [0.0015629143, 0.008827216],
        [-0.0172102728, -0.0012830345],
      ],
      T: [
        [0.021705837, 0.0052332264],
        [0.0052332264, 0.0165205889],
      ],
      T0: [
        [0.2081943833, 0.0970619295],
        [0.0970619295, 0.1799205527],
      ],
      traceOmegaOverD: 1.15,
    },
  }),
  defineTheoryFunction({
    name: 'refinetti2022.pcaError',
    paper: 'refinetti2022',
    summary: 'ε_PCA(m) = ½(TrΩ − Σ_{top m} ρ_τ)/D (docs/theory-refinetti2022.md (E15); ε = ½·MSE)',
    params: pcaParams,
    evaluate: (p) => pcaError({ spectrum: { dim: p.dim, values: Float64Array.from(p.values) }, components: p.m }),
    example: { values: [5, 2, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5], dim: 10, m: 2 },
  }),
] as const;
