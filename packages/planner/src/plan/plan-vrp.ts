import { PlannerError } from '../errors';
import { routeSchedule } from '../vrp/route-schedule';
import type { VrpJob, VrpProblem, VrpVehicle } from '../vrp/vrp-problem';
import type { LeaveOut, PlanPlaces } from './plan-places';
import type { Plan, PlanOptions, PlanProblem } from './plan-types';

/** Objective weight of one unit of priority left unserved, in seconds: priority always comes first. */
const PRIORITY_COST_S = 1e7;
/** Cost (s) per unit of priority of visiting a target one day later: urgent plots go early in the week. */
const DAY_COST_S = 120;
const DEFAULT_SHIFT_START_S = 8 * 3600;

/**
 * The plan as a {@link VrpProblem}: one vehicle per team and day (day-major: vehicle `d × teams + k`),
 * its shift shortened by the break; one job per reachable target, its penalty the priority's weight.
 */
export function planVrp(problem: PlanProblem, places: PlanPlaces, options: PlanOptions): VrpProblem {
  const { teams, break: brk } = problem;
  const nd = places.depots.length;
  const vehicles: VrpVehicle[] = [];
  for (let d = 0; d < (problem.days ?? 1); d++)
    teams.forEach((t, k) => {
      const s0 = t.shiftStartS ?? DEFAULT_SHIFT_START_S;
      // Makespan counts whole days first: work that fits in fewer days is not spread thin over the week.
      vehicles.push({
        startNode: places.teamStart[k],
        endNode: places.teamEnd[k],
        shiftStartS: s0,
        shiftEndS: s0 + t.shiftS - (brk?.durationS ?? 0),
        capacity: Infinity,
        maxStops: t.maxStops ?? Infinity,
        jobCost: d * DAY_COST_S,
        makespanOffsetS: d * 86400,
      });
    });
  const jobs: VrpJob[] = places.reach.map((t, i) => ({
    node: nd + i,
    serviceS: t.serviceS,
    demand: 0,
    earliestS: t.earliestS ?? problem.daylight?.earliestS ?? -Infinity,
    latestS: t.latestS ?? (problem.daylight ? problem.daylight.latestS - t.serviceS : Infinity),
    penalty: t.priority * PRIORITY_COST_S,
    weight: t.priority,
  }));
  const { matrix } = places;
  return {
    n: matrix.n,
    cost: matrix.timeS,
    jobs,
    vehicles,
    balanceWeight: options.balanceWeight ?? 0.01,
    makespanWeight: makespanWeight(options.objective ?? 'makespan', jobs, vehicles),
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
 * Leaves out the jobs no team can serve even alone, and zeroes their penalty so the search never
 * inserts them. When none fits and the shift is shorter than the nearest round trip, the input is
 * wrong rather than the targets.
 * @returns the excluded jobs.
 * @throws PlannerError TIANDI_E_SHIFT_TOO_SHORT
 */
export function excludeUnfitJobs(vrp: VrpProblem, places: PlanPlaces, teams: number, leaveOut: LeaveOut): Set<number> {
  const { jobs, vehicles } = vrp;
  const fits = jobs.map((_, j) => Array.from({ length: teams }).some((__, k) => routeSchedule(vrp, k, [j]).ok));
  if (jobs.length && !fits.some(Boolean)) {
    let best = Infinity;
    jobs.forEach((job) => {
      for (let k = 0; k < teams; k++)
        best = Math.min(best, vrp.cost[places.teamStart[k] * vrp.n + job.node] + job.serviceS + vrp.cost[job.node * vrp.n + places.teamEnd[k]]);
    });
    const shift = Math.max(...vehicles.map((v) => v.shiftEndS - v.shiftStartS));
    if (best > shift)
      throw new PlannerError(
        'TIANDI_E_SHIFT_TOO_SHORT',
        `班次 ${fmtMin(shift)} 短于最近目标的往返 ${fmtMin(best)} the shift (${fmtMin(shift)}) is shorter than the round trip to the nearest target (${fmtMin(best)}): lengthen --shift`,
        'shift',
      );
  }
  const excluded = new Set<number>();
  fits.forEach((ok, j) => {
    if (!ok) {
      excluded.add(j);
      leaveOut(places.reach[j], 'DOES_NOT_FIT');
    }
  });
  for (const j of excluded) jobs[j].penalty = 0; // never worth inserting
  return excluded;
}

/** Re-planning: each team-day's remaining stops of the previous plan, as job indices (vehicle order of {@link planVrp}). */
export function initialRoutesFrom(previous: Plan, problem: PlanProblem, places: PlanPlaces, excluded: Set<number>): number[][] {
  const { teams } = problem;
  const jobOf = new Map(places.reach.map((t, i) => [t.id, i]));
  const initialRoutes: number[][] = Array.from({ length: (problem.days ?? 1) * teams.length }, () => []);
  for (const r of previous.routes) {
    const k = teams.findIndex((t) => t.id === r.teamId);
    if (k < 0 || r.day >= (problem.days ?? 1)) continue;
    initialRoutes[r.day * teams.length + k] = r.stops.map((s) => jobOf.get(s.targetId)).filter((j): j is number => j !== undefined && !excluded.has(j));
  }
  return initialRoutes;
}

const fmtMin = (s: number): string => `${Math.round(s / 60)} min`;
