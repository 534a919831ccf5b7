import { PlannerError, UNASSIGNED_REASONS, type UnassignedReason } from '../errors';
import { Dijkstra } from '../network/dijkstra';
import { solveVrp } from '../vrp/solve-vrp';
import type { VrpProblem, VrpSolution } from '../vrp/vrp-problem';
import { planObjective } from './plan-objective';
import { dropOneWayTraps, locatePlaces, type PlanPlaces } from './plan-places';
import { routeDetail } from './plan-route-detail';
import type { Plan, PlanOptions, PlanProblem, PlanRoute, PlanTarget, PlanUnassigned } from './plan-types';
import { excludeUnfitJobs, initialRoutesFrom, planVrp } from './plan-vrp';
import { singleRouteTsp } from './single-route-tsp';

/**
 * Plans ground-inspection routes for several teams over one or more days: builds the travel-time
 * matrix (road network or geodesic), then optimises (greedy insertion + SISR ruin-and-recreate with
 * simulated annealing) to serve the highest total priority, then the least total time, then balance
 * the teams. Pure and synchronous: runs in the browser or a worker. Targets that cannot be reached or
 * served are listed in `unassigned` with a reason; they never abort the plan.
 *
 * The stages: check the input; locate the places and build the matrix ({@link locatePlaces}, then
 * {@link dropOneWayTraps}); state the VRP ({@link planVrp}, {@link excludeUnfitJobs}); optimise;
 * turn each solved route into the team's route ({@link routeDetail}); score the plan ({@link planObjective}).
 * @throws PlannerError TIANDI_E_NO_TARGETS, TIANDI_E_PLAN_INPUT, TIANDI_E_DEPOT_OFF_NETWORK, TIANDI_E_SHIFT_TOO_SHORT
 * @example const plan = planRoutes({ targets, teams: [{ id: 'A', start: depot, shiftS: 8 * 3600 }], network }, { seed: 1 });
 */
export function planRoutes(problem: PlanProblem, options: PlanOptions = {}): Plan {
  checkPlanProblem(problem);
  const visited = new Set(problem.visited ?? []);
  const active = problem.targets.filter((t) => !visited.has(t.id));
  const unassigned: PlanUnassigned[] = [];
  const leaveOut = (t: PlanTarget, reason: UnassignedReason): void => {
    unassigned.push({ targetId: t.id, lon: t.lonLat[0], lat: t.lonLat[1], priority: t.priority, reason, message: UNASSIGNED_REASONS[reason] });
  };

  const tMatrix = Date.now();
  let places = locatePlaces(problem, active, leaveOut, options);
  const matrixMs = Date.now() - tMatrix;
  places = dropOneWayTraps(places, leaveOut);

  const vrp = planVrp(problem, places, options);
  const excluded = excludeUnfitJobs(vrp, places, problem.teams.length, leaveOut);
  const initialRoutes = problem.previous ? initialRoutesFrom(problem.previous, problem, places, excluded) : undefined;

  const tSolve = Date.now();
  const sol = optimise(vrp, initialRoutes, problem, options);
  const solveMs = Date.now() - tSolve;
  for (const j of sol.unassigned) if (!excluded.has(j)) leaveOut(places.reach[j], 'NO_CAPACITY');

  const routes = detailRoutes(problem, places, vrp, sol, leaveOut, options);
  const objective = planObjective(routes, unassigned, sol.routes, vrp, places, options);
  return {
    version: 1,
    ...(problem.date ? { date: problem.date } : {}),
    objective,
    routes,
    unassigned: unassigned.sort((a, b) => b.priority - a.priority || (a.targetId < b.targetId ? -1 : 1)),
    visited: problem.targets.filter((t) => visited.has(t.id)).map((t) => t.id),
    stats: { matrixMs, solveMs, iterations: sol.iterations, locations: places.matrix.n, travel: problem.network ? 'network' : 'geodesic' },
  };
}

/** @throws PlannerError TIANDI_E_NO_TARGETS, TIANDI_E_PLAN_INPUT */
function checkPlanProblem(problem: PlanProblem): void {
  const days = problem.days ?? 1;
  if (!problem.targets.length) throw new PlannerError('TIANDI_E_NO_TARGETS', '没有目标 no targets to plan');
  if (!problem.teams.length) throw new PlannerError('TIANDI_E_PLAN_INPUT', '至少需要一个小组 at least one team is needed', 'teams');
  if (!Number.isInteger(days) || days < 1) throw new PlannerError('TIANDI_E_PLAN_INPUT', '天数须为正整数 days must be a positive integer', 'days');
  for (const t of problem.teams)
    if (!(t.shiftS > 0)) throw new PlannerError('TIANDI_E_PLAN_INPUT', `小组 ${t.id} 班次须大于 0 shift of team '${t.id}' must be > 0`, 'shift');
}

/**
 * Runs the VRP search; re-planning only inserts the new targets into the previous order. With a
 * single route to plan, 60 % of the budget goes to the TSP solver, stronger on one tour.
 */
function optimise(vrp: VrpProblem, initialRoutes: number[][] | undefined, problem: PlanProblem, options: PlanOptions): VrpSolution {
  const tSolve = Date.now();
  const single = vrp.vehicles.length === 1 && !problem.previous;
  const limit = options.timeLimitMs ?? 1500;
  const sol = solveVrp(vrp, {
    seed: options.seed ?? 1,
    timeLimitMs: single ? limit * 0.4 : limit,
    maxIterations: options.maxIterations,
    initialRoutes,
    insertOnly: !!problem.previous,
    signal: options.signal,
    onProgress: (f) => options.onProgress?.('optimise', f),
  });
  if (single && sol.routes[0].length >= 4) {
    const its = options.maxIterations === undefined ? undefined : options.maxIterations * 5;
    sol.routes[0] = singleRouteTsp(vrp, 0, sol.routes[0], {
      seed: options.seed ?? 1,
      timeLimitMs: Math.max(50, limit * 0.6 - (Date.now() - tSolve)),
      maxIterations: its,
    });
  }
  return sol;
}

/** Every non-empty solved route as the team's route, by day then team order. */
function detailRoutes(
  problem: PlanProblem,
  places: PlanPlaces,
  vrp: VrpProblem,
  sol: VrpSolution,
  leaveOut: (t: PlanTarget, reason: UnassignedReason) => void,
  options: PlanOptions,
): PlanRoute[] {
  const input = { problem, places, vrp, dijkstra: problem.network ? new Dijkstra(problem.network) : null };
  const routes: PlanRoute[] = [];
  sol.routes.forEach((solved, v) => {
    const route = routeDetail(input, v, solved, leaveOut);
    if (!route) return;
    options.onProgress?.('geometry', (v + 1) / sol.routes.length);
    routes.push(route);
  });
  const teamIndex = (id: string): number => problem.teams.findIndex((t) => t.id === id);
  return routes.sort((a, b) => a.day - b.day || teamIndex(a.teamId) - teamIndex(b.teamId));
}
