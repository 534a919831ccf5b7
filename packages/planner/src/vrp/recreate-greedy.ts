import type { Rng } from '../random';
import type { VrpState } from './vrp-state';

/** Chance of skipping each insertion spot (SISR's blinks): diversity at almost no cost. */
const BLINK = 0.01;
/** About how many jobs left out earlier are retried per recreate when many are left out. */
const LEFTOVER_SAMPLE = 40;

/** The cheapest insertion found for one job. */
export interface Insertion {
  /** Objective increase; Infinity when none fits. */
  delta: number;
  /** Route, −1 when none fits. */
  route: number;
  /** Position in the route (the job is inserted before the job now there). */
  pos: number;
  /** How many spots were looked at. */
  considered: number;
}

/**
 * The cheapest feasible insertion of job `u`, skipping each spot with probability {@link BLINK}.
 * Granular: only the spots before and after `u`'s routed neighbours; otherwise every spot of every
 * non-empty route. One empty vehicle of each class is always a candidate.
 */
export function bestInsertion(state: VrpState, u: number, granular: boolean, rng: Rng): Insertion {
  const best: Insertion = { delta: Infinity, route: -1, pos: -1, considered: 0 };
  const { routes, routeOf, idxOf, maxFinishS } = state;
  const consider = (r: number, i: number): void => {
    best.considered++;
    if (rng.next() < BLINK) return;
    const d = routes[r].insertionDelta(u, i, maxFinishS);
    if (d < best.delta) {
      best.delta = d;
      best.route = r;
      best.pos = i;
    }
  };
  if (granular) {
    const { k: K, neighbours } = state.model;
    for (let t = 0; t < K; t++) {
      const v = neighbours[u * K + t];
      const r = routeOf[v];
      if (r < 0) continue;
      consider(r, idxOf[v]);
      consider(r, idxOf[v] + 1);
    }
  } else {
    for (let r = 0; r < routes.length; r++) {
      const m = routes[r].jobs.length;
      if (m === 0) continue;
      for (let i = 0; i <= m; i++) consider(r, i);
    }
  }
  for (let c = 0; c < state.model.classMembers.length; c++) {
    const r = state.emptyRouteOfClass(c);
    if (r >= 0) consider(r, 0);
  }
  return best;
}

/**
 * SISR's recreate: orders `state.unassigned` by a random rule (shuffled, largest demand, farthest
 * or nearest from the first depot; optional jobs by penalty), then inserts each job at its cheapest
 * spot if that costs less than leaving it out. Jobs left out by earlier steps are retried only near
 * this step's ruin, and only a sample of them when there are many. Returns with `state.unassigned`
 * holding the jobs still left out and no job marked fresh.
 */
export function recreateGreedy(state: VrpState, rng: Rng): void {
  const { fresh, unassigned } = state;
  const { penalty } = state.model;
  orderForRecreate(state, rng);
  const left: number[] = [];
  // Jobs left out earlier can only fit where this iteration's ruin made room; when many are left
  // out (an oversubscribed plan), retry a random sample of about LEFTOVER_SAMPLE of them.
  let stale = 0;
  for (const u of unassigned) if (!fresh[u]) stale++;
  const retry = Math.min(1, LEFTOVER_SAMPLE / Math.max(1, stale));
  const nClass = state.model.classMembers.length;
  for (const u of unassigned) {
    if (!fresh[u] && (!nearRuin(state, u) || (retry < 1 && rng.next() >= retry))) {
      left.push(u);
      continue;
    }
    let ins = bestInsertion(state, u, true, rng);
    // Full scan only when no neighbour is routed (granular neighbourhood empty), or now and then.
    if (ins.route < 0 && (ins.considered <= nClass || rng.next() < 0.05)) ins = bestInsertion(state, u, false, rng);
    if (ins.route >= 0 && ins.delta < penalty[u]) state.insert(u, ins.route, ins.pos);
    else left.push(u);
  }
  for (const u of unassigned) fresh[u] = 0;
  unassigned.length = 0;
  unassigned.push(...left);
}

/** Sorts the jobs to insert by one of SISR's orders, picked at random. */
function orderForRecreate(state: VrpState, rng: Rng): void {
  const { cost: C, n, jobNode, demand, penalty } = state.model;
  const removed = state.unassigned;
  const pick = rng.next() * 11;
  const ref = state.model.vehicles[0]?.startNode ?? 0;
  if (pick < 4) shuffle(removed, rng);
  else if (pick < 8) removed.sort((a, b) => demand[b] - demand[a] || penalty[b] - penalty[a] || a - b);
  else if (pick < 10) removed.sort((a, b) => C[ref * n + jobNode[b]] - C[ref * n + jobNode[a]] || a - b);
  else removed.sort((a, b) => C[ref * n + jobNode[a]] - C[ref * n + jobNode[b]] || a - b);
  // Optional jobs: serve the most valuable first.
  if (pick >= 4) removed.sort((a, b) => penalty[b] - penalty[a]);
}

/** Whether a neighbour of `u` was just removed or sits in a route this step changed. */
function nearRuin(state: VrpState, u: number): boolean {
  const { k: K, neighbours } = state.model;
  for (let t = 0; t < K; t++) {
    const v = neighbours[u * K + t];
    if (state.fresh[v] || (state.routeOf[v] >= 0 && state.isTouched(state.routeOf[v]))) return true;
  }
  return false;
}

function shuffle(a: number[], rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
}
