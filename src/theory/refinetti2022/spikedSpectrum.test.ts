import { describe, expect, test } from 'vitest';
import { ValidationError } from '../../core/errors.ts';
import { validationIssue } from '../../testing/validationIssue.ts';
import { spikedSpectrum } from './spikedSpectrum.ts';

describe('spikedSpectrum (paper eq. (3); docs/theory-refinetti2022.md (E4))', () => {
  test('M spikes κ_m D, then the bulk, length D', () => {
    const s = spikedSpectrum({ dim: 6, spikes: [0.5, 0.5, 0.25], bulk: 0.3 });
    expect(s.dim).toBe(6);
    expect(Array.from(s.values)).toEqual([3, 3, 1.5, 0.3, 0.3, 0.3]);
  });

  test('the bulk defaults to 1; a bulk of 0 and D = M are allowed', () => {
    expect(Array.from(spikedSpectrum({ dim: 3, spikes: [1] }).values)).toEqual([3, 1, 1]);
    expect(Array.from(spikedSpectrum({ dim: 2, spikes: [1, 0.5], bulk: 0 }).values)).toEqual([2, 1]);
    // D = 1 is a valid dimension: one spike, or the bulk alone.
    expect(Array.from(spikedSpectrum({ dim: 1, spikes: [0.5] }).values)).toEqual([0.5]);
    expect(Array.from(spikedSpectrum({ dim: 1, spikes: [], bulk: 2 }).values)).toEqual([2]);
  });

  test("the bulk's error names the field bulk and says what is expected", () => {
    const issue = validationIssue(() => spikedSpectrum({ dim: 4, spikes: [0.5], bulk: -0.1 }));
    expect(issue).toMatchObject({ field: 'bulk', received: -0.1, expected: 'a finite bulk eigenvalue ≥ 0' });
  });

  test.each([
    { options: { dim: 2, spikes: [0.5, 0.4, 0.3] }, field: /dim.*spikes \(3\)/s },
    { options: { dim: 0, spikes: [] }, field: /dim/ },
    { options: { dim: 4.5, spikes: [0.5] }, field: /dim/ },
    { options: { dim: 4, spikes: [0.5], bulk: -0.1 }, field: /bulk/ },
    { options: { dim: 4, spikes: [0.5], bulk: Number.NaN }, field: /bulk/ },
    { options: { dim: 4, spikes: [0.5], bulk: Number.POSITIVE_INFINITY }, field: /bulk/ },
    { options: { dim: 4, spikes: [0.5, 0] }, field: /spikes\[1\]/ },
    { options: { dim: 4, spikes: [-0.5] }, field: /spikes\[0\]/ },
    { options: { dim: 4, spikes: [Number.POSITIVE_INFINITY] }, field: /spikes\[0\]/ },
    { options: { dim: 4, spikes: [0.2, 0.3] }, field: /spikes\[1\].*descending/s },
  ])('bad options $options: a ValidationError naming the field', ({ options, field }) => {
    expect(() => spikedSpectrum(options)).toThrow(ValidationError);
    expect(() => spikedSpectrum(options)).toThrow(field);
  });
});
