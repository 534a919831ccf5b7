import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { distanceMatrix, parseTsplib } from '../bench/read-tsplib';
import { solveTsp } from './tsp/solve-tsp';
import { routeSchedule } from './vrp/route-schedule';
import { solveVrp } from './vrp/solve-vrp';

// Public instances live outside the repo (../shared/bench, see KNOWN.md); skipped where absent.
const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/bench');
const have = existsSync(path.join(dir, 'tsplib')) && existsSync(path.join(dir, 'cvrplib'));

describe.skipIf(!have)('solution quality on public instances (iteration limits, deterministic)', () => {
  it.each([
    ['ulysses22', 7013, 0], // GEO distances: reaching the optimum checks the degrees.minutes rule
    ['att48', 10628, 0], // ATT pseudo-Euclidean rule
    ['eil51', 426, 0.01],
    ['kroA100', 21282, 0.01],
  ])('TSP %s within %s + gap', (name, opt, gap) => {
    const inst = parseTsplib(name, readFileSync(path.join(dir, 'tsplib', `${name}.tsp`), 'utf8'));
    const r = solveTsp(distanceMatrix(inst), inst.n, { maxIterations: 20_000, timeLimitMs: 1e9, seed: 1 });
    expect(r.cost).toBeGreaterThanOrEqual(opt);
    expect(r.cost).toBeLessThanOrEqual(opt * (1 + gap));
  });

  it.each([
    ['A-n32-k5', 784, 5, 0.01],
    ['E-n51-k5', 521, 5, 0.02],
  ])('CVRP %s within %s + gap, feasible', (name, bks, k, gap) => {
    const inst = parseTsplib(name, readFileSync(path.join(dir, 'cvrplib', `${name}.vrp`), 'utf8'));
    const cost = distanceMatrix(inst);
    const depot = inst.depot ?? 0;
    const jobs = Array.from({ length: inst.n }, (_, i) => i)
      .filter((i) => i !== depot)
      .map((i) => ({ node: i, serviceS: 0, demand: inst.demand![i], earliestS: 0, latestS: Infinity, penalty: 1e9, weight: 0 }));
    const v = { startNode: depot, endNode: depot, shiftStartS: 0, shiftEndS: Infinity, capacity: inst.capacity!, maxStops: Infinity };
    const p = { n: inst.n, cost, jobs, vehicles: Array.from({ length: k }, () => v) };
    const sol = solveVrp(p, { maxIterations: 8000, timeLimitMs: 1e9, seed: 1 });
    expect(sol.unassigned).toEqual([]);
    let total = 0;
    sol.routes.forEach((r, i) => {
      const s = routeSchedule(p, i, r);
      expect(s.ok).toBe(true);
      total += s.travel;
    });
    expect(total).toBeGreaterThanOrEqual(bks);
    expect(total).toBeLessThanOrEqual(bks * (1 + gap));
  });
});
