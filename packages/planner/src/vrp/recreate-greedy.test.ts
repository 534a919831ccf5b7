import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { bestInsertion, recreateGreedy } from './recreate-greedy';
import { routeSchedule } from './route-schedule';
import { lineVrp, smallVrp, steadyRng } from './small-vrp.test-util';
import { vrpModel } from './vrp-model';
import { VrpState } from './vrp-state';

/** A state with every job unassigned and fresh, as after construction's first step. */
function emptyState(p = smallVrp(30, 2)): VrpState {
  const s = new VrpState(vrpModel(p));
  for (let u = 0; u < p.jobs.length; u++) {
    s.unassigned.push(u);
    s.fresh[u] = 1;
  }
  return s;
}

describe('bestInsertion', () => {
  it('finds the cheapest feasible spot over all routes when scanning in full', () => {
    const s = emptyState();
    [[0, 1, 2], [3, 4], [5]].forEach((jobs, r) => jobs.forEach((u, i) => s.insert(u, r, i)));
    for (const u of [6, 7, 8, 9]) {
      let best = Infinity;
      s.routes.forEach((route) => {
        for (let i = 0; i <= route.jobs.length; i++) best = Math.min(best, route.insertionDelta(u, i, s.maxFinishS));
      });
      const found = bestInsertion(s, u, false, steadyRng);
      expect(found.delta).toBe(best);
      expect(s.routes[found.route].insertionDelta(u, found.pos, s.maxFinishS)).toBe(best);
    }
  });

  it('looks only beside routed neighbours when granular, and always at one empty vehicle', () => {
    const s = emptyState(lineVrp(6, { vehicles: [0, 1].map(() => lineVrp(1).vehicles[0]) }));
    s.insert(0, 0, 0);
    const found = bestInsertion(s, 1, true, steadyRng);
    // The only routed neighbour is job 0: spots 0 and 1 of route 0, then the empty vehicle 1.
    expect(found.considered).toBe(3);
    // Before or after job 0 (x = 1) both make the round trip 4 instead of 2: the first spot seen wins the tie.
    expect([found.route, found.pos, found.delta]).toEqual([0, 0, 2]);
  });
});

describe('recreateGreedy', () => {
  it('builds feasible routes serving every job when the fleet suffices', () => {
    const p = smallVrp(30, 2);
    const s = emptyState(p);
    recreateGreedy(s, createRng(1));
    expect(s.unassigned).toEqual([]);
    expect(s.routes.flatMap((r) => r.jobs).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    s.routes.forEach((r, v) => expect(routeSchedule(p, v, r.jobs).ok).toBe(true));
    expect(s.fresh.every((f) => f === 0)).toBe(true);
  });

  it('leaves out a job that costs more to serve than its penalty, and one that fits nowhere', () => {
    const p = lineVrp(4);
    p.jobs[3].penalty = 1.5; // going on to x = 4 costs at least 2 more than turning back at x = 3
    p.jobs[1].latestS = 1; // x = 2 by t = 1: impossible
    const s = emptyState(p);
    recreateGreedy(s, createRng(3));
    expect(s.routes[0].jobs.slice().sort()).toEqual([0, 2]);
    expect(s.unassigned.slice().sort()).toEqual([1, 3]);
    expect(s.totalCost()).toBe(6 + 1e6 + 1.5);
  });
});
