export { SCAN_MALLOC_ENV } from '@tiandi/tiles/scan-malloc-env';
export const LARGE_SCAN_BYTES: number;
export function largeScanEnv(argv: string[], env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform): NodeJS.ProcessEnv | undefined;
export function rerunWith(env: NodeJS.ProcessEnv): Promise<number>;
