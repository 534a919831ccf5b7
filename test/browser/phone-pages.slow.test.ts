import { dbOf } from '@tiandi/store/testing';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AccountStore } from '@tiandi/store/accounts';
import { buildServer } from '@tiandi/server';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importZones } from '@tiandi/store';
import { makeSurveyWorkspace, rect } from '../../apps/server/src/routes/field-world.test-util';
import { routes } from '@tiandi/server';
import { canvasStats } from './helpers/canvas-pixels';
import { buildWeb, villageOrthoModule } from './helpers/web-fixtures';
import { hasChromium, launchChromium, skipNotice } from './helpers/chromium';

skipNotice();

const FAST = { N: 1 << 10, r: 8, p: 1, keyLen: 32 };
const SHOTS = path.resolve('test-artifacts/phone');

let dir: string;
let app: FastifyInstance;
let url: string;
let browser: Browser;

/**
 * Every page on a 390 × 844 phone, in both languages: no sideways scrolling, a map that shows
 * something, only the tabs the role may use, a plain refusal for a page of another role, and a
 * cold load that logs no 401. Builds the web app into its own folder (parallel tests never share a dist).
 */
beforeAll(async () => {
  if (!hasChromium) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-phone-'));
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(dir, 'survey.gpkg');
  const made = await makeSurveyWorkspace(file, dir);
  const accounts = new AccountStore(dbOf(made.ws), { scrypt: FAST });
  await accounts.addAccount({ name: 'team1', role: 'field', teamId: 'T1', password: 'team1-password' });
  await accounts.addAccount({ name: 'team9', role: 'field', teamId: 'T9', password: 'team9-password' });
  for (const role of ['operator', 'planner', 'manager', 'admin'] as const) await accounts.addAccount({ name: role, role, password: `${role}-password` });
  // The village's romanised name, as seeds/zones.geojson carries it: the English UI shows it.
  importZones(
    made.ws,
    {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { zone_id: 'V01', name: '上寨村', name_pinyin: 'Shangzhai Cun' }, geometry: rect(100, 25, 100.01, 25.01) }],
    },
    { level: 'village' },
    'test',
  );
  made.ws.close();
  const webRoot = await buildWeb(path.join(dir, 'web'));
  const orthoModule = villageOrthoModule(dir);
  app = await buildServer({ workspacePath: file, dataDir: path.join(dir, 'data'), webRoot, runJobs: false }, [...routes, orthoModule]);
  url = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function phone(lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<{ context: BrowserContext; page: Page; console: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: lang,
    serviceWorkers: 'block',
  });
  await context.addInitScript((l) => localStorage.setItem('tiandi.lang', l), lang);
  const page = await context.newPage();
  const messages: string[] = [];
  page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
  return { context, page, console: messages };
}

async function signIn(page: Page, name: string, route: string): Promise<void> {
  await page.goto(`${url}/#/${route}`);
  await page.getByTestId('login-name').fill(name);
  await page.getByTestId('login-password').fill(`${name}-password`);
  await page.getByTestId('login-submit').click();
}

/** Elements sticking out past the right edge, for a readable failure. */
async function overflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number; wide: string[] }> {
  return page.evaluate(() => {
    const wide = [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => el.getBoundingClientRect().right > innerWidth + 0.5)
      .slice(0, 8)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth, wide };
  });
}

async function expectNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const o = await overflow(page);
  expect(o.scrollWidth, `${what}: ${o.wide.join(', ')}`).toBeLessThanOrEqual(o.innerWidth);
}

async function expectMapShowsSomething(page: Page, selector = '[data-testid=map] canvas'): Promise<void> {
  await expect.poll(async () => (await canvasStats(page, selector)).distinctColours, { timeout: 30_000, interval: 500 }).toBeGreaterThan(3);
}

const tabNames = (page: Page) => page.locator('nav.tabs a').evaluateAll((as) => as.map((a) => (a as HTMLElement).dataset.route));

describe.skipIf(!hasChromium)('every page on a 390 × 844 phone', () => {
  for (const lang of ['zh-CN', 'en'] as const) {
    it(`${lang}: operator, planner and manager pages fit the screen and their maps draw`, async () => {
      const cases: [string, string][] = [
        ['manager', 'manager'],
        ['operator', 'operator'],
        ['planner', 'planner'],
      ];
      for (const [role, route] of cases) {
        const { context, page, console: messages } = await phone(lang);
        await signIn(page, role, route);
        await page.getByTestId('account').filter({ hasText: role }).waitFor();
        await page
          .locator('[data-testid=map] canvas')
          .first()
          .waitFor({ timeout: 60_000 })
          .catch(async (e) => {
            await page.screenshot({ path: path.join(SHOTS, `${lang}-${route}-no-map.png`) });
            throw new Error(`${route}: no map canvas; console: ${messages.join(' | ')}`, { cause: e });
          });
        await expectMapShowsSomething(page);
        await page.waitForTimeout(500);
        await page.screenshot({ path: path.join(SHOTS, `${lang}-${route}.png`) });
        await expectNoSidewaysScroll(page, `${lang} ${route}`);
        const header = await page.locator('header.topbar').boundingBox();
        expect(header!.height, `${lang} ${route}: header stays one or two short rows`).toBeLessThan(120);
        if (route === 'manager') {
          // The evidence under the targets: with the orthophoto and heatmap off, the map is plain background.
          await page.getByTestId('mgr-layer-ortho').uncheck();
          await page.getByTestId('mgr-layer-heatmap').uncheck();
          await expect.poll(async () => (await canvasStats(page)).distinctColours, { timeout: 10_000 }).toBeLessThanOrEqual(3);
        }
        await context.close();
      }
    }, 180_000);
  }

  it('the field page fits the screen in both languages', async () => {
    for (const lang of ['zh-CN', 'en'] as const) {
      const { context, page } = await phone(lang);
      // In English the phone refuses the position: the browser's own English text must not show, ours does.
      if (lang === 'zh-CN') {
        await context.grantPermissions(['geolocation']);
        await context.setGeolocation({ latitude: 25.0085, longitude: 100.005, accuracy: 8 });
      }
      await page.goto(`${url}/#/field`);
      await page.getByTestId('login-name').fill('team1');
      await page.getByTestId('login-password').fill('team1-password');
      await page.getByTestId('login-submit').click();
      await page.locator('[data-testid=field-map] canvas').first().waitFor({ timeout: 30_000 });
      await expectMapShowsSomething(page, '[data-testid=field-map] canvas');
      await page.screenshot({ path: path.join(SHOTS, `${lang}-field.png`) });
      await expectNoSidewaysScroll(page, `${lang} field`);
      if (lang === 'en') {
        await expect.poll(() => page.getByTestId('fix').textContent()).toMatch(/^No position: location is not allowed/);
        expect(await page.getByTestId('fix').textContent()).not.toMatch(/User denied/);
      }
      await context.close();
    }
  }, 120_000);
});

describe.skipIf(!hasChromium)('the report form on a phone', () => {
  it('hides "what was it" unless not poppy, drops a stale error, shows a camera button, and moves on to the next stop', async () => {
    const { context, page } = await phone('zh-CN');
    await context.grantPermissions(['geolocation']);
    await context.setGeolocation({ latitude: 25.0085, longitude: 100.005, accuracy: 8 });
    await signIn(page, 'team1', 'field');
    await page.getByTestId('stop-list').waitFor();
    const selectedSeq = () => page.locator('[data-testid=stop-list] li.selected').getAttribute('data-seq');
    const first = await selectedSeq();
    await page.getByTestId('report-stop').click();
    const sheet = page.getByTestId('report-sheet');
    await sheet.waitFor();
    await sheet.getByTestId('form-save').click();
    await expect.poll(() => sheet.getByTestId('form-error').textContent()).toBe('请选择结论');
    await sheet.getByTestId('verdict-confirmed_poppy').check();
    expect(await sheet.getByTestId('form-error').textContent()).toBe('');
    expect(await sheet.getByTestId('form-what').isVisible()).toBe(false);
    await sheet.getByTestId('verdict-not_poppy').check();
    expect(await sheet.getByTestId('form-what').isVisible()).toBe(true);
    // The photo control is our big button; the browser's "Choose Files / No file chosen" box is out of sight.
    expect(await sheet.getByTestId('form-add-photo').isVisible()).toBe(true);
    const raw = await sheet.getByTestId('form-photos').boundingBox();
    expect(raw!.width * raw!.height).toBeLessThanOrEqual(1);
    await page.screenshot({ path: path.join(SHOTS, 'zh-CN-report-sheet.png') });
    await sheet.getByTestId('verdict-nothing_found').check();
    await sheet.getByTestId('form-save').click();
    await sheet.waitFor({ state: 'detached' });
    await expect.poll(selectedSeq).not.toBe(first);
    expect(await page.locator(`[data-testid=stop-list] li[data-seq="${first}"]`).getAttribute('data-state')).not.toBe('open');
    await context.close();
  }, 120_000);

  it('a team with no route is told so, not "route saved at"', async () => {
    const { context, page } = await phone('zh-CN');
    await signIn(page, 'team9', 'field');
    await expect.poll(() => page.getByTestId('route-state').textContent(), { timeout: 30_000 }).toBe('本组尚无分配的路线。可以报告路线外发现的地块。');
    await context.close();
  }, 60_000);
});

describe.skipIf(!hasChromium)('target review', () => {
  it('keeps the open target across a language switch', async () => {
    const { context, page } = await phone('zh-CN');
    await signIn(page, 'operator', 'operator');
    const rows = page.locator('[data-testid=target-list] tbody tr');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(3);
    const id = await rows.nth(1).getAttribute('data-id');
    await rows.nth(1).click();
    const detail = page.getByTestId('target-detail');
    await detail.locator('h2').waitFor();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe(`#/operator?target=${encodeURIComponent(id!)}`);
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.locator('[data-testid=target-list] tr.selected').getAttribute('data-id'), { timeout: 30_000 }).toBe(id);
    await expect.poll(() => detail.isVisible()).toBe(true);
    expect(await detail.locator('h2').textContent()).toContain(id!.slice(0, 24));
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    // Place names follow the language where the data has a romanised one.
    expect(await page.locator('[data-testid=target-list] tr.selected td').nth(3).textContent()).toBe('Shangzhai Cun');
    await context.close();
  }, 90_000);

  it('asks for a reason, records a desk dismissal in the history, and restores the target', async () => {
    const { context, page } = await phone('en');
    await signIn(page, 'operator', 'operator');
    const rows = page.locator('[data-testid=target-list] tbody tr');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(3);
    await rows.nth(2).click();
    const detail = page.getByTestId('target-detail');
    await detail.locator('h2').waitFor();
    const status = detail.locator('[role=status]');
    const history = () => detail.locator('ul.history li').allTextContents();
    await detail.getByTestId('dismiss').click();
    await expect.poll(() => status.textContent()).toBe('Write a reason first');
    await detail.getByTestId('decision-reason').fill('rapeseed in the photo');
    await detail.getByTestId('dismiss').click();
    await expect.poll(() => status.textContent()).toBe('Recorded');
    expect(await detail.locator('.badge').textContent()).toBe('Dismissed at desk (not visited)');
    expect(await detail.getByTestId('desk-by').textContent()).toContain('by operator: rapeseed in the photo');
    expect((await history()).at(-1)).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d operator · target\.desk_dismiss → Dismissed at desk \(not visited\) \(rapeseed in the photo\)$/,
    );
    // The server records a restore's reason with the decision in front.
    await detail.getByTestId('decision-reason').fill('put back');
    await detail.getByTestId('restore').click();
    await expect.poll(() => detail.locator('.badge').textContent()).toBe('Detected');
    expect(await detail.getByTestId('desk-by').count()).toBe(0);
    expect((await history()).at(-1)).toMatch(/operator · target\.desk_undo → Detected \(restore: put back\)$/);
    await context.close();
  }, 90_000);
});

describe.skipIf(!hasChromium)('role-aware pages', () => {
  it('a field account sees only its tab, and a plain "no permission" on the operator page', async () => {
    const { context, page } = await phone('zh-CN');
    await signIn(page, 'team1', 'operator');
    await page.getByTestId('no-permission').waitFor();
    expect(await page.getByTestId('no-permission').locator('h2').textContent()).toBe('无权限');
    expect(await page.getByTestId('upload-input').count()).toBe(0);
    expect(await tabNames(page)).toEqual(['field']);
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('no-permission').locator('h2').textContent()).toBe('No permission');
    await page.getByTestId('no-permission').locator('a.go-to').click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/field');
    await context.close();
  });

  it('each office role sees only its own tabs and lands on its page', async () => {
    for (const [role, tabs] of [
      ['operator', ['operator']],
      ['planner', ['planner']],
      ['manager', ['manager']],
      ['admin', ['operator', 'planner', 'manager']],
    ] as const) {
      const { context, page } = await phone('zh-CN');
      await signIn(page, role, 'operator');
      await page.getByTestId('account').filter({ hasText: role }).waitFor();
      await expect.poll(() => tabNames(page)).toEqual(tabs);
      await page.goto(`${url}/`);
      await expect.poll(() => page.evaluate(() => location.hash)).toBe(`#/${tabs[0]}`);
      // The narrowest phones in use (360 px): the top bar still fits.
      await page.setViewportSize({ width: 360, height: 740 });
      await page.getByTestId('lang-switch').waitFor();
      await expectNoSidewaysScroll(page, `${role} at 360 px`);
      expect((await page.getByTestId('lang-switch').boundingBox())!.x + (await page.getByTestId('lang-switch').boundingBox())!.width).toBeLessThanOrEqual(360);
      await context.close();
    }
  });

  it('a cold load logs no 401 (or any error) in the console', async () => {
    const { context, page, console: messages } = await phone('zh-CN');
    await page.goto(`${url}/#/planner`);
    await page.getByTestId('login-name').waitFor();
    await page.waitForTimeout(500);
    expect(messages.filter((m) => /401|error/i.test(m))).toEqual([]);
    await context.close();
  });
});
