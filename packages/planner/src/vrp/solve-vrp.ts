import { createRng } from '../random';
import { improveRouteOrder } from './improve-route-order';
import { jobNeighbours } from './job-neighbours';
import type { VrpOptions, VrpProblem, VrpSolution } from './vrp-problem';

const NEIGHBOURS = 40;
const AVG_REMOVED = 10;
const MAX_STRING = 10;
const BLINK = 0.01;
const LEFTOVER_SAMPLE = 40;

/**
 * Solves a capacitated, time-windowed, multi-depot vehicle-routing problem with optional jobs by
 * SISR ruin-and-recreate (Christiaens & Vanden Berghe 2020: adjacent string removal, greedy
 * insertion with blinks over granular neighbourhoods, simulated-annealing acceptance).
 * Construction is the same greedy insertion from an empty solution. Deterministic for a seed
 * when `maxIterations` bounds the run.
 * @example const sol = solveVrp(problem, { seed: 1, timeLimitMs: 2000 });
 */
export function solveVrp(p: VrpProblem, options: VrpOptions = {}): VrpSolution {
  const rng = createRng(options.seed ?? 1);
  const timeLimit = options.timeLimitMs ?? 2000;
  const maxIter = options.maxIterations ?? Infinity;
  const t0 = Date.now();
  const n = p.n;
  const C = p.cost;
  const jobs = p.jobs;
  const vehs = p.vehicles;
  const nj = jobs.length;
  const nv = vehs.length;
  const balW = (p.balanceWeight ?? 0) / 3600;
  const spanW = p.makespanWeight ?? 0;
  const intraLs = options.intraRouteSearch ?? false;

  const jNode = Int32Array.from(jobs, (j) => j.node);
  const jServ = Float64Array.from(jobs, (j) => j.serviceS);
  const jDem = Float64Array.from(jobs, (j) => j.demand);
  const jE = Float64Array.from(jobs, (j) => j.earliestS);
  const jL = Float64Array.from(jobs, (j) => j.latestS);
  const jPen = Float64Array.from(jobs, (j) => j.penalty);
  const jW = Float64Array.from(jobs, (j) => j.weight);

  // Granular neighbourhood: K nearest jobs of each job (by min of both directions).
  const K = Math.min(NEIGHBOURS, Math.max(0, nj - 1));
  const neigh = jobNeighbours(C, n, jNode, K);
  // Vehicles with identical parameters are interchangeable when empty.
  const vClass = new Int32Array(nv);
  {
    const keys = new Map<string, number>();
    vehs.forEach((v, i) => {
      const key = `${v.startNode}|${v.endNode}|${v.shiftStartS}|${v.shiftEndS}|${v.capacity}|${v.maxStops}|${v.jobCost ?? 0}`;
      if (!keys.has(key)) keys.set(key, keys.size);
      vClass[i] = keys.get(key)!;
    });
  }
  const nClass = Math.max(0, ...Array.from(vClass, (c) => c + 1));

  // Solution state.
  let routes: number[][] = Array.from({ length: nv }, () => []);
  const routeOf = new Int32Array(nj).fill(-1);
  const idxOf = new Int32Array(nj);
  let start: Float64Array[] = Array.from({ length: nv }, () => new Float64Array(2));
  let latest: Float64Array[] = Array.from({ length: nv }, () => new Float64Array(2));
  const load = new Float64Array(nv);
  const travel = new Float64Array(nv);
  const work = new Float64Array(nv);
  const rCost = new Float64Array(nv);
  /** Each route's finish for the makespan (duration + the vehicle's offset; 0 when empty) and the latest, kept current by update(). */
  const dur = new Float64Array(nv);
  let maxDur = 0;

  const posNode = (r: number, i: number): number => {
    const route = routes[r];
    if (i === 0) return vehs[r].startNode;
    if (i > route.length) return vehs[r].endNode;
    return jNode[route[i - 1]];
  };

  const update = (r: number): void => {
    const route = routes[r];
    const v = vehs[r];
    const m = route.length;
    if (start[r].length !== m + 2) {
      start[r] = new Float64Array(m + 2);
      latest[r] = new Float64Array(m + 2);
    }
    const S = start[r];
    const Lt = latest[r];
    let t = v.shiftStartS;
    let node = v.startNode;
    let tr = 0;
    let ld = 0;
    let w = 0;
    S[0] = t;
    for (let i = 0; i < m; i++) {
      const j = route[i];
      idxOf[j] = i;
      routeOf[j] = r;
      const c = C[node * n + jNode[j]];
      tr += c;
      t = Math.max(t + c, jE[j]);
      S[i + 1] = t;
      t += jServ[j];
      ld += jDem[j];
      w += jServ[j] + jW[j] * (v.jobCost ?? 0);
      node = jNode[j];
    }
    const c = C[node * n + v.endNode];
    tr += c;
    S[m + 1] = t + c;
    Lt[m + 1] = v.shiftEndS;
    for (let i = m; i >= 1; i--) {
      const j = route[i - 1];
      Lt[i] = Math.min(jL[j], Lt[i + 1] - jServ[j] - C[jNode[j] * n + posNode(r, i + 1)]);
    }
    Lt[0] = Lt[1 <= m ? 1 : 1] - C[v.startNode * n + posNode(r, 1)];
    load[r] = ld;
    travel[r] = tr;
    work[r] = m === 0 ? 0 : tr + w;
    rCost[r] = tr + (m === 0 ? 0 : balW * (tr + w) * (tr + w)) + sumWeight(route) * (v.jobCost ?? 0);
    if (spanW > 0) {
      const d0 = dur[r];
      dur[r] = m === 0 ? 0 : S[m + 1] - v.shiftStartS + (v.makespanOffsetS ?? 0);
      if (dur[r] >= maxDur) maxDur = dur[r];
      else if (d0 >= maxDur) { maxDur = 0; for (let q = 0; q < nv; q++) if (dur[q] > maxDur) maxDur = dur[q]; }
    }
  };
  const sumWeight = (route: number[]): number => {
    let s = 0;
    for (const j of route) s += jW[j];
    return s;
  };

  /** Cost increase of inserting job u after position i of route r, or Infinity if infeasible. */
  const insertDelta = (u: number, r: number, i: number): number => {
    const route = routes[r];
    const v = vehs[r];
    if (route.length >= v.maxStops || load[r] + jDem[u] > v.capacity + 1e-9) return Infinity;
    const a = posNode(r, i);
    const b = posNode(r, i + 1);
    const nu = jNode[u];
    const cau = C[a * n + nu];
    const cub = C[nu * n + b];
    const S = start[r];
    const depart = i === 0 ? S[0] : S[i] + jServ[route[i - 1]];
    const su = Math.max(depart + cau, jE[u]);
    if (su > jL[u] + 1e-6) return Infinity;
    const arrB = su + jServ[u] + cub;
    const sb = i + 1 > route.length ? arrB : Math.max(arrB, jE[route[i]]);
    if (sb > latest[r][i + 1] + 1e-6) return Infinity;
    const dTravel = cau + cub - C[a * n + b];
    let delta = dTravel + jW[u] * (v.jobCost ?? 0);
    if (balW > 0) {
      const w0 = work[r];
      const w1 = (route.length === 0 ? travel[r] : w0) + dTravel + jServ[u] + jW[u] * (v.jobCost ?? 0);
      delta += balW * (w1 * w1 - w0 * w0);
    }
    if (spanW > 0) {
      // The route's new duration, waiting aside: only growth beyond the current longest route costs.
      const d1 = (route.length === 0 ? v.makespanOffsetS ?? 0 : dur[r]) + dTravel + jServ[u];
      if (d1 > maxDur) delta += spanW * (d1 - maxDur);
    }
    return delta;
  };

    const saved = new Map<number, number[]>();
  const isSaved = new Uint8Array(nv);
  const touch = (r: number): void => {
    if (!isSaved[r]) { saved.set(r, routes[r].slice()); isSaved[r] = 1; }
  };
  const clearSaved = (): void => {
    for (const r of saved.keys()) isSaved[r] = 0;
    saved.clear();
  };

  const insertJob = (u: number, r: number, i: number): void => {
    touch(r);
    routes[r].splice(i, 0, u);
    update(r);
  };
  const removeJob = (u: number): void => {
    const r = routeOf[u];
    touch(r);
    routes[r].splice(idxOf[u], 1);
    routeOf[u] = -1;
    update(r);
  };

  // Some empty vehicle of each class, found by a rotating scan (amortised O(1) per call).
  const classMembers: number[][] = Array.from({ length: nClass }, () => []);
  for (let r = 0; r < nv; r++) classMembers[vClass[r]].push(r);
  const emptyPtr = new Int32Array(nClass);
  const emptyOfClass = (c: number): number => {
    const list = classMembers[c];
    for (let k = 0; k < list.length; k++) {
      const q = (emptyPtr[c] + k) % list.length;
      if (routes[list[q]].length === 0) { emptyPtr[c] = q; return list[q]; }
    }
    return -1;
  };
  let considered = 0;
  const bestInsertion = (u: number, granular: boolean): [number, number, number] => {
    let bd = Infinity;
    let br = -1;
    let bi = -1;
    considered = 0;
    const consider = (r: number, i: number): void => {
      considered++;
      if (rng.next() < BLINK) return;
      const d = insertDelta(u, r, i);
      if (d < bd) {
        bd = d;
        br = r;
        bi = i;
      }
    };
    if (granular) {
      for (let t = 0; t < K; t++) {
        const v = neigh[u * K + t];
        const r = routeOf[v];
        if (r < 0) continue;
        consider(r, idxOf[v]);
        consider(r, idxOf[v] + 1);
      }
    } else {
      for (let r = 0; r < nv; r++) {
        const m = routes[r].length;
        if (m === 0) continue;
        for (let i = 0; i <= m; i++) consider(r, i);
      }
    }
    for (let c = 0; c < nClass; c++) {
      const r = emptyOfClass(c);
      if (r >= 0) consider(r, 0);
    }
    return [bd, br, bi];
  };

  const removed: number[] = [];
  const recreate = (): void => {
    const pick = rng.next() * 11;
    const ref = vehs[0]?.startNode ?? 0;
    if (pick < 4) shuffle(removed, rng);
    else if (pick < 8) removed.sort((a, b) => jDem[b] - jDem[a] || jPen[b] - jPen[a] || a - b);
    else if (pick < 10) removed.sort((a, b) => C[ref * n + jNode[b]] - C[ref * n + jNode[a]] || a - b);
    else removed.sort((a, b) => C[ref * n + jNode[a]] - C[ref * n + jNode[b]] || a - b);
    // Optional jobs: serve the most valuable first.
    if (pick >= 4) removed.sort((a, b) => jPen[b] - jPen[a]);
    const left: number[] = [];
    // Jobs left out earlier can only fit where this iteration's ruin made room; when many are left
    // out (an oversubscribed plan), retry a random sample of about LEFTOVER_SAMPLE of them.
    let stale = 0;
    for (const u of removed) if (!fresh[u]) stale++;
    const retry = Math.min(1, LEFTOVER_SAMPLE / Math.max(1, stale));
    for (const u of removed) {
      if (!fresh[u] && (!nearRuin(u) || (retry < 1 && rng.next() >= retry))) { left.push(u); continue; }
      let [d, r, i] = bestInsertion(u, true);
      // Full scan only when no neighbour is routed (granular neighbourhood empty), or now and then.
      if (r < 0 && (considered <= nClass || rng.next() < 0.05)) [d, r, i] = bestInsertion(u, false);
      if (r >= 0 && d < jPen[u]) insertJob(u, r, i);
      else left.push(u);
    }
    for (const u of removed) fresh[u] = 0;
    removed.length = 0;
    removed.push(...left);
  };
  const fresh = new Uint8Array(nj);
  const nearRuin = (u: number): boolean => {
    for (let t = 0; t < K; t++) {
      const v = neigh[u * K + t];
      if (fresh[v] || (routeOf[v] >= 0 && isSaved[routeOf[v]])) return true;
    }
    return false;
  };

  const ruin = (): void => {
    let assigned = 0;
    let used = 0;
    for (let r = 0; r < nv; r++) if (routes[r].length) { assigned += routes[r].length; used++; }
    if (assigned === 0) return;
    const lsMax = Math.min(MAX_STRING, assigned / used);
    const ksMax = (4 * AVG_REMOVED) / (1 + lsMax) - 1;
    const ks = Math.floor(rng.next() * ksMax) + 1;
    let seed = rng.int(nj);
    for (let g = 0; g < nj && routeOf[seed] < 0; g++) seed = (seed + 1) % nj;
    const ruined = new Set<number>();
    for (let t = -1; t < K && ruined.size < ks; t++) {
      const c = t < 0 ? seed : neigh[seed * K + t];
      const r = routeOf[c];
      if (r < 0 || ruined.has(r)) continue;
      ruined.add(r);
      const route = routes[r];
      const lMax = Math.min(route.length, lsMax);
      const l = Math.floor(rng.next() * lMax) + 1;
      const j = idxOf[c];
      if (rng.next() < 0.5 || l === route.length) {
        const lo = Math.max(0, j - l + 1);
        const hi = Math.min(j, route.length - l);
        const s = lo + rng.int(hi - lo + 1);
        for (const u of route.slice(s, s + l)) { removed.push(u); fresh[u] = 1; removeJob(u); }
      } else {
        let m = 1;
        while (l + m < route.length && rng.next() < 0.5) m++;
        const L = l + m;
        const lo = Math.max(0, j - L + 1);
        const hi = Math.min(j, route.length - L);
        const s = lo + rng.int(hi - lo + 1);
        const keepAt = rng.int(l + 1);
        const str = route.slice(s, s + L);
        for (let q = 0; q < L; q++) {
          if (q >= keepAt && q < keepAt + m) continue;
          removed.push(str[q]);
          fresh[str[q]] = 1;
          removeJob(str[q]);
        }
      }
    }
  };

  const totalCost = (): number => {
    let s = 0;
    for (let r = 0; r < nv; r++) s += rCost[r];
    for (const u of removed) s += jPen[u];
    return s + spanW * maxDur;
  };

  // Construction.
  for (let r = 0; r < nv; r++) update(r);
  if (options.initialRoutes) {
    const seen = new Set<number>();
    options.initialRoutes.forEach((route, r) => {
      if (r >= nv) return;
      routes[r] = route.filter((u) => u >= 0 && u < nj && !seen.has(u) && (seen.add(u), true));
      update(r);
      // Drop jobs that make the route infeasible, from the end.
      while (routes[r].length && !feasible(r)) { const u = routes[r].pop()!; routeOf[u] = -1; update(r); }
    });
  }
  for (let u = 0; u < nj; u++) if (routeOf[u] < 0) { removed.push(u); fresh[u] = 1; }
  if (options.insertOnly) removed.sort((a, b) => jPen[b] - jPen[a] || a - b);
  recreate();
  clearSaved();

  function feasible(r: number): boolean {
    const route = routes[r];
    if (route.length > vehs[r].maxStops || load[r] > vehs[r].capacity + 1e-9) return false;
    for (let i = 1; i <= route.length + 1; i++) if (start[r][i] > latest[r][i] + 1e-6) return false;
    return true;
  }

  /** Improves route r in place with {@link improveRouteOrder}; true if it changed. */
  const improveRoute = (r: number, maxPasses = 1000): boolean => {
    const better = improveRouteOrder(p, r, routes[r], maxPasses);
    if (better === routes[r]) return false;
    routes[r] = better;
    update(r);
    return true;
  };

  let curCost = totalCost();
  let bestCost = curCost;
  let bestRoutes = routes.map((r) => r.slice());
  let bestRemoved = removed.slice();
  const avgEdge = Math.max(1e-9, avgTravelPerJob());
  const T0 = 2 * avgEdge;
  const Tf = T0 / 100;
  let iter = 0;
  if (!options.insertOnly) {
    while (iter < maxIter) {
      const elapsed = Date.now() - t0;
      if (elapsed >= timeLimit || options.signal?.aborted) break;
      iter++;
      const frac = Number.isFinite(maxIter) ? iter / maxIter : elapsed / timeLimit;
      const T = T0 * Math.pow(Tf / T0, frac);
      const before = removed.slice();
      ruin();
      recreate();
      if (intraLs) for (const r of saved.keys()) improveRoute(r, 3);
      const newCost = totalCost();
      if (newCost < curCost - T * Math.log(rng.next())) {
        curCost = newCost;
        if (newCost < bestCost - 1e-9) {
          bestCost = newCost;
          bestRoutes = routes.map((r) => r.slice());
          bestRemoved = removed.slice();
        }
      } else {
        for (const [r, route] of saved) {
          for (const u of routes[r]) routeOf[u] = -1;
          routes[r] = route;
        }
        for (const u of removed) routeOf[u] = -1;
        for (const [r] of saved) update(r);
        removed.length = 0;
        removed.push(...before);
      }
      clearSaved();
      if (options.onProgress && iter % 200 === 0) options.onProgress(Math.min(1, frac), bestCost);
    }
  }
  routes = bestRoutes;
  for (let r = 0; r < nv; r++) update(r);
  if (!options.insertOnly) for (let r = 0; r < nv; r++) improveRoute(r);
  removed.length = 0;
  removed.push(...bestRemoved);
  bestCost = totalCost();
  let tr = 0;
  for (let r = 0; r < nv; r++) tr += travel[r];
  options.onProgress?.(1, bestCost);
  return { routes: routes.map((r) => r.slice()), unassigned: bestRemoved.sort((a, b) => a - b), cost: bestCost, travel: tr, iterations: iter };

  function avgTravelPerJob(): number {
    let s = 0;
    let m = 0;
    for (let r = 0; r < nv; r++) { s += travel[r]; m += routes[r].length; }
    return m ? s / m : 1;
  }
}

function shuffle(a: number[], rng: { int(n: number): number }): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
}
