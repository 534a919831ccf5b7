import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium (installed by .ci/run), found on PATH, or the file TIANDI_CHROMIUM names. */
export const CHROMIUM_PATH = process.env.TIANDI_CHROMIUM ?? onPath('chromium') ?? 'chromium';

/** Whether the browser tests can run here. */
export const hasChromium = fs.existsSync(CHROMIUM_PATH);

function onPath(name: string): string | undefined {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .map((dir) => path.join(dir, name))
    .find((p) => fs.existsSync(p));
}

/** Headless chromium with software WebGL (SwiftShader), no network chatter. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Prints the notice shown when the browser tests are skipped. */
export function skipNotice(): void {
  if (!hasChromium) console.warn(`NOTICE: ${CHROMIUM_PATH} not found — browser tests skipped (install Debian's chromium, as .ci/run does).`);
}
