import { didYouMean } from '../core/didYouMean.ts';
import { ValidationError, type ValidationIssue } from '../core/errors.ts';
import type { AnyClaim } from './claim.ts';
import { cleanZodMessage, domainSchema } from './domain.ts';

/** Parsed parameters, or the ValidationError that names every bad field. */
export type ParamsCheck = { ok: true; params: Record<string, unknown> } | { ok: false; error: ValidationError };

/**
 * Validates a claim's parameters against its domain: every problem is named (`params.<field>`, the value, what the
 * domain allows), an unknown key is named with the closest known one ("did you mean dim?"), and a missing key is
 * reported as missing. Parameters outside the claim's regime are an error too, unless `regime: false` (what
 * `explore` uses to map a claim beyond the regime it asserts).
 */
export function checkParams(
  claim: AnyClaim,
  params: Record<string, unknown>,
  options: { regime?: boolean } = {},
): ParamsCheck {
  const parsed = domainSchema(claim.domain).safeParse(params);
  if (parsed.success) {
    if (claim.regime && options.regime !== false && !claim.regime.holds(parsed.data)) {
      return {
        ok: false,
        error: new ValidationError({
          field: 'params',
          received: parsed.data,
          expected: `parameters inside the claim's regime: ${claim.regime.description}`,
          hint: `choose parameters inside the regime; \`aecheck explore --claim ${claim.id}\` maps the claim outside it`,
        }),
      };
    }
    return { ok: true, params: parsed.data as Record<string, unknown> };
  }
  const known = Object.keys(claim.domain);
  const hint = `see \`aecheck list --claim ${claim.id}\` for the domain`;
  const issues: ValidationIssue[] = parsed.error.issues.flatMap((issue): ValidationIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: `params.${key}`,
        received: params[key],
        expected: `no such parameter (the parameters are ${known.join(', ')})`,
        hint: didYouMean(key, known, hint),
      }));
    }
    const path = issue.path.map(String);
    const received = path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], params);
    return [
      {
        field: `params.${path.join('.')}`,
        received,
        expected: received === undefined ? 'a value (it is missing)' : cleanZodMessage(issue.message),
        hint,
      },
    ];
  });
  return { ok: false, error: new ValidationError(issues) };
}
