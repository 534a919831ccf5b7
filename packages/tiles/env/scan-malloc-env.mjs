// Plain JavaScript, so the CLI's launcher (apps/cli/bin) can read it before loading anything else.

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
