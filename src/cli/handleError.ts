import { AecheckError } from '../core/errors.ts';

/** Prints a user error without a stack trace (exit code 2); anything else is a bug and keeps its stack (exit code 3). */
export function handleError(e: unknown): never {
  if (e instanceof AecheckError) {
    process.stderr.write(`aecheck: ${e.message}\n`);
    process.exit(2);
  }
  process.stderr.write(
    `aecheck: internal error (please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exit(3);
}
