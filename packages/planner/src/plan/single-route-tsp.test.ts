import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { routeSchedule } from '../vrp/route-schedule';
import type { VrpProblem } from '../vrp/vrp-problem';
import { singleRouteTsp } from './single-route-tsp';

describe('singleRouteTsp', () => {
  it('returns a permutation of the route that is feasible and no longer, under asymmetric costs', () => {
    const rng = createRng(2);
    const n = 41;
    const x = Array.from({ length: n }, () => rng.next() * 1000);
    const y = Array.from({ length: n }, () => rng.next() * 1000);
    const cost = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cost[i * n + j] = Math.hypot(x[i] - x[j], y[i] - y[j]) * (i < j ? 1 : 1.2);
    const p: VrpProblem = {
      n,
      cost,
      jobs: Array.from({ length: n - 1 }, (_, i) => ({ node: i + 1, serviceS: 0, demand: 0, earliestS: -Infinity, latestS: Infinity, penalty: 1, weight: 0 })),
      vehicles: [{ startNode: 0, endNode: 0, shiftStartS: 0, shiftEndS: Infinity, capacity: Infinity, maxStops: Infinity }],
    };
    const route = Array.from({ length: n - 1 }, (_, i) => i);
    const better = singleRouteTsp(p, 0, route, { maxIterations: 300, seed: 1 });
    expect(better.slice().sort((a, b) => a - b)).toEqual(route);
    const before = routeSchedule(p, 0, route).travel;
    const after = routeSchedule(p, 0, better);
    expect(after.ok).toBe(true);
    expect(after.travel).toBeLessThan(before * 0.5); // the identity order of random points is far from a good tour
  });
});
