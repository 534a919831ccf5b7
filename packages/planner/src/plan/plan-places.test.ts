import { describe, expect, it } from 'vitest';
import type { UnassignedReason } from '../errors';
import { dropOneWayTraps, locatePlaces, type PlanPlaces } from './plan-places';
import type { PlanTarget } from './plan-types';

const target = (id: string, lon: number): PlanTarget => ({ id, lonLat: [lon, 27.9], priority: 1, serviceS: 60 });

describe('plan places', () => {
  it('without a network: one depot for teams sharing a start, targets after it, geodesic times', () => {
    const depot: [number, number] = [102.3, 27.9];
    const targets = [target('a', 102.31), target('b', 102.32)];
    const p = locatePlaces(
      {
        targets,
        teams: [
          { id: 'A', start: depot, shiftS: 3600 },
          { id: 'B', start: depot, end: [102.35, 27.9], shiftS: 3600 },
        ],
      },
      targets,
      () => undefined,
      {},
    );
    expect(p.depots).toEqual([depot, [102.35, 27.9]]);
    expect(p.teamStart).toEqual([0, 0]);
    expect(p.teamEnd).toEqual([0, 1]);
    expect(p.reach.map((t) => t.id)).toEqual(['a', 'b']);
    expect(p.matrix.n).toBe(4);
    // ~0.01° of longitude at 27.9° N is ~985 m; × 1.3 detour at 30 km/h ≈ 154 s.
    expect(p.matrix.timeS[0 * 4 + 2]).toBeGreaterThan(140);
    expect(p.matrix.timeS[0 * 4 + 2]).toBeLessThan(170);
  });

  it('leaves out a target no team can both reach and leave, and re-indexes the matrix over the rest', () => {
    // Nodes: depot 0, targets a (1), trap (2: reachable, no way back), c (3).
    const n = 4;
    const t = new Float64Array(n * n).fill(100);
    for (let i = 0; i < n; i++) t[i * n + i] = 0;
    t[2 * n + 0] = Infinity;
    const places: PlanPlaces = {
      depots: [[102.3, 27.9]],
      teamStart: [0],
      teamEnd: [0],
      locs: null,
      reach: [target('a', 102.31), target('trap', 102.32), target('c', 102.33)],
      matrix: { n, timeS: t, distM: t.map((x) => x * 10), direct: new Uint8Array(n * n) },
    };
    const left: [string, UnassignedReason][] = [];
    const kept = dropOneWayTraps(places, (tg, why) => left.push([tg.id, why]));
    expect(left).toEqual([['trap', 'UNREACHABLE_DISCONNECTED']]);
    expect(kept.reach.map((x) => x.id)).toEqual(['a', 'c']);
    expect(kept.matrix.n).toBe(3);
    expect(Array.from(kept.matrix.timeS)).toEqual([0, 100, 100, 100, 0, 100, 100, 100, 0]);
    expect(dropOneWayTraps(kept, () => undefined)).toBe(kept);
  });
});
