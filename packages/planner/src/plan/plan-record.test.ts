import { describe, expect, it } from 'vitest';
import { planRecord, planRecordFromJson } from './plan-record';
import { planRoutes } from './plan-routes';
import { planTeams } from './plan-teams';

describe('planRecord', () => {
  it('records a planned survey one row per team, its days in order, every stop once with its target and arrival', () => {
    const targets = Array.from({ length: 6 }, (_, i) => ({ id: `t${i}`, lonLat: [100 + 0.01 * i, 25] as [number, number], priority: 1, serviceS: 1800 }));
    const plan = planRoutes({ targets, teams: planTeams(2, { start: [100.02, 25.01], shiftS: 3 * 3600 }), days: 2 }, { seed: 1, timeLimitMs: 200 });
    const rec = planRecord(plan, 'p1', ['T1', 'T2', 'T3']);
    expect(rec.planId).toBe('p1');
    expect(rec.teams.map((t) => t.team)).toEqual(['T1', 'T2', 'T3']);
    expect(rec.teams[2]).toEqual({ team: 'T3', route: null, durationS: 0, distanceM: 0, stops: [] });
    const served = plan.routes.flatMap((r) => r.stops.map((s) => s.targetId)).sort();
    expect(served.length).toBeGreaterThan(2);
    expect(rec.teams.flatMap((t) => t.stops.map((s) => s.targetId)).sort()).toEqual(served);
    for (const team of rec.teams.slice(0, 2)) {
      const routes = plan.routes.filter((r) => r.teamId === team.team).sort((a, b) => a.day - b.day);
      expect(team.stops.map((s) => s.targetId)).toEqual(routes.flatMap((r) => r.stops.map((s) => s.targetId)));
      expect(team.durationS).toBe(routes.reduce((a, r) => a + r.durationS, 0));
      expect(team.route?.coordinates.length).toBe(routes.filter((r) => r.path.length >= 2).length);
    }
    expect(
      planRecord(plan, 'p1')
        .teams.map((t) => t.team)
        .sort(),
    ).toEqual([...new Set(plan.routes.map((r) => r.teamId))].sort());
  });
});

describe('planRecordFromJson', () => {
  it('joins the days of a team in order: one line per day, stops concatenated, durations summed', () => {
    const text = JSON.stringify({
      version: 1,
      date: '2026-04-22',
      objective: { served: 3 },
      routes: [
        {
          teamId: 'A',
          day: 1,
          durationS: 100,
          distanceM: 10,
          path: [
            [100.1, 25],
            [100.2, 25],
          ],
          stops: [{ targetId: 'T3', lon: 100.2, lat: 25, arrivalS: 29000 }],
        },
        {
          teamId: 'A',
          day: 0,
          durationS: 200,
          distanceM: 20,
          path: [
            [100, 25],
            [100.1, 25],
          ],
          stops: [
            { targetId: 'T1', lon: 100.05, lat: 25, arrivalS: 29500 },
            { targetId: 'T2', lon: 100.1, lat: 25, arrivalS: 30000 },
          ],
        },
        { teamId: 'B', day: 0, path: [], stops: [] },
      ],
    });
    const p = planRecordFromJson(text, 'plan.json');
    expect(p.planId).toMatch(/^plan-2026-04-22-[0-9a-f]{12}$/);
    expect(planRecordFromJson(text, 'elsewhere.json').planId).toBe(p.planId);
    expect(p.teams).toEqual([
      {
        team: 'A',
        route: {
          type: 'MultiLineString',
          coordinates: [
            [
              [100, 25],
              [100.1, 25],
            ],
            [
              [100.1, 25],
              [100.2, 25],
            ],
          ],
        },
        durationS: 300,
        distanceM: 30,
        stops: [
          { targetId: 'T1', position: [100.05, 25], arriveS: 29500 },
          { targetId: 'T2', position: [100.1, 25], arriveS: 30000 },
          { targetId: 'T3', position: [100.2, 25], arriveS: 29000 },
        ],
      },
      { team: 'B', route: null, durationS: null, distanceM: null, stops: [] },
    ]);
    expect(planRecordFromJson(text, 'plan.json', 'P-7').planId).toBe('P-7');
  });

  it('records a plan.json written from a plan exactly as the plan itself', () => {
    const targets = Array.from({ length: 5 }, (_, i) => ({ id: `t${i}`, lonLat: [100 + 0.01 * i, 25] as [number, number], priority: 1, serviceS: 1800 }));
    const plan = planRoutes({ targets, teams: planTeams(2, { start: [100.02, 25.01], shiftS: 3 * 3600 }), days: 2 }, { seed: 1, timeLimitMs: 200 });
    expect(planRecordFromJson(JSON.stringify(plan, null, 1) + '\n', 'plan.json', 'p1')).toEqual(planRecord(plan, 'p1'));
  });

  it('refuses what is not a plan.json, naming the file and the field, and a bad plan id', () => {
    expect(() => planRecordFromJson('{"type":"FeatureCollection","features":[]}', 'x.json')).toThrow(
      expect.objectContaining({ code: 'TIANDI_E_PLAN_INPUT', field: 'version', path: 'x.json' }),
    );
    expect(() => planRecordFromJson('{"version":1,"routes":[{"teamId":"A","stops":[{"targetId":"T1","lon":200,"lat":25}]}]}', 'x.json')).toThrow(
      expect.objectContaining({ code: 'TIANDI_E_PLAN_INPUT', field: 'routes.0.stops.0.lon' }),
    );
    expect(() => planRecordFromJson('{"version":1,"routes":[{"teamId":"A","stops":[]}]}', 'x.json', 'a b')).toThrow(
      expect.objectContaining({ code: 'TIANDI_E_PLAN_INPUT', field: 'planId' }),
    );
    expect(() => planRecordFromJson('not json', 'x.json')).toThrow(expect.objectContaining({ code: 'TIANDI_E_PLAN_INPUT', path: 'x.json' }));
  });
});
