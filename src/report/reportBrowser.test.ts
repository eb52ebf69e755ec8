/**
 * The HTML report in a real browser: Debian's Chromium, driven by playwright-core, loads index.html, finds every
 * claim's section and every plot, checks the page needs nothing from the network, and saves a screenshot
 * (reports/screenshots/report.png). Without Chromium the test is skipped with the reason and the fix.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import type { AnyClaim, ClaimResult } from '../claims/claim.ts';
import { defineClaim } from '../claims/claim.ts';
import { judgeMeasurement, runClaim } from '../claims/runClaim.ts';
import { findClaim } from '../claims/catalog.ts';
import { getKernelSet } from '../kernels/registry.ts';
import { buildReport } from './buildReport.ts';
import { claimAnchor } from './reportHtml.ts';
import { writeReport } from './writeReport.ts';
import { scaledTimeout } from '../testing/scaledTimeout.ts';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

const plotted = defineClaim({
  id: 'foundation.browser-plotted',
  paper: 'foundation',
  title: 'A claim with two plots and a failing check',
  statement: 'Theory against simulation, twice; the second check fails on purpose.',
  source: { paper: 'foundation', where: '—', confidence: 'DER' },
  kind: 'statistical',
  domain: { a: { kind: 'float', min: 0, max: 1, doc: 'a' } },
  defaults: { a: 0.5 },
  tolerance: { description: 'z ≤ 4', reason: 'a 4σ test' },
  budget: { quick: { runs: 1, sizes: {} }, paper: { runs: 1, sizes: {} } },
  measure: () => ({ checks: [] }),
});

function plottedResult(): ClaimResult {
  const series = (name: string, k: number, style?: 'points') => ({
    name,
    x: [1, 10, 100, 1000],
    y: [1, 0.3, 0.1, 0.05].map((v) => v * k),
    ...(style ? { style } : {}),
  });
  const measurement = judgeMeasurement({
    checks: [
      { name: 'sgd-vs-ode', observed: 0.11, expected: 0.1, error: 0.01, allowed: 0.04, metric: '|Δ| vs 4·SE' },
      { name: 'plateau', observed: 0.3, expected: 0.2, error: 0.1, allowed: 0.05, metric: 'observed − bound' },
    ],
    plots: [
      {
        kind: 'line',
        id: 'eps',
        title: 'ε(t): ODE against SGD',
        x: { label: 't', log: true },
        y: { label: 'ε', log: true },
        series: [series('ODE', 1), series('SGD', 1.05, 'points')],
      },
      { kind: 'heatmap', id: 'overlap', title: 'Overlap R', rows: 2, cols: 2, values: [1, 0.1, 0.2, 0.9] },
    ],
  });
  return {
    claimId: plotted.id,
    seed: 1,
    run: 0,
    backend: 'reference',
    scale: 'quick',
    params: { a: 0.5 },
    ms: 3,
    status: 'fail',
    measurement,
    ratio: measurement.checks[measurement.worst].ratio,
  };
}

describe('the HTML report in Chromium', () => {
  test.skipIf(!CHROMIUM)(
    `loads, shows every claim section and plot, and is screenshotted${CHROMIUM ? '' : ' (skipped: no Chromium — apt-get install chromium)'}`,
    { timeout: scaledTimeout(180_000) },
    async () => {
      const real = findClaim('shevchenko2023.sheppard-arcsin');
      if (!real) throw new Error('claim shevchenko2023.sheppard-arcsin is missing');
      const kernels = await getKernelSet('reference');
      const realResult = await runClaim(real, { seed: 3, kernels, scale: 'quick' });
      const report = buildReport({
        version: 'test',
        seed: 3,
        scale: 'quick',
        backend: 'reference',
        backends: [{ id: 'reference', available: true }],
        runs: [
          { claim: plotted as AnyClaim, results: [plottedResult()] },
          { claim: real, results: [realResult] },
        ],
      });
      const dir = mkdtempSync(join(tmpdir(), 'aecheck-html-'));
      await writeReport(report, dir);
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const external: string[] = [];
        page.on('request', (r) => {
          if (!r.url().startsWith('file:')) external.push(r.url());
        });
        await page.goto(pathToFileURL(join(dir, 'index.html')).href);
        expect(await page.title()).toMatch(/aecheck report/);
        for (const c of report.claims) {
          const section = page.locator(`#${claimAnchor(c.id)}`);
          await expect(section.count()).resolves.toBe(1);
          await expect(section.locator('table.checks tbody tr').count()).resolves.toBeGreaterThan(0);
          await expect(section.locator('pre').first().textContent()).resolves.toContain(`--claim ${c.id}`);
        }
        const svgs = page.locator(`#${claimAnchor(plotted.id)} figure.plot svg`);
        await expect(svgs.count()).resolves.toBe(2);
        const box = await svgs.first().boundingBox();
        expect(box?.width ?? 0).toBeGreaterThan(100);
        await expect(page.locator('#summary tbody tr').count()).resolves.toBe(2);
        await expect(page.locator(`#${claimAnchor(plotted.id)} tr.check-fail`).count()).resolves.toBe(1);
        expect(external).toEqual([]);
        const shots = join(process.cwd(), 'reports', 'screenshots');
        mkdirSync(shots, { recursive: true });
        await page.screenshot({ path: join(shots, 'report.png'), fullPage: true });
      } finally {
        await browser.close();
      }
    },
  );
});
