import { describe, expect, it } from 'vitest';
import { lineVrp } from './small-vrp.test-util';
import { vrpModel } from './vrp-model';
import { VrpState } from './vrp-state';

describe('VrpState', () => {
  it("keeps each job's route and position current through inserts and removals", () => {
    const s = new VrpState(vrpModel(lineVrp(5, { vehicles: [0, 1].map(() => lineVrp(1).vehicles[0]) })));
    s.insert(0, 0, 0);
    s.insert(2, 0, 1);
    s.insert(1, 0, 1);
    s.insert(4, 1, 0);
    expect(s.routes.map((r) => r.jobs)).toEqual([[0, 1, 2], [4]]);
    expect([...s.routeOf]).toEqual([0, 0, 0, -1, 1]);
    expect([...s.idxOf.slice(0, 3)]).toEqual([0, 1, 2]);
    s.remove(1);
    expect(s.routes[0].jobs).toEqual([0, 2]);
    expect(s.routeOf[1]).toBe(-1);
    expect(s.idxOf[2]).toBe(1);
  });

  it('undoes everything since the last commit, or keeps it', () => {
    const s = new VrpState(vrpModel(lineVrp(4)));
    [0, 1, 2].forEach((u, i) => s.insert(u, 0, i));
    s.unassigned.push(3);
    s.commit();
    const cost = s.totalCost();
    expect(cost).toBe(6 + 1e6); // the round trip to x = 3 and job 3's penalty
    s.remove(1);
    s.unassigned.push(1);
    s.insert(3, 0, 2);
    s.unassigned.splice(0, 1);
    expect([...s.touchedRoutes()]).toEqual([0]);
    s.rollback([3]);
    expect(s.routes[0].jobs).toEqual([0, 1, 2]);
    expect(s.unassigned).toEqual([3]);
    expect([...s.routeOf]).toEqual([0, 0, 0, -1]);
    expect(s.totalCost()).toBe(cost);
    expect(s.isTouched(0)).toBe(false);
    s.insert(3, 0, 3);
    s.unassigned.length = 0;
    s.commit();
    s.rollback([]);
    expect(s.routes[0].jobs).toEqual([0, 1, 2, 3]);
  });

  it('tracks the makespan as routes grow and shrink', () => {
    const s = new VrpState(vrpModel(lineVrp(4, { makespanWeight: 1, vehicles: [0, 1].map(() => lineVrp(1).vehicles[0]) })));
    s.insert(3, 0, 0); // to x = 4 and back: 8
    s.insert(0, 1, 0); // x = 1: 2
    expect(s.maxFinishS).toBe(8);
    s.remove(3);
    expect(s.maxFinishS).toBe(2);
    expect(s.totalCost()).toBe(2 + 2); // travel + makespan
  });

  it('finds an empty vehicle of each class while there is one', () => {
    const v = lineVrp(1).vehicles[0];
    const s = new VrpState(vrpModel(lineVrp(3, { vehicles: [v, v, { ...v, capacity: 2 }] })));
    expect(s.model.classMembers).toEqual([[0, 1], [2]]);
    s.insert(0, 0, 0);
    expect(s.emptyRouteOfClass(0)).toBe(1);
    s.insert(1, 1, 0);
    expect(s.emptyRouteOfClass(0)).toBe(-1);
    expect(s.emptyRouteOfClass(1)).toBe(2);
  });
});
