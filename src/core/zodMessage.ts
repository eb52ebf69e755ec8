/**
 * zod's message wording, trimmed for aecheck's errors. Its own module (not in claims/domain.ts, which imports fast-check)
 * so that the CLI's option parsing loads no more than it needs: `aecheck theory` starts in a fraction of a second.
 */

/** zod's messages read "Invalid input: expected number, received string"; keep the part that says what was expected. */
export function cleanZodMessage(message: string): string {
  return message
    .replace(/^Invalid (input|option|value):\s*/i, '')
    .replace(/^expected /, '')
    .replace(/, received [a-z]+$/, '');
}
