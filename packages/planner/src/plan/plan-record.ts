import type { LonLat, MultiLineString } from '@tiandi/geo';
import type { Plan } from './plan-types';

/** A plan as the workspace records it (`POST /api/plans`, store's importPlan): one row per team, its stops in order. */
export interface PlanRecord {
  planId: string;
  teams: {
    team: string;
    /** One line per working day with a route; null when the team has none. */
    route: MultiLineString | null;
    durationS: number;
    distanceM: number;
    /** `arriveS` is seconds after midnight of the stop's own day. */
    stops: { targetId: string; position: LonLat; arriveS: number }[];
  }[];
}

/**
 * One row per team of `teamIds` (default: the plan's teams in route order), its days in order: the route a
 * line per day, durations and distances summed, stops concatenated. How the web planner saves a plan; store's
 * planFromPlanJson reads `tiandi plan`'s plan.json into the same shape.
 */
export function planRecord(plan: Plan, planId: string, teamIds: readonly string[] = [...new Set(plan.routes.map((r) => r.teamId))]): PlanRecord {
  return {
    planId,
    teams: teamIds.map((team) => {
      const routes = plan.routes.filter((r) => r.teamId === team).sort((a, b) => a.day - b.day);
      const lines = routes.map((r) => r.path).filter((p) => p.length >= 2);
      return {
        team,
        route: lines.length ? { type: 'MultiLineString' as const, coordinates: lines } : null,
        durationS: routes.reduce((s, r) => s + r.durationS, 0),
        distanceM: routes.reduce((s, r) => s + r.distanceM, 0),
        stops: routes.flatMap((r) => r.stops.map((s) => ({ targetId: s.targetId, position: [s.lon, s.lat] as LonLat, arriveS: s.arrivalS }))),
      };
    }),
  };
}
