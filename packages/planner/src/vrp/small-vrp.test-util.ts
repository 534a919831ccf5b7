import { createRng } from '../random';
import type { VrpProblem } from './vrp-problem';

/**
 * A small random instance on a 1-hour square (travel in seconds, straight lines rounded), depot at
 * node 0, jobs at nodes 1..nJobs with 10-minute service and demands 1–9, 4 vehicles of 8-hour
 * shifts, capacity 60 and 12 stops; `over` replaces any field.
 */
export function smallVrp(nJobs: number, seed: number, over: Partial<VrpProblem> = {}): VrpProblem {
  const rng = createRng(seed);
  const n = nJobs + 1;
  const x = Array.from({ length: n }, () => rng.next() * 3600);
  const y = Array.from({ length: n }, () => rng.next() * 3600);
  const cost = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cost[i * n + j] = Math.round(Math.hypot(x[i] - x[j], y[i] - y[j]));
  const jobs = Array.from({ length: nJobs }, (_, i) => ({
    node: i + 1,
    serviceS: 600,
    demand: 1 + rng.int(9),
    earliestS: 0,
    latestS: Infinity,
    penalty: 1e9,
    weight: 0,
  }));
  const vehicles = Array.from({ length: 4 }, () => ({ startNode: 0, endNode: 0, shiftStartS: 0, shiftEndS: 8 * 3600, capacity: 60, maxStops: 12 }));
  return { n, cost, jobs, vehicles, ...over };
}

/** Jobs on a line at x = 1..m (travel = distance), depot at 0, no service, one vehicle with no limits. */
export function lineVrp(m: number, over: Partial<VrpProblem> = {}): VrpProblem {
  const n = m + 1;
  const cost = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cost[i * n + j] = Math.abs(i - j);
  const jobs = Array.from({ length: m }, (_, i) => ({ node: i + 1, serviceS: 0, demand: 1, earliestS: -Infinity, latestS: Infinity, penalty: 1e6, weight: 0 }));
  const vehicles = [{ startNode: 0, endNode: 0, shiftStartS: 0, shiftEndS: Infinity, capacity: Infinity, maxStops: Infinity }];
  return { n, cost, jobs, vehicles, ...over };
}

/** A generator that never blinks and always picks the middle: makes the operators' choices exact. */
export const steadyRng = { next: (): number => 0.5, int: (k: number): number => Math.floor(k / 2) };
