import { describe, expect, it } from 'vitest';
import { allClaims } from './catalog.ts';
import { defineClaim } from './claim.ts';
import { defaultsAtScale, domainAtScale, paramsAtScale, sampleParams } from './domain.ts';
import { runClaim } from './runClaim.ts';
import { checkParams } from './validateParams.ts';
import { getKernelSet } from '../kernels/registry.ts';
import { atMost } from './support/checks.ts';

/** A claim that holds where x + y ≤ 1 on [0, 1]², with that regime declared. */
const halfSquare = defineClaim({
  id: 'synthetic.half-square',
  paper: 'synthetic',
  title: 'x + y ≤ 1 inside its regime',
  statement: 'x + y ≤ 1 (a test claim with a declared regime)',
  source: { paper: 'synthetic', where: 'test', confidence: 'DER' },
  kind: 'exact',
  domain: {
    x: { kind: 'float', min: 0, max: 1, doc: 'x' },
    y: { kind: 'float', min: 0, max: 1, doc: 'y' },
  },
  regime: { description: 'x + y ≤ 1', holds: (p) => p.x + p.y <= 1 },
  defaults: { x: 0.25, y: 0.25 },
  tolerance: { description: 'exact', reason: 'test' },
  budget: { quick: { runs: 20, sizes: {} }, paper: { runs: 20, sizes: {} } },
  measure: (p) => ({ checks: [atMost('sum', p.x + p.y, 1, 1e-12)] }),
  noControlReason: 'test claim',
});

describe('a claim regime', () => {
  it('verify draws only inside it, deterministically, and the defaults come first', () => {
    const a = sampleParams(halfSquare.domain, halfSquare.defaults, 40, 9, halfSquare.id, halfSquare.regime);
    const b = sampleParams(halfSquare.domain, halfSquare.defaults, 40, 9, halfSquare.id, halfSquare.regime);
    expect(a).toEqual(b);
    expect(a).toHaveLength(40);
    expect(a[0]).toEqual(halfSquare.defaults);
    for (const p of a) expect(p.x + p.y).toBeLessThanOrEqual(1);
    // Without the regime, the same stream puts about half the draws outside it: the filter is what keeps them in.
    const free = sampleParams(halfSquare.domain, halfSquare.defaults, 40, 9, halfSquare.id);
    expect(free.filter((p) => p.x + p.y > 1).length).toBeGreaterThan(5);
  });

  it('a regime that excludes the whole domain is an error, not an endless loop', () => {
    const never = { description: 'never', holds: () => false };
    expect(() => sampleParams(halfSquare.domain, halfSquare.defaults, 5, 1, 'x', never)).toThrow(/regime/);
  });

  it('explicit parameters outside it are a validation error naming the regime; explore may go outside', async () => {
    const out = checkParams(halfSquare, { x: 0.9, y: 0.9 });
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error.message).toMatch(/regime: x \+ y ≤ 1/);
    expect(checkParams(halfSquare, { x: 0.9, y: 0.9 }, { regime: false }).ok).toBe(true);
    const kernels = await getKernelSet('reference');
    const refused = await runClaim(halfSquare, { seed: 1, kernels, params: { x: 0.9, y: 0.9 } });
    expect(refused.status).toBe('error');
    const mapped = await runClaim(halfSquare, { seed: 1, kernels, params: { x: 0.9, y: 0.9 }, outsideRegime: true });
    expect(mapped.status).toBe('fail');
  });

  it("every built-in claim's defaults lie inside its regime", () => {
    for (const claim of allClaims()) {
      if (claim.regime) expect(claim.regime.holds(claim.defaults), claim.id).toBe(true);
    }
  });
});

describe('scale-dependent draws (ScaleBudget.ranges and .defaults)', () => {
  it("every built-in claim's scale ranges narrow its domain and its defaults at each scale are valid and in its regime", () => {
    for (const claim of allClaims()) {
      for (const scale of ['quick', 'paper'] as const) {
        expect(() => domainAtScale(claim, scale), `${claim.id} ${scale}`).not.toThrow();
        const check = checkParams(claim, defaultsAtScale(claim, scale));
        expect(check.ok, `${claim.id} ${scale}: ${check.ok ? '' : check.error.message}`).toBe(true);
      }
    }
  });

  it('quick draws stay in the quick range, paper run 0 takes the paper defaults (gd-reaches-limit)', () => {
    const claim = allClaims().find((c) => c.id === 'shevchenko2023.gd-reaches-limit');
    expect(claim).toBeDefined();
    if (!claim) return;
    const quick = paramsAtScale(claim, 'quick', 30, 5);
    for (const p of quick) expect(p.dim as number).toBeLessThanOrEqual(64);
    const paper = paramsAtScale(claim, 'paper', 30, 5);
    expect(paper[0].dim).toBe(100);
    expect(Math.max(...paper.map((p) => p.dim as number))).toBeGreaterThan(64);
  });

  it('a range outside the domain is a claim defect, named', () => {
    const bad = {
      ...halfSquare,
      budget: { ...halfSquare.budget, quick: { runs: 2, sizes: {}, ranges: { x: { min: 0, max: 2 } } } },
    };
    expect(() => domainAtScale(bad, 'quick')).toThrow(/budget\.quick\.ranges\.x = \[0, 2\] must narrow/);
  });
});
