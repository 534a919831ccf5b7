import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readRasterList, readScanJobs, Workspace } from '@tiandi/store';
import { makeGeoTiff } from '../testing/make-geotiff';
import { signedInServer } from '../testing/signed-in';
import { migrateJobsFile, migrateRasterFileList } from './migrate-data-files';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function world() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-data-'));
  dirs.push(dir);
  return { dir, ws: Workspace.create(path.join(dir, 'ws.gpkg')) };
}
const oldJob = (id: string, seq: number) => ({
  id,
  seq,
  kind: 'scan',
  status: 'done',
  imagePath: `/d/uploads/${id}.tif`,
  imageName: `${id}.tif`,
  sha256: id.padEnd(64, '0'),
  sizeBytes: 10,
  createdAt: '2026-04-01T00:00:00Z',
  startedAt: null,
  finishedAt: '2026-04-01T00:01:00Z',
  attempts: 1,
  progress: { stage: 'tiles', fraction: 1 },
  error: null,
  result: { scanDir: `/d/scans/${id}`, candidates: 2, imageId: `${id}.tif`, scanId: null, imported: true },
});

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
    fs.writeFileSync(
      path.join(dir, 'rasters.json'),
      JSON.stringify([
        { kind: 'ortho', name: 'block-1.tif', file: 'imagery/block-1.tif' },
        { kind: 'heatmap', name: 'block-1.tif', file: '/scans/b1/heatmap.tif', imageId: 'block-1.tif' },
        { kind: 'dem', name: 'x', file: 'x.tif' },
      ]),
    );
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

  it('a server started on such a folder shows its old jobs and rasters, read from the workspace', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-data-'));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'block-1.tif'), makeGeoTiff({ width: 64, height: 64, epsg: 32648, origin: [500_000, 3_090_000], pixelSize: 0.5 }));
    fs.writeFileSync(path.join(dir, 'rasters.json'), JSON.stringify([{ kind: 'ortho', name: 'block-1.tif', file: 'block-1.tif' }]));
    fs.writeFileSync(path.join(dir, 'jobs.json'), JSON.stringify([oldJob('a', 1)]));
    const s = await signedInServer({ dataDir: dir, runJobs: false });
    try {
      const jobs = (await s.app.inject({ url: '/api/jobs', headers: s.as.operator })).json().jobs;
      expect(jobs.map((j: { id: string; status: string }) => [j.id, j.status])).toEqual([['a', 'done']]);
      const rasters = (await s.app.inject({ url: '/api/rasters', headers: s.as.operator })).json();
      expect(JSON.stringify(rasters)).toContain('block-1.tif');
      expect(fs.readdirSync(dir).filter((f) => f.endsWith('.json'))).toEqual([]);
    } finally {
      await s.cleanup();
    }
  });
});
