export const SCAN_MALLOC_ENV: { MALLOC_MMAP_THRESHOLD_: string; MALLOC_ARENA_MAX: string };
