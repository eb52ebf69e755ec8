/**
 * readMatrixFile: every malformed encoder file is refused with a ValidationError naming the field and the file, and a
 * well-formed one is read row-major (these cases close the survivors mutation testing found; docs/mutation.md).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ValidationError } from '../../core/errors.ts';
import { matrixFromRows } from '../../core/matrix.ts';
import { limitFunctions, readMatrixFile } from './limitFunctions.ts';
import { signRisk } from './signRisk.ts';

const dir = mkdtempSync(join(tmpdir(), 'aecheck-matrix-'));
function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

describe('readMatrixFile', () => {
  test('a missing file is refused, naming the field and pointing to the example encoder', () => {
    expect(() => readMatrixFile('--param encoder', join(dir, 'missing.json'))).toThrow(
      /--param encoder: .*missing\.json.*see fixtures\/shevchenko2023\/encoder-example\.json/,
    );
  });
  test('a well-formed matrix is read row-major', () => {
    const m = readMatrixFile(
      '--param encoder',
      file('ok.json', [
        [1, 2, 3],
        [4, 5, 6],
      ]),
    );
    expect([m.rows, m.cols, Array.from(m.data)]).toEqual([2, 3, [1, 2, 3, 4, 5, 6]]);
  });
  test.each([
    ['not an array', { rows: [[1]] }],
    ['an empty array', []],
    ['a row that is not an array', [[1, 2], 3]],
    ['ragged rows', [[1, 2], [3]]],
    ['ragged rows, the first shorter', [[1], [2, 3]]],
    ['an empty row', [[]]],
    ['a string entry', [[1, '2']]],
    ['a null entry (NaN in JSON)', [[1, null]]],
  ])('%s is refused, naming the field and the file', (name, content) => {
    const path = file(`${name.replace(/\W+/g, '-')}.json`, content);
    expect(() => readMatrixFile('--param encoder', path)).toThrow(ValidationError);
    expect(() => readMatrixFile('--param encoder', path)).toThrow(
      /--param encoder.*equal-length arrays of finite numbers/,
    );
  });
});

const byName = (name: string) => {
  const f = limitFunctions.find((g) => g.name === name);
  if (!f) throw new Error(`no theory function ${name}`);
  return f;
};
const evaluate = (name: string, params: Record<string, unknown>) => {
  const f = byName(name);
  return f.evaluate(f.params.parse(params) as never) as Record<string, number>;
};
const C = Math.sqrt(2 / Math.PI);

describe('shevchenko2023.limit', () => {
  test('r = 2: R_opt = 1 − 2/(π/2 + 1), Shannon 2⁻⁴, their gap, the MP risk and the decoder scale √(π/2)/(1 + π/2)', () => {
    const v = evaluate('shevchenko2023.limit', { rate: 2 });
    const rOpt = 1 - 2 / (Math.PI / 2 + 1);
    expect(v.optimalRisk).toBeCloseTo(rOpt, 15);
    expect(v.shannon).toBe(1 / 16);
    expect(v.gapToShannon).toBeCloseTo(rOpt - 1 / 16, 15);
    // mpmath reference of fixtures/scripts/shevchenko2023-marchenko-pastur-reference.py.
    expect(Math.abs(v.randomEncoderRisk - 0.30439383595976)).toBeLessThan(1e-12);
    expect(v.decoderScale).toBeCloseTo(Math.sqrt(Math.PI / 2) / (1 + Math.PI / 2), 15);
  });
});

describe('shevchenko2023.encoderRisk', () => {
  // The example: e₁, e₂, e₃ and (0.6, 0.8, 0), so M has off-diagonal 0.6 and 0.8 and S = Σ M arcsin(M) is explicit.
  const example = 'fixtures/shevchenko2023/encoder-example.json';
  const b = matrixFromRows([
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
    [0.6, 0.8, 0],
  ]);
  test('the example encoder: n, d, rate, R_tied = 1 − n²/(d S) in closed form, R_opt(4/3) ≤ R* ≤ R_tied, no decoder risk', () => {
    const v = evaluate('shevchenko2023.encoderRisk', { encoder: example });
    expect([v.n, v.d, v.rate]).toEqual([4, 3, 4 / 3]);
    const s = 4 * (Math.PI / 2) + 2 * (0.6 * Math.asin(0.6) + 0.8 * Math.asin(0.8));
    expect(v.tiedRisk).toBeCloseTo(1 - 16 / (3 * s), 14);
    expect(v.optimalRisk).toBeCloseTo(1 - 4 / 3 / (Math.PI / 2 + 1 / 3), 15);
    expect(v.reducedRisk).toBeGreaterThan(v.optimalRisk);
    expect(v.reducedRisk).toBeLessThan(v.tiedRisk);
    expect(v).not.toHaveProperty('risk');
  });
  test('with a decoder file, R(A, B) of that decoder', () => {
    const rows = [0, 1, 2].map((i) => [0, 1, 2, 3].map((k) => C * b.data[k * 3 + i] * (k === 3 ? 0.5 : 1)));
    const decoder = file('decoder.json', rows);
    const v = evaluate('shevchenko2023.encoderRisk', { encoder: example, decoder });
    expect(v.risk).toBe(signRisk(matrixFromRows(rows), b));
    expect(v.risk).toBeGreaterThan(v.reducedRisk);
  });
  test('a malformed decoder file is refused, naming --param decoder', () => {
    const decoder = file('bad-decoder.json', [[1, 2], [3]]);
    expect(() => evaluate('shevchenko2023.encoderRisk', { encoder: example, decoder })).toThrow(
      /--param decoder: received .*bad-decoder\.json/,
    );
  });
});

describe('shevchenko2023.oddActivation', () => {
  test('erf at r = 0.5: μ₁ = 1/√π, E σ² = 1/3, risk 1 − 1.5/π, scale 3/√π, linear risk 0.5', () => {
    const v = evaluate('shevchenko2023.oddActivation', { rate: 0.5, activation: 'erf' });
    expect(v.mu1).toBeCloseTo(1 / Math.sqrt(Math.PI), 12);
    expect(v.secondMoment).toBeCloseTo(1 / 3, 12);
    expect(v.risk).toBeCloseTo(1 - 1.5 / Math.PI, 12);
    expect(v.decoderScale).toBeCloseTo(3 / Math.sqrt(Math.PI), 12);
    expect(v.linearRisk).toBe(0.5);
  });
  test('the rate must lie in (0, 1]', () => {
    const f = byName('shevchenko2023.oddActivation');
    expect(f.params.safeParse({ rate: 1, activation: 'sign' }).success).toBe(true);
    expect(f.params.safeParse({ rate: 1.01, activation: 'sign' }).success).toBe(false);
    expect(f.params.safeParse({ rate: 0, activation: 'sign' }).success).toBe(false);
  });
});
