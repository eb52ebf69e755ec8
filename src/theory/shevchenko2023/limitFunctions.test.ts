/**
 * readMatrixFile: every malformed encoder file is refused with a ValidationError naming the field and the file, and a
 * well-formed one is read row-major (these cases close the survivors mutation testing found; docs/mutation.md).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ValidationError } from '../../core/errors.ts';
import { readMatrixFile } from './limitFunctions.ts';

const dir = mkdtempSync(join(tmpdir(), 'aecheck-matrix-'));
function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

describe('readMatrixFile', () => {
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
