import { describe, expect, test } from 'vitest';
import { ValidationError } from '../core/errors.ts';
import { backendAvailability } from '../testing/testArrays.ts';
import { getKernelSet } from './registry.ts';

// A column outside 0..cols − 1 in the nonzero lists would make a sparse kernel read or write outside its arrays (in
// WebAssembly: elsewhere in the module's memory, silently). Every backend refuses it with the field, the value and the
// row, whether the check runs before the kernel (reference) or while the kernel copies the lists (wasm).
const [rows, cols, outputs] = [4, 6, 3];
const ids = ['reference', 'wasm', 'auto', 'auto:f32'] as const;
// Each backend's availability and, when it is missing, the probe's reason (with its fix) for the test's name.
const status = Object.fromEntries(
  await Promise.all(ids.map(async (id) => [id, await backendAvailability(id)] as const)),
);
const openblas = await backendAvailability('openblas');

function batch(bad: number) {
  const nz = new Int32Array(rows * cols);
  const counts = new Int32Array(rows);
  const values = new Float64Array(rows * cols);
  const x = new Float64Array(rows * cols);
  for (let s = 0; s < rows; s++) {
    counts[s] = 2;
    nz[s * cols] = s % cols;
    nz[s * cols + 1] = (s + 3) % cols;
    values[s * cols] = values[s * cols + 1] = 0.5;
    x[s * cols + (s % cols)] = x[s * cols + ((s + 3) % cols)] = 0.5;
  }
  nz[2 * cols + 1] = bad; // row 2's second nonzero
  return { rows, cols, outputs, nz, counts, values, x };
}

describe('sparse kernels refuse a nonzero column outside the row', () => {
  for (const id of ids) {
    for (const bad of [-1, cols]) {
      test.skipIf(!status[id].available)(`${id}: column ${bad}${status[id].skipNote}`, async () => {
        const ks = await getKernelSet(id);
        const b = batch(bad);
        const field = (kernel: string) => `${kernel}.nz[${2 * cols + 1}]`;
        for (const withValues of [true, false]) {
          const args = withValues ? { ...b, x: undefined } : { ...b, values: undefined };
          const encode = () => ks.sparseEncode({ ...args, w: new Float64Array(outputs * cols) });
          const gradient = () => ks.sparseGradient({ ...args, g: new Float64Array(rows * outputs) });
          for (const [kernel, run] of [
            ['sparseEncode', encode],
            ['sparseGradient', gradient],
          ] as const) {
            let error: unknown;
            try {
              run();
            } catch (e) {
              error = e;
            }
            expect(error, `${kernel}, values ${withValues}`).toBeInstanceOf(ValidationError);
            const issue = (error as ValidationError).issues[0];
            expect(issue.field).toBe(field(kernel));
            expect(issue.received).toBe(bad);
            expect(issue.expected).toContain('nonzero 1 of row 2');
          }
        }
        // The control: the same lists with the column in range run.
        const good = batch(1);
        expect(() => ks.sparseEncode({ ...good, w: new Float64Array(outputs * cols) })).not.toThrow();
      });
    }
  }
});

// auto's dense route (OpenBLAS, density ≥ 0.2 and rows·cols·outputs ≥ 12³) scatters the listed entries into a dense X,
// so it checks their columns too. Only with `exactX` (X given itself) does it skip that pass: it then never reads the
// lists.
test.skipIf(!openblas.available)(
  `auto, dense route: a column outside the row is refused there too${openblas.skipNote}`,
  async () => {
    const ks = await getKernelSet('auto');
    const [r, c, o] = [16, 16, 8];
    const nz = new Int32Array(r * c);
    const counts = new Int32Array(r).fill(4);
    const values = new Float64Array(r * c).fill(0.5);
    for (let s = 0; s < r; s++) for (let q = 0; q < 4; q++) nz[s * c + q] = (s + 3 * q) % c;
    nz[5 * c + 2] = c;
    const args = { rows: r, cols: c, outputs: o, nz, counts, values };
    expect(ks.route('sparseEncode', args)).toBe('openblas');
    expect(() => ks.sparseEncode({ ...args, w: new Float64Array(o * c) })).toThrow(
      new RegExp(`sparseEncode\\.nz\\[${5 * c + 2}\\]`),
    );
  },
);
