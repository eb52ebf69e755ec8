import { describe, expect, it } from 'vitest';
import type { AnyClaim } from '../claims/claim.ts';
import { runClaim } from '../claims/runClaim.ts';
import { getKernelSet } from '../kernels/registry.ts';
import { type Evaluator, exploreClaim } from './exploreClaim.ts';
import { mapFromJson, mapToJson } from './mapToJson.ts';
import { mapToVegaLite } from './mapToVegaLite.ts';
import { parseGuide } from './parseGuide.ts';
import { PRODUCT_REGIME_BOUND, productClaim, productRegimeClaim } from './productClaim.ts';
import { GUIDE_GLYPH, REGIME_GLYPH, renderAsciiMap } from './renderAsciiMap.ts';

async function inThread(claim: AnyClaim): Promise<Evaluator> {
  const kernels = await getKernelSet('reference');
  return async (requests) => {
    const out = [];
    for (const r of requests)
      out.push(await runClaim(claim, { seed: r.seed, kernels, params: r.params, outsideRegime: true }));
    return out;
  };
}

/** Rows of the ASCII map's raster (between the y label line and the x axis line). */
const rasterOf = (text: string) => text.split('\n').filter((l) => l.includes('│'));

describe('the regime edge and guides on a map', () => {
  it('draws the regime x·y ≤ 1/4 in every output: JSON edge and inRegime, ASCII * with a legend, a vega-lite layer', async () => {
    const map = await exploreClaim({
      claim: productRegimeClaim,
      axes: ['x', 'y'],
      budget: 2000,
      maxDepth: 2,
      evaluate: await inThread(productRegimeClaim),
    });
    const json = mapToJson(map);
    expect(json.regime?.description).toBe('x·y ≤ 0.25');
    // The edge lies on x·y = 1/4 (bisected to far below a pixel) and runs across the whole map.
    const edge = json.regime?.edge ?? [];
    expect(edge.length).toBeGreaterThan(100);
    for (const p of edge) expect(Math.abs(Math.log((p.x * p.y) / PRODUCT_REGIME_BOUND))).toBeLessThan(1e-6);
    expect(Math.min(...edge.map((p) => p.x))).toBeLessThan(0.03 * 1.1 * 10);
    expect(Math.max(...edge.map((p) => p.x))).toBeGreaterThan(2.4);
    // Each point says whether the regime holds there; the map runs both sides (outside it too).
    for (const p of json.points) expect(p.inRegime).toBe(p.x * p.y <= PRODUCT_REGIME_BOUND);
    expect(json.points.some((p) => p.inRegime)).toBe(true);
    expect(json.points.some((p) => !p.inRegime && p.class === 'pass')).toBe(true);
    expect(json.points.some((p) => p.class === 'fail')).toBe(true);

    const text = renderAsciiMap(map);
    expect(text).toContain(`${REGIME_GLYPH} the claim's regime edge (x·y ≤ 0.25)`);
    const raster = rasterOf(text);
    // The edge crosses the map from top-left to bottom-right: a * on many rows, at columns that grow downwards.
    const columns = raster.map((l) => l.split('│')[1].indexOf(REGIME_GLYPH)).filter((c) => c >= 0);
    expect(columns.length).toBeGreaterThan(10);
    for (let k = 1; k < columns.length; k++) expect(columns[k]).toBeGreaterThanOrEqual(columns[k - 1] - 1);
    // Re-drawn from its JSON alone, the map is the same.
    expect(renderAsciiMap(mapFromJson(json))).toBe(text);

    const spec = JSON.stringify(mapToVegaLite(map));
    expect(spec).toContain('"curve":"regime edge: x·y ≤ 0.25"');
  });

  it('draws a --guide curve (x·y = 4) as + and as its own data, and a claim without a regime has none', async () => {
    const map = await exploreClaim({
      claim: productClaim,
      axes: ['x', 'y'],
      budget: 200,
      maxDepth: 1,
      guides: [parseGuide('x*y=4', ['x', 'y', 'noise'])],
      evaluate: await inThread(productClaim),
    });
    const json = mapToJson(map);
    expect(json.regime).toBeUndefined();
    expect(json.points.every((p) => p.inRegime === undefined)).toBe(true);
    expect(json.guides).toHaveLength(1);
    expect(json.guides[0].expression).toBe('x*y=4');
    for (const p of json.guides[0].edge) expect(Math.abs(Math.log((p.x * p.y) / 4))).toBeLessThan(1e-6);
    const text = renderAsciiMap(map);
    expect(text).toContain(`${GUIDE_GLYPH} guide x*y=4`);
    expect(text).not.toContain('regime edge');
    expect(rasterOf(text).some((l) => l.includes(GUIDE_GLYPH))).toBe(true);
    expect(JSON.stringify(mapToVegaLite(map))).toContain('"curve":"guide: x*y=4"');
  });

  it('evaluates a guide safely: arithmetic in the fields only, anything else a ValidationError naming --guide', () => {
    const g = parseGuide('(1/r - 1)*p = 1e-3', ['r', 'p']);
    expect(g.difference({ r: 0.5, p: 2e-3 })).toBeCloseTo(1e-3, 15);
    expect(parseGuide('log(x) + exp(y)^2 = sqrt(pi)', ['x', 'y']).difference({ x: 1, y: 0 })).toBeCloseTo(
      1 - Math.sqrt(Math.PI),
      14,
    );
    for (const bad of [
      'x*y', // no equation
      'x<=1', // an inequality
      'x==1',
      'z=1', // not a field
      'f(x)=x^2', // a function definition
      'import(1)=1',
      'evaluate("x")=1',
      'x["a"]=1',
      '[x]=1',
      'x ? 1 : 2 = 1',
      'x=)',
    ]) {
      expect(() => parseGuide(bad, ['x', 'y']), bad).toThrow(/--guide/);
    }
  });
});
