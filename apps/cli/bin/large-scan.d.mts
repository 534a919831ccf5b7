export { LARGE_SCAN_BYTES, largeScanEnv, SCAN_MALLOC_ENV } from '@tiandi/tiles/scan-malloc-env';
export function rerunWith(env: NodeJS.ProcessEnv): Promise<number>;
