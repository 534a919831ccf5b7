import { importScan, type ImportScanOptions, type ImportScanResult } from './import-scan';
import { readScanDir } from './read-scan-dir';
import type { Workspace } from './workspace';

/**
 * Reads a scan result folder and records it in the workspace (one transaction). What `tiandi scan
 * --workspace` and `tiandi scans import` call.
 * @example await importScanDir(ws, 'out/scan-001', 'operator:lin')
 */
export async function importScanDir(
  ws: Workspace,
  dir: string,
  actor: string,
  opts: ImportScanOptions & { signal?: AbortSignal } = {},
): Promise<ImportScanResult> {
  const scan = await readScanDir(dir, opts.signal);
  opts.signal?.throwIfAborted();
  return importScan(ws, scan, actor, opts);
}

/** Several scan folders recorded as ONE transaction (all or nothing). */
export async function importScanDirs(
  ws: Workspace,
  dirs: string[],
  actor: string,
  opts: ImportScanOptions & { signal?: AbortSignal } = {},
): Promise<ImportScanResult> {
  const scans = [];
  for (const d of dirs) scans.push(await readScanDir(d, opts.signal));
  opts.signal?.throwIfAborted();
  const seen = new Set<string>();
  const images = scans.flatMap((s) => s.images).filter((i) => !seen.has(i.imageId) && seen.add(i.imageId));
  return importScan(
    ws,
    {
      images,
      candidates: scans.flatMap((s) => s.candidates),
      summary: scans.length === 1 ? scans[0].summary : scans.map((s) => s.summary),
      source: dirs.join(', '),
    },
    actor,
    opts,
  );
}
