import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { Workspace } from './workspace';
import { importReportsFiles } from './import-reports';
import { importScanDirs } from './import-scan-dir';
import { tmp, villageScan } from './test-world.test-util';

const header = 'report_id,target_id,verdict,what,lon,lat,accuracy_m,observed_at,team,plant_count,area_m2,photos,notes';

describe('several files in one command are one transaction', () => {
  it('stores nothing from any reports file when one of them cannot be read', async () => {
    const dir = tmp();
    const ws = Workspace.create(join(dir, 'ws.gpkg'));
    writeFileSync(join(dir, 'a.csv'), `${header}\nr1,,confirmed_poppy,,100.002,25.008,5,2026-04-20T11:00:00+08:00,A,,,,\n`);
    writeFileSync(join(dir, 'b.csv'), 'report_id,verdict,colour\nr2,nothing_found,red\n');
    await expect(importReportsFiles(ws, [join(dir, 'a.csv'), join(dir, 'b.csv')], 'field')).rejects.toMatchObject({ code: 'TIANDI_E_INPUT', path: join(dir, 'b.csv') });
    expect(ws.db.prepare('SELECT count(*) AS n FROM reports').get()).toEqual({ n: 0 });
    const ok = await importReportsFiles(ws, [join(dir, 'a.csv')], 'field');
    expect(ok[0].added.map((a) => a.reportId)).toEqual(['r1']);
    ws.close();
  });

  it('records several scan folders together, and a bad folder stops them all', async () => {
    const dir = tmp();
    const ws = Workspace.create(join(dir, 'ws.gpkg'));
    const good = villageScan(join(dir, 'good'));
    await expect(importScanDirs(ws, [good, join(dir, 'missing')], 'op')).rejects.toMatchObject({ code: 'TIANDI_E_SCAN_DIR' });
    expect(ws.db.prepare('SELECT count(*) AS n FROM images').get()).toEqual({ n: 0 });
    const r = await importScanDirs(ws, [good, good], 'op');
    expect(r).toMatchObject({ imagesAdded: ['DJI_0001.tif', 'DJI_0002.tif'], candidatesAdded: 3 });
    ws.close();
  });
});
