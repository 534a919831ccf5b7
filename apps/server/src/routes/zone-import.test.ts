import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldWorld } from './field-world.test-util';

// Boundary fixtures written by ogr2ogr (packages/store/scripts/make-boundary-fixtures.sh).
const IN = fileURLToPath(new URL('../../../../packages/store/test/in/boundaries/', import.meta.url));
const file = (name: string) => ({ name, base64: fs.readFileSync(IN + name).toString('base64') });
const SHAPEFILE = ['villages-4543.shp', 'villages-4543.shx', 'villages-4543.dbf', 'villages-4543.prj', 'villages-4543.cpg'].map(file);

let w: Awaited<ReturnType<typeof fieldWorld>>;
beforeAll(async () => {
  w = await fieldWorld();
});
afterAll(async () => {
  await w?.cleanup();
});

describe('POST /api/manager/zones/import', () => {
  it('is for managers and admins only', async () => {
    const payload = { files: SHAPEFILE, preview: true };
    expect((await w.app.inject({ method: 'POST', url: '/api/manager/zones/import', payload })).statusCode).toBe(401);
    for (const role of ['operator', 'planner', 'field'] as const) {
      expect((await w.app.inject({ method: 'POST', url: '/api/manager/zones/import', payload, headers: w.as[role] })).statusCode).toBe(403);
    }
  });

  it('previews a GBK shapefile sent as its five files, storing nothing', async () => {
    const before = (await w.app.inject({ url: '/api/zones', headers: w.as.manager })).json().features.length;
    const r = await w.app.inject({ method: 'POST', url: '/api/manager/zones/import', payload: { files: SHAPEFILE, preview: true }, headers: w.as.manager });
    expect(r.statusCode, r.body).toBe(200);
    const p = r.json().preview;
    expect(p).toMatchObject({ format: 'shapefile', polygons: 2, idField: 'XZQDM', nameField: 'XZQMC', encoding: 'gbk (.cpg)' });
    expect(p.fields.find((f: { name: string }) => f.name === 'XZQMC').samples).toEqual(['阿都村', '新街村']);
    expect((await w.app.inject({ url: '/api/zones', headers: w.as.manager })).json().features.length).toBe(before);
  });

  it('imports a KMZ with mapped fields, as the signed-in manager', async () => {
    const r = await w.app.inject({
      method: 'POST',
      url: '/api/manager/zones/import',
      payload: { files: [file('villages.kmz')], level: 'village', idField: 'XZQDM', nameField: 'XZQMC' },
      headers: w.as.manager,
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().result.added).toEqual(['532527101201', '532527101202']);
    const zones = (await w.app.inject({ url: '/api/zones', headers: w.as.manager })).json().features as { properties: { zone_id: string; name: string } }[];
    expect(zones.find((z) => z.properties.zone_id === '532527101201')?.properties.name).toBe('阿都村');
  });

  it('answers 400 naming what to do: a missing .dbf, an unknown field, a path in a file name', async () => {
    const noDbf = await w.app.inject({
      method: 'POST',
      url: '/api/manager/zones/import',
      payload: { files: SHAPEFILE.filter((f) => !f.name.endsWith('.dbf')) },
      headers: w.as.manager,
    });
    expect(noDbf.statusCode).toBe(400);
    expect(noDbf.json().message).toMatch(/\.dbf/);
    const badField = await w.app.inject({
      method: 'POST',
      url: '/api/manager/zones/import',
      payload: { files: SHAPEFILE, idField: 'CODE' },
      headers: w.as.manager,
    });
    expect(badField.statusCode).toBe(400);
    expect(badField.json().message).toMatch(/--id-field 'CODE'.*XZQDM/);
    const sneaky = await w.app.inject({
      method: 'POST',
      url: '/api/manager/zones/import',
      payload: { files: [{ name: '../x.geojson', base64: '' }] },
      headers: w.as.manager,
    });
    expect(sneaky.statusCode).toBe(400);
  });
});
