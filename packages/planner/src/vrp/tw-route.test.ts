import { describe, expect, it } from 'vitest';
import { lineVrp, smallVrp } from './small-vrp.test-util';
import { TwRoute } from './tw-route';
import { vrpModel } from './vrp-model';
import type { VrpProblem } from './vrp-problem';

function routeOf(p: VrpProblem, v: number, jobs: number[]): TwRoute {
  const r = new TwRoute(vrpModel(p), v);
  r.jobs = jobs;
  r.refresh();
  return r;
}

describe('TwRoute', () => {
  it('caches the earliest and latest start of every position, the load and the travel', () => {
    // Line x = 0..3; job 1 (x = 2) may start no earlier than 5 and job 2 (x = 3) no later than 9, shift ends at 14.
    const p = lineVrp(3);
    p.jobs[1].earliestS = 5;
    p.jobs[2].latestS = 9;
    p.vehicles[0].shiftEndS = 14;
    const r = routeOf(p, 0, [0, 1, 2]);
    expect(Array.from(r.earliest)).toEqual([0, 1, 5, 6, 9]);
    // Backwards from the shift's end (14): job 2 by min(9, 14 − 3) = 9, job 1 by 8, job 0 by 7, departure by 6.
    expect(Array.from(r.latest)).toEqual([6, 7, 8, 9, 14]);
    expect(r.load).toBe(3);
    expect(r.travel).toBe(6);
    expect(r.isFeasible()).toBe(true);
  });

  it('reports a broken window or shift as infeasible', () => {
    const p = lineVrp(3);
    p.jobs[2].latestS = 2; // x = 3 cannot be reached by t = 2
    expect(routeOf(p, 0, [2]).isFeasible()).toBe(false);
    expect(routeOf(p, 0, [0]).isFeasible()).toBe(true);
    p.vehicles[0].shiftEndS = 5;
    expect(routeOf(p, 0, [0, 1]).isFeasible()).toBe(true); // 0 → 1 → 2 → 0 = 4
    expect(routeOf(p, 0, [0, 1, 2]).isFeasible()).toBe(false); // 6 > 5
  });

  it('prices every insertion exactly as rebuilding the route would, Infinity exactly when it breaks the route', () => {
    for (const seed of [1, 2, 3]) {
      const p = smallVrp(14, seed, { balanceWeight: 0.02 });
      p.jobs.forEach((j, i) => {
        if (i % 3 === 0) {
          j.earliestS = 2 * 3600;
          j.latestS = 3 * 3600;
        }
        j.weight = 1 + (i % 2);
      });
      p.vehicles = p.vehicles.map((v, k) => ({ ...v, jobCost: 60 * k, maxStops: 6 }));
      const route = [1, 2, 4, 5, 7];
      for (let v = 0; v < p.vehicles.length; v++) {
        const base = routeOf(p, v, route);
        for (const u of [0, 3, 6, 9, 10, 13]) {
          for (let i = 0; i <= route.length; i++) {
            const after = routeOf(p, v, [...route.slice(0, i), u, ...route.slice(i)]);
            const delta = base.insertionDelta(u, i, 0);
            if (!after.isFeasible()) expect(delta).toBe(Infinity);
            else expect(delta).toBeCloseTo(after.cost - base.cost, 6);
          }
        }
      }
    }
  });

  it('charges the makespan only for growth beyond the longest route', () => {
    const p = lineVrp(4, { makespanWeight: 10 });
    const r = routeOf(p, 0, [0]); // 0 → 1 → 0: finish 2
    expect(r.finishS).toBe(2);
    // Adding x = 4 after x = 1 adds 6 of travel: finish 8. Against a makespan of 2, 6 × 10 more; of 8, nothing more.
    expect(r.insertionDelta(3, 1, 2)).toBe(6 + 60);
    expect(r.insertionDelta(3, 1, 8)).toBe(6);
  });
});
