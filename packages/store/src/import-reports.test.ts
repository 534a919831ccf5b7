import { dbOf } from './workspace';
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Workspace } from './workspace';
import { importReports, importReportsFiles, type ImportTargetsCache } from './import-reports';
import { parseReportsFile } from './parse-reports-file';
import { importScanDirs } from './import-scan-dir';
import { tmp, villageScan } from './test-world.test-util';

const header = 'report_id,target_id,verdict,what,lon,lat,accuracy_m,observed_at,team,plant_count,area_m2,photos,notes';

describe('several files in one command are one transaction', () => {
  it('stores nothing from any reports file when one of them cannot be read', async () => {
    const dir = tmp();
    const ws = Workspace.create(join(dir, 'ws.gpkg'));
    writeFileSync(join(dir, 'a.csv'), `${header}\nr1,,confirmed_poppy,,100.002,25.008,5,2026-04-20T11:00:00+08:00,A,,,,\n`);
    writeFileSync(join(dir, 'b.csv'), 'report_id,verdict,colour\nr2,nothing_found,red\n');
    await expect(importReportsFiles(ws, [join(dir, 'a.csv'), join(dir, 'b.csv')], 'field')).rejects.toMatchObject({
      code: 'TIANDI_E_INPUT',
      path: join(dir, 'b.csv'),
    });
    expect(dbOf(ws).prepare('SELECT count(*) AS n FROM reports').get()).toEqual({ n: 0 });
    const ok = await importReportsFiles(ws, [join(dir, 'a.csv')], 'field');
    expect(ok[0].added.map((a) => a.reportId)).toEqual(['r1']);
    ws.close();
  });

  it('records several scan folders together, and a bad folder stops them all', async () => {
    const dir = tmp();
    const ws = Workspace.create(join(dir, 'ws.gpkg'));
    const good = villageScan(join(dir, 'good'));
    await expect(importScanDirs(ws, [good, join(dir, 'missing')], 'op')).rejects.toMatchObject({ code: 'TIANDI_E_SCAN_DIR' });
    expect(dbOf(ws).prepare('SELECT count(*) AS n FROM images').get()).toEqual({ n: 0 });
    const r = await importScanDirs(ws, [good, good], 'op');
    expect(r).toMatchObject({ imagesAdded: ['DJI_0001.tif', 'DJI_0002.tif'], candidatesAdded: 3 });
    ws.close();
  });
});

describe('photos named in a reports file', () => {
  const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
  const row = (id: string, photos: string) => `${id},,nothing_found,,100.002,25.008,5,2026-04-20T11:00:00+08:00,A,,,${photos},`;

  it('never reads a file outside the report folder: the row is rejected naming the field, nothing of it stored', async () => {
    const dir = tmp();
    const ws = Workspace.create(join(dir, 'ws.gpkg'));
    writeFileSync(join(dir, 'a.jpg'), JPEG);
    writeFileSync(join(dir, 'fake.jpg'), 'root:x:0:0');
    writeFileSync(
      join(dir, 'r.csv'),
      [header, row('r1', 'a.jpg'), row('r2', '../../../../etc/hostname'), row('r3', '/etc/hostname'), row('r4', 'fake.jpg')].join('\n'),
    );
    const [res] = await importReportsFiles(ws, [join(dir, 'r.csv')], 'field');
    expect(res.added.map((a) => a.reportId)).toEqual(['r1']);
    expect(res.rejected).toEqual([
      { row: 3, message: expect.stringMatching(/^photos: .*'\.\.\/\.\.\/\.\.\/\.\.\/etc\/hostname' contains '\.\.'/) },
      { row: 4, message: expect.stringMatching(/^photos: .*'\/etc\/hostname' is an absolute path/) },
      { row: 5, message: expect.stringMatching(/^photos: .*'fake\.jpg' is not a JPEG/) },
    ]);
    const photos = dbOf(ws).prepare('SELECT sha256, mime, size_bytes FROM photos').all();
    expect(photos).toEqual([{ sha256: createHash('sha256').update(JPEG).digest('hex'), mime: 'image/jpeg', size_bytes: JPEG.length }]);
    expect(dbOf(ws).prepare('SELECT photos_json FROM reports').all()).toEqual([
      { photos_json: JSON.stringify([createHash('sha256').update(JPEG).digest('hex')]) },
    ]);
    ws.close();
  });

  it('treats photo names in a GeoJSON the same way: a path out of the folder rejects the feature', async () => {
    const dir = tmp();
    const ws = Workspace.create(join(dir, 'ws.gpkg'));
    const feature = (id: string, photos: string[]) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [100.002, 25.008] },
      properties: { report_id: id, verdict: 'nothing_found', accuracy_m: 5, observed_at: '2026-04-20T11:00:00+08:00', photos },
    });
    writeFileSync(
      join(dir, 'r.geojson'),
      JSON.stringify({ type: 'FeatureCollection', features: [feature('g1', ['../../../../etc/hostname']), feature('g2', ['/etc/passwd'])] }),
    );
    const [res] = await importReportsFiles(ws, [join(dir, 'r.geojson')], 'field');
    expect(res.added).toEqual([]);
    expect(res.rejected).toEqual([
      { row: 1, message: expect.stringMatching(/^photos: .*contains '\.\.'/) },
      { row: 2, message: expect.stringMatching(/^photos: .*is an absolute path/) },
    ]);
    expect(dbOf(ws).prepare('SELECT count(*) AS n FROM photos').get()).toEqual({ n: 0 });
    ws.close();
  });

  it('reads photos from --photos <dir> only, when given', async () => {
    const dir = tmp();
    const pics = join(dir, 'pics');
    mkdirSync(pics);
    const ws = Workspace.create(join(dir, 'ws.gpkg'));
    writeFileSync(join(pics, 'b.jpg'), JPEG);
    writeFileSync(join(dir, 'a.jpg'), JPEG);
    writeFileSync(join(dir, 'r.csv'), [header, row('r1', 'b.jpg'), row('r2', 'a.jpg')].join('\n'));
    const [res] = await importReportsFiles(ws, [join(dir, 'r.csv')], 'field', { photosDir: pics });
    expect(res.added.map((a) => a.reportId)).toEqual(['r1']);
    expect(res.rejected).toEqual([{ row: 3, message: expect.stringContaining(`photo 'a.jpg' not found in ${pics}`) }]);
    ws.close();
  });

  it('refuses photo bytes handed in by name when they are not an image or not the sha256 they claim', async () => {
    const dir = tmp();
    const ws = Workspace.create(join(dir, 'ws.gpkg'));
    const report = (id: string, photo: string) =>
      ({
        row: 1,
        report: {
          reportId: id,
          targetId: null,
          verdict: 'nothing_found',
          what: null,
          position: [100.002, 25.008],
          accuracyM: 5,
          observedAt: '2026-04-20T11:00:00+08:00',
          team: 'A',
          plantCount: null,
          areaM2: null,
          photos: [photo],
          notes: null,
        },
      }) as never;
    const sha = 'a'.repeat(64);
    const text = importReports(ws, [report('r1', sha)], 'field', { photos: new Map([[sha, { bytes: Buffer.from('hello'), mime: 'image/jpeg' }]]) });
    expect(text.rejected[0].message).toMatch(/^photos: .*not a JPEG/);
    const wrong = importReports(ws, [report('r2', sha)], 'field', { photos: new Map([[sha, { bytes: JPEG, mime: 'image/jpeg' }]]) });
    expect(wrong.rejected[0].message).toMatch(/^photos: .*checksum mismatch|^photos: .*has sha256/);
    expect(dbOf(ws).prepare('SELECT count(*) AS n FROM photos').get()).toEqual({ n: 0 });
    ws.close();
  });
});

describe('text the CSV parser must not misread', () => {
  it('refuses a CSV whose quote is never closed, naming the line, and stores none of its rows', async () => {
    const dir = tmp();
    const ws = Workspace.create(join(dir, 'ws.gpkg'));
    const good = (id: string) => `${id},,nothing_found,,100.002,25.008,5,2026-04-20T11:00:00+08:00,A,,,,ok`;
    writeFileSync(
      join(dir, 'q.csv'),
      [
        header,
        good('r1'),
        good('r2'),
        `r3,,nothing_found,,100.002,25.008,5,2026-04-20T11:00:00+08:00,A,,,,"坡地 slope`,
        good('r4'),
        good('r5'),
        good('r6'),
        good('r7'),
      ].join('\n'),
    );
    await expect(importReportsFiles(ws, [join(dir, 'q.csv')], 'field')).rejects.toMatchObject({
      code: 'TIANDI_E_INPUT',
      field: 'line 4',
      message: expect.stringContaining('unclosed quote'),
    });
    expect(dbOf(ws).prepare('SELECT count(*) AS n FROM reports').get()).toEqual({ n: 0 });
    ws.close();
  });

  it('reads a GBK-encoded CSV (as Excel on Chinese Windows saves it) as the Chinese it is', async () => {
    const dir = tmp();
    const ws = Workspace.create(join(dir, 'ws.gpkg'));
    const text = `${header}\nr1,,not_poppy,油菜,100.002,25.008,5,2026-04-20T11:00:00+08:00,一组,,,,坡地东侧`;
    writeFileSync(join(dir, 'g.csv'), text);
    execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK', '-o', join(dir, 'gbk.csv'), join(dir, 'g.csv')]);
    expect(readFileSync(join(dir, 'gbk.csv')).includes(Buffer.from('油菜'))).toBe(false); // really not UTF-8
    const [res] = await importReportsFiles(ws, [join(dir, 'gbk.csv')], 'field');
    expect(res.added.map((a) => a.reportId)).toEqual(['r1']);
    expect(dbOf(ws).prepare('SELECT what, team, notes FROM reports').get()).toEqual({ what: '油菜', team: '一组', notes: '坡地东侧' });
    ws.close();
  });

  it('refuses bytes that are neither UTF-8 nor GBK with a hint, storing nothing', async () => {
    const dir = tmp();
    const ws = Workspace.create(join(dir, 'ws.gpkg'));
    writeFileSync(
      join(dir, 'latin1.csv'),
      Buffer.concat([
        Buffer.from(`${header}\nr1,,not_poppy,caf`),
        Buffer.from([0xe9, 0x2c]),
        Buffer.from('100.002,25.008,5,2026-04-20T11:00:00+08:00,A,,,,\n'),
      ]),
    );
    await expect(importReportsFiles(ws, [join(dir, 'latin1.csv')], 'field')).rejects.toMatchObject({
      code: 'TIANDI_E_INPUT',
      message: expect.stringContaining('iconv -f'),
    });
    expect(dbOf(ws).prepare('SELECT count(*) AS n FROM reports').get()).toEqual({ n: 0 });
    ws.close();
  });
});

describe('targets kept between the batches of one import', () => {
  const rows = (...lines: string[]) => parseReportsFile([header, ...lines].join('\n'), 'batch.csv').rows;
  const at = (id: string, verdict: string, lon: number) => `${id},,${verdict},,${lon},25.008,5,2026-04-20T11:00:00+08:00,A,,,,`;

  it('reuses the index its own batches left, and reads targets again after any other write (this connection or another)', () => {
    const dir = tmp();
    const ws = Workspace.create(join(dir, 'ws.gpkg'));
    const cache: ImportTargetsCache = {};
    const first = importReports(ws, rows(at('r1', 'confirmed_poppy', 100.002)), 'field', { targets: cache });
    const index = cache.index;
    expect(index?.size).toBe(1);
    // The next batch sees the target the first one created, from the same index.
    const second = importReports(ws, rows(at('r2', 'nothing_found', 100.002)), 'field', { targets: cache });
    expect(second.added[0]).toMatchObject({ match: 'by_position', targetId: first.newTargets[0] });
    expect(cache.index).toBe(index);
    // A write outside the import (here: another import on this connection) makes the next batch read afresh.
    const other = importReports(ws, rows(at('r3', 'confirmed_poppy', 100.004)), 'field');
    const third = importReports(ws, rows(at('r4', 'nothing_found', 100.004)), 'field', { targets: cache });
    expect(third.added[0]).toMatchObject({ match: 'by_position', targetId: other.newTargets[0] });
    expect(cache.index).not.toBe(index);
    // So does a commit by another connection to the same file.
    const ws2 = Workspace.open(join(dir, 'ws.gpkg'));
    const fromCli = importReports(ws2, rows(at('r5', 'confirmed_poppy', 100.006)), 'cli');
    ws2.close();
    const fourth = importReports(ws, rows(at('r6', 'nothing_found', 100.006)), 'field', { targets: cache });
    expect(fourth.added[0]).toMatchObject({ match: 'by_position', targetId: fromCli.newTargets[0] });
    ws.close();
  });

  it('drops the kept index when a batch rolls back, so its unstored targets are never matched', () => {
    const dir = tmp();
    const ws = Workspace.create(join(dir, 'ws.gpkg'));
    const cache: ImportTargetsCache = {};
    importReports(ws, rows(at('r1', 'nothing_found', 100.002)), 'field', { targets: cache });
    expect(() =>
      ws.write('test', () => {
        importReports(ws, rows(at('r2', 'confirmed_poppy', 100.004)), 'field', { targets: cache });
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    const after = importReports(ws, rows(at('r3', 'nothing_found', 100.004)), 'field', { targets: cache });
    expect(after.added[0]).toMatchObject({ match: 'unmatched', targetId: null });
    expect(dbOf(ws).prepare('SELECT count(*) AS n FROM targets').get()).toEqual({ n: 0 });
    ws.close();
  });
});
