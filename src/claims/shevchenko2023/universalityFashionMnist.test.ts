import { describe, expect, test } from 'vitest';
import { STOP, stoppedImproving } from './universalityFashionMnist.ts';

describe('universality-fashion-mnist early stop (paper scale)', () => {
  const back = STOP.window / STOP.every;

  test('never stops before a full window of held-out evaluations exists', () => {
    expect(stoppedImproving(Array.from({ length: back }, () => 0.5))).toBe(false);
    expect(stoppedImproving(Array.from({ length: back + 1 }, () => 0.5))).toBe(true);
  });

  test('compares the last value with the one a window earlier, against minImprovement', () => {
    const curve = (drop: number) => [0.9, ...Array.from({ length: back - 1 }, () => 0.6), 0.6 - drop];
    // 0.9 → 0.6 - drop over the window: improving by far more than the threshold.
    expect(stoppedImproving(curve(0))).toBe(false);
    const flat = [0.6, ...Array.from({ length: back - 1 }, () => 0.6)];
    expect(stoppedImproving([...flat, 0.6 - 2 * STOP.minImprovement])).toBe(false);
    expect(stoppedImproving([...flat, 0.6 - STOP.minImprovement / 2])).toBe(true);
    // A held-out risk that rose stops training.
    expect(stoppedImproving([...flat, 0.61])).toBe(true);
  });

  test('the threshold is small beside the 0.1 band and the window is whole evaluations', () => {
    expect(STOP.minImprovement).toBeLessThanOrEqual(0.1 / 20);
    expect(Number.isInteger(STOP.window / STOP.every)).toBe(true);
  });
});
