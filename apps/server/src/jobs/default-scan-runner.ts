import type { ScanRunner } from './job-queue';

/**
 * Scans the job's image with the tiles package and imports the result into the workspace with the
 * store package. Filled in as those packages land; until then it fails the job with a clear reason.
 */
export function defaultScanRunner(_workspacePath: string, _dataDir: string): ScanRunner {
  return async () => {
    throw new Error('扫描功能尚未可用 scanning is not available in this build yet (packages/tiles scanImages missing)');
  };
}
