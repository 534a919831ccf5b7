import type { LonLat } from '@tiandi/geo';
import { planTeams } from './plan-teams';
import type { ServiceRule } from './service-time';
import type { PlanTarget, PlanTeam } from './plan-types';
import { targetsFromGeoJson } from './targets-from-geojson';

/** What a plan over the workspace is asked for, wherever it is asked: the CLI's flags, the server's body, the web's form. */
export interface PlanInputOptions {
  teams: number;
  /** Where every team starts and ends each day. */
  depot: LonLat;
  shiftS: number;
  shiftStartS?: number;
  maxStops?: number;
  /** Default `SERVICE_TIME_DEFAULTS` (@tiandi/api). */
  service?: Partial<ServiceRule>;
  /** A team's display name from its number (the web names them in the UI's language). */
  teamName?: (n: number) => string;
}

/**
 * The targets and teams of a plan from the workspace's target features (store's `planningTargets`): the one place
 * the CLI, the server and the web planner build them, so the same workspace gives the same team ids (`T1` …) and the
 * same service times ({@link serviceTimeS}) wherever it is planned.
 */
export function planInputs(targetsFc: unknown, o: PlanInputOptions): { targets: PlanTarget[]; teams: PlanTeam[] } {
  return {
    targets: targetsFromGeoJson(targetsFc, o.service),
    teams: planTeams(o.teams, { start: o.depot, shiftS: o.shiftS, shiftStartS: o.shiftStartS, maxStops: o.maxStops, name: o.teamName }),
  };
}
