import type { VrpProblem } from '../vrp/vrp-problem';
import type { PlanPlaces } from './plan-places';
import type { Plan, PlanOptions, PlanRoute, PlanUnassigned } from './plan-types';

/**
 * The plan's scores: priority served and left, time and distance, balance, and the makespan with a
 * lower bound on it and the even split of the plan's own work.
 * @param solved the solver's routes (job indices); stops dropped after it are not counted as served.
 */
export function planObjective(
  routes: PlanRoute[],
  unassigned: PlanUnassigned[],
  solved: number[][],
  vrp: VrpProblem,
  places: PlanPlaces,
  options: PlanOptions,
): Plan['objective'] {
  const served = routes.reduce((a, r) => a + r.stops.length, 0);
  const durations = routes.map((r) => r.durationS);
  const makespanS = durations.length ? Math.max(...durations) : 0;
  const servedIds = new Set(routes.flatMap((r) => r.stops.map((st) => st.targetId)));
  const servedJobs = solved.flat().filter((j) => servedIds.has(places.reach[j].id));
  const { matrix } = places;
  const { lowerBoundS, evenSplitS } = makespanBounds(
    routes,
    vrp.vehicles.length,
    servedJobs.map((j) => vrp.jobs[j].node),
    servedJobs.map((j) => vrp.jobs[j].serviceS),
    matrix.timeS,
    matrix.n,
    places.depots.length,
  );
  return {
    servedPriority: round3(routes.reduce((a, r) => a + r.stops.reduce((b, s) => b + s.priority, 0), 0)),
    unservedPriority: round3(unassigned.reduce((a, u) => a + u.priority, 0)),
    totalDurationS: durations.reduce((a, x) => a + x, 0),
    totalTravelS: routes.reduce((a, r) => a + r.travelS, 0),
    totalDistanceM: routes.reduce((a, r) => a + r.distanceM, 0),
    imbalanceS: durations.length ? Math.max(...durations) - Math.min(...durations) : 0,
    kind: options.objective ?? 'makespan',
    makespanS,
    lowerBoundS,
    evenSplitS,
    gapToLowerBound: lowerBoundS > 0 ? Math.round((makespanS / lowerBoundS - 1) * 1e4) / 1e4 : 0,
    served,
    unserved: unassigned.length,
  };
}

/**
 * A lower bound on the longest route of any plan that serves the same stops with the same fleet
 * (`vehicles` team-days): the largest of (1) the work no plan avoids — each stop's service plus the
 * cheapest way into it, and the cheapest way home on each route — split evenly; (2) some route has at
 * least ⌈stops ÷ routes⌉ stops, so at least the sum of that many of the cheapest; (3) the longest
 * round trip any one stop needs on its own. And the even split of this plan's own work (total work ÷ team-days used).
 */
function makespanBounds(
  routes: PlanRoute[],
  vehicles: number,
  servedNodes: number[],
  serviceS: number[],
  cost: Float64Array,
  n: number,
  depotNodes: number,
): { lowerBoundS: number; evenSplitS: number } {
  if (!routes.length || !servedNodes.length) return { lowerBoundS: 0, evenSplitS: 0 };
  const work = routes.reduce((a, r) => a + r.durationS, 0);
  const each: number[] = [];
  let single = 0,
    home = Infinity;
  servedNodes.forEach((j, k) => {
    let into = Infinity,
      out = Infinity,
      trip = Infinity;
    for (let i = 0; i < n; i++) if (i !== j) into = Math.min(into, cost[i * n + j]);
    for (let d = 0; d < depotNodes; d++) {
      out = Math.min(out, cost[j * n + d]);
      trip = Math.min(trip, cost[d * n + j] + cost[j * n + d]);
    }
    each.push(serviceS[k] + into);
    home = Math.min(home, out);
    single = Math.max(single, trip + serviceS[k]);
  });
  each.sort((x, y) => x - y);
  const R = Math.max(1, Math.min(vehicles, servedNodes.length));
  const homeS = Number.isFinite(home) ? home : 0;
  const even = each.reduce((a, x) => a + x, 0) / R + homeS;
  const busiest = each.slice(0, Math.ceil(servedNodes.length / R)).reduce((a, x) => a + x, 0) + homeS;
  return { lowerBoundS: Math.round(Math.max(even, busiest, single)), evenSplitS: Math.round(work / routes.length) };
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
