import { readFileSync } from 'node:fs';
import { ValidationError } from './errors.ts';

/**
 * Reads and parses a JSON file; a missing, unreadable or malformed file is a ValidationError naming `field` (e.g.
 * `--config`), the path, and the parser's or the system's message, with `example` as the fix when given.
 */
export function readJsonFile(field: string, path: string, example?: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ValidationError({
      field,
      received: path,
      expected: 'a readable JSON file',
      hint: `${(e as Error).message}${example ? `; see ${example}` : ''}`,
    });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ValidationError({ field, received: path, expected: 'valid JSON', hint: (e as Error).message });
  }
}
