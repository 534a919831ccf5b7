import type { LonLat } from '@tiandi/geo';
import { PlannerError, UNASSIGNED_REASONS, type UnassignedReason } from '../errors';
import { amapNavigationUriGcj02 } from '../export/amap-uri';
import { Dijkstra } from '../network/dijkstra';
import { legPath } from '../network/leg-path';
import { locate, type NetworkLocation } from '../network/locate';
import { geodesicTimeMatrix, MAX_DIRECT_WALK_M, networkTimeMatrix, type TimeMatrix } from '../network/time-matrix';
import { routeSchedule } from '../vrp/route-schedule';
import { solveVrp } from '../vrp/solve-vrp';
import type { VrpJob, VrpProblem, VrpVehicle } from '../vrp/vrp-problem';
import { singleRouteTsp } from './single-route-tsp';
import type { Plan, PlanOptions, PlanProblem, PlanRoute, PlanStop, PlanTarget, PlanUnassigned, StopInfo } from './plan-types';

/** Objective weight of one unit of priority left unserved, in seconds: priority always comes first. */
const PRIORITY_COST_S = 1e7;
/** Cost (s) per unit of priority of visiting a target one day later: urgent plots go early in the week. */
const DAY_COST_S = 120;
const DEFAULT_SHIFT_START_S = 8 * 3600;

/**
 * Plans ground-inspection routes for several teams over one or more days: builds the travel-time
 * matrix (road network or geodesic), then optimises (greedy insertion + SISR ruin-and-recreate with
 * simulated annealing) to serve the highest total priority, then the least total time, then balance
 * the teams. Pure and synchronous: runs in the browser or a worker. Targets that cannot be reached or
 * served are listed in `unassigned` with a reason; they never abort the plan.
 * @throws PlannerError TIANDI_E_NO_TARGETS, TIANDI_E_PLAN_INPUT, TIANDI_E_DEPOT_OFF_NETWORK, TIANDI_E_SHIFT_TOO_SHORT
 * @example const plan = planRoutes({ targets, teams: [{ id: 'A', start: depot, shiftS: 8 * 3600 }], network }, { seed: 1 });
 */
export function planRoutes(problem: PlanProblem, options: PlanOptions = {}): Plan {
  const net = problem.network;
  const walkKmh = problem.travel?.walkKmh ?? 4;
  const maxWalkM = problem.travel?.maxWalkM ?? 2000;
  const days = problem.days ?? 1;
  const teams = problem.teams;
  if (!problem.targets.length) throw new PlannerError('TIANDI_E_NO_TARGETS', '没有目标 no targets to plan');
  if (!teams.length) throw new PlannerError('TIANDI_E_PLAN_INPUT', '至少需要一个小组 at least one team is needed', 'teams');
  if (!Number.isInteger(days) || days < 1) throw new PlannerError('TIANDI_E_PLAN_INPUT', '天数须为正整数 days must be a positive integer', 'days');
  for (const t of teams)
    if (!(t.shiftS > 0)) throw new PlannerError('TIANDI_E_PLAN_INPUT', `小组 ${t.id} 班次须大于 0 shift of team '${t.id}' must be > 0`, 'shift');
  const brk = problem.break;

  const visited = new Set(problem.visited ?? []);
  const active = problem.targets.filter((t) => !visited.has(t.id));
  const unassigned: PlanUnassigned[] = [];
  const leaveOut = (t: PlanTarget, reason: UnassignedReason): void => {
    unassigned.push({ targetId: t.id, lon: t.lonLat[0], lat: t.lonLat[1], priority: t.priority, reason, message: UNASSIGNED_REASONS[reason] });
  };

  // Depots.
  const depotPts: LonLat[] = [];
  const depotIndex = (p: LonLat): number => {
    const k = depotPts.findIndex((q) => q[0] === p[0] && q[1] === p[1]);
    return k >= 0 ? k : depotPts.push(p) - 1;
  };
  const teamStart = teams.map((t) => depotIndex(t.start));
  const teamEnd = teams.map((t) => depotIndex(t.end ?? t.start));
  const nd = depotPts.length;

  // Locations and matrix.
  const tMatrix = Date.now();
  let reach: PlanTarget[] = [];
  let locs: NetworkLocation[] | null = null;
  let matrix: TimeMatrix;
  if (net) {
    const depotLocs = depotPts.map((p) => {
      const l = locate(net, p, [p], maxWalkM);
      if (!l) throw new PlannerError('TIANDI_E_DEPOT_OFF_NETWORK', `驻地 ${p[0].toFixed(5)},${p[1].toFixed(5)} 离路网超过 ${maxWalkM} m depot is more than ${maxWalkM} m from the road network: move it onto a road or raise the walking range`, 'depot');
      return l;
    });
    const comps = new Set(depotLocs.map((l) => l.component));
    const tl: NetworkLocation[] = [];
    for (const t of active) {
      const probes = t.outline ?? [t.lonLat];
      const l = locate(net, t.lonLat, probes, maxWalkM, comps);
      if (l) { reach.push(t); tl.push(l); }
      else leaveOut(t, locate(net, t.lonLat, probes, maxWalkM) ? 'UNREACHABLE_DISCONNECTED' : 'UNREACHABLE_FAR');
    }
    locs = [...depotLocs, ...tl];
    matrix = networkTimeMatrix(net, locs, {
      walkKmh, maxDirectWalkM: Math.min(problem.travel?.maxDirectWalkM ?? MAX_DIRECT_WALK_M, maxWalkM), elevation: problem.travel?.elevation,
      onProgress: (f) => options.onProgress?.('matrix', f),
    });
  } else {
    reach = active.slice();
    matrix = geodesicTimeMatrix([...depotPts, ...reach.map((t) => t.lonLat)], problem.travel?.speedKmh ?? 30, problem.travel?.detourFactor ?? 1.3);
  }
  const matrixMs = Date.now() - tMatrix;
  const n = matrix.n;
  const C = matrix.timeS;

  // One-way traps: reachable only one way from every depot pair.
  {
    const keep: number[] = [];
    reach.forEach((t, i) => {
      const j = nd + i;
      const ok = teams.some((_, k) => Number.isFinite(C[teamStart[k] * n + j]) && Number.isFinite(C[j * n + teamEnd[k]]));
      if (ok) keep.push(i);
      else leaveOut(t, 'UNREACHABLE_DISCONNECTED');
    });
    if (keep.length < reach.length) {
      // Rebuild the matrix over the kept places only (cheap re-index).
      const idx = [...Array.from({ length: nd }, (_, i) => i), ...keep.map((i) => nd + i)];
      const m = idx.length;
      const ts = new Float64Array(m * m), ds = new Float64Array(m * m), dr = new Uint8Array(m * m);
      for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) {
        ts[a * m + b] = C[idx[a] * n + idx[b]]; ds[a * m + b] = matrix.distM[idx[a] * n + idx[b]]; dr[a * m + b] = matrix.direct?.[idx[a] * n + idx[b]] ?? 0;
      }
      matrix = { n: m, timeS: ts, distM: ds, direct: dr };
      if (locs) locs = idx.map((i) => locs![i]);
      reach = keep.map((i) => reach[i]);
    }
  }

  // The VRP.
  const vehicles: VrpVehicle[] = [];
  for (let d = 0; d < days; d++)
    teams.forEach((t, k) => {
      const s0 = t.shiftStartS ?? DEFAULT_SHIFT_START_S;
      // Makespan counts whole days first: work that fits in fewer days is not spread thin over the week.
      vehicles.push({ startNode: teamStart[k], endNode: teamEnd[k], shiftStartS: s0, shiftEndS: s0 + t.shiftS - (brk?.durationS ?? 0), capacity: Infinity, maxStops: t.maxStops ?? Infinity, jobCost: d * DAY_COST_S, makespanOffsetS: d * 86400 });
    });
  const jobs: VrpJob[] = reach.map((t, i) => ({
    node: nd + i,
    serviceS: t.serviceS,
    demand: 0,
    earliestS: t.earliestS ?? problem.daylight?.earliestS ?? -Infinity,
    latestS: t.latestS ?? (problem.daylight ? problem.daylight.latestS - t.serviceS : Infinity),
    penalty: t.priority * PRIORITY_COST_S,
    weight: t.priority,
  }));
  const vrp: VrpProblem = { n: matrix.n, cost: matrix.timeS, jobs, vehicles, balanceWeight: options.balanceWeight ?? 0.01, makespanWeight: makespanWeight(options.objective ?? 'makespan', jobs, vehicles) };

  // Jobs no team can serve even alone; a shift shorter than the nearest round trip is bad input.
  const fits = jobs.map((_, j) => teams.some((__, k) => routeSchedule(vrp, k, [j]).ok));
  if (jobs.length && !fits.some(Boolean)) {
    let best = Infinity;
    jobs.forEach((job) => teams.forEach((_, k) => { best = Math.min(best, vrp.cost[teamStart[k] * vrp.n + job.node] + job.serviceS + vrp.cost[job.node * vrp.n + teamEnd[k]]); }));
    const shift = Math.max(...vehicles.map((v) => v.shiftEndS - v.shiftStartS));
    if (best > shift)
      throw new PlannerError('TIANDI_E_SHIFT_TOO_SHORT', `班次 ${fmtMin(shift)} 短于最近目标的往返 ${fmtMin(best)} the shift (${fmtMin(shift)}) is shorter than the round trip to the nearest target (${fmtMin(best)}): lengthen --shift`, 'shift');
  }
  const excluded = new Set<number>();
  fits.forEach((ok, j) => { if (!ok) { excluded.add(j); leaveOut(reach[j], 'DOES_NOT_FIT'); } });
  for (const j of excluded) jobs[j].penalty = 0; // never worth inserting

  let initialRoutes: number[][] | undefined;
  if (problem.previous) {
    const jobOf = new Map(reach.map((t, i) => [t.id, i]));
    initialRoutes = vehicles.map(() => []);
    for (const r of problem.previous.routes) {
      const k = teams.findIndex((t) => t.id === r.teamId);
      if (k < 0 || r.day >= days) continue;
      initialRoutes[r.day * teams.length + k] = r.stops.map((s) => jobOf.get(s.targetId)).filter((j): j is number => j !== undefined && !excluded.has(j));
    }
  }

  const tSolve = Date.now();
  // One route to plan: give part of the budget to the TSP solver (stronger on a single tour).
  const single = vehicles.length === 1 && !problem.previous;
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
    sol.routes[0] = singleRouteTsp(vrp, 0, sol.routes[0], { seed: options.seed ?? 1, timeLimitMs: Math.max(50, limit * 0.6 - (Date.now() - tSolve)), maxIterations: its });
  }
  const solveMs = Date.now() - tSolve;
  for (const j of sol.unassigned) if (!excluded.has(j)) leaveOut(reach[j], 'NO_CAPACITY');

  // Schedules with the break, geometry, links.
  const dj = net ? new Dijkstra(net) : null;
  const routes: PlanRoute[] = [];
  sol.routes.forEach((route0, v) => {
    let route = route0.slice();
    const veh = vehicles[v];
    const team = teams[v % teams.length];
    const day = Math.floor(v / teams.length);
    for (;;) {
      const s = schedule(route);
      if (s.late < 0) break;
      leaveOut(reach[route[s.late]], 'NO_CAPACITY');
      route = route.filter((_, i) => i !== s.late);
    }
    if (!route.length) return;
    const s = schedule(route);
    const nodes = [veh.startNode, ...route.map((j) => jobs[j].node), veh.endNode];
    let distanceM = 0, travelS = 0;
    for (let i = 0; i + 1 < nodes.length; i++) { distanceM += matrix.distM[nodes[i] * matrix.n + nodes[i + 1]]; travelS += C2(nodes[i], nodes[i + 1]); }
    const path: LonLat[] = [];
    for (let i = 0; i + 1 < nodes.length; i++) {
      // The track follows what was timed: a straight walk where the matrix chose one, else the network path.
      const walked = matrix.direct?.[nodes[i] * matrix.n + nodes[i + 1]];
      const leg = locs && net && !walked ? legPath(net, locs[nodes[i]], locs[nodes[i + 1]], dj!) : [placeOf(nodes[i]), placeOf(nodes[i + 1])];
      path.push(...(path.length ? leg.slice(1) : leg));
    }
    options.onProgress?.('geometry', (v + 1) / sol.routes.length);
    const stops: PlanStop[] = route.map((j, i) => {
      const t = reach[j];
      const loc = locs?.[jobs[j].node];
      return {
        targetId: t.id, lon: t.lonLat[0], lat: t.lonLat[1],
        accessLonLat: loc ? loc.accessLonLat : null, walkM: loc ? round1(loc.walkM) : 0,
        arrivalS: Math.round(s.arrival[i]), startS: Math.round(s.start[i]), departureS: Math.round(s.start[i] + t.serviceS),
        priority: t.priority, serviceS: t.serviceS,
        amapUriGcj02: amapNavigationUriGcj02(t.lonLat, t.info?.village ? `${t.info.village} ${t.id}` : t.id),
        info: stopInfo(t),
      };
    });
    const departS = veh.shiftStartS;
    routes.push({
      teamId: team.id, ...(team.name ? { teamName: team.name } : {}), day, ...(problem.date ? { date: addDays(problem.date, day) } : {}),
      start: depotPts[teamStart[v % teams.length]], end: depotPts[teamEnd[v % teams.length]],
      departS, returnS: Math.round(s.end), durationS: Math.round(s.end - departS), travelS: Math.round(travelS),
      serviceS: route.reduce((a, j) => a + jobs[j].serviceS, 0), distanceM: Math.round(distanceM), break: s.brk, stops, path,
    });

    function schedule(r: number[]) {
      let t = veh.shiftStartS;
      let node = veh.startNode;
      let taken = !brk;
      let b: { startS: number; durationS: number } | null = null;
      const arrival: number[] = [], start: number[] = [];
      let late = -1;
      r.forEach((j, i) => {
        const job = jobs[j];
        let a = t + C2(node, job.node);
        arrival.push(a);
        if (!taken && brk && a >= brk.earliestS) { b = { startS: Math.round(a), durationS: brk.durationS }; a += brk.durationS; taken = true; }
        const st = Math.max(a, job.earliestS);
        if (st > job.latestS + 1e-6 && late < 0) late = i;
        start.push(st);
        t = st + job.serviceS;
        node = job.node;
      });
      let end = t + C2(node, veh.endNode);
      // Noon passes on the way back: the break is taken then (the shift was shortened for it).
      if (!taken && brk && r.length && end >= brk.earliestS) { b = { startS: Math.round(Math.max(t, brk.earliestS)), durationS: brk.durationS }; end += brk.durationS; }
      return { arrival, start, end, brk: b as { startS: number; durationS: number } | null, late };
    }
  });

  function C2(a: number, b: number): number { return matrix.timeS[a * matrix.n + b]; }
  function placeOf(node: number): LonLat { return node < nd ? depotPts[node] : reach[node - nd].lonLat; }

  routes.sort((a, b) => a.day - b.day || teams.findIndex((t) => t.id === a.teamId) - teams.findIndex((t) => t.id === b.teamId));
  const served = routes.reduce((a, r) => a + r.stops.length, 0);
  const durations = routes.map((r) => r.durationS);
  const makespanS = durations.length ? Math.max(...durations) : 0;
  const servedIds = new Set(routes.flatMap((r) => r.stops.map((st) => st.targetId)));
  const servedJobs = sol.routes.flat().filter((j) => servedIds.has(reach[j].id));
  const { lowerBoundS, evenSplitS } = makespanBounds(routes, vehicles.length, servedJobs.map((j) => jobs[j].node), servedJobs.map((j) => jobs[j].serviceS), matrix.timeS, matrix.n, nd);
  return {
    version: 1,
    ...(problem.date ? { date: problem.date } : {}),
    objective: {
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
    },
    routes,
    unassigned: unassigned.sort((a, b) => b.priority - a.priority || (a.targetId < b.targetId ? -1 : 1)),
    visited: problem.targets.filter((t) => visited.has(t.id)).map((t) => t.id),
    stats: { matrixMs, solveMs, iterations: sol.iterations, locations: matrix.n, travel: net ? 'network' : 'geodesic' },
  };
}

/**
 * Weight of the longest route in the objective. 'makespan': as heavy as the fleet is large (the latest
 * return counts like every route's travel together), but never so heavy that leaving a target out
 * would pay: growing the longest route by a whole shift costs less than half the least urgent target.
 */
function makespanWeight(kind: 'makespan' | 'total', jobs: VrpJob[], vehicles: VrpVehicle[]): number {
  if (kind !== 'makespan' || !jobs.length) return 0;
  // Growing the latest finish can cost a whole shift, or a new day when routes span several days.
  const shift = Math.max(...vehicles.map((v) => v.shiftEndS - v.shiftStartS + (v.makespanOffsetS ? 86400 : 0)));
  const least = Math.min(...jobs.map((j) => j.penalty).filter((x) => x > 0), Infinity);
  return Math.max(0, Math.min(vehicles.length, Number.isFinite(least) ? (0.5 * least) / shift : vehicles.length));
}

/**
 * A lower bound on the longest route of any plan that serves the same stops with the same fleet
 * (`vehicles` team-days): the largest of (1) the work no plan avoids — each stop's service plus the
 * cheapest way into it, and the cheapest way home on each route — split evenly; (2) some route has at
 * least ⌈stops ÷ routes⌉ stops, so at least the sum of that many of the cheapest; (3) the longest
 * round trip any one stop needs on its own. And the even split of this plan's own work (total work ÷ team-days used).
 */
function makespanBounds(routes: PlanRoute[], vehicles: number, servedNodes: number[], serviceS: number[], cost: Float64Array, n: number, depotNodes: number): { lowerBoundS: number; evenSplitS: number } {
  if (!routes.length || !servedNodes.length) return { lowerBoundS: 0, evenSplitS: 0 };
  const work = routes.reduce((a, r) => a + r.durationS, 0);
  const each: number[] = [];
  let single = 0, home = Infinity;
  servedNodes.forEach((j, k) => {
    let into = Infinity, out = Infinity, trip = Infinity;
    for (let i = 0; i < n; i++) if (i !== j) into = Math.min(into, cost[i * n + j]);
    for (let d = 0; d < depotNodes; d++) { out = Math.min(out, cost[j * n + d]); trip = Math.min(trip, cost[d * n + j] + cost[j * n + d]); }
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

/** What the team reads at a stop: the target's own note, else one written from its area, score and model. */
export function stopInfo(t: PlanTarget): StopInfo {
  const i = t.info ?? {};
  const area = i.areaM2 ?? t.areaM2;
  const facts = [area !== undefined ? `约 ${Math.round(area)} m²` : '', i.score !== undefined ? `检测分 ${i.score.toFixed(2)}` : '', i.model ? `模型 ${i.model}` : ''].filter(Boolean).join('，');
  const factsEn = [area !== undefined ? `~${Math.round(area)} m²` : '', i.score !== undefined ? `score ${i.score.toFixed(2)}` : '', i.model ? `model ${i.model}` : ''].filter(Boolean).join(', ');
  const lookFor = i.lookFor ?? `疑似罂粟地块${facts ? `（${facts}）` : ''}：查看有无罂粟植株、花或蒴果，拍照并上报核查结果 | suspected poppy plot${factsEn ? ` (${factsEn})` : ''}: look for poppy plants, flowers or capsules; photograph and report what you find`;
  return { ...(i.village ? { village: i.village } : {}), ...(area !== undefined ? { areaM2: area } : {}), ...(i.score !== undefined ? { score: i.score } : {}), ...(i.model ? { model: i.model } : {}), lookFor };
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
const round3 = (x: number): number => Math.round(x * 1000) / 1000;
const fmtMin = (s: number): string => `${Math.round(s / 60)} min`;
function addDays(date: string, d: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + d);
  return t.toISOString().slice(0, 10);
}
