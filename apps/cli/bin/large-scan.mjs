// Whether `tiandi scan` should run in a child process with glibc's allocator told to give freed memory back.
// Plain JavaScript beside the launcher (bin/tiandi.mjs), which decides before loading anything else.
import { statSync } from 'node:fs';
import { SCAN_MALLOC_ENV } from '@tiandi/tiles/scan-malloc-env';

// Why and which settings: @tiandi/tiles/scan-malloc-env.
export { SCAN_MALLOC_ENV };

/**
 * Input bytes from which a scan is run in that child: a second Node start (~0.05 s) is little beside a scan of
 * seconds, and a small scan's memory stays far under the budget without it (a 64-Mpx JPEG COG, ~20 MB: ~400 MB).
 * Not the image's size but its width sets a striped file's band cache: a 40 000 × 4 000 striped deflate file with
 * alpha (226 MB, 160 Mpx) peaked at 590 MB run here, 515 MB in the child (its 2-MB band buffers kept in glibc's
 * heap). 48 MB is about 800 rows of such a file, 150 Mpx of JPEG at quality 85.
 */
export const LARGE_SCAN_BYTES = 48 << 20;

/**
 * The environment to re-run `argv` (the CLI's arguments) with, or undefined to run here: a `scan` of TIFF files
 * totalling at least `largeBytes` (TIANDI_LARGE_SCAN_BYTES, default {@link LARGE_SCAN_BYTES}; 0: every scan) on
 * Linux, unless the allocator was already set (by that re-run, or by the user).
 */
export function largeScanEnv(argv, env = process.env, platform = process.platform) {
  const largeBytes = env.TIANDI_LARGE_SCAN_BYTES ? Number(env.TIANDI_LARGE_SCAN_BYTES) : LARGE_SCAN_BYTES;
  if (argv[0] !== 'scan' || platform !== 'linux' || env.MALLOC_MMAP_THRESHOLD_ !== undefined) return undefined;
  let bytes = 0;
  for (const a of argv.slice(1)) {
    if (!/\.tiff?$/i.test(a)) continue;
    try {
      bytes += statSync(a).size;
    } catch {
      // Not a file (yet): the scan names it.
    }
  }
  return bytes >= largeBytes ? { ...env, ...SCAN_MALLOC_ENV } : undefined;
}

/** Runs this CLI again in a child process with `env`, forwarding signals; resolves to its exit status. */
export async function rerunWith(env) {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
  const forward = (s) => child.kill(s);
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, forward);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.off(s, forward);
      // Killed by a signal: end the same way, so the shell sees what happened.
      if (signal) process.kill(process.pid, signal);
      resolve(code ?? 1);
    });
    child.on('error', () => resolve(1));
  });
}
