/**
 * npm run bench:web — how soon a field team's phone shows something useful on a weak network.
 *
 * Builds the web app (with its brotli/gzip copies), serves it from the real server on 127.0.0.1
 * over a small survey, and opens #/field in Debian's chromium at 390 × 844 under Chromium's network
 * throttling (CDP Network.emulateNetworkConditions), for each profile: cold (empty cache) and warm
 * (second visit, immutable assets from the HTTP cache). "First useful paint" is the moment the team's
 * stop list is on screen. Also prints the bytes that crossed the network, and the same cold load with
 * the compressed copies removed. Figures are printed, never asserted; on a shared machine they are noisy.
 */
import { dbOf } from '@tiandi/store/testing';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { AccountStore } from '@tiandi/store/accounts';
import { buildServer } from '@tiandi/server';
import { makeSurveyWorkspace } from '../../server/src/routes/field-world.test-util';
import { CHROMIUM_PATH, hasChromium, launchChromium } from '../../../test/browser/helpers/chromium';

/** Chromium DevTools' throttling presets (download/upload in bytes per second, latency in ms). */
const PROFILES = [
  { name: 'Fast 4G', latency: 60, download: (9000 * 1024) / 8, upload: (1500 * 1024) / 8 },
  { name: 'Slow 4G', latency: 150, download: (1600 * 1024) / 8, upload: (750 * 1024) / 8 },
];
const RUNS = 3;

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  if (!hasChromium) {
    console.log(`bench:web needs chromium (${CHROMIUM_PATH} not found): apt-get install chromium`);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-bench-web-'));
  try {
    const file = path.join(dir, 'survey.gpkg');
    const made = await makeSurveyWorkspace(file, dir);
    await new AccountStore(dbOf(made.ws), { scrypt: { N: 1 << 10, r: 8, p: 1, keyLen: 32 } }).addAccount({
      name: 'team1',
      role: 'field',
      teamId: 'T1',
      password: 'team1-password',
    });
    made.ws.close();
    process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING ??= 'true';
    const { build } = await import('vite');
    const compressed = path.join(dir, 'web');
    await build({ configFile: path.join(webDir, 'vite.config.ts'), root: webDir, logLevel: 'warn', build: { outDir: compressed, emptyOutDir: true } });
    const plain = path.join(dir, 'web-plain');
    fs.cpSync(compressed, plain, { recursive: true, filter: (src) => !/\.(br|gz)$/.test(src) });

    const browser = await launchChromium();
    try {
      console.log('profile      build        visit  first useful paint (ms, median of 3)  runs                 transferred');
      for (const [label, webRoot] of [
        ['precompressed', compressed],
        ['uncompressed', plain],
      ] as const) {
        const app = await buildServer({ workspacePath: file, dataDir: path.join(dir, `data-${label}`), webRoot, runJobs: false });
        const url = await app.listen({ host: '127.0.0.1', port: 0 });
        try {
          for (const profile of PROFILES) {
            const visits = label === 'precompressed' ? (['cold', 'warm'] as const) : (['cold'] as const);
            for (const visit of visits) {
              const runs = [];
              for (let i = 0; i < RUNS; i++) runs.push(await firstUsefulPaint(browser, url, profile, visit));
              const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
              const kb = Math.round(runs[0].bytes / 1024);
              console.log(
                `${profile.name.padEnd(12)} ${label.padEnd(13)} ${visit.padEnd(6)} ${String(ms[1]).padStart(6)}                                ${ms.join(', ').padEnd(20)} ${kb} KB`,
              );
            }
          }
        } finally {
          await app.close();
        }
      }
    } finally {
      await browser.close();
    }
    console.log('Chromium throttling on 127.0.0.1; the machine is shared, so treat the figures as indicative.');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One load of #/field by a signed-in team; `warm` loads once unthrottled first, then measures a reload. */
async function firstUsefulPaint(
  browser: Browser,
  url: string,
  profile: (typeof PROFILES)[number],
  visit: 'cold' | 'warm',
): Promise<{ ms: number; bytes: number }> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    serviceWorkers: 'block',
  });
  try {
    const login = await context.request.post(`${url}/api/auth/login`, { data: { name: 'team1', password: 'team1-password' } });
    if (!login.ok()) throw new Error(`sign-in failed: ${login.status()}`);
    if (visit === 'warm') {
      // A first visit fills the HTTP cache; the measured one is a new tab of the same browser profile.
      const first = await context.newPage();
      await first.goto(`${url}/#/field`);
      await first.getByTestId('stop-list').waitFor({ timeout: 60_000 });
      await first.close();
    }
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: profile.latency,
      downloadThroughput: profile.download,
      uploadThroughput: profile.upload,
    });
    let bytes = 0;
    cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => (bytes += e.encodedDataLength));
    const start = Date.now();
    await page.goto(`${url}/#/field`, { waitUntil: 'commit' });
    await page.getByTestId('stop-list').waitFor({ timeout: 120_000 });
    const ms = Date.now() - start;
    await cdp.detach();
    return { ms, bytes };
  } finally {
    await context.close();
  }
}

await main();
