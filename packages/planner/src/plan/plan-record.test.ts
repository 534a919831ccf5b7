import { describe, expect, it } from 'vitest';
import { planRecord } from './plan-record';
import { planRoutes } from './plan-routes';
import { planTeams } from './plan-teams';

describe('planRecord', () => {
  it("records a planned survey one row per team, its days in order, every stop once with its target and arrival", () => {
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
    expect(planRecord(plan, 'p1').teams.map((t) => t.team).sort()).toEqual([...new Set(plan.routes.map((r) => r.teamId))].sort());
  });
});
