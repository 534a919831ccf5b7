import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGeoTiff } from '../../apps/server/src/testing/make-geotiff';
import { rasterCatalogOf } from '@tiandi/server';
import { hasChromium, launchChromium, skipNotice } from './helpers/chromium';
import { signInAs } from './helpers/sign-in';
import { startTestServer } from './helpers/test-server';

skipNotice();

/**
 * The web app under the server's Content-Security-Policy (issue 15): every page the office roles use
 * loads, draws its map (MapLibre's blob: workers, WebGL, tiles from this origin) and logs no CSP
 * violation in a real browser.
 */
describe.skipIf(!hasChromium)('the web app under the security headers', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    const ortho = path.join(server.dir, 'ortho.tif');
    fs.writeFileSync(ortho, makeGeoTiff({ width: 400, height: 300, epsg: 32648, origin: [500_000, 3_090_000], pixelSize: 0.5 }));
    rasterCatalogOf(server.app.tiandi).addProvider(() => [{ kind: 'ortho', name: 'ortho.tif', file: ortho }]);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('serves the CSP, and the operator, planner and manager pages run under it without a violation', async () => {
    const head = await fetch(`${server.url}/`);
    expect(head.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(head.headers.get('x-frame-options')).toBe('DENY');
    for (const [role, route] of [
      ['operator', 'operator'],
      ['planner', 'planner'],
      ['manager', 'manager'],
    ] as const) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const violations: string[] = [];
      const errors: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await signInAs(page, server.url, role, route);
      if (role !== 'manager') await page.locator('canvas.maplibregl-canvas').first().waitFor({ timeout: 60_000 });
      await page.waitForTimeout(1500);
      expect(violations, `${role}: ${violations.join('\n')}`).toEqual([]);
      expect(errors, `${role}: ${errors.join('\n')}`).toEqual([]);
      // Control: the policy is enforced and a violation would be seen — a fetch to another origin is refused.
      if (role === 'operator') {
        await page.evaluate(() => fetch('http://192.0.2.1/probe').catch(() => undefined));
        await expect.poll(() => violations.join('\n')).toMatch(/Refused to connect|Content Security Policy/);
      }
      await page.close();
    }
  }, 240_000);
});
