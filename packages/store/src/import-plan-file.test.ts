import { describe, expect, it } from 'vitest';
import { planFromPlanJson } from './import-plan-file';

describe('planFromPlanJson', () => {
  it('joins the days of a team in order: one line per day, stops concatenated, durations summed', () => {
    const text = JSON.stringify({
      version: 1,
      date: '2026-04-22',
      objective: { served: 3 },
      routes: [
        { teamId: 'A', day: 1, durationS: 100, distanceM: 10, path: [[100.1, 25], [100.2, 25]], stops: [{ targetId: 'T3', lon: 100.2, lat: 25, arrivalS: 29000 }] },
        { teamId: 'A', day: 0, durationS: 200, distanceM: 20, path: [[100, 25], [100.1, 25]], stops: [{ targetId: 'T1', lon: 100.05, lat: 25, arrivalS: 29500 }, { targetId: 'T2', lon: 100.1, lat: 25, arrivalS: 30000 }] },
        { teamId: 'B', day: 0, path: [], stops: [] },
      ],
    });
    const p = planFromPlanJson(text, 'plan.json');
    expect(p.planId).toMatch(/^plan-2026-04-22-[0-9a-f]{12}$/);
    expect(planFromPlanJson(text, 'elsewhere.json').planId).toBe(p.planId);
    expect(p.teams).toEqual([
      {
        team: 'A',
        route: { type: 'MultiLineString', coordinates: [[[100, 25], [100.1, 25]], [[100.1, 25], [100.2, 25]]] },
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
    expect(planFromPlanJson(text, 'plan.json', 'P-7').planId).toBe('P-7');
  });

  it('refuses what is not a plan.json, naming the field, and a bad plan id', () => {
    expect(() => planFromPlanJson('{"type":"FeatureCollection","features":[]}', 'x.json')).toThrow(expect.objectContaining({ code: 'TIANDI_E_INPUT', field: 'version', path: 'x.json' }));
    expect(() => planFromPlanJson('{"version":1,"routes":[{"teamId":"A","stops":[{"targetId":"T1","lon":200,"lat":25}]}]}', 'x.json')).toThrow(expect.objectContaining({ code: 'TIANDI_E_INPUT', field: 'routes.0.stops.0.lon' }));
    expect(() => planFromPlanJson('{"version":1,"routes":[{"teamId":"A","stops":[]}]}', 'x.json', 'a b')).toThrow(expect.objectContaining({ code: 'TIANDI_E_INPUT', field: 'planId' }));
    expect(() => planFromPlanJson('not json', 'x.json')).toThrow(expect.objectContaining({ code: 'TIANDI_E_INPUT' }));
  });
});
