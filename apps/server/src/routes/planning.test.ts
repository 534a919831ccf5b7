import fs from 'node:fs';
import path from 'node:path';
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
    expect((await put(fc(line([[100, 25], [100.01, 25.01]])))).statusCode).toBe(200);
    const cases: [unknown, string][] = [
      [fc(line('boom')), 'features.0.geometry.coordinates'],
      [fc(line([[100, 25]])), 'features.0.geometry.coordinates'],
      [fc(line([[100, 25], [200, 25]])), 'features.0.geometry.coordinates.1'],
      [fc(line([[100, 25], ['100', 25]])), 'features.0.geometry.coordinates.1'],
      [fc(line([[100, 25], [100, 25]]), { type: 'Feature', geometry: { type: 'Point', coordinates: [100, 25] } }), 'features.1.geometry.type'],
      [fc({ type: 'Feature', geometry: { type: 'MultiLineString', coordinates: [[[100, 25], [100, 26]], 'x'] } }), 'features.0.geometry.coordinates.1'],
      [fc(), 'features'],
      [{ type: 'Feature' }, 'type'],
    ];
    for (const [body, field] of cases) {
      const r = await put(body);
      expect(r.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(r.json()).toMatchObject({ code: 'TIANDI_E_VALIDATION', field });
    }
    const ctx = (await s.app.inject({ url: '/api/planning/context', headers: s.as.field })).json();
    expect(ctx.roads.features[0].geometry.coordinates).toEqual([[100, 25], [100.01, 25.01]]);
  });

  it('refuses a network over maxRoadsBytes with 413, and serves the saved bytes without re-parsing them', async () => {
    const s = await signedInServer({ runJobs: false, maxRoadsBytes: 64 * 1024 });
    cleanups.push(s.cleanup);
    const put = (payload: unknown) => s.app.inject({ method: 'PUT', url: '/api/planning/roads', payload: payload as object, headers: s.as.planner });
    const big = fc(...Array.from({ length: 2000 }, (_, i) => line([[100, 25 + i / 1e4], [100.01, 25 + i / 1e4]])));
    const r = await put(big);
    expect(r.statusCode).toBe(413);
    expect(fs.existsSync(path.join(s.dir, 'data', 'roads.geojson'))).toBe(false);
    expect((await put(fc(line([[100, 25], [100.01, 25.01]])))).json()).toEqual({ roads: 1, vertices: 2 });
    const first = await s.app.inject({ url: '/api/planning/context', headers: s.as.operator });
    expect(first.headers['content-type']).toContain('application/json');
    expect(first.json()).toEqual({ roads: fc(line([[100, 25], [100.01, 25.01]])), depot: null, depotName: null, reviewThreshold: null });
    // A rewritten file is read again.
    expect((await put(fc(line([[101, 25], [101.01, 25.01]])))).statusCode).toBe(200);
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

