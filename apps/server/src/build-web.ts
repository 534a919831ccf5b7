import fs from 'node:fs';
import path from 'node:path';
import { WEB_APP_DIR } from './web-root';

/** Newest modification time (ms) of the files under `dir`, skipping dist and node_modules. */
function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Builds apps/web into apps/web/dist with Vite when the build is missing or older than its
 * sources. Returns the dist folder. Runs offline.
 */
export async function ensureWebBuild(opts: { force?: boolean; onLog?: (line: string) => void } = {}): Promise<string> {
  const dist = path.join(WEB_APP_DIR, 'dist');
  const index = path.join(dist, 'index.html');
  const isFresh = () => fs.existsSync(index) && fs.statSync(index).mtimeMs >= newestMtimeMs(WEB_APP_DIR);
  if (isFresh() && !opts.force) return dist;
  // One build at a time across processes (parallel test files, a server starting during a test run).
  const lock = path.join(WEB_APP_DIR, 'node_modules', '.tiandi-build-lock');
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (age > 180_000) fs.rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error('网页构建等待超时 timed out waiting for another web build');
      await new Promise((r) => setTimeout(r, 500));
      if (isFresh() && !opts.force) return dist;
    }
  }
  try {
    if (isFresh() && !opts.force) return dist;
    opts.onLog?.('构建网页应用 Building the web app…');
    process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING ??= 'true';
    const { build } = await import('vite');
    await build({ configFile: path.join(WEB_APP_DIR, 'vite.config.ts'), root: WEB_APP_DIR, logLevel: 'warn' });
    return dist;
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
