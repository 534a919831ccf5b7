import { describe, expect, it } from 'vitest';
import { improveRouteOrder } from './improve-route-order';
import { routeSchedule } from './route-schedule';
import type { VrpProblem } from './vrp-problem';

// Jobs on a line at x = 1..6, depot at 0; one-way-ish asymmetry: going left costs 1.5×.
const xs = [0, 1, 2, 3, 4, 5, 6];
const n = xs.length;
const cost = new Float64Array(n * n);
for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cost[i * n + j] = Math.abs(xs[i] - xs[j]) * (xs[j] < xs[i] ? 1.5 : 1);
const problem = (latest: number[] = []): VrpProblem => ({
  n,
  cost,
  jobs: xs.slice(1).map((_, i) => ({ node: i + 1, serviceS: 0, demand: 0, earliestS: -Infinity, latestS: latest[i] ?? Infinity, penalty: 1, weight: 0 })),
  vehicles: [{ startNode: 0, endNode: 0, shiftStartS: 0, shiftEndS: Infinity, capacity: Infinity, maxStops: Infinity }],
});

describe('improveRouteOrder', () => {
  it('untangles a route under asymmetric costs', () => {
    const p = problem();
    const better = improveRouteOrder(p, 0, [3, 0, 5, 1, 4, 2]);
    // Optimal: every stop on the way out or on the way back, never doubling back: 6 out + 9 back.
    expect(routeSchedule(p, 0, [3, 0, 5, 1, 4, 2]).travel).toBeGreaterThan(15);
    expect(routeSchedule(p, 0, better).travel).toBe(15);
    expect(better.slice().sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('keeps every time window and returns the same array when nothing feasible is better', () => {
    const p = problem([Infinity, Infinity, Infinity, Infinity, Infinity, 1]); // job 5 (x = 6) must start by t = 1: impossible…
    expect(routeSchedule(p, 0, [5, 0]).ok).toBe(false);
    const q = problem([Infinity, Infinity, 2.5]); // job 2 (x = 3) by t = 2.5: must go first? 0→3 takes 3 > 2.5: infeasible anyway
    const start = [2, 0, 1];
    expect(improveRouteOrder(q, 0, start)).toBe(start); // no feasible improvement: same array back
    const r = problem([Infinity, 2]); // job 1 (x = 2) by t = 2: must be visited first
    const start2 = [3, 2, 1, 0];
    expect(routeSchedule(r, 0, start2).ok).toBe(false);
    const order = improveRouteOrder(r, 0, [0, 1, 3, 2]);
    const s = routeSchedule(r, 0, order);
    expect(s.ok).toBe(true);
    expect(s.times[order.indexOf(1) + 1]).toBeLessThanOrEqual(2);
    expect(s.travel).toBe(10); // out 0→4 (4), back 4→0 (6)
  });
});
