// Plain JavaScript, so the CLI's launcher (apps/cli/bin) can read it before loading anything else.
import { statSync } from 'node:fs';

/**
 * glibc's allocator told to give freed memory back, for a process that runs a long scan. glibc raises its mmap
 * threshold after the first large frees (up to 32 MB), so the block buffers a long scan frees later come from its
 * heap and are kept: a 1.6-Gpx striped file peaked at 638 MB when tracing started with the block cache just freed,
 * 575 MB with these (packages/tiles/bench/HISTORY.md). glibc reads them only at a process's start, so `tiandi scan`
 * re-runs itself with them (apps/cli/bin/large-scan.mjs) and the server gives them to its scan processes
 * (apps/server/src/jobs/scan-thread.ts). MALLOC_ARENA_MAX keeps threads from each growing an arena of their own.
 * The threshold is 1 MB, not 256 KB: sharp's 786-KB output buffers (a 512-px JPEG block) then come from the heap
 * instead of a fresh mmap each, page faults and all (1.6-Gpx no-overview COG, two alternated pairs: 10.1-10.8 -> 7.0-7.3
 * system-s, 32.5-33.5 -> 29.5-31.3 s), while the striped file's buffers of 1-4 MB are still given back (44.5-50.4 s
 * either way, peaks 479-492 MB); 4 MB took that file to 579 MB.
 */
export const SCAN_MALLOC_ENV = { MALLOC_MMAP_THRESHOLD_: '1048576', MALLOC_ARENA_MAX: '2' };

/**
 * Input bytes from which `tiandi scan` re-runs itself in a child with these settings: a second Node start (~0.05 s) is little beside a scan of
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
