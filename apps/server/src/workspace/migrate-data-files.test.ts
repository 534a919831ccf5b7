import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readRasterList, readScanJobs, Workspace } from '@tiandi/store';
import { migrateJobsFile, migrateRasterFileList } from './migrate-data-files';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function world() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-data-'));
  dirs.push(dir);
  return { dir, ws: Workspace.create(path.join(dir, 'ws.gpkg')) };
}
const oldJob = (id: string, seq: number) => ({ id, seq, kind: 'scan', status: 'done', imagePath: `/d/uploads/${id}.tif`, imageName: `${id}.tif`, sha256: id.padEnd(64, '0'), sizeBytes: 10, createdAt: '2026-04-01T00:00:00Z', startedAt: null, finishedAt: '2026-04-01T00:01:00Z', attempts: 1, progress: { stage: 'tiles', fraction: 1 }, error: null, result: { scanDir: `/d/scans/${id}`, candidates: 2, imageId: `${id}.tif`, scanId: null, imported: true } });

describe("an older server's data folder", () => {
  it('moves jobs.json into the workspace once, the jobs exactly as they were, and keeps the file renamed', () => {
    const { dir, ws } = world();
    const jobs = [oldJob('a', 1), oldJob('b', 2)];
    fs.writeFileSync(path.join(dir, 'jobs.json'), JSON.stringify(jobs, null, 1));
    expect(migrateJobsFile(dir, ws)[0]).toMatch(/2 个扫描任务.*moved into the workspace/);
    expect(readScanJobs(ws)).toEqual(jobs);
    expect(fs.existsSync(path.join(dir, 'jobs.json'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'jobs.json.migrated'))).toBe(true);
    expect(migrateJobsFile(dir, ws)).toEqual([]);
    ws.close();
  });

  it('moves rasters.json into the raster list (relative paths made absolute, unknown kinds left out as before); a broken file stays', () => {
    const { dir, ws } = world();
    fs.writeFileSync(path.join(dir, 'rasters.json'), JSON.stringify([
      { kind: 'ortho', name: 'block-1.tif', file: 'imagery/block-1.tif' },
      { kind: 'heatmap', name: 'block-1.tif', file: '/scans/b1/heatmap.tif', imageId: 'block-1.tif' },
      { kind: 'dem', name: 'x', file: 'x.tif' },
    ]));
    expect(migrateRasterFileList(dir, ws)).toHaveLength(1);
    expect(readRasterList(ws)).toEqual([
      { kind: 'ortho', name: 'block-1.tif', file: path.join(dir, 'imagery/block-1.tif'), imageId: null },
      { kind: 'heatmap', name: 'block-1.tif', file: '/scans/b1/heatmap.tif', imageId: 'block-1.tif' },
    ]);
    expect(fs.existsSync(path.join(dir, 'rasters.json.migrated'))).toBe(true);

    fs.writeFileSync(path.join(dir, 'rasters.json'), '{ not json');
    expect(migrateRasterFileList(dir, ws)[0]).toMatch(/rasters\.json: 无法移入工作区 cannot move into the workspace/);
    expect(fs.existsSync(path.join(dir, 'rasters.json'))).toBe(true);
    expect(readRasterList(ws)).toHaveLength(2);
    ws.close();
  });
});
