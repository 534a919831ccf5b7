import type { LonLat } from '@tiandi/geo';
import { PlannerError, type UnassignedReason } from '../errors';
import { locate, type NetworkLocation } from '../network/locate';
import { geodesicTimeMatrix, MAX_DIRECT_WALK_M, networkTimeMatrix, type TimeMatrix } from '../network/time-matrix';
import type { PlanOptions, PlanProblem, PlanTarget } from './plan-types';

/** Records a target left out of the plan, with why. */
export type LeaveOut = (t: PlanTarget, reason: UnassignedReason) => void;

/**
 * The places of a plan and the travel times between them: matrix nodes 0..depots.length − 1 are
 * the depots, then one node per reachable target in `reach` order.
 */
export interface PlanPlaces {
  /** Distinct start and end points of the teams. */
  depots: LonLat[];
  /** Depot node where each team starts, and where it ends. */
  teamStart: number[];
  teamEnd: number[];
  /** The targets the teams can reach. */
  reach: PlanTarget[];
  /** Where each node meets the road network (null without a network). */
  locs: NetworkLocation[] | null;
  matrix: TimeMatrix;
}

/**
 * Locates the depots and the `active` targets and builds their time matrix: on the road network
 * when there is one (targets too far from it, or cut off from every depot, are left out), else
 * geodesic at one speed.
 * @throws PlannerError TIANDI_E_DEPOT_OFF_NETWORK
 */
export function locatePlaces(problem: PlanProblem, active: PlanTarget[], leaveOut: LeaveOut, options: PlanOptions): PlanPlaces {
  const { depots, teamStart, teamEnd } = teamDepots(problem);
  const net = problem.network;
  if (!net) {
    const reach = active.slice();
    const matrix = geodesicTimeMatrix([...depots, ...reach.map((t) => t.lonLat)], problem.travel?.speedKmh ?? 30, problem.travel?.detourFactor ?? 1.3);
    return { depots, teamStart, teamEnd, reach, locs: null, matrix };
  }
  const maxWalkM = problem.travel?.maxWalkM ?? 2000;
  const depotLocs = depots.map((p) => {
    const l = locate(net, p, [p], maxWalkM);
    if (!l)
      throw new PlannerError(
        'TIANDI_E_DEPOT_OFF_NETWORK',
        `驻地 ${p[0].toFixed(5)},${p[1].toFixed(5)} 离路网超过 ${maxWalkM} m depot is more than ${maxWalkM} m from the road network: move it onto a road or raise the walking range`,
        'depot',
      );
    return l;
  });
  const comps = new Set(depotLocs.map((l) => l.component));
  const reach: PlanTarget[] = [];
  const tl: NetworkLocation[] = [];
  for (const t of active) {
    const probes = t.outline ?? [t.lonLat];
    const l = locate(net, t.lonLat, probes, maxWalkM, comps);
    if (l) {
      reach.push(t);
      tl.push(l);
    } else leaveOut(t, locate(net, t.lonLat, probes, maxWalkM) ? 'UNREACHABLE_DISCONNECTED' : 'UNREACHABLE_FAR');
  }
  const locs = [...depotLocs, ...tl];
  const matrix = networkTimeMatrix(net, locs, {
    walkKmh: problem.travel?.walkKmh ?? 4,
    maxDirectWalkM: Math.min(problem.travel?.maxDirectWalkM ?? MAX_DIRECT_WALK_M, maxWalkM),
    elevation: problem.travel?.elevation,
    onProgress: (f) => options.onProgress?.('matrix', f),
  });
  return { depots, teamStart, teamEnd, reach, locs, matrix };
}

/** The distinct depots and each team's start and end among them. */
function teamDepots(problem: PlanProblem): Pick<PlanPlaces, 'depots' | 'teamStart' | 'teamEnd'> {
  const depots: LonLat[] = [];
  const depotIndex = (p: LonLat): number => {
    const k = depots.findIndex((q) => q[0] === p[0] && q[1] === p[1]);
    return k >= 0 ? k : depots.push(p) - 1;
  };
  const teamStart = problem.teams.map((t) => depotIndex(t.start));
  const teamEnd = problem.teams.map((t) => depotIndex(t.end ?? t.start));
  return { depots, teamStart, teamEnd };
}

/**
 * Leaves out the one-way traps: targets that no team can both reach from its start and leave for
 * its end. The matrix is re-indexed over the rest (cheap).
 */
export function dropOneWayTraps(places: PlanPlaces, leaveOut: LeaveOut): PlanPlaces {
  const { matrix, reach, teamStart, teamEnd } = places;
  const nd = places.depots.length;
  const n = matrix.n;
  const C = matrix.timeS;
  const keep: number[] = [];
  reach.forEach((t, i) => {
    const j = nd + i;
    const ok = teamStart.some((s, k) => Number.isFinite(C[s * n + j]) && Number.isFinite(C[j * n + teamEnd[k]]));
    if (ok) keep.push(i);
    else leaveOut(t, 'UNREACHABLE_DISCONNECTED');
  });
  if (keep.length === reach.length) return places;
  const idx = [...Array.from({ length: nd }, (_, i) => i), ...keep.map((i) => nd + i)];
  const m = idx.length;
  const ts = new Float64Array(m * m),
    ds = new Float64Array(m * m),
    dr = new Uint8Array(m * m);
  for (let a = 0; a < m; a++)
    for (let b = 0; b < m; b++) {
      ts[a * m + b] = C[idx[a] * n + idx[b]];
      ds[a * m + b] = matrix.distM[idx[a] * n + idx[b]];
      dr[a * m + b] = matrix.direct?.[idx[a] * n + idx[b]] ?? 0;
    }
  const locs = places.locs;
  return { ...places, matrix: { n: m, timeS: ts, distM: ds, direct: dr }, locs: locs ? idx.map((i) => locs[i]) : null, reach: keep.map((i) => reach[i]) };
}
