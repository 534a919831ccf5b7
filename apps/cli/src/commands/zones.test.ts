import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Workspace, readZones } from '@tiandi/store';
import { afterAll, describe, expect, it } from 'vitest';
import { tiandi } from '../../../../test/helpers/run-tiandi';

// Boundary fixtures written by ogr2ogr (packages/store/scripts/make-boundary-fixtures.sh).
const IN = fileURLToPath(new URL('../../../../packages/store/test/in/boundaries/', import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-zones-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('tiandi zones import', () => {
  it('--preview lists the fields, samples and the id/name fields it would use, and writes nothing', async () => {
    const r = await tiandi(dir, 'zones', 'import', path.join(IN, 'villages-4543.shp'), '--preview', '--workspace', 'p.gpkg');
    expect(r.code).toBe(0);
    expect(r.out).toContain('格式 format: shapefile');
    expect(r.out).toContain('编码 encoding: gbk (.cpg)');
    expect(r.out).toMatch(/XZQMC\t2 个不同值 distinct\t阿都村 \| 新街村/);
    expect(r.out).toContain('编号字段 id field: XZQDM; 名称字段 name field: XZQMC');
    expect(fs.existsSync(path.join(dir, 'p.gpkg'))).toBe(false);
  });

  it('imports a GBK shapefile and a Xian 1980 GeoPackage layer with mapped fields, saying once that Xian 1980 has no known shift', async () => {
    expect((await tiandi(dir, 'init', 'w.gpkg')).code).toBe(0);
    const a = await tiandi(dir, 'zones', 'import', path.join(IN, 'villages-4543.shp'), '--level', 'village', '--workspace', 'w.gpkg');
    expect(a.code, a.err).toBe(0);
    expect(a.out).toContain('2 新增 added');
    const b = await tiandi(
      dir,
      'zones',
      'import',
      path.join(IN, 'villages-2358.gpkg'),
      '--level',
      'village',
      '--id-field',
      'XZQDM',
      '--name-field',
      'XZMC',
      '--workspace',
      'w.gpkg',
    );
    expect(b.code, b.err).toBe(0);
    expect(b.out).toContain('2 更新 updated');
    expect(b.err.split('\n').filter((l) => l.includes('Xian 1980'))).toHaveLength(1);
    const ws = Workspace.open(path.join(dir, 'w.gpkg'));
    try {
      expect(readZones(ws).map((z) => [z.zoneId, z.name])).toEqual([
        ['532527101201', '沙坝乡'],
        ['532527101202', '沙坝乡'],
      ]);
    } finally {
      ws.close();
    }
  });

  it('refuses an unknown field with the fields it has, and an unsupported file', async () => {
    const r = await tiandi(dir, 'zones', 'import', path.join(IN, 'villages.kmz'), '--id-field', 'CODE', '--workspace', 'w.gpkg');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^tiandi: .*--id-field 'CODE'.*XZQDM/);
    const u = await tiandi(dir, 'zones', 'import', path.join(IN, 'villages-4543.prj'), '--workspace', 'w.gpkg');
    expect(u.code).toBe(2);
    expect(u.err).toMatch(/\.shp.*\.kml, \.kmz, \.gpkg or \.geojson/);
  });
});
