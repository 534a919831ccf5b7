// Plain JavaScript, so the CLI's launcher (apps/cli/bin) can read it before loading anything else.

/**
 * glibc's allocator told to give freed memory back, for a process that runs a long scan. glibc raises its mmap
 * threshold after the first large frees (up to 32 MB), so the block buffers a long scan frees later come from its
 * heap and are kept: a 1.6-Gpx striped file peaked at 638 MB when tracing started with the block cache just freed,
 * 575 MB with these (packages/tiles/bench/HISTORY.md). glibc reads them only at a process's start, so `tiandi scan`
 * re-runs itself with them (apps/cli/bin/large-scan.mjs) and the server gives them to its scan processes
 * (apps/server/src/jobs/scan-thread.ts). MALLOC_ARENA_MAX keeps threads from each growing an arena of their own.
 */
export const SCAN_MALLOC_ENV = { MALLOC_MMAP_THRESHOLD_: '262144', MALLOC_ARENA_MAX: '2' };
