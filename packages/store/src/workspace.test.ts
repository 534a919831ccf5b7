import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { Workspace } from './workspace';
import { StoreError } from './errors';
import { encodeWkb, decodeWkb } from './wkb';
import { fromGpkgBlob, toGpkgBlob } from './gpkg-geometry';
import { rect, tmp } from './test-world.test-util';
import { SCHEMA_VERSION } from './schema';

describe('GeoPackage geometry', () => {
  it('round-trips every geometry type through WKB and the GP header', () => {
    const geoms = [
      { type: 'Point', coordinates: [100.1, 25.2] },
      { type: 'LineString', coordinates: [[100, 25], [100.1, 25.1]] },
      rect(100, 25, 100.01, 25.01),
      { type: 'MultiPolygon', coordinates: [rect(100, 25, 100.01, 25.01).coordinates, rect(101, 25, 101.01, 25.01).coordinates] },
      { type: 'MultiLineString', coordinates: [[[1, 2], [3, 4]], [[5, 6], [7, 8]]] },
      { type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] },
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
    expect(ws.db.pragma('application_id', { simple: true })).toBe(0x47504b47);
    expect(ws.db.pragma('user_version', { simple: true })).toBe(10300);
    expect(ws.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(ws.schemaVersion()).toBe(SCHEMA_VERSION);
    const layers = ws.db.prepare(`SELECT table_name, data_type FROM gpkg_contents ORDER BY table_name`).all();
    expect(layers).toContainEqual({ table_name: 'zones', data_type: 'features' });
    expect(layers).toContainEqual({ table_name: 'audit_log', data_type: 'attributes' });
    expect(ws.db.prepare(`SELECT count(*) AS n FROM gpkg_geometry_columns`).get()).toEqual({ n: 8 });
    ws.close();
    const again = Workspace.open(path);
    expect(again.schemaVersion()).toBe(SCHEMA_VERSION);
    again.close();
    expect(() => Workspace.create(path)).toThrow(StoreError);
  });

  it('refuses files that are not workspaces, with a code', () => {
    const dir = tmp();
    expect(() => Workspace.open(join(dir, 'nope.gpkg'))).toThrow(expect.objectContaining({ code: 'TIANDI_E_WORKSPACE_MISSING' }));
    writeFileSync(join(dir, 'x.gpkg'), 'hello');
    expect(() => Workspace.open(join(dir, 'x.gpkg'))).toThrow(expect.objectContaining({ code: 'TIANDI_E_NOT_WORKSPACE' }));
  });

  it('rolls back a write that throws, audit entry included', () => {
    const ws = Workspace.create(join(tmp(), 'ws.gpkg'));
    expect(() => ws.write('tester', (audit) => { audit('x', 'y'); throw new Error('boom'); })).toThrow('boom');
    expect(ws.db.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 0 });
    ws.write('tester', (audit) => audit('x', 'y', { a: 1 }));
    expect(ws.db.prepare('SELECT actor, action, seq FROM audit_log').all()).toEqual([{ actor: 'tester', action: 'x', seq: 1 }]);
    ws.close();
  });
});
