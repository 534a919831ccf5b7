import { createRng, type Rng } from '../random';
import { improveRouteInPlace } from './local-search';
import { recreateGreedy } from './recreate-greedy';
import { ruinAdjacentStrings } from './ruin-adjacent-strings';
import { vrpModel } from './vrp-model';
import type { VrpOptions, VrpProblem, VrpSolution } from './vrp-problem';
import { VrpState } from './vrp-state';

/** Local-search passes given to each route a ruin-and-recreate step changed (with `intraRouteSearch`). */
const STEP_POLISH_PASSES = 3;

/**
 * Solves a capacitated, time-windowed, multi-depot vehicle-routing problem with optional jobs by
 * SISR ruin-and-recreate (Christiaens & Vanden Berghe 2020: adjacent string removal, greedy
 * insertion with blinks over granular neighbourhoods, simulated-annealing acceptance).
 * Construction is the same greedy insertion from an empty solution. Deterministic for a seed
 * when `maxIterations` bounds the run.
 * The stages: {@link construct} the first solution, {@link anneal} it with ruin
 * ({@link ruinAdjacentStrings}) and recreate ({@link recreateGreedy}), then restore the best
 * solution seen and polish each route with local search ({@link improveRouteInPlace}).
 * @example const sol = solveVrp(problem, { seed: 1, timeLimitMs: 2000 });
 */
export function solveVrp(p: VrpProblem, options: VrpOptions = {}): VrpSolution {
  const rng = createRng(options.seed ?? 1);
  const state = new VrpState(vrpModel(p));
  construct(state, rng, options);
  const search = options.insertOnly ? { best: snapshot(state), iterations: 0 } : anneal(state, rng, options);
  restore(state, search.best);
  if (!options.insertOnly) for (let r = 0; r < state.routes.length; r++) improveRouteInPlace(state, r);
  const cost = state.totalCost();
  options.onProgress?.(1, cost);
  return {
    routes: state.routeOrders(),
    unassigned: search.best.unassigned.slice().sort((a, b) => a - b),
    cost,
    travel: state.travel(),
    iterations: search.iterations,
  };
}

/** A solution kept aside: the routes' orders, the unassigned jobs and the objective. */
interface Snapshot {
  routes: number[][];
  unassigned: number[];
  cost: number;
}

function snapshot(state: VrpState, cost = state.totalCost()): Snapshot {
  return { routes: state.routeOrders(), unassigned: state.unassigned.slice(), cost };
}

function restore(state: VrpState, s: Snapshot): void {
  s.routes.forEach((jobs, r) => state.setRoute(r, jobs));
  state.unassigned.length = 0;
  state.unassigned.push(...s.unassigned);
}

/**
 * The first solution: the given initial routes (deduplicated, each cut from the end until
 * feasible), then greedy insertion of every job not in them, highest penalty first when only
 * inserting.
 */
function construct(state: VrpState, rng: Rng, options: VrpOptions): void {
  const nj = state.routeOf.length;
  const seen = new Set<number>();
  options.initialRoutes?.forEach((route, r) => {
    if (r >= state.routes.length) return;
    state.setRoute(
      r,
      route.filter((u) => u >= 0 && u < nj && !seen.has(u) && (seen.add(u), true)),
    );
    // Drop jobs that make the route infeasible, from the end.
    const jobs = state.routes[r].jobs;
    while (jobs.length && !state.routes[r].isFeasible()) {
      state.routeOf[jobs.pop()!] = -1;
      state.refresh(r);
    }
  });
  for (let u = 0; u < nj; u++)
    if (state.routeOf[u] < 0) {
      state.unassigned.push(u);
      state.fresh[u] = 1;
    }
  if (options.insertOnly) state.unassigned.sort((a, b) => state.model.penalty[b] - state.model.penalty[a] || a - b);
  recreateGreedy(state, rng);
  state.commit();
}

/**
 * Ruin-and-recreate under simulated annealing until the iteration or time limit or the abort
 * signal: a step is kept when its cost is below the current one plus T·(−ln U), with T cooling
 * geometrically from twice the mean travel per job to a hundredth of that.
 */
function anneal(state: VrpState, rng: Rng, options: VrpOptions): { best: Snapshot; iterations: number } {
  const t0 = Date.now();
  const timeLimit = options.timeLimitMs ?? 2000;
  const maxIter = options.maxIterations ?? Infinity;
  let curCost = state.totalCost();
  let best = snapshot(state, curCost);
  const T0 = 2 * Math.max(1e-9, state.travelPerJob());
  const Tf = T0 / 100;
  let iter = 0;
  while (iter < maxIter) {
    const elapsed = Date.now() - t0;
    if (elapsed >= timeLimit || options.signal?.aborted) break;
    iter++;
    const frac = Number.isFinite(maxIter) ? iter / maxIter : elapsed / timeLimit;
    const T = T0 * Math.pow(Tf / T0, frac);
    const before = state.unassigned.slice();
    ruinAdjacentStrings(state, rng);
    recreateGreedy(state, rng);
    if (options.intraRouteSearch) for (const r of state.touchedRoutes()) improveRouteInPlace(state, r, STEP_POLISH_PASSES);
    const newCost = state.totalCost();
    if (newCost < curCost - T * Math.log(rng.next())) {
      curCost = newCost;
      if (newCost < best.cost - 1e-9) best = snapshot(state, newCost);
      state.commit();
    } else state.rollback(before);
    if (options.onProgress && iter % 200 === 0) options.onProgress(Math.min(1, frac), best.cost);
  }
  return { best, iterations: iter };
}
