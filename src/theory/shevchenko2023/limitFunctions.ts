import { z } from 'zod';
import { ValidationError } from '../../core/errors.ts';
import { readJsonFile } from '../../core/readJsonFile.ts';
import { type Matrix, matrix } from '../../core/matrix.ts';
import { defineTheoryFunction } from '../theoryFunction.ts';
import { randomEncoderRisk } from './marchenkoPastur.ts';
import {
  linearAutoencoderRisk,
  oddActivationDecoderScale,
  oddActivationMoments,
  oddActivationRisk,
} from './oddActivations.ts';
import { decoderScale, optimalRisk, reducedRisk, shannonDistortion, signRisk, tiedRisk } from './signRisk.ts';

const rate = z.number().positive().describe('compression rate r = n/d (bits per coordinate), > 0');

/** Reads a JSON matrix (array of equal-length numeric rows) from a file, with errors that name the file and the problem. */
export function readMatrixFile(field: string, path: string): Matrix {
  const rows = readJsonFile(field, path, 'fixtures/shevchenko2023/encoder-example.json');
  const ok =
    Array.isArray(rows) &&
    rows.length > 0 &&
    rows.every(
      (r) =>
        Array.isArray(r) &&
        r.length === (rows as unknown[][])[0].length &&
        r.length > 0 &&
        r.every((v) => typeof v === 'number' && Number.isFinite(v)),
    );
  if (!ok)
    throw new ValidationError({
      field,
      received: path,
      expected: 'a JSON array of equal-length arrays of finite numbers (rows of the matrix)',
    });
  const r = rows as number[][];
  return matrix(r.length, r[0].length, r.flat());
}

/** Shevchenko et al. theory functions for `aecheck theory`. */
export const limitFunctions = [
  defineTheoryFunction({
    name: 'shevchenko2023.limit',
    paper: 'shevchenko2023',
    summary:
      'R_opt(r), Shannon 2^(−2r), the random-encoder (Marchenko–Pastur) risk and the optimal decoder scale at rate r',
    params: z.strictObject({ rate }),
    evaluate: (p) => ({
      optimalRisk: optimalRisk(p.rate),
      shannon: shannonDistortion(p.rate),
      gapToShannon: optimalRisk(p.rate) - shannonDistortion(p.rate),
      randomEncoderRisk: randomEncoderRisk(p.rate),
      decoderScale: decoderScale(p.rate),
    }),
    example: { rate: 2 },
  }),
  defineTheoryFunction({
    name: 'shevchenko2023.encoderRisk',
    paper: 'shevchenko2023',
    summary:
      'risk of an encoder B (n×d JSON file): R*(B) with the optimal decoder, the tied risk, R_opt(n/d); with a decoder file, R(A, B)',
    params: z.strictObject({
      encoder: z.string().min(1).describe('path to a JSON file with the n×d encoder B (rows)'),
      decoder: z.string().min(1).optional().describe('optional path to a JSON file with the d×n decoder A'),
    }),
    evaluate: (p) => {
      const b = readMatrixFile('--param encoder', p.encoder);
      const out: Record<string, number> = {
        n: b.rows,
        d: b.cols,
        rate: b.rows / b.cols,
        reducedRisk: reducedRisk(b),
        tiedRisk: tiedRisk(b).risk,
        optimalRisk: optimalRisk(b.rows / b.cols),
      };
      if (p.decoder) {
        const a = readMatrixFile('--param decoder', p.decoder);
        out.risk = signRisk(a, b);
      }
      return out;
    },
    example: { encoder: 'fixtures/shevchenko2023/encoder-example.json' },
  }),
  defineTheoryFunction({
    name: 'shevchenko2023.oddActivation',
    paper: 'shevchenko2023',
    summary:
      'odd activation on n = r·d ≤ d orthonormal rows (docs/theory-shevchenko2023.md (S12), derived): μ₁, E σ², risk 1 − r μ₁²/E σ² with the optimal decoder, its scale, and the linear (PCA) risk 1 − r',
    params: z.strictObject({
      rate: z.number().positive().max(1).describe('compression rate r = n/d in (0, 1] (orthonormal rows)'),
      activation: z.enum(['linear', 'erf', 'sign']).describe('odd activation σ; erf is erf(x/√2)'),
    }),
    evaluate: (p) => ({
      ...oddActivationMoments(p.activation),
      risk: oddActivationRisk(p.rate, p.activation),
      decoderScale: oddActivationDecoderScale(p.activation),
      linearRisk: linearAutoencoderRisk(p.rate),
    }),
    example: { rate: 0.5, activation: 'erf' },
  }),
] as const;
