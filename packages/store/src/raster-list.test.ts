import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRasterList, setRasterList } from './raster-list';
import { putScanJob, readScanJobs } from './scan-jobs';
import { readAuditLog } from './verify-audit';
import { tmp } from './test-world.test-util';
import { Workspace } from './workspace';

const hasOgrinfo = spawnSync('ogrinfo', ['--version']).status === 0;
if (!hasOgrinfo)
  console.warn('NOTICE: ogrinfo (gdal-bin) not found — reading the scan_jobs and rasters tables back with GDAL is skipped (.ci/run installs it).');

const job = (id: string, seq: number, status: string) => ({
  id,
  seq,
  status,
  imageName: `${id}.tif`,
  imagePath: `/data/uploads/${id}.tif`,
  sha256: id.padEnd(64, '0'),
  createdAt: `2026-04-0${seq}T00:00:00Z`,
  finishedAt: null,
  error: null,
  progress: { fraction: 0.5 },
});

describe('the server state in the workspace', () => {
  it('keeps scan jobs as put (replacing by id, listed by arrival) and the raster list, auditing only a changed list', () => {
    const dir = tmp();
    const ws = Workspace.create(join(dir, 'ws.gpkg'));
    putScanJob(ws, job('b', 2, 'queued'));
    putScanJob(ws, job('a', 1, 'running'));
    putScanJob(ws, { ...job('a', 1, 'done'), finishedAt: '2026-04-01T00:05:00Z' });
    expect(readScanJobs<ReturnType<typeof job>>(ws).map((j) => [j.id, j.status, j.progress.fraction])).toEqual([
      ['a', 'done', 0.5],
      ['b', 'queued', 0.5],
    ]);

    const list = [
      { kind: 'ortho' as const, name: 'block-1.tif', file: '/imagery/block-1.tif', imageId: null },
      { kind: 'heatmap' as const, name: 'block-1.tif', file: '/scans/block-1/heatmap.tif', imageId: 'block-1.tif' },
    ];
    expect(setRasterList(ws, list, 'seeds', 'demo')).toEqual({ changed: true });
    expect(setRasterList(ws, list, 'seeds', 'demo')).toEqual({ changed: false });
    expect(readRasterList(ws)).toEqual(list);
    // Job bookkeeping is not evidence: only the raster list's one change is in the audit chain.
    expect(readAuditLog(ws).map((e) => e.action)).toEqual(['rasters.set']);
    expect(() => setRasterList(ws, [{ ...list[0], kind: 'dem' as never }], 'rasters.json', 'server')).toThrow(/\[0\]\.kind|ortho/);
    ws.close();

    const again = Workspace.open(join(dir, 'ws.gpkg'));
    expect(readScanJobs(again).map((j) => j.id)).toEqual(['a', 'b']);
    again.close();
  });

  it.skipIf(!hasOgrinfo)('lists scan_jobs and rasters as tables GDAL (and so QGIS) opens', () => {
    const dir = tmp();
    const ws = Workspace.create(join(dir, 'ws.gpkg'));
    putScanJob(ws, job('a', 1, 'done'));
    setRasterList(ws, [{ kind: 'ortho', name: 'block-1.tif', file: '/imagery/block-1.tif', imageId: null }], 'seeds', 'demo');
    ws.close();
    const jobs = execFileSync('ogrinfo', ['-ro', '-al', join(dir, 'ws.gpkg'), 'scan_jobs'], { encoding: 'utf8' });
    expect(jobs).toContain('Feature Count: 1');
    expect(jobs).toMatch(/status \(String\) = done/);
    expect(jobs).toMatch(/image_name \(String\) = a\.tif/);
    const rasters = execFileSync('ogrinfo', ['-ro', '-al', join(dir, 'ws.gpkg'), 'rasters'], { encoding: 'utf8' });
    expect(rasters).toMatch(/kind \(String\) = ortho/);
    expect(rasters).toMatch(/file \(String\) = \/imagery\/block-1\.tif/);
  });
});
