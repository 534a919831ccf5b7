import { dbOf } from '@tiandi/store/testing';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { signedInServer } from '../testing/signed-in';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const line = (coordinates: unknown) => ({ type: 'Feature', properties: { highway: 'track' }, geometry: { type: 'LineString', coordinates } });
const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features });

describe('planning routes: the road network (issue 15, finding 6)', () => {
  it('refuses bad road geometry with 400 naming it, and keeps the saved network', async () => {
    const s = await signedInServer({ runJobs: false });
    cleanups.push(s.cleanup);
    const put = (payload: unknown) => s.app.inject({ method: 'PUT', url: '/api/planning/roads', payload: payload as object, headers: s.as.planner });
    expect(
      (
        await put(
          fc(
            line([
              [100, 25],
              [100.01, 25.01],
            ]),
          ),
        )
      ).statusCode,
    ).toBe(200);
    const cases: [unknown, string][] = [
      [fc(line('boom')), 'features.0.geometry.coordinates'],
      [fc(line([[100, 25]])), 'features.0.geometry.coordinates'],
      [
        fc(
          line([
            [100, 25],
            [200, 25],
          ]),
        ),
        'features.0.geometry.coordinates.1',
      ],
      [
        fc(
          line([
            [100, 25],
            ['100', 25],
          ]),
        ),
        'features.0.geometry.coordinates.1',
      ],
      [
        fc(
          line([
            [100, 25],
            [100, 25],
          ]),
          { type: 'Feature', geometry: { type: 'Point', coordinates: [100, 25] } },
        ),
        'features.1.geometry.type',
      ],
      [
        fc({
          type: 'Feature',
          geometry: {
            type: 'MultiLineString',
            coordinates: [
              [
                [100, 25],
                [100, 26],
              ],
              'x',
            ],
          },
        }),
        'features.0.geometry.coordinates.1',
      ],
      [fc(), 'features'],
      [{ type: 'Feature' }, 'type'],
    ];
    for (const [body, field] of cases) {
      const r = await put(body);
      expect(r.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(r.json()).toMatchObject({ code: 'TIANDI_E_VALIDATION', field });
    }
    const ctx = (await s.app.inject({ url: '/api/planning/context', headers: s.as.field })).json();
    expect(ctx.roads.features[0].geometry.coordinates).toEqual([
      [100, 25],
      [100.01, 25.01],
    ]);
  });

  it('refuses a network over maxRoadsBytes with 413, and serves the saved bytes without re-parsing them', async () => {
    const s = await signedInServer({ runJobs: false, maxRoadsBytes: 64 * 1024 });
    cleanups.push(s.cleanup);
    const put = (payload: unknown) => s.app.inject({ method: 'PUT', url: '/api/planning/roads', payload: payload as object, headers: s.as.planner });
    const big = fc(
      ...Array.from({ length: 2000 }, (_, i) =>
        line([
          [100, 25 + i / 1e4],
          [100.01, 25 + i / 1e4],
        ]),
      ),
    );
    const r = await put(big);
    expect(r.statusCode).toBe(413);
    expect(fs.existsSync(path.join(s.dir, 'data', 'roads.geojson'))).toBe(false);
    expect(
      (
        await put(
          fc(
            line([
              [100, 25],
              [100.01, 25.01],
            ]),
          ),
        )
      ).json(),
    ).toEqual({ roads: 1, vertices: 2 });
    const first = await s.app.inject({ url: '/api/planning/context', headers: s.as.operator });
    expect(first.headers['content-type']).toContain('application/json');
    expect(first.json()).toEqual({
      roads: fc(
        line([
          [100, 25],
          [100.01, 25.01],
        ]),
      ),
      depot: null,
      depotName: null,
      depotNamePinyin: null,
      reviewThreshold: null,
    });
    // A rewritten file is read again.
    expect(
      (
        await put(
          fc(
            line([
              [101, 25],
              [101.01, 25.01],
            ]),
          ),
        )
      ).statusCode,
    ).toBe(200);
    expect((await s.app.inject({ url: '/api/planning/context', headers: s.as.operator })).json().roads.features[0].geometry.coordinates[0]).toEqual([101, 25]);
  });
});

describe('planning context: the default minimum score', () => {
  it("gives the season policy's review threshold (null before a season is set)", async () => {
    const s = await signedInServer({ runJobs: false });
    cleanups.push(s.cleanup);
    expect((await s.app.inject({ url: '/api/planning/context', headers: s.as.planner })).json().reviewThreshold).toBeNull();
    const { Workspace, setSeason } = await import('@tiandi/store');
    const ws = Workspace.open(path.join(s.dir, 'w.gpkg'));
    const season = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../seeds/season.json'), 'utf8'));
    setSeason(ws, { ...season, policy: { ...season.policy, review_threshold: 0.3 } }, 'test');
    ws.close();
    expect((await s.app.inject({ url: '/api/planning/context', headers: s.as.planner })).json().reviewThreshold).toBe(0.3);
  });
});

describe('planning inputs live in the workspace (issue 20)', () => {
  it('stores roads and depot in the workspace layers, audited, and serves roads another process set', async () => {
    const s = await signedInServer({ runJobs: false });
    cleanups.push(s.cleanup);
    const put = (url: string, payload: unknown) => s.app.inject({ method: 'PUT', url, payload: payload as object, headers: s.as.planner });
    const osmLike = {
      type: 'Feature',
      properties: { highway: 'residential', layer: 1, nodes: [7, 8] },
      geometry: {
        type: 'LineString',
        coordinates: [
          [100, 25],
          [100.01, 25.01],
        ],
      },
    };
    expect((await put('/api/planning/roads', fc(osmLike))).statusCode).toBe(200);
    expect((await put('/api/planning/depot', { depot: [100.002, 25.003], name: '派出所' })).statusCode).toBe(200);
    expect(fs.existsSync(path.join(s.dir, 'data', 'roads.geojson'))).toBe(false);
    expect(fs.existsSync(path.join(s.dir, 'data', 'depot.geojson'))).toBe(false);
    const { Workspace, readRoads, readDepot, setRoads } = await import('@tiandi/store');
    const ws = Workspace.open(path.join(s.dir, 'w.gpkg'));
    try {
      // Tags as strings, node ids kept (so ways meet where they did), the depot with its name: what `tiandi plan --workspace` reads.
      expect(readRoads(ws)).toEqual([
        {
          id: '0',
          coords: [
            [100, 25],
            [100.01, 25.01],
          ],
          tags: { highway: 'residential', layer: '1' },
          nodes: [7, 8],
        },
      ]);
      expect(readDepot(ws)).toEqual({ id: 'depot', name: '派出所', lonLat: [100.002, 25.003] });
      const audit = dbOf(ws).prepare(`SELECT actor, action FROM audit_log WHERE action IN ('roads.set', 'depot.set') ORDER BY seq`).all();
      expect(audit).toEqual([
        { actor: 'planner', action: 'roads.set' },
        { actor: 'planner', action: 'depot.set' },
      ]);
      const ctx = (await s.app.inject({ url: '/api/planning/context', headers: s.as.field })).json();
      expect(ctx).toMatchObject({ depot: [100.002, 25.003], depotName: '派出所', depotNamePinyin: null });
      expect(ctx.roads).toEqual(
        fc({
          type: 'Feature',
          properties: { highway: 'residential', layer: '1', nodes: [7, 8] },
          geometry: {
            type: 'LineString',
            coordinates: [
              [100, 25],
              [100.01, 25.01],
            ],
          },
        }),
      );
      // The CLI (another connection) replaces the network: the next context has it, not the cached bytes.
      setRoads(
        ws,
        [
          {
            id: 'w9',
            coords: [
              [101, 26],
              [101.01, 26.01],
            ],
            tags: { highway: 'track' },
          },
        ],
        'county.osm.pbf',
        'cli',
      );
    } finally {
      ws.close();
    }
    const after = (await s.app.inject({ url: '/api/planning/context', headers: s.as.field })).json();
    expect(after.roads.features.map((f: { geometry: { coordinates: unknown } }) => f.geometry.coordinates)).toEqual([
      [
        [101, 26],
        [101.01, 26.01],
      ],
    ]);
  });

  it("moves an older server's roads.geojson and depot.geojson into the workspace once on start", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-legacy-'));
    cleanups.push(async () => fs.rmSync(root, { recursive: true, force: true }));
    const dataDir = path.join(root, 'data');
    fs.mkdirSync(dataDir);
    fs.writeFileSync(
      path.join(dataDir, 'roads.geojson'),
      JSON.stringify(
        fc(
          line([
            [100, 25],
            [100.01, 25.01],
          ]),
          line([
            [100.01, 25.01],
            [100.02, 25],
          ]),
        ),
      ),
    );
    fs.writeFileSync(
      path.join(dataDir, 'depot.geojson'),
      JSON.stringify({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [100.005, 25.002] },
        properties: { name: '乡政府', name_pinyin: 'Xiang Zhengfu' },
      }),
    );
    const opts = { runJobs: false, dataDir, workspacePath: path.join(root, 'w.gpkg') };
    const first = await signedInServer(opts);
    const ctx = (await first.app.inject({ url: '/api/planning/context', headers: first.as.planner })).json();
    expect(ctx.roads.features.map((f: { geometry: { coordinates: unknown } }) => f.geometry.coordinates)).toEqual([
      [
        [100, 25],
        [100.01, 25.01],
      ],
      [
        [100.01, 25.01],
        [100.02, 25],
      ],
    ]);
    expect(ctx).toMatchObject({ depot: [100.005, 25.002], depotName: '乡政府' });
    expect(
      fs
        .readdirSync(dataDir)
        .filter((f) => f.includes('.geojson'))
        .sort(),
    ).toEqual(['depot.geojson.migrated', 'roads.geojson.migrated']);
    await first.cleanup();
    // A restart neither imports again nor loses what was moved.
    const second = await signedInServer(opts);
    cleanups.push(second.cleanup);
    expect((await second.app.inject({ url: '/api/planning/context', headers: second.as.planner })).json()).toMatchObject({
      depot: [100.005, 25.002],
      depotName: '乡政府',
      depotNamePinyin: 'Xiang Zhengfu',
    });
    const { Workspace } = await import('@tiandi/store');
    const ws = Workspace.open(opts.workspacePath);
    const audit = dbOf(ws).prepare(`SELECT actor, action FROM audit_log WHERE action IN ('roads.set', 'depot.set') ORDER BY seq`).all();
    ws.close();
    expect(audit).toEqual([
      { actor: 'server', action: 'roads.set' },
      { actor: 'server', action: 'depot.set' },
    ]);
  });

  it('keeps the workspace its own roads, and leaves an unreadable old file in place', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-legacy-'));
    cleanups.push(async () => fs.rmSync(root, { recursive: true, force: true }));
    const dataDir = path.join(root, 'data');
    fs.mkdirSync(dataDir);
    const workspacePath = path.join(root, 'w.gpkg');
    const { Workspace, setRoads } = await import('@tiandi/store');
    const ws = Workspace.create(workspacePath);
    setRoads(
      ws,
      [
        {
          id: 'w1',
          coords: [
            [102, 27],
            [102.01, 27.01],
          ],
          tags: { highway: 'track' },
        },
      ],
      'county.osm.pbf',
      'cli',
    );
    ws.close();
    fs.writeFileSync(
      path.join(dataDir, 'roads.geojson'),
      JSON.stringify(
        fc(
          line([
            [100, 25],
            [100.01, 25.01],
          ]),
        ),
      ),
    );
    fs.writeFileSync(path.join(dataDir, 'depot.geojson'), '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [300, 25]}}');
    const s = await signedInServer({ runJobs: false, dataDir, workspacePath });
    cleanups.push(s.cleanup);
    const ctx = (await s.app.inject({ url: '/api/planning/context', headers: s.as.planner })).json();
    expect(ctx.roads.features[0].geometry.coordinates).toEqual([
      [102, 27],
      [102.01, 27.01],
    ]);
    expect(ctx.depot).toBeNull();
    expect(
      fs
        .readdirSync(dataDir)
        .filter((f) => f.includes('.geojson'))
        .sort(),
    ).toEqual(['depot.geojson', 'roads.geojson.migrated']);
  });
});

describe('PUT /api/planning/roads with an OpenStreetMap extract (issue 20)', () => {
  const osmXml = `<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
  <node id="1" lat="25.0" lon="100.0"/><node id="2" lat="25.001" lon="100.001"/><node id="3" lat="25.002" lon="100.0"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="track"/><tag k="name" v="村道"/></way>
  <way id="11"><nd ref="2"/><nd ref="3"/><tag k="highway" v="path"/><tag k="bridge" v="yes"/></way>
  <way id="12"><nd ref="1"/><nd ref="3"/><tag k="waterway" v="stream"/></way>
</osm>`;
  const putBytes = (s: Awaited<ReturnType<typeof signedInServer>>, body: Buffer, type: string) =>
    s.app.inject({ method: 'PUT', url: '/api/planning/roads', payload: body, headers: { ...s.as.planner, 'content-type': type } });

  it('reads .osm and .osm.gz (node ids kept, non-road ways left out) into the workspace', async () => {
    const s = await signedInServer({ runJobs: false });
    cleanups.push(s.cleanup);
    const r = await putBytes(s, Buffer.from(osmXml), 'application/xml');
    expect(r.json()).toEqual({ roads: 2, vertices: 4 });
    const ctx = (await s.app.inject({ url: '/api/planning/context', headers: s.as.field })).json();
    expect(ctx.roads.features.map((f: { properties: unknown }) => f.properties)).toEqual([
      { highway: 'track', name: '村道', nodes: ['1', '2'] },
      { highway: 'path', bridge: 'yes', nodes: ['2', '3'] },
    ]);
    expect(ctx.roads.features[1].geometry.coordinates).toEqual([
      [100.001, 25.001],
      [100, 25.002],
    ]);
    const gz = await putBytes(s, zlib.gzipSync(Buffer.from(osmXml.replace('v="path"', 'v="footway"'))), 'application/gzip');
    expect(gz.json()).toEqual({ roads: 2, vertices: 4 });
    const again = (await s.app.inject({ url: '/api/planning/context', headers: s.as.field })).json();
    expect(again.roads.features[1].properties.highway).toBe('footway');
    const { Workspace } = await import('@tiandi/store');
    const ws = Workspace.open(path.join(s.dir, 'w.gpkg'));
    const sources = dbOf(ws).prepare(`SELECT DISTINCT source FROM roads`).all();
    ws.close();
    expect(sources).toEqual([{ source: 'PUT /api/planning/roads (OSM)' }]);
  });

  it('refuses unreadable bytes, an extract without roads and a gzip bomb with 400, keeping the saved network', async () => {
    const s = await signedInServer({ runJobs: false, maxRoadsBytes: 64 * 1024 });
    cleanups.push(s.cleanup);
    expect((await putBytes(s, Buffer.from(osmXml), 'text/xml')).statusCode).toBe(200);
    const noRoads = osmXml.replace(/<way id="1[01]">.*?<\/way>/gs, '');
    const cases: [Buffer, RegExp][] = [
      [Buffer.from([0x00, 0x01, 0x02, 0x03, 0x04, 0x05]), /OpenStreetMap/],
      [Buffer.from(noRoads), /highway/],
      [zlib.gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x20)), /inflates to more than/],
    ];
    for (const [body, message] of cases) {
      const r = await putBytes(s, body, 'application/octet-stream');
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ code: 'TIANDI_E_VALIDATION', field: 'body' });
      expect(r.json().message).toMatch(message);
    }
    expect((await putBytes(s, Buffer.alloc(65 * 1024, 0x20), 'application/octet-stream')).statusCode).toBe(413);
    const ctx = (await s.app.inject({ url: '/api/planning/context', headers: s.as.field })).json();
    expect(ctx.roads.features).toHaveLength(2);
    const byField = await s.app.inject({
      method: 'PUT',
      url: '/api/planning/roads',
      payload: Buffer.from(osmXml),
      headers: { ...s.as.field, 'content-type': 'application/xml' },
    });
    expect(byField.statusCode).toBe(403);
  });

  // A real extract (../shared/bench/osm, outside the repo): skipped where absent.
  const pbf = path.resolve(__dirname, '../../../../../shared/bench/osm/andorra.osm.pbf');
  it.skipIf(!fs.existsSync(pbf))('reads a real .osm.pbf (Andorra) and serves it as the context roads', async () => {
    const s = await signedInServer({ runJobs: false });
    cleanups.push(s.cleanup);
    let stored = false;
    const putting = putBytes(s, fs.readFileSync(pbf), 'application/octet-stream').then((res) => ((stored = true), res));
    // Read off the event loop: the server answers meanwhile.
    expect((await s.app.inject({ url: '/api/health' })).statusCode).toBe(200);
    expect(stored).toBe(false);
    const r = await putting;
    expect(r.statusCode).toBe(200);
    const { roads } = r.json();
    expect(roads).toBeGreaterThan(1500);
    const ctx = (await s.app.inject({ url: '/api/planning/context', headers: s.as.planner })).json();
    expect(ctx.roads.features).toHaveLength(roads);
    expect(ctx.roads.features.every((f: { properties: { highway?: string; nodes?: unknown[] } }) => f.properties.highway && f.properties.nodes?.length)).toBe(
      true,
    );
  });
});
