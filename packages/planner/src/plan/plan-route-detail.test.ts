import { describe, expect, it } from 'vitest';
import type { UnassignedReason } from '../errors';
import type { PlanPlaces } from './plan-places';
import { routeDetail, type RouteDetailInput } from './plan-route-detail';
import type { PlanProblem, PlanTarget } from './plan-types';
import { planVrp } from './plan-vrp';

/** A depot and three targets one hour apart in a row (each leg 3600 s, 1 km); 30-minute inspections. */
function input(over: Partial<PlanProblem> = {}, latest: (number | undefined)[] = []): RouteDetailInput {
  const reach: PlanTarget[] = [0, 1, 2].map((i) => ({
    id: `T${i + 1}`,
    lonLat: [102.3 + 0.01 * (i + 1), 27.9],
    priority: 1,
    serviceS: 1800,
    latestS: latest[i],
  }));
  const n = 4;
  const timeS = new Float64Array(n * n),
    distM = new Float64Array(n * n);
  for (let a = 0; a < n; a++)
    for (let b = 0; b < n; b++) {
      timeS[a * n + b] = 3600 * Math.abs(a - b);
      distM[a * n + b] = 1000 * Math.abs(a - b);
    }
  const problem: PlanProblem = { targets: reach, teams: [{ id: 'A', name: 'Alpha', start: [102.3, 27.9], shiftS: 12 * 3600 }], date: '2026-05-01', ...over };
  const places: PlanPlaces = { depots: [[102.3, 27.9]], teamStart: [0], teamEnd: [0], reach, locs: null, matrix: { n, timeS, distM } };
  return { problem, places, vrp: planVrp(problem, places, {}), dijkstra: null };
}

describe('routeDetail', () => {
  it('times the route from 8:00 with the break at the first stop reached after noon', () => {
    const left: string[] = [];
    const r = routeDetail(input({ break: { earliestS: 12 * 3600, durationS: 3600 } }), 0, [0, 1, 2], (t) => left.push(t.id))!;
    // 8:00 → T1 9:00 (to 9:30) → T2 10:30 (to 11:00) → T3 arrives 12:00: break 12–13, starts 13:00, done 13:30 → home (3 h) 16:30.
    expect(r.stops.map((s) => [s.arrivalS / 3600, s.startS / 3600])).toEqual([
      [9, 9],
      [10.5, 10.5],
      [12, 13],
    ]);
    expect(r.break).toEqual({ startS: 12 * 3600, durationS: 3600 });
    expect(r.returnS / 3600).toBe(16.5);
    expect(r.durationS / 3600).toBe(8.5);
    expect([r.travelS, r.distanceM, r.serviceS]).toEqual([6 * 3600, 6000, 3 * 1800]);
    expect([r.teamId, r.teamName, r.day, r.date]).toEqual(['A', 'Alpha', 0, '2026-05-01']);
    // Without a network each leg is drawn straight, as it was timed.
    expect(r.path).toEqual([
      [102.3, 27.9],
      [102.31, 27.9],
      [102.32, 27.9],
      [102.33, 27.9],
      [102.3, 27.9],
    ]);
    expect(left).toEqual([]);
  });

  it('leaves out a stop the break makes late, and returns null when no stop is left', () => {
    const left: [string, UnassignedReason][] = [];
    const brk = { break: { earliestS: 9 * 3600, durationS: 3600 } };
    // T1 must start by 9:30: the break on arrival at 9:00 pushes it to 10:00.
    const r = routeDetail(input(brk, [9.5 * 3600]), 0, [0, 1], (t, why) => left.push([t.id, why]))!;
    expect(left).toEqual([['T1', 'NO_CAPACITY']]);
    expect(r.stops.map((s) => s.targetId)).toEqual(['T2']);
    expect(routeDetail(input(brk, [9.5 * 3600]), 0, [0], () => undefined)).toBeNull();
  });
});
