import { dbOf } from './workspace';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { Workspace } from './workspace';
import { StoreError } from './errors';
import { encodeWkb, decodeWkb } from './wkb';
import { fromGpkgBlob, toGpkgBlob } from './gpkg-geometry';
import { rect, tmp } from './test-world.test-util';
import { LAYERS, PLANNING_LAYERS, SCHEMA_VERSION } from './schema';

describe('GeoPackage geometry', () => {
  it('round-trips every geometry type through WKB and the GP header', () => {
    const geoms = [
      { type: 'Point', coordinates: [100.1, 25.2] },
      {
        type: 'LineString',
        coordinates: [
          [100, 25],
          [100.1, 25.1],
        ],
      },
      rect(100, 25, 100.01, 25.01),
      { type: 'MultiPolygon', coordinates: [rect(100, 25, 100.01, 25.01).coordinates, rect(101, 25, 101.01, 25.01).coordinates] },
      {
        type: 'MultiLineString',
        coordinates: [
          [
            [1, 2],
            [3, 4],
          ],
          [
            [5, 6],
            [7, 8],
          ],
        ],
      },
      {
        type: 'MultiPoint',
        coordinates: [
          [1, 2],
          [3, 4],
        ],
      },
    ] as const;
    for (const g of geoms) {
      expect(decodeWkb(encodeWkb(g as never))).toEqual(g);
      const blob = toGpkgBlob(g as never);
      expect(blob.subarray(0, 4)).toEqual(Buffer.from([0x47, 0x50, 0, 3]));
      expect(blob.readInt32LE(4)).toBe(4326);
      expect(fromGpkgBlob(blob)).toEqual(g);
    }
    // Envelope is minx, maxx, miny, maxy.
    const b = toGpkgBlob(rect(100, 25, 100.01, 25.02));
    expect([b.readDoubleLE(8), b.readDoubleLE(16), b.readDoubleLE(24), b.readDoubleLE(32)]).toEqual([100, 100.01, 25, 25.02]);
  });
});

describe('Workspace', () => {
  it('creates a GeoPackage with the core tables, layers and a recorded schema version', () => {
    const path = join(tmp(), 'ws.gpkg');
    const ws = Workspace.create(path);
    expect(dbOf(ws).pragma('application_id', { simple: true })).toBe(0x47504b47);
    expect(dbOf(ws).pragma('user_version', { simple: true })).toBe(10300);
    expect(dbOf(ws).pragma('journal_mode', { simple: true })).toBe('wal');
    expect(ws.schemaVersion()).toBe(SCHEMA_VERSION);
    const layers = dbOf(ws).prepare(`SELECT table_name, data_type FROM gpkg_contents ORDER BY table_name`).all();
    expect(layers).toContainEqual({ table_name: 'zones', data_type: 'features' });
    expect(layers).toContainEqual({ table_name: 'audit_log', data_type: 'attributes' });
    expect(dbOf(ws).prepare(`SELECT count(*) AS n FROM gpkg_geometry_columns`).get()).toEqual({ n: LAYERS.length + PLANNING_LAYERS.length });
    expect(layers).toContainEqual({ table_name: 'roads', data_type: 'features' });
    ws.close();
    const again = Workspace.open(path);
    expect(again.schemaVersion()).toBe(SCHEMA_VERSION);
    again.close();
    expect(() => Workspace.create(path)).toThrow(StoreError);
  });

  it('keeps a GeoPackage R-tree index of every layer in step with its rows', () => {
    const ws = Workspace.create(join(tmp(), 'ws.gpkg'));
    const ext = dbOf(ws).prepare(`SELECT count(*) AS n FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index'`).get();
    expect(ext).toEqual({ n: LAYERS.length + PLANNING_LAYERS.length });
    ws.write('t', () => {
      dbOf(ws)
        .prepare(`INSERT INTO zones (geom, zone_id, level, area_m2, imported_at) VALUES (?, 'A', 'village', 1, 'x')`)
        .run(toGpkgBlob(rect(100, 25, 100.01, 25.01)));
      dbOf(ws)
        .prepare(`INSERT INTO zones (geom, zone_id, level, area_m2, imported_at) VALUES (?, 'B', 'village', 1, 'x')`)
        .run(toGpkgBlob(rect(101, 26, 101.01, 26.01)));
      dbOf(ws)
        .prepare(`UPDATE zones SET geom = ? WHERE zone_id = 'B'`)
        .run(toGpkgBlob(rect(102, 27, 102.5, 27.5)));
      dbOf(ws).prepare(`INSERT INTO zones (geom, zone_id, level, area_m2, imported_at) VALUES (NULL, 'C', 'village', 1, 'x')`).run();
    });
    const rows = dbOf(ws)
      .prepare(`SELECT z.zone_id, r.minx, r.maxx, r.miny, r.maxy FROM rtree_zones_geom r JOIN zones z ON z.fid = r.id ORDER BY z.zone_id`)
      .all() as { zone_id: string; minx: number; maxx: number }[];
    expect(rows.map((r) => r.zone_id)).toEqual(['A', 'B']);
    expect(rows[1].minx).toBeCloseTo(102, 4);
    expect(rows[1].maxx).toBeCloseTo(102.5, 4);
    const hit = dbOf(ws).prepare(`SELECT id FROM rtree_zones_geom WHERE maxx >= 100.005 AND minx <= 100.006 AND maxy >= 25.005 AND miny <= 25.006`).all();
    expect(hit).toHaveLength(1);
    ws.write('t', () => dbOf(ws).prepare(`DELETE FROM zones WHERE zone_id = 'A'`).run());
    expect(dbOf(ws).prepare('SELECT count(*) AS n FROM rtree_zones_geom').get()).toEqual({ n: 1 });
    ws.close();
  });

  it('refuses files that are not workspaces, with a code', () => {
    const dir = tmp();
    expect(() => Workspace.open(join(dir, 'nope.gpkg'))).toThrow(expect.objectContaining({ code: 'TIANDI_E_WORKSPACE_MISSING' }));
    writeFileSync(join(dir, 'x.gpkg'), 'hello');
    expect(() => Workspace.open(join(dir, 'x.gpkg'))).toThrow(expect.objectContaining({ code: 'TIANDI_E_NOT_WORKSPACE' }));
  });

  it('rolls back a write that throws, audit entry included', () => {
    const ws = Workspace.create(join(tmp(), 'ws.gpkg'));
    expect(() =>
      ws.write('tester', (audit) => {
        audit('x', 'y');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(dbOf(ws).prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 0 });
    ws.write('tester', (audit) => audit('x', 'y', { a: 1 }));
    expect(dbOf(ws).prepare('SELECT actor, action, seq FROM audit_log').all()).toEqual([{ actor: 'tester', action: 'x', seq: 1 }]);
    ws.close();
  });
});
