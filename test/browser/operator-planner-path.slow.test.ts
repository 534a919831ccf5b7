import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGeoTiff } from '../../apps/server/src/testing/make-geotiff';
import { RED_PLOTS, REDNESS_MODEL_DIR } from '../../apps/server/src/testing/test-model';
import { canvasStats } from './helpers/canvas-pixels';
import { hasChromium, launchChromium, skipNotice } from './helpers/chromium';
import { signInAs } from './helpers/sign-in';
import { startTestServer } from './helpers/test-server';

const ARTIFACTS = path.resolve('test-artifacts');
skipNotice();

/**
 * The operator and planner path in a real browser (Debian chromium, headless, SwiftShader WebGL)
 * against the real server in-process: upload an orthophoto, watch the scan reach 100 %, see the
 * targets on the map and in the list, plan three teams, export GPX and check it.
 * The scan uses the tiles package's redness test model; the orthophoto has four red plots.
 */
describe.skipIf(!hasChromium)('operator + planner in the browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    server = await startTestServer({ modelDir: REDNESS_MODEL_DIR });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    page.on('pageerror', (e) => errors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('uploads an orthophoto, shows scan progress to 100 %, and puts its targets on the map and in the list', async () => {
    const tif = path.join(server.dir, 'DJI_red_plots.tif');
    fs.writeFileSync(tif, makeGeoTiff({ width: 1000, height: 800, epsg: 32648, origin: [500_000, 3_090_000], pixelSize: 0.1, redPlots: RED_PLOTS }));
    await signInAs(page, server.url, 'operator', 'operator');
    await page.getByTestId('upload-input').setInputFiles(tif);
    const job = page.locator('[data-testid=jobs] li.job').first();
    await job.waitFor({ timeout: 30_000 });
    await page.locator('[data-testid=jobs] li.job[data-status=done]').waitFor({ timeout: 120_000 });
    expect(await job.getByTestId('job-pct').textContent()).toBe('100%');
    // The upload row follows its scan: no "waiting to scan" once the scan is done.
    await expect.poll(() => page.locator('li.upload').first().getAttribute('data-phase')).toBe('scanned');
    expect(await page.locator('li.upload .upload-state').first().textContent()).toBe('已上传，扫描完成');

    const rows = page.locator('[data-testid=target-list] tbody tr');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(RED_PLOTS.length);
    await expect.poll(() => page.getByTestId('map').getAttribute('data-loaded'), { timeout: 30_000 }).toBe(String(RED_PLOTS.length));

    // Only the imagery: vector layers off, wait for tiles, then the canvas must show the orthophoto.
    for (const layer of ['targets', 'gaps', 'zones', 'footprints', 'heatmap']) await page.getByTestId(`layer-${layer}`).uncheck();
    // Tiles arrive and the fit animation settles at the pace of a loaded machine: poll rather than sleep.
    await expect
      .poll(
        async () => {
          const s = await canvasStats(page);
          return s.nonBackground / (s.width * s.height);
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBeGreaterThan(0.1);
    const imagery = await canvasStats(page);
    await page.screenshot({ path: path.join(ARTIFACTS, 'operator-imagery-only.png') });
    expect(imagery.nonBackground).toBeGreaterThan(imagery.width * imagery.height * 0.1);
    expect(imagery.distinctColours).toBeGreaterThan(20);
    await page.getByTestId('layer-ortho').uncheck();
    await page.waitForTimeout(800);
    const blank = await canvasStats(page);
    expect(blank.nonBackground).toBeLessThan(imagery.nonBackground / 10);
    for (const layer of ['ortho', 'heatmap', 'targets', 'gaps', 'zones', 'footprints']) await page.getByTestId(`layer-${layer}`).check();

    // The imagery-quality layer draws the scan's quality.geojson, fetched through the server (role and CSP checked).
    const qualityFile = (fs.readdirSync(server.dir, { recursive: true }) as string[]).find((f) => f.endsWith('quality.geojson'));
    expect(qualityFile).toBeDefined();
    const poor = JSON.parse(fs.readFileSync(path.join(server.dir, qualityFile!), 'utf8')).features.length;
    await expect.poll(() => page.getByTestId('map').getAttribute('data-quality-blocks'), { timeout: 30_000 }).toBe(String(poor));
    await page.getByTestId('layer-quality').uncheck();
    await page.getByTestId('layer-quality').check();

    // A corrupt file is refused with its reason and never becomes a job.
    const bad = path.join(server.dir, 'broken.tif');
    fs.writeFileSync(bad, Buffer.concat([Buffer.from('II*\0'), Buffer.alloc(5000, 7)]));
    await page.getByTestId('upload-input').setInputFiles(bad);
    const badRow = page.locator('li.upload[data-file="broken.tif"]');
    await expect.poll(() => badRow.getAttribute('data-phase'), { timeout: 30_000 }).toBe('rejected');
    expect(await badRow.locator('.upload-state').textContent()).toMatch(/broken\.tif/);
    expect(await page.locator('[data-testid=jobs] li.job').count()).toBe(1);

    // Click a row: the map flies to it and the detail panel opens.
    await rows.first().click();
    await page.getByTestId('target-detail').waitFor();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: path.join(ARTIFACTS, 'operator-targets.png') });

    // A poor block (as a scan of blurred, hazy imagery writes it) is drawn and explains itself on a click.
    const block = {
      type: 'Feature',
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [104.9, 27.8],
            [105.1, 27.8],
            [105.1, 28],
            [104.9, 28],
            [104.9, 27.8],
          ],
        ],
      },
      properties: { class: 'poor_quality', image: 'DJI_red_plots.tif', reasons: ['blurred', 'hazy'] },
    };
    fs.writeFileSync(path.join(server.dir, qualityFile!), JSON.stringify({ type: 'FeatureCollection', features: [block] }));
    await page.reload();
    await expect.poll(() => page.getByTestId('map').getAttribute('data-quality-blocks'), { timeout: 30_000 }).toBe('1');
    await page.getByTestId('layer-targets').uncheck();
    await page.waitForTimeout(1500);
    const mapBox = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.click(mapBox.x + mapBox.width * 0.5, mapBox.y + mapBox.height * 0.5);
    await expect.poll(() => page.getByTestId('quality-popup').textContent(), { timeout: 10_000 }).toContain('影像质量较差：模糊、雾霾');
    await page.screenshot({ path: path.join(ARTIFACTS, 'operator-quality-layer.png') });
    expect(errors).toEqual([]);
  });

  it('plans three teams in the browser and exports a GPX with every target', async () => {
    await page.locator('[data-testid=account] button').click();
    await signInAs(page, server.url, 'planner', 'planner');
    await page.getByTestId('min-score').fill('0');
    await page.getByTestId('min-score').dispatchEvent('change');
    await expect.poll(() => page.getByTestId('selected-count').textContent()).toContain(String(RED_PLOTS.length));
    await page.getByTestId('teams').fill('3');
    await page.getByTestId('pick-depot').click();
    const box = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await page.getByTestId('depot-marker').waitFor();
    await page.getByTestId('run-plan').click();
    await page.getByTestId('plan-result').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('plan-summary').textContent()).toMatch(new RegExp(`${RED_PLOTS.length}`));
    const stops = await page.locator('.stop-marker').count();
    expect(stops).toBe(RED_PLOTS.length);
    await page.screenshot({ path: path.join(ARTIFACTS, 'planner-routes.png') });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-gpx').click()]);
    const gpx = fs.readFileSync((await download.path())!, 'utf8');
    fs.writeFileSync(path.join(ARTIFACTS, 'planner-export.gpx'), gpx);
    expect(gpx).toMatch(/^<\?xml[^>]*>\s*<gpx[^>]*version="1.1"/);
    const wpts = [...gpx.matchAll(/<wpt lat="([\d.-]+)" lon="([\d.-]+)"/g)].map((m) => [Number(m[2]), Number(m[1])]);
    expect(wpts).toHaveLength(RED_PLOTS.length);
    for (const [lon, lat] of wpts) {
      expect(lon).toBeGreaterThan(104.99);
      expect(lon).toBeLessThan(105.002);
      expect(lat).toBeGreaterThan(27.93);
      expect(lat).toBeLessThan(27.936);
    }
    expect((gpx.match(/<rte>/g) ?? []).length).toBeGreaterThanOrEqual(1);

    await page.getByTestId('save-plan').click();
    await expect.poll(() => page.getByTestId('plan-status').textContent(), { timeout: 10_000 }).toMatch(/plan-/);
    const saved = await server.app.inject({
      url: '/api/targets?status=planned',
      headers: {
        authorization: `Bearer ${(await (await server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { name: 'planner', password: 'planner-password' } })).json()).token}`,
      },
    });
    expect(saved.json().features).toHaveLength(RED_PLOTS.length);

    const firstTeam = page.locator('[data-testid^=sheet-]').first();
    await firstTeam.click();
    await page.getByTestId('route-sheet').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'planner-route-sheet.png') });
    expect(await page.getByTestId('sheet-day').count()).toBe(1);
    await page.getByTestId('route-sheet').getByRole('button', { name: '关闭' }).click();

    // Two working days for one team whose 3-h shift holds one 100-min stop a day: the stops are numbered
    // day·order on the map, and the team's route sheet has a page per day.
    await page.getByTestId('teams').fill('1');
    await page.getByTestId('shift-hours').fill('3');
    await page.getByTestId('service-min').fill('100');
    await page.getByTestId('days').fill('2');
    await page.getByTestId('run-plan').click();
    await expect.poll(() => page.locator('.stop-marker').allTextContents(), { timeout: 60_000 }).toEqual(expect.arrayContaining(['1·1', '2·1']));
    expect(await page.locator('.stop-marker').count()).toBe(2);
    await page.getByTestId('sheet-T1').click();
    await page.getByTestId('route-sheet').waitFor();
    expect(await page.getByTestId('sheet-day').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.day))).toEqual(['1', '2']);
    expect(await page.locator('[data-testid=sheet-day] img.sheet-map').count()).toBe(2);
    await page.screenshot({ path: path.join(ARTIFACTS, 'planner-route-sheet-2-days.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
