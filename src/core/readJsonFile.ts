import { readFileSync, type Stats, statSync } from 'node:fs';
import { ValidationError } from './errors.ts';

/**
 * Why a path cannot be read as a file, or undefined when it can: a directory, or a device (reading /dev/zero or
 * /dev/full never ends). Regular files and pipes (`<(…)`, /dev/stdin) are readable; a missing path is left to the
 * reader, whose system message names it.
 */
export function unreadableFileReason(path: string): string | undefined {
  let st: Stats;
  try {
    st = statSync(path);
  } catch {
    return undefined;
  }
  if (st.isDirectory()) return `${path} is a directory`;
  if (st.isCharacterDevice() || st.isBlockDevice() || st.isSocket()) return `${path} is a device, not a file`;
  return undefined;
}

/**
 * Reads and parses a JSON file; a missing, unreadable or malformed file, a directory or a device is a ValidationError
 * naming `field` (e.g. `--config`), the path, and the parser's or the system's message, with `example` as the fix when
 * given.
 */
export function readJsonFile(field: string, path: string, example?: string): unknown {
  let text: string;
  try {
    const why = unreadableFileReason(path);
    if (why) throw new Error(why);
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
