import { importScan, type ImportScanOptions, type ImportScanResult } from './import-scan';
import { readScanDir } from './read-scan-dir';
import type { Workspace } from './workspace';

/**
 * Reads a scan result folder and records it in the workspace (one transaction). What `tiandi scan
 * --workspace` and `tiandi scans import` call.
 * @example await importScanDir(ws, 'out/scan-001', 'operator:lin')
 */
export async function importScanDir(ws: Workspace, dir: string, actor: string, opts: ImportScanOptions & { signal?: AbortSignal } = {}): Promise<ImportScanResult> {
  const scan = await readScanDir(dir, opts.signal);
  opts.signal?.throwIfAborted();
  return importScan(ws, scan, actor, opts);
}
