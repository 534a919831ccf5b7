export const SCAN_MALLOC_ENV: { MALLOC_MMAP_THRESHOLD_: string; MALLOC_ARENA_MAX: string };
export const LARGE_SCAN_BYTES: number;
export function largeScanEnv(argv: string[], env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform): NodeJS.ProcessEnv | undefined;
