/**
 * vitest setup: with AECHECK_SEED set (CI sets one), every fast-check property in the process draws from that seed,
 * not only the claims (which pass it explicitly), so a CI run replays exactly. Without it fast-check picks a fresh seed
 * per property and prints it on failure, which keeps exploring.
 */
import fc from 'fast-check';

const raw = process.env.AECHECK_SEED;
if (raw !== undefined && raw !== '') {
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) {
    throw new Error(
      `AECHECK_SEED: received ${JSON.stringify(raw)}; expected an integer seed. Fix: AECHECK_SEED=12345 npm test`,
    );
  }
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
}
