/**
 * Whether the system OpenBLAS and its LAPACK load here, for the tests of the LAPACK-backed solvers: `available`, a
 * `skipNote` to append to each such test's name (so a skip says why and how to fix it), and the routines.
 */
import { type LapackRoutines, openblasLibrary } from '../kernels/openblas/openblasLibrary.ts';
import { probeBackends } from '../kernels/registry.ts';

/** The probe's answer for LAPACK in this process. */
export async function lapackAvailability(): Promise<{
  available: boolean;
  skipNote: string;
  routines: () => LapackRoutines;
}> {
  const status = (await probeBackends()).find((s) => s.id === 'openblas');
  const lapack = status?.available ? openblasLibrary().lapack : undefined;
  const available = lapack?.available === true;
  const skipNote = available
    ? ''
    : ` — skipped: ${status?.available === false ? status.reason : lapack && !lapack.available ? lapack.reason : 'no openblas backend registered'}`;
  const routines = (): LapackRoutines => {
    if (!lapack?.available) throw new Error('unreachable: the test is skipped without LAPACK');
    return lapack.routines;
  };
  return { available, skipNote, routines };
}
