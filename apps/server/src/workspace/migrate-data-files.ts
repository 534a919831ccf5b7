import fs from 'node:fs';
import path from 'node:path';
import { putScanJob, readRasterList, readScanJobs, setRasterList, type RasterRecord, type ScanJobRecord, type Workspace } from '@tiandi/store';

/** Files older servers kept in the data folder beside the workspace (now its scan_jobs and rasters tables). */
export const LEGACY_DATA_FILES = { jobs: 'jobs.json', rasters: 'rasters.json' } as const;

/**
 * Moves an older server's jobs.json into the workspace's scan_jobs table, once: jobs the workspace does
 * not hold yet are added, then the file is renamed `jobs.json.migrated` (nothing is deleted). A file that
 * cannot be read stays as it is; the message says why. Returns the messages for the server log.
 */
export function migrateJobsFile(dataDir: string, ws: Workspace): string[] {
  const file = path.join(dataDir, LEGACY_DATA_FILES.jobs);
  if (!fs.existsSync(file)) return [];
  let list: ScanJobRecord[];
  try {
    list = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (!Array.isArray(list) || !list.every((j) => typeof j?.id === 'string' && typeof j.sha256 === 'string')) throw new Error('not a list of jobs');
  } catch (e) {
    return [`${file}: 无法移入工作区 cannot move into the workspace (${(e as Error).message}); the scan jobs in it are not shown`];
  }
  const known = new Set(readScanJobs(ws).map((j) => j.id));
  const added = list.filter((j) => !known.has(j.id));
  for (const j of added)
    putScanJob(ws, { ...j, imageName: j.imageName ?? '', imagePath: j.imagePath ?? '', finishedAt: j.finishedAt ?? null, error: j.error ?? null });
  fs.renameSync(file, `${file}.migrated`);
  return [`${file}: ${added.length} 个扫描任务已移入工作区 scan jobs moved into the workspace`];
}

/**
 * Moves a rasters.json (written by older demos, by hand, or by a test) into the workspace's raster list:
 * its entries (paths relative to the data folder made absolute) are added after those listed, then the
 * file is renamed `rasters.json.migrated`. A file that cannot be read stays; the message says why.
 */
export function migrateRasterFileList(dataDir: string, ws: Workspace): string[] {
  const file = path.join(dataDir, LEGACY_DATA_FILES.rasters);
  if (!fs.existsSync(file)) return [];
  let entries: RasterRecord[];
  try {
    const list = JSON.parse(fs.readFileSync(file, 'utf8')) as { kind?: unknown; name?: unknown; file?: unknown; imageId?: unknown }[];
    if (!Array.isArray(list)) throw new Error('not a list');
    // As the old reader did: entries of another kind or without a file were never shown.
    entries = list
      .filter((e) => (e?.kind === 'ortho' || e?.kind === 'heatmap') && typeof e.file === 'string')
      .map((e) => ({
        kind: e.kind as RasterRecord['kind'],
        name: typeof e.name === 'string' ? e.name : path.basename(e.file as string),
        file: path.resolve(dataDir, e.file as string),
        imageId: typeof e.imageId === 'string' ? e.imageId : null,
      }));
  } catch (e) {
    return [`${file}: 无法移入工作区 cannot move into the workspace (${(e as Error).message}); fix it and restart`];
  }
  const current = readRasterList(ws);
  const key = (r: RasterRecord) => `${r.kind}\0${r.file}`;
  const have = new Set(current.map(key));
  setRasterList(ws, [...current, ...entries.filter((e) => !have.has(key(e)))], LEGACY_DATA_FILES.rasters, 'server');
  fs.renameSync(file, `${file}.migrated`);
  return [`${file}: 栅格列表已移入工作区 raster list moved into the workspace`];
}
