import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { ruinAdjacentStrings } from './ruin-adjacent-strings';
import { smallVrp } from './small-vrp.test-util';
import { solveVrp } from './solve-vrp';
import { vrpModel } from './vrp-model';
import { VrpState } from './vrp-state';

/** A solved 40-job instance loaded into a state, so the ruin has full routes to cut. */
function solvedState(): VrpState {
  const p = smallVrp(40, 7);
  const sol = solveVrp(p, { seed: 1, maxIterations: 200, timeLimitMs: 1e9 });
  const s = new VrpState(vrpModel(p));
  sol.routes.forEach((jobs, r) => s.setRoute(r, jobs.slice()));
  return s;
}

describe('ruinAdjacentStrings', () => {
  it('cuts strings of consecutive jobs, near each other, out of a few routes', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const s = solvedState();
      const before = s.routes.map((r) => r.jobs.slice());
      ruinAdjacentStrings(s, createRng(seed));
      const removed = s.unassigned;
      expect(removed.length).toBeGreaterThan(0);
      expect(new Set(removed).size).toBe(removed.length);
      for (const u of removed) {
        expect(s.routeOf[u]).toBe(-1);
        expect(s.fresh[u]).toBe(1);
      }
      before.forEach((jobs, r) => {
        const gone = jobs.map((u, i) => (removed.includes(u) ? i : -1)).filter((i) => i >= 0);
        expect(gone.length).toBeLessThanOrEqual(10);
        // A string, or a split string: inside the removed span, the jobs kept form one run.
        const kept: number[] = [];
        for (let i = gone[0]; i <= gone[gone.length - 1]; i++) if (!gone.includes(i)) kept.push(i);
        kept.forEach((i, k) => expect(i - kept[0]).toBe(k));
        expect(s.routes[r].jobs).toEqual(jobs.filter((u) => !removed.includes(u)));
        if (gone.length) expect(s.isTouched(r)).toBe(true);
      });
      // Every job is either routed or removed, once.
      expect([...s.routes.flatMap((r) => r.jobs), ...removed].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    }
  });

  it('removes exactly one run of consecutive jobs when the coin picks a plain string', () => {
    const s = solvedState();
    const before = s.routes.map((r) => r.jobs.slice());
    // Draws: the number of routes (0.01: one), the string length (0.6), the coin (0.4 < 0.5: a plain string).
    const draws = [0.01, 0.6, 0.4];
    const rng = { next: (): number => draws.shift() ?? 0.6, int: (k: number): number => Math.floor(k / 2) };
    ruinAdjacentStrings(s, rng);
    const r = before.findIndex((jobs) => jobs.some((u) => s.unassigned.includes(u)));
    const gone = before[r].map((u, i) => (s.unassigned.includes(u) ? i : -1)).filter((i) => i >= 0);
    expect(gone.length).toBe(s.unassigned.length);
    expect(gone).toEqual(Array.from({ length: gone.length }, (_, k) => gone[0] + k));
  });

  it('does nothing on an empty solution', () => {
    const s = new VrpState(vrpModel(smallVrp(5, 1)));
    ruinAdjacentStrings(s, createRng(1));
    expect(s.unassigned).toEqual([]);
  });
});
