/**
 * Test helpers for bad input: run `f`, require a {@link ValidationError}, and return its first issue, so a test states
 * which field it names and which value it received.
 */
import { expect } from 'vitest';
import { ValidationError, type ValidationIssue } from '../core/errors.ts';

/** The first issue of the ValidationError that `f` throws (fails the test if it throws anything else or nothing). */
export function validationIssue(f: () => unknown): ValidationIssue {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).issues[0];
  }
  throw new Error('expected a ValidationError');
}

/** The field and the received value of {@link validationIssue}, for `toEqual({ field, received })`. */
export function issueOf(f: () => unknown): { field: string; received: unknown } {
  const { field, received } = validationIssue(f);
  return { field, received };
}
