/** The CPUs a benchmark run was allowed, as its metadata records them (pinned runs compare both sides on one core). */
import { describe, expect, test } from 'vitest';
import { cpusAllowed, cpusAllowedLine } from './collectBenchMetadata.ts';

describe('cpusAllowed', () => {
  test("reads Linux's Cpus_allowed_list", () => {
    const status = 'Name:\tnode\nCpus_allowed:\t1\nCpus_allowed_list:\t0\nMems_allowed:\t1\n';
    expect(cpusAllowed(() => status)).toBe('0');
    expect(cpusAllowed(() => status.replace('list:\t0', 'list:\t0-1,4'))).toBe('0-1,4');
  });

  test('is null where there is no such line or no /proc', () => {
    expect(cpusAllowed(() => 'Name:\tnode\n')).toBeNull();
    expect(
      cpusAllowed(() => {
        throw new Error('ENOENT');
      }),
    ).toBeNull();
  });

  test('this process: a list of CPU numbers on Linux', () => {
    const allowed = cpusAllowed();
    if (process.platform === 'linux') expect(allowed).toMatch(/^\d+([-,]\d+)*$/);
    else expect(allowed).toBeNull();
  });

  test('the printed line names the allowed CPUs out of all, and is absent where they are unknown', () => {
    expect(cpusAllowedLine('0', 2)).toMatch(/^CPUs allowed: 0 of 2 /);
    expect(cpusAllowedLine(null, 2)).toBeUndefined();
    expect(cpusAllowedLine(undefined, 2)).toBeUndefined();
  });
});
