import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideTriage, listTriage, Workspace } from '@tiandi/store';
import { triageWorld, twoStageRednessModel } from '../../apps/server/src/triage/triage-world.test-util';
import { hasChromium, launchChromium, skipNotice } from './helpers/chromium';
import { signInAs } from './helpers/sign-in';
import { startTestServer } from './helpers/test-server';

skipNotice();

/**
 * The manager's local adaptation in a real browser against the real server: 12 candidates scanned for real with a
 * two-stage test model, 6 dismissed at the desk; the manager adapts with the button (progress shown while the job
 * runs), sees the version and why it is not recommended, adopts it anyway after the confirmation, and restores.
 * The operator's page has no such panel, and the API refuses them (403, tested in the server's own tests).
 */
describe.skipIf(!hasChromium)('local adaptation from the manager page', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  const errors: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-adapt-browser-'));

  beforeAll(async () => {
    const modelDir = twoStageRednessModel(dir);
    const world = await triageWorld(dir, path.join(dir, 'data'), 4, 3, modelDir);
    const ws = Workspace.open(world.workspacePath);
    for (const i of listTriage(ws).items.slice(0, 6)) decideTriage(ws, { targetId: i.targetId, decision: 'not_poppy', reason: 'roof' }, 'operator');
    ws.close();
    server = await startTestServer({ workspacePath: world.workspacePath, dataDir: path.join(dir, 'data'), modelDir });
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('adapts with a job showing progress, adopts after confirming, restores; in Chinese first', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => errors.push(e.message));
    await signInAs(page, server.url, 'manager', 'manager');
    const panel = page.getByTestId('adaptation');
    await expect.poll(() => panel.getByRole('heading').first().textContent()).toBe('本地适配复核模型');
    await expect.poll(() => page.getByTestId('adapt-in-force').textContent()).toMatch(/扫描时的复核分数/);
    await page.getByTestId('adapt-run').click();
    await expect.poll(() => page.getByTestId('adapt-progress').textContent(), { timeout: 60_000 }).toMatch(/完成/);
    expect(await page.getByTestId('adapt-progress').textContent()).toMatch(/fitting on \d+ windows/);
    const version = page.locator('[data-testid=adapt-versions] li[data-version="redness-adapted-1"]');
    await expect.poll(() => version.textContent()).toMatch(/0\.0\.1-adapted\.1.*不建议采用/);

    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('adapt-adopt-redness-adapted-1').click();
    await expect.poll(() => page.getByTestId('adapt-result').textContent(), { timeout: 60_000 }).toMatch(/已采用 0\.0\.1-adapted\.1：重新评分 12 个候选/);
    await expect.poll(() => page.getByTestId('adapt-in-force').textContent()).toMatch(/采用中：redness-adapted-1 0\.0\.1-adapted\.1/);

    await page.getByTestId('adapt-restore').click();
    await expect.poll(() => page.getByTestId('adapt-result').textContent()).toMatch(/已恢复/);
    await expect.poll(() => page.getByTestId('adapt-in-force').textContent()).toMatch(/扫描时的复核分数/);

    // The operator has no adaptation panel.
    const op = await browser.newPage();
    await signInAs(op, server.url, 'operator', 'manager');
    expect(await op.getByTestId('adaptation').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 180_000);
});
