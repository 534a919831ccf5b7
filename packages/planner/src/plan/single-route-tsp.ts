import { solveTsp } from '../tsp/solve-tsp';
import { routeSchedule } from '../vrp/route-schedule';
import type { VrpProblem } from '../vrp/vrp-problem';

/**
 * Re-optimises one vehicle's route as a travelling-salesman tour through its depot (start = end) with
 * the iterated 2-opt/Or-opt solver on the symmetrised costs, then keeps whichever direction of the
 * tour is feasible and cheapest under the real (possibly asymmetric) costs, if it beats `route`.
 * @returns the better job order (or `route` unchanged).
 */
export function singleRouteTsp(p: VrpProblem, v: number, route: number[], options: { seed?: number; timeLimitMs?: number; maxIterations?: number }): number[] {
  const veh = p.vehicles[v];
  if (route.length < 4 || veh.startNode !== veh.endNode) return route;
  const nodes = [veh.startNode, ...route.map((j) => p.jobs[j].node)];
  const k = nodes.length;
  const sym = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = 0; b < k; b++) if (a !== b) sym[a * k + b] = (p.cost[nodes[a] * p.n + nodes[b]] + p.cost[nodes[b] * p.n + nodes[a]]) / 2;
  if (!sym.every(Number.isFinite)) return route;
  const { tour } = solveTsp(sym, k, {
    seed: options.seed,
    timeLimitMs: options.timeLimitMs,
    maxIterations: options.maxIterations,
    initial: [0, ...route.map((_, i) => i + 1)],
  });
  const forward = tour.slice(1).map((i) => route[i - 1]);
  let best = route;
  let bestTravel = routeSchedule(p, v, route).travel;
  for (const cand of [forward, forward.slice().reverse()]) {
    const s = routeSchedule(p, v, cand);
    if (s.ok && s.travel < bestTravel - 1e-9) {
      best = cand;
      bestTravel = s.travel;
    }
  }
  return best;
}
