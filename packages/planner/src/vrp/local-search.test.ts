import { describe, expect, it } from 'vitest';
import { improveRouteInPlace } from './local-search';
import { lineVrp } from './small-vrp.test-util';
import { vrpModel } from './vrp-model';
import { VrpState } from './vrp-state';

describe('improveRouteInPlace', () => {
  it('untangles a zig-zag route and updates the cached costs', () => {
    const s = new VrpState(vrpModel(lineVrp(5)));
    s.setRoute(0, [4, 0, 3, 1, 2]);
    expect(s.routes[0].travel).toBe(5 + 4 + 3 + 2 + 1 + 3);
    expect(improveRouteInPlace(s, 0)).toBe(true);
    expect(s.routes[0].travel).toBe(10);
    expect(s.totalCost()).toBe(10);
    expect(s.routes[0].jobs.slice().sort()).toEqual([0, 1, 2, 3, 4]);
    expect(s.routeOf[s.routes[0].jobs[0]]).toBe(0);
  });

  it('leaves an optimal route as it is', () => {
    const s = new VrpState(vrpModel(lineVrp(3)));
    s.setRoute(0, [0, 1, 2]);
    expect(improveRouteInPlace(s, 0)).toBe(false);
    expect(s.routes[0].jobs).toEqual([0, 1, 2]);
  });
});
