import { describe, expect, it } from 'vitest';
import { routeSchedule } from './route-schedule';
import { smallVrp as randomProblem } from './small-vrp.test-util';
import { solveVrp } from './solve-vrp';

describe('solveVrp', () => {
  it('serves every job feasibly when the fleet suffices, every job exactly once', () => {
    const p = randomProblem(30, 1);
    const sol = solveVrp(p, { maxIterations: 2000, seed: 1, timeLimitMs: 1e9 });
    expect(sol.unassigned).toEqual([]);
    const seen = sol.routes.flat().sort((a, b) => a - b);
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => i));
    sol.routes.forEach((r, v) => expect(routeSchedule(p, v, r).ok).toBe(true));
  });

  it('keeps every route feasible under time windows, shift, capacity and stop limits, and lists the rest', () => {
    const p = randomProblem(60, 2);
    p.jobs.forEach((j, i) => {
      if (i % 3 === 0) {
        j.earliestS = 3 * 3600;
        j.latestS = 5 * 3600;
      }
    });
    p.jobs.forEach((j, i) => {
      j.penalty = 1e6 * (1 + (i % 5));
    });
    const sol = solveVrp(p, { maxIterations: 3000, seed: 3, timeLimitMs: 1e9 });
    sol.routes.forEach((r, v) => {
      const s = routeSchedule(p, v, r);
      expect(s.ok).toBe(true);
      expect(r.length).toBeLessThanOrEqual(12);
      r.forEach((j, i) => {
        expect(s.times[i + 1]).toBeGreaterThanOrEqual(p.jobs[j].earliestS);
        expect(s.times[i + 1]).toBeLessThanOrEqual(p.jobs[j].latestS);
      });
    });
    expect(sol.routes.flat().length + sol.unassigned.length).toBe(60);
    expect(sol.unassigned.length).toBeGreaterThan(0); // 4 teams × 12 stops < 60
    // Higher-penalty (priority) jobs are preferred: the served ones have a higher mean penalty.
    const mean = (a: number[]): number => a.reduce((s, j) => s + p.jobs[j].penalty, 0) / a.length;
    expect(mean(sol.routes.flat())).toBeGreaterThan(mean(sol.unassigned));
  });

  it('is deterministic under a seed with an iteration limit', () => {
    const p = randomProblem(40, 4);
    const a = solveVrp(p, { maxIterations: 500, seed: 9, timeLimitMs: 1e9 });
    const b = solveVrp(p, { maxIterations: 500, seed: 9, timeLimitMs: 1e9 });
    expect(a.routes).toEqual(b.routes);
    expect(a.cost).toBe(b.cost);
  });

  it('insert-only mode keeps the given order and adds new jobs', () => {
    const p = randomProblem(20, 5);
    const first = solveVrp(p, { maxIterations: 500, seed: 1, timeLimitMs: 1e9 });
    const initial = first.routes.map((r) => r.filter((j) => j !== 0 && j !== 1));
    const again = solveVrp(p, { initialRoutes: initial, insertOnly: true });
    again.routes.forEach((r, v) => expect(r.filter((j) => j !== 0 && j !== 1)).toEqual(initial[v]));
    expect(again.routes.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
