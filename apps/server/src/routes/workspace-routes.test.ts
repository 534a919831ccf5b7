import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeSurveyWorkspace } from '../testing/survey-fixture';
import { signedInServer } from '../testing/signed-in';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-ws-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const workspacePath = await makeSurveyWorkspace(dir);
  const s = await signedInServer({ workspacePath, runJobs: false });
  cleanups.unshift(s.cleanup);
  const get = (url: string, who = s.as.operator) => s.app.inject({ url, headers: who });
  const post = (url: string, payload: unknown, who = s.as.operator) => s.app.inject({ method: 'POST', url, payload: payload as object, headers: who });
  return { ...s, get, post };
}

describe('workspace routes', () => {
  it('serves zones, images, scans and targets as GeoJSON with filters', async () => {
    const { get, as } = await setup();
    const zones = (await get('/api/zones')).json();
    expect(zones.features.map((f: { properties: { zone_id: string; name: string } }) => [f.properties.zone_id, f.properties.name])).toEqual([
      ['V01', '上寨村'],
      ['V02', '下寨村'],
    ]);
    expect((await get('/api/images')).json().features[0].properties).toMatchObject({ image_id: expect.stringContaining('DJI_0001'), gsd_m: 0.05 });
    expect((await get('/api/scans')).json().scans[0]).toMatchObject({ candidates: 3 });

    const all = (await get('/api/targets')).json();
    expect(all.features).toHaveLength(3);
    expect(
      all.features.map((f: { properties: { zone: string; zone_name: string; zone_level: string } }) => [
        f.properties.zone,
        f.properties.zone_name,
        f.properties.zone_level,
      ]),
    ).toEqual([
      ['V01', '上寨村', 'village'],
      ['V01', '上寨村', 'village'],
      ['V01', '上寨村', 'village'],
    ]);
    // A one-stage scan: no verifier scores, and every target said outright to be unverified.
    expect(
      all.features.map((f: { properties: { score_verify: number | null; unverified: boolean } }) => [f.properties.score_verify, f.properties.unverified]),
    ).toEqual([
      [null, true],
      [null, true],
      [null, true],
    ]);
    const high = (await get('/api/targets?minScore=0.6')).json();
    expect(high.features.map((f: { properties: { score_max: number } }) => f.properties.score_max).sort()).toEqual([0.61, 0.92]);
    expect((await get('/api/targets?zone=V02')).json().features).toHaveLength(0);

    const bad = await get('/api/targets?minScore=2');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'TIANDI_E_VALIDATION', field: 'minScore' });
    expect((await get('/api/targets?colour=red')).json().field).toBe('colour');
    expect((await get('/api/targets?status=lost')).json().field).toBe('status');
    expect((await get('/api/zones/V09/coverage')).statusCode).toBe(404);
    const cov = (await get('/api/zones/V01/coverage')).json();
    expect(cov.coverage.share).toBeGreaterThan(0.99);
    const gaps = (await get('/api/zones/gaps')).json();
    // The image reaches 100.011°E: a tenth of V02 (100.01–100.02°E) is covered, the rest is a gap.
    expect(gaps.features.map((f: { properties: { zone_id: string } }) => f.properties.zone_id)).toEqual(['V02']);
    expect(gaps.features[0].properties.share).toBeCloseTo(0.1, 3);
    expect((await get('/api/targets', as.field)).statusCode).toBe(403);
  });

  it('records a dismiss decision with its reason in the audit history, refusing bad bodies and wrong roles', async () => {
    const { get, post, as } = await setup();
    const [first] = (await get('/api/targets?minScore=0.9')).json().features;
    const id = encodeURIComponent(first.id);
    expect((await post(`/api/targets/${id}/decision`, { decision: 'dismiss' })).json()).toMatchObject({ code: 'TIANDI_E_VALIDATION', field: 'reason' });
    expect((await post(`/api/targets/${id}/decision`, { decision: 'burn', reason: 'x y' })).json().field).toBe('decision');
    expect((await post(`/api/targets/${id}/decision`, { decision: 'dismiss', reason: 'rapeseed', extra: 1 })).json().field).toBe('extra');
    expect((await post(`/api/targets/${id}/decision`, { decision: 'dismiss', reason: 'rapeseed' }, as.planner)).statusCode).toBe(403);
    expect((await post('/api/targets/nope/decision', { decision: 'dismiss', reason: 'rapeseed' })).statusCode).toBe(404);

    const ok = await post(`/api/targets/${id}/decision`, { decision: 'dismiss', reason: '油菜花 rapeseed in flower' });
    expect(ok.statusCode).toBe(200);
    // A desk dismissal, never a ground inspection.
    expect(ok.json().properties).toMatchObject({ status: 'dismissed_desk', desk_by: 'operator', desk_reason: '油菜花 rapeseed in flower' });
    const detail = (await get(`/api/targets/${id}`)).json();
    expect(detail.history.at(-1)).toMatchObject({
      actor: 'operator',
      action: 'target.desk_dismiss',
      payload: { to: 'dismissed_desk', reason: '油菜花 rapeseed in flower', model_versions: ['poppy-synth@1.0.0'] },
    });

    const back = await post(`/api/targets/${id}/decision`, { decision: 'restore', reason: 'looked again' });
    expect(back.json().properties.status).toBe('detected');

    // Restoring a target that is already pending changes nothing and writes nothing to its history.
    const entries = (await get(`/api/targets/${id}`)).json().history.length;
    const again = await post(`/api/targets/${id}/decision`, { decision: 'restore', reason: 'looked again' });
    expect(again.statusCode).toBe(200);
    expect(again.json().properties.status).toBe('detected');
    expect((await get(`/api/targets/${id}`)).json().history).toHaveLength(entries);
  });

  it('records a plan (targets become planned), lists and returns it, and names the bad field of a bad plan', async () => {
    const { get, post, as } = await setup();
    const targets = (await get('/api/targets')).json().features as { id: string; geometry: { coordinates: number[][][][] } }[];
    const stop = (t: (typeof targets)[number]) => ({ targetId: t.id, position: t.geometry.coordinates[0][0][0].slice(0, 2) as [number, number], arriveS: 600 });
    const plan = {
      planId: 'p-2026-04-20',
      teams: [
        {
          team: 'T1',
          route: {
            type: 'LineString',
            coordinates: [
              [100, 25],
              [100.005, 25.005],
            ],
          },
          durationS: 3600,
          distanceM: 5000,
          stops: [stop(targets[0]), stop(targets[1])],
        },
        { team: 'T2', route: null, stops: [stop(targets[2])] },
      ],
    };
    expect((await post('/api/plans', plan)).statusCode).toBe(403);
    const bad = await post('/api/plans', { ...plan, teams: [{ ...plan.teams[0], stops: [{ targetId: 'ghost', position: [100, 25] }] }] }, as.planner);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('teams.0.stops.0.targetId');
    expect((await post('/api/plans', { ...plan, teams: [] }, as.planner)).json().field).toBe('teams');
    expect(
      (await post('/api/plans', { ...plan, teams: [{ ...plan.teams[0], stops: [{ targetId: null, position: [200, 25] }] }] }, as.planner)).json().field,
    ).toBe('teams.0.stops.0.position.0');

    const ok = await post('/api/plans', plan, as.planner);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ planId: 'p-2026-04-20', stops: 3 });
    expect(ok.json().planned).toHaveLength(3);
    expect((await get('/api/targets?status=planned')).json().features).toHaveLength(3);
    expect((await get('/api/plans', as.planner)).json().plans[0].teams.map((t: { team: string; stops: number }) => [t.team, t.stops])).toEqual([
      ['T1', 2],
      ['T2', 1],
    ]);
    const detail = (await get('/api/plans/p-2026-04-20', as.planner)).json();
    expect(detail.teams[0].stops.map((s: { seq: number }) => s.seq)).toEqual([1, 2]);
    const field = (await get('/api/plans/p-2026-04-20', as.field)).json();
    expect(field.teams.map((t: { team: string }) => t.team)).toEqual(['T1']);
    expect((await get('/api/plans/none', as.planner)).statusCode).toBe(404);

    // A two-day plan from the web planner: one row per team, one line per day.
    const twoDays = {
      planId: 'p-two-days',
      teams: [
        {
          team: 'T1',
          route: {
            type: 'MultiLineString',
            coordinates: [
              [
                [100, 25],
                [100.005, 25.005],
              ],
              [
                [100, 25],
                [100.006, 25.002],
              ],
            ],
          },
          durationS: 7200,
          distanceM: 9000,
          stops: [stop(targets[0]), stop(targets[2])],
        },
      ],
    };
    expect((await post('/api/plans', twoDays, as.planner)).json()).toMatchObject({ planId: 'p-two-days', stops: 2 });
    const twoDetail = (await get('/api/plans/p-two-days', as.planner)).json();
    expect(twoDetail.teams[0].stops.map((s: { targetId: string }) => s.targetId)).toEqual([targets[0].id, targets[2].id]);
    expect(
      (await post('/api/plans', { ...twoDays, teams: [{ ...twoDays.teams[0], route: { type: 'MultiLineString', coordinates: [] } }] }, as.planner)).json()
        .field,
    ).toBe('teams.0.route.coordinates');
  });

  it('plans on the server too (planner in a worker thread), naming the bad field', async () => {
    const { app, post, as } = await setup();
    expect((await post('/api/plans/compute', { teams: 2, minScore: 0 }, as.planner)).json()).toMatchObject({ code: 'TIANDI_E_VALIDATION', field: 'depot' });
    expect((await post('/api/plans/compute', { teams: 0, depot: [100.001, 25.001] }, as.planner)).json().field).toBe('teams');
    expect((await post('/api/plans/compute', { teams: 2, depot: [100.001, 25.001], minScore: 0.99 }, as.planner)).json().field).toBe('minScore');
    expect((await post('/api/plans/compute', { teams: 2, depot: [100.001, 25.001] }, as.operator)).statusCode).toBe(403);
    const res = await post('/api/plans/compute', { teams: 2, depot: [100.001, 25.001], minScore: 0, timeLimitS: 0.5, date: '2026-04-20' }, as.planner);
    expect(res.statusCode).toBe(200);
    const { plan } = res.json();
    expect(plan.objective).toMatchObject({ served: 3, unserved: 0 });
    expect(plan.stats.travel).toBe('geodesic');
    expect(plan.routes.flatMap((r: { stops: unknown[] }) => r.stops)).toHaveLength(3);
    // With the workspace's depot and roads (issue 20): no depot in the request, and the plan travels on the network.
    const put = (url: string, payload: unknown) => app.inject({ method: 'PUT', url, payload: payload as object, headers: as.planner });
    expect((await put('/api/planning/depot', { depot: [100.001, 25.001] })).statusCode).toBe(200);
    const road = {
      type: 'Feature',
      properties: { highway: 'track' },
      geometry: {
        type: 'LineString',
        coordinates: [
          [99.99, 25],
          [100.02, 25.02],
        ],
      },
    };
    expect((await put('/api/planning/roads', { type: 'FeatureCollection', features: [road] })).statusCode).toBe(200);
    const onRoads = await post('/api/plans/compute', { teams: 1, minScore: 0, timeLimitS: 0.5, date: '2026-04-20' }, as.planner);
    expect(onRoads.statusCode).toBe(200);
    expect(onRoads.json().plan.stats.travel).toBe('network');
  });

  it('serves reports, certifications and the planning context', async () => {
    const { app, get, as } = await setup();
    expect((await get('/api/reports')).json()).toEqual({ type: 'FeatureCollection', features: [] });
    expect((await get('/api/certifications', as.manager)).json()).toEqual({ certificates: [] });
    expect((await get('/api/planning/context', as.planner)).json()).toEqual({
      roads: null,
      depot: null,
      depotName: null,
      depotNamePinyin: null,
      reviewThreshold: 0.35,
    }); // the season's
    const put = (url: string, payload: unknown) => app.inject({ method: 'PUT', url, payload: payload as object, headers: as.planner });
    expect((await put('/api/planning/depot', { depot: [100.001, 25.001], name: '乡政府' })).statusCode).toBe(200);
    expect((await put('/api/planning/depot', { depot: [100.001] })).json().field).toBe('depot');
    const roads = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { highway: 'track' },
          geometry: {
            type: 'LineString',
            coordinates: [
              [100, 25],
              [100.01, 25.01],
            ],
          },
        },
      ],
    };
    expect((await put('/api/planning/roads', roads)).json()).toEqual({ roads: 1, vertices: 2 });
    expect((await put('/api/planning/roads', { type: 'FeatureCollection', features: [] })).json().field).toBe('features');
    const ctx = (await get('/api/planning/context', as.planner)).json();
    expect(ctx.depot).toEqual([100.001, 25.001]);
    expect(ctx.depotName).toBe('乡政府');
    expect(ctx.roads.features).toHaveLength(1);
  });
});
