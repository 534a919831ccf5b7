import { dbOf } from './workspace';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { auditHead, readDepot, readRoads, roadsVersion, setDepot, setRoads, type RoadWay } from './planning-inputs';
import { tmp } from './test-world.test-util';
import { Workspace } from './workspace';

describe('roads and depot in the workspace', () => {
  it('stores the road network with tags and node ids, replaces it on a new import, and keeps the depot', () => {
    const path = join(tmp(), 'ws.gpkg');
    const ws = Workspace.create(path);
    expect(readRoads(ws)).toEqual([]);
    expect(readDepot(ws)).toBeNull();
    const ways: RoadWay[] = [
      {
        id: '10',
        coords: [
          [102.3, 27.9],
          [102.31, 27.9],
        ] as [number, number][],
        tags: { highway: 'residential', name: '村道' },
        nodes: [1, 2],
      },
      {
        id: '11',
        coords: [
          [102.31, 27.9],
          [102.31, 27.91],
        ] as [number, number][],
        tags: { highway: 'track', tunnel: 'yes' },
      },
    ];
    setRoads(ws, ways, 'roads.osm.pbf', 'tester');
    setRoads(ws, ways, 'roads.osm.pbf', 'tester');
    // The layer's extent (what GIS clients zoom to) covers every way.
    expect(dbOf(ws).prepare(`SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = 'roads'`).get()).toEqual({
      min_x: 102.3,
      min_y: 27.9,
      max_x: 102.31,
      max_y: 27.91,
    });
    setDepot(ws, { id: 'depot', name: '派出所', lonLat: [102.305, 27.9] }, 'tester');
    ws.close();
    const again = Workspace.open(path);
    expect(readRoads(again)).toEqual([ways[0], { ...ways[1] }]);
    expect(readDepot(again)).toEqual({ id: 'depot', name: '派出所', lonLat: [102.305, 27.9] });
    setDepot(again, { id: 'depot', name: '依洛乡派出所', namePinyin: 'Yiluo Xiang Paichusuo', lonLat: [102.3, 27.9] }, 'tester');
    expect(readDepot(again)).toEqual({ id: 'depot', name: '依洛乡派出所', namePinyin: 'Yiluo Xiang Paichusuo', lonLat: [102.3, 27.9] });
    const audit = dbOf(again)
      .prepare(`SELECT action FROM audit_log ORDER BY seq`)
      .all()
      .map((r) => (r as { action: string }).action);
    expect(audit.filter((a) => a === 'roads.set').length).toBe(2);
    expect(audit).toContain('depot.set');
    expect(() => setRoads(again, [], 'empty.geojson', 'tester')).toThrow(expect.objectContaining({ code: 'TIANDI_E_INPUT' }));
    again.close();
  });

  it('changes the roads version only when the roads are set (the audit head on every write)', () => {
    const ws = Workspace.create(join(tmp(), 'ws.gpkg'));
    expect(roadsVersion(ws)).toBe(0);
    const way: RoadWay = {
      id: '1',
      coords: [
        [102.3, 27.9],
        [102.31, 27.9],
      ],
      tags: { highway: 'track' },
    };
    setRoads(ws, [way], 'a.geojson', 'tester');
    const v1 = roadsVersion(ws);
    const h1 = auditHead(ws);
    expect(v1).toBeGreaterThan(0);
    setDepot(ws, { id: 'depot', name: null, lonLat: [102.3, 27.9] }, 'tester');
    expect(roadsVersion(ws)).toBe(v1);
    expect(auditHead(ws)).not.toBe(h1);
    setRoads(ws, [way], 'a.geojson', 'tester');
    expect(roadsVersion(ws)).toBeGreaterThan(v1);
    ws.close();
  });
});
