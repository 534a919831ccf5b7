import type { Rng } from '../random';
import type { VrpState } from './vrp-state';

/** Mean number of jobs one ruin removes (SISR's c̄). */
const AVG_REMOVED = 10;
/** Longest string removed from one route (SISR's L^max). */
const MAX_STRING = 10;

/**
 * SISR's ruin (Christiaens & Vanden Berghe 2020, adjacent string removal): from a random routed
 * seed job, walk its nearest neighbours and cut one string of consecutive jobs out of each route
 * met, until a random number of routes is ruined. A string is cut whole, or ("split string") with
 * a few jobs inside it kept. Removed jobs join `state.unassigned` and are marked fresh.
 */
export function ruinAdjacentStrings(state: VrpState, rng: Rng): void {
  const { routes, routeOf } = state;
  const { k: K, neighbours } = state.model;
  const nj = routeOf.length;
  let assigned = 0;
  let used = 0;
  for (const route of routes)
    if (route.jobs.length) {
      assigned += route.jobs.length;
      used++;
    }
  if (assigned === 0) return;
  const lsMax = Math.min(MAX_STRING, assigned / used);
  const ksMax = (4 * AVG_REMOVED) / (1 + lsMax) - 1;
  const ks = Math.floor(rng.next() * ksMax) + 1;
  let seed = rng.int(nj);
  for (let g = 0; g < nj && routeOf[seed] < 0; g++) seed = (seed + 1) % nj;
  const ruined = new Set<number>();
  for (let t = -1; t < K && ruined.size < ks; t++) {
    const c = t < 0 ? seed : neighbours[seed * K + t];
    const r = routeOf[c];
    if (r < 0 || ruined.has(r)) continue;
    ruined.add(r);
    const length = routes[r].jobs.length;
    const l = Math.floor(rng.next() * Math.min(length, lsMax)) + 1;
    if (rng.next() < 0.5 || l === length) removeString(state, rng, c, l);
    else removeSplitString(state, rng, c, l);
  }
}

/** Removes `l` consecutive jobs of job `c`'s route, a random window that contains `c`. */
function removeString(state: VrpState, rng: Rng, c: number, l: number): void {
  const route = state.routes[state.routeOf[c]].jobs;
  const j = state.idxOf[c];
  const lo = Math.max(0, j - l + 1);
  const hi = Math.min(j, route.length - l);
  const s = lo + rng.int(hi - lo + 1);
  for (const u of route.slice(s, s + l)) take(state, u);
}

/** Removes `l` jobs from a window of `l + m` around job `c`, keeping `m` consecutive ones inside it. */
function removeSplitString(state: VrpState, rng: Rng, c: number, l: number): void {
  const route = state.routes[state.routeOf[c]].jobs;
  let m = 1;
  while (l + m < route.length && rng.next() < 0.5) m++;
  const L = l + m;
  const j = state.idxOf[c];
  const lo = Math.max(0, j - L + 1);
  const hi = Math.min(j, route.length - L);
  const s = lo + rng.int(hi - lo + 1);
  const keepAt = rng.int(l + 1);
  const str = route.slice(s, s + L);
  for (let q = 0; q < L; q++) if (q < keepAt || q >= keepAt + m) take(state, str[q]);
}

function take(state: VrpState, u: number): void {
  state.unassigned.push(u);
  state.fresh[u] = 1;
  state.remove(u);
}
