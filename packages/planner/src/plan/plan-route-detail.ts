import type { LonLat } from '@tiandi/geo';
import { amapNavigationUriGcj02 } from '../export/amap-uri';
import type { Dijkstra } from '../network/dijkstra';
import { legPath } from '../network/leg-path';
import type { VrpProblem } from '../vrp/vrp-problem';
import type { LeaveOut, PlanPlaces } from './plan-places';
import type { PlanProblem, PlanRoute, PlanStop } from './plan-types';
import { stopInfo } from './stop-info';

/** What turning a solver route into a {@link PlanRoute} needs. */
export interface RouteDetailInput {
  problem: PlanProblem;
  places: PlanPlaces;
  vrp: VrpProblem;
  /** Shortest paths on the network, for the legs' tracks (null without a network). */
  dijkstra: Dijkstra | null;
}

/** A route's times with the midday break: arrival and service start at each stop, the return, the break taken. */
interface BreakSchedule {
  arrival: number[];
  start: number[];
  end: number;
  brk: { startS: number; durationS: number } | null;
  /** First stop whose window the break pushes it past, −1 if none. */
  late: number;
}

/**
 * Vehicle `v`'s solved route as the team will drive it: timed with the break (stops the break
 * makes late are left out, 'NO_CAPACITY'), with its distance, its track along what was timed, and
 * each stop's navigation link and note. Null when no stop is left.
 */
export function routeDetail(input: RouteDetailInput, v: number, solved: number[], leaveOut: LeaveOut): PlanRoute | null {
  const { problem, places, vrp } = input;
  const teams = problem.teams;
  const veh = vrp.vehicles[v];
  const team = teams[v % teams.length];
  const day = Math.floor(v / teams.length);
  let route = solved.slice();
  for (;;) {
    const s = scheduleWithBreak(input, v, route);
    if (s.late < 0) break;
    leaveOut(places.reach[route[s.late]], 'NO_CAPACITY');
    route = route.filter((_, i) => i !== s.late);
  }
  if (!route.length) return null;
  const s = scheduleWithBreak(input, v, route);
  const nodes = [veh.startNode, ...route.map((j) => vrp.jobs[j].node), veh.endNode];
  const { matrix } = places;
  let distanceM = 0,
    travelS = 0;
  for (let i = 0; i + 1 < nodes.length; i++) {
    distanceM += matrix.distM[nodes[i] * matrix.n + nodes[i + 1]];
    travelS += matrix.timeS[nodes[i] * matrix.n + nodes[i + 1]];
  }
  const departS = veh.shiftStartS;
  return {
    teamId: team.id,
    ...(team.name ? { teamName: team.name } : {}),
    day,
    ...(problem.date ? { date: addDays(problem.date, day) } : {}),
    start: places.depots[places.teamStart[v % teams.length]],
    end: places.depots[places.teamEnd[v % teams.length]],
    departS,
    returnS: Math.round(s.end),
    durationS: Math.round(s.end - departS),
    travelS: Math.round(travelS),
    serviceS: route.reduce((a, j) => a + vrp.jobs[j].serviceS, 0),
    distanceM: Math.round(distanceM),
    break: s.brk,
    stops: planStops(input, route, s),
    path: routePath(input, nodes),
  };
}

/** The stops as the team sees them: times, access point, navigation link and what to look for. */
function planStops(input: RouteDetailInput, route: number[], s: BreakSchedule): PlanStop[] {
  const { places, vrp } = input;
  return route.map((j, i) => {
    const t = places.reach[j];
    const loc = places.locs?.[vrp.jobs[j].node];
    return {
      targetId: t.id,
      lon: t.lonLat[0],
      lat: t.lonLat[1],
      accessLonLat: loc ? loc.accessLonLat : null,
      walkM: loc ? round1(loc.walkM) : 0,
      arrivalS: Math.round(s.arrival[i]),
      startS: Math.round(s.start[i]),
      departureS: Math.round(s.start[i] + t.serviceS),
      priority: t.priority,
      serviceS: t.serviceS,
      amapUriGcj02: amapNavigationUriGcj02(t.lonLat, t.info?.village ? `${t.info.village} ${t.id}` : t.id),
      info: stopInfo(t),
    };
  });
}

/** The track follows what was timed: a straight walk where the matrix chose one, else the network path. */
function routePath(input: RouteDetailInput, nodes: number[]): LonLat[] {
  const { places, dijkstra } = input;
  const { matrix, locs } = places;
  const net = input.problem.network;
  const nd = places.depots.length;
  const placeOf = (node: number): LonLat => (node < nd ? places.depots[node] : places.reach[node - nd].lonLat);
  const path: LonLat[] = [];
  for (let i = 0; i + 1 < nodes.length; i++) {
    const walked = matrix.direct?.[nodes[i] * matrix.n + nodes[i + 1]];
    const leg = locs && net && !walked ? legPath(net, locs[nodes[i]], locs[nodes[i + 1]], dijkstra!) : [placeOf(nodes[i]), placeOf(nodes[i + 1])];
    path.push(...(path.length ? leg.slice(1) : leg));
  }
  return path;
}

/**
 * Times a route with the break: taken on arrival at the first stop reached after its earliest
 * start, or on the way back when noon passes then (the shift was shortened for it).
 */
function scheduleWithBreak(input: RouteDetailInput, v: number, r: number[]): BreakSchedule {
  const { vrp, places } = input;
  const brk = input.problem.break;
  const { matrix } = places;
  const time = (a: number, b: number): number => matrix.timeS[a * matrix.n + b];
  const veh = vrp.vehicles[v];
  let t = veh.shiftStartS;
  let node = veh.startNode;
  let taken = !brk;
  let b: { startS: number; durationS: number } | null = null;
  const arrival: number[] = [],
    start: number[] = [];
  let late = -1;
  r.forEach((j, i) => {
    const job = vrp.jobs[j];
    let a = t + time(node, job.node);
    arrival.push(a);
    if (!taken && brk && a >= brk.earliestS) {
      b = { startS: Math.round(a), durationS: brk.durationS };
      a += brk.durationS;
      taken = true;
    }
    const st = Math.max(a, job.earliestS);
    if (st > job.latestS + 1e-6 && late < 0) late = i;
    start.push(st);
    t = st + job.serviceS;
    node = job.node;
  });
  let end = t + time(node, veh.endNode);
  if (!taken && brk && r.length && end >= brk.earliestS) {
    b = { startS: Math.round(Math.max(t, brk.earliestS)), durationS: brk.durationS };
    end += brk.durationS;
  }
  return { arrival, start, end, brk: b as { startS: number; durationS: number } | null, late };
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

function addDays(date: string, d: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + d);
  return t.toISOString().slice(0, 10);
}
