import { z } from 'zod';
import { defineTheoryFunction } from '../theoryFunction.ts';
import { I2, I3, I21, I22, J2 } from './integrals.ts';

const activation = z
  .enum(['linear', 'erf', 'relu'])
  .describe("activation g: 'linear', 'erf' (g = erf(x/√2)) or 'relu'");
const entry = (name: string) => z.number().describe(`covariance entry ${name}`);
const variance = (name: string) => z.number().min(0).describe(`variance ${name} (≥ 0)`);

/** A 2×2 covariance must be positive semi-definite: |C12| ≤ √(C11 C22). */
const cov2 = z
  .strictObject({ g: activation, c11: variance('C11'), c12: entry('C12'), c22: variance('C22') })
  .refine((p) => p.c12 * p.c12 <= p.c11 * p.c22 * (1 + 1e-12), {
    message: 'a positive semi-definite covariance, |c12| ≤ √(c11·c22)',
    path: ['c12'],
  });

/** A 3×3 covariance must be positive semi-definite (all principal minors ≥ 0). */
const cov3 = z
  .strictObject({
    g: activation,
    c11: variance('C11'),
    c12: entry('C12'),
    c13: entry('C13'),
    c22: variance('C22'),
    c23: entry('C23'),
    c33: variance('C33'),
  })
  .refine(
    (p) => {
      const tol = 1e-12 * (p.c11 + p.c22 + p.c33) ** 3;
      const m2 = [p.c11 * p.c22 - p.c12 ** 2, p.c11 * p.c33 - p.c13 ** 2, p.c22 * p.c33 - p.c23 ** 2];
      const det =
        p.c11 * (p.c22 * p.c33 - p.c23 ** 2) -
        p.c12 * (p.c12 * p.c33 - p.c23 * p.c13) +
        p.c13 * (p.c12 * p.c23 - p.c22 * p.c13);
      return m2.every((m) => m >= -tol) && det >= -tol;
    },
    { message: 'a positive semi-definite 3×3 covariance', path: ['c33'] },
  );

const example2 = { g: 'erf' as const, c11: 1, c12: 0.3, c22: 0.8 };

/** The Gaussian integrals of Refinetti & Goldt (docs/theory-refinetti2022.md (E8)) as `aecheck theory` functions. */
export const integralFunctions = [
  defineTheoryFunction({
    name: 'refinetti2022.J2',
    paper: 'refinetti2022',
    summary: 'J2 = E[x1 g(x2)] for (x1, x2) ~ N(0, C) (docs/theory-refinetti2022.md (E8))',
    params: cov2,
    evaluate: (p) => J2(p.g, p.c11, p.c12, p.c22),
    example: example2,
  }),
  defineTheoryFunction({
    name: 'refinetti2022.I2',
    paper: 'refinetti2022',
    summary: 'I2 = E[g(x1) g(x2)] (docs/theory-refinetti2022.md (E8); ReLU in its corrected form)',
    params: cov2,
    evaluate: (p) => I2(p.g, p.c11, p.c12, p.c22),
    example: { ...example2, g: 'relu' as const },
  }),
  defineTheoryFunction({
    name: 'refinetti2022.I21',
    paper: 'refinetti2022',
    summary: "I21 = E[g'(x1) x1 x2] (docs/theory-refinetti2022.md (E8))",
    params: cov2,
    evaluate: (p) => I21(p.g, p.c11, p.c12, p.c22),
    example: example2,
  }),
  defineTheoryFunction({
    name: 'refinetti2022.I22',
    paper: 'refinetti2022',
    summary: "I22 = E[g'(x1) x2²] (docs/theory-refinetti2022.md (E8))",
    params: cov2,
    evaluate: (p) => I22(p.g, p.c11, p.c12, p.c22),
    example: example2,
  }),
  defineTheoryFunction({
    name: 'refinetti2022.I3',
    paper: 'refinetti2022',
    summary: "I3 = E[g'(x1) x2 g(x3)] for (x1, x2, x3) ~ N(0, C) (docs/theory-refinetti2022.md (E8))",
    params: cov3,
    evaluate: (p) => I3(p.g, p.c11, p.c12, p.c13, p.c22, p.c23, p.c33),
    example: { g: 'erf' as const, c11: 1, c12: 0.3, c13: 0.2, c22: 0.8, c23: -0.1, c33: 1.2 },
  }),
] as const;
