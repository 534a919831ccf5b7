import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, skipNotice } from './helpers/chromium';
import { signInAs } from './helpers/sign-in';
import { startTestServer } from './helpers/test-server';

skipNotice();

// Boundary fixtures written by ogr2ogr (packages/store/scripts/make-boundary-fixtures.sh).
const IN = path.resolve('packages/store/test/in/boundaries');
let server: Awaited<ReturnType<typeof startTestServer>>;
let browser: Browser;

beforeAll(async () => {
  if (!hasChromium) return;
  server = await startTestServer();
  browser = await launchChromium();
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe.skipIf(!hasChromium)('manager imports zone boundaries in the browser', () => {
  it("picks a GBK shapefile's files, previews its fields (id and name suggested), imports, and the zones appear in the tree", async () => {
    const page = await browser.newPage();
    await signInAs(page, server.url, 'manager', 'manager');
    await page.getByTestId('zimp-files').setInputFiles(['shp', 'shx', 'dbf', 'prj', 'cpg'].map((e) => path.join(IN, `villages-4543.${e}`)));
    await page.getByTestId('zimp-preview').click();
    await expect.poll(() => page.getByTestId('zimp-id').inputValue()).toBe('XZQDM');
    expect(await page.getByTestId('zimp-name').inputValue()).toBe('XZQMC');
    expect(await page.getByTestId('zimp-name').locator('option').allTextContents()).toContain('XZQMC — 阿都村 | 新街村');
    await page.getByTestId('zimp-go').click();
    await page.getByTestId('zimp-result').filter({ hasText: '2' }).waitFor();
    await page.getByTestId('zone-tree').filter({ hasText: '阿都村' }).waitFor();
    expect(await page.getByTestId('zone-tree').textContent()).toContain('新街村');
    await page.close();
  }, 60_000);
});
