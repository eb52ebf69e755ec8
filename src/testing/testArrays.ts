/**
 * Test data and backend status shared by the kernel tests: a cheap deterministic generator (the library's RNG is tested
 * elsewhere) and the skip note of a backend that may be unavailable here.
 */
import type { BackendId } from '../kernels/kernelSpecs.ts';
import { probeBackends } from '../kernels/registry.ts';

/** `length` values uniform in (−scale, scale) from a xorshift generator seeded with `seed`. */
export function randomArray(length: number, seed: number, scale = 1): Float64Array {
  const out = new Float64Array(length);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = scale * (((s >>> 0) / 4294967296) * 2 - 1);
  }
  return out;
}

/**
 * Whether backend `id` passed its probe here, and the note to append to the name of each test that needs it, so that a
 * skip says why (and how to fix it).
 */
export async function backendAvailability(id: BackendId): Promise<{ available: boolean; skipNote: string }> {
  const status = (await probeBackends()).find((s) => s.id === id);
  const available = status?.available === true;
  const skipNote = !status
    ? ` — skipped: no ${id} backend registered`
    : status.available
      ? ''
      : ` — skipped: ${status.reason}`;
  return { available, skipNote };
}
