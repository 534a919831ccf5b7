import type { VrpProblem } from './vrp-problem';

/** Service start times of a route: `[depart, s_1, …, s_m, arriveEnd]`; `ok` false if a window, the shift, capacity or the stop limit is violated. */
export function routeSchedule(p: VrpProblem, v: number, route: readonly number[]): { times: number[]; travel: number; ok: boolean } {
  const veh = p.vehicles[v];
  const n = p.n;
  let t = veh.shiftStartS;
  let node = veh.startNode;
  let travel = 0;
  let load = 0;
  let ok = route.length <= veh.maxStops;
  const times = [t];
  for (const j of route) {
    const job = p.jobs[j];
    const c = p.cost[node * n + job.node];
    travel += c;
    t = Math.max(t + c, job.earliestS);
    if (t > job.latestS + 1e-6) ok = false;
    times.push(t);
    t += job.serviceS;
    load += job.demand;
    node = job.node;
  }
  const c = p.cost[node * n + veh.endNode];
  travel += c;
  t += c;
  times.push(t);
  if (t > veh.shiftEndS + 1e-6 || load > veh.capacity + 1e-9) ok = false;
  return { times, travel, ok };
}
