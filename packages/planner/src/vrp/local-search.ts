import { improveRouteOrder } from './improve-route-order';
import type { VrpState } from './vrp-state';

/**
 * Local search on one route of the state: intra-route 2-opt and Or-opt ({@link improveRouteOrder})
 * for at most `maxPasses` improving moves. The change is not recorded for rollback: call it on
 * routes already touched since the last commit, or after the search.
 * @returns whether the route changed.
 */
export function improveRouteInPlace(state: VrpState, r: number, maxPasses = 1000): boolean {
  const jobs = state.routes[r].jobs;
  const better = improveRouteOrder(state.model.problem, r, jobs, maxPasses);
  if (better === jobs) return false;
  state.setRoute(r, better);
  return true;
}
